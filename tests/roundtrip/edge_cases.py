#!/usr/bin/env python3
"""edge_cases.py: writes hand-made inputs that probe the corners of Go's raw
trace converter (header scanning, line limits, quoting, counts of 2^63 and
more, truncation at and inside varints) into a directory: NAME.bin inputs
for bytes2text and NAME.txt inputs for text2bytes. roundtrip.sh runs each
through Go's converter and the C one and wants the same bytes back.

Usage: edge_cases.py DIR"""
import os
import sys


def uv(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def wire_cases():
    hdr = b"go 1.26 trace\0\0\0"
    odd = ("h\u00e9llo\u0085\u00ad\U0001F600\x7f\ufffd\u2028\u00a0 \U000e0001\U0010ffff".encode()
           + b"\xff\xc2\x22\\\x00\x07\x08\x0c\n\r\t\x0b\x1b"
           + b"\xed\xa0\x80\xf4\x90\x80\x80\xe0\x80\x80\xc2")
    return {
        "empty": b"",
        "hdr_only": hdr,
        "hdr_spaces": b"go \t 1.  26   trace\0\0\0",
        "hdr_unicode_spaces": "go\u00a01.26\u2003trace".encode() + b"\0\0\0",
        "hdr_newline": b"go\n1.26 trace\0\0\0",
        "hdr_crlf_before_number": b"go 1.\r\n26 trace\0\0\0",
        "hdr_cr_before_number": b"go 1.\r26 trace\0\0\0",
        "hdr_leading_zeros": b"go 1.000022 trace\0\0\0",
        "hdr_plus_sign": b"go 1.+22 trace\0\0\0",
        "hdr_over_uint32": b"go 1.4294967318 trace\0\0\0",
        "hdr_v1_version": b"go 1.11 trace\0\0\0\x01\x02",
        "hdr_unknown_version": b"go 1.24 trace\0\0\0",
        "hdr_no_space": b"go 1.22trace\0\0\0",
        "hdr_short": b"go 1.22 trace\0\0",
        "unnamed_types_go126": hdr + bytes([60, 61, 127]),
        "experimental_event": hdr + bytes([128]) + uv(1) + uv(2) + uv(3) + uv(4),
        "type_past_table": hdr + bytes([137]),
        "type_zero": hdr + bytes([0]),
        "string_empty": hdr + bytes([5]) + uv(3) + uv(0) + bytes([8]) + uv(5),
        "string_len_2_63": hdr + bytes([5]) + uv(3) + uv(1 << 63) + bytes([8]) + uv(5),
        "string_truncated": hdr + bytes([5]) + uv(3) + uv(10) + b"abc",
        "string_odd_bytes": hdr + bytes([5]) + uv(3) + uv(len(odd)) + odd,
        "string_all_bytes": hdr + bytes([5]) + uv(3) + uv(256) + bytes(range(256)),
        # Printed as \x01 each: a data line past the text reader's limit.
        "string_escaped_past_line_limit": hdr + bytes([5]) + uv(3) + uv(16384) + b"\x01" * 16384,
        "stack_nframes_2_63": hdr + bytes([3]) + uv(1) + uv(1 << 63) + bytes([8]) + uv(5),
        "stack_nframes_2_62": hdr + bytes([3]) + uv(1) + uv(1 << 62) + uv(1) + uv(2) + uv(3) + uv(4),
        "stack_cut_in_varint": hdr + bytes([3]) + uv(1) + uv(2) + uv(1) + uv(2) + uv(3) + uv(4) + uv(5) + b"\x80",
        "varint_overflow": hdr + bytes([8]) + b"\xff" * 9 + b"\x02",
        "varint_ten_continuations": hdr + bytes([8]) + b"\xff" * 10,
        "varint_nine_continuations": hdr + bytes([8]) + b"\xff" * 9,
        "varint_max": hdr + bytes([8]) + b"\xff" * 9 + b"\x01",
        "go122_type_45": b"go 1.22 trace\0\0\0" + bytes([45]),
        "go122_type_44": b"go 1.22 trace\0\0\0" + bytes([44]) + uv(1) + uv(2) + uv(3) + uv(4) + uv(5),
    }


def text_cases():
    h = b"Trace Go1.22\n"
    return {
        "empty": b"",
        "comments_and_blanks": b"# hi\n\n   \t\nTrace Go1.22\n# c\nFrequency freq=5\n",
        "hdr_go2": b"Trace Go2.22\n",
        "hdr_no_version": b"Trace\n",
        "hdr_bad_number": b"Trace Go1.x2\n",
        "hdr_number_range": b"Trace Go1.99999999999999999999\n",
        "hdr_over_uint32": b"Trace Go1.4294967318\nFrequency freq=1\n",
        "hdr_trailing_word": b"Trace Go1.22 x\n",
        "hdr_comment": b"Trace Go1.22#x\n",
        "hdr_v1_version": b"Trace Go1.11\nFrequency freq=1\n",
        "hdr_unknown_version": b"Trace Go1.24\n",
        "experimental_in_go122": h + b"Span dt=1 id=2 npages_value=3 kindclass=4\n",
        "experimental_in_go126": b"Trace Go1.26\nSpan dt=1 id=2 npages_value=3 kindclass=4\n",
        "arg_missing": h + b"Frequency\n",
        "arg_no_equals": h + b"Frequency freq\n",
        "arg_negative": h + b"Frequency freq=-1\n",
        "arg_wrong_name": h + b"Frequency frq=1\n",
        "arg_trailing_word": h + b"Frequency freq=1 x\n",
        "arg_trailing_comment": h + b"Frequency freq=1 # x\n",
        "crlf_lines": b"Trace Go1.22\r\nFrequency freq=1\r\n",
        "unicode_spaces": "Trace\u00a0Go1.22\u2003\nFrequency\u3000freq=1\u0085\n".encode(),
        "data_escapes": h + b'String id=1\n\tdata="a\\x00\\u00e9\\U0001F600\\101\\n\'"\n',
        "data_raw_string": h + b'String id=1\n  data = `a\rb"\\`  \n',
        "data_rune_literal": h + b"String id=1\n data='\\''\n",
        "data_two_rune_literal": h + b"String id=1\n data='ab'\n",
        "data_empty_rune_literal": h + b"String id=1\n data=''\n",
        "data_bad_escape": h + b'String id=1\n data="a\\q"\n',
        "data_bad_utf8_escaped": h + b'String id=1\n data="a\xffb\\n"\n',
        "data_bad_utf8_plain": h + b'String id=1\n data="a\xffb"\n',
        "data_missing": h + b"String id=1\n",
        "data_wrong_key": h + b'String id=1\ndta="x"\n',
        "data_surrogate": h + b'String id=1\ndata="\\ud800"\n',
        "data_octal_over_255": h + b'String id=1\ndata="\\400"\n',
        "data_text_after_quote": h + b'String id=1\ndata="ab"c\n',
        "stack": h + b"Stack id=1 nframes=2\n pc=1 func=2 file=3 line=4\n pc=5 func=6 file=7 line=8\n",
        "stack_eof": h + b"Stack id=1 nframes=3\n pc=1 func=2 file=3 line=4\n",
        "stack_nframes_2_63": h + b"Stack id=1 nframes=9223372036854775808\nFrequency freq=1\n",
        "stack_bad_frame": h + b"Stack id=1 nframes=1\n pc=1 func=2 fle=3 line=4\n",
        "line_65535": h + b"#" + b"x" * 65534 + b"\nFrequency freq=1\n",
        "line_65536": h + b"#" + b"x" * 65535 + b"\nFrequency freq=1\n",
        "last_line_65535": h + b"#" + b"x" * 65534,
        "last_line_65536": h + b"#" + b"x" * 65535,
        "line_65535_with_cr": h + b"#" + b"x" * 65534 + b"\r\nFrequency freq=1\n",
        "nul_in_name": h + b"Freq\0uency freq=1\n",
    }


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in wire_cases().items():
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)
    for name, data in text_cases().items():
        with open(os.path.join(out, name + ".txt"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
