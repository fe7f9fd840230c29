// Value formatting shared by every line of the canonical dump
// (docs/dump-format.md, "Values"). The C dump implements the same rules; any
// change here is a change of the format and must be made on both sides.
package main

import "strconv"

const hexDigits = "0123456789abcdef"

// appendEscapedByte writes b as \xHH with lowercase hex digits.
func appendEscapedByte(dst []byte, b byte) []byte {
	return append(dst, '\\', 'x', hexDigits[b>>4], hexDigits[b&0xf])
}

// appendQuoted writes s between double quotes. Strings are arbitrary bytes
// (Go does not validate UTF-8 in trace strings), so escaping works on bytes.
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= 0x20 && b <= 0x7e && b != '"' && b != '\\' {
			dst = append(dst, b)
		} else {
			dst = appendEscapedByte(dst, b)
		}
	}
	return append(dst, '"')
}

// appendMessage writes the text of an error, panic or violation so that it
// stays on one line: Go's error messages may span several lines (for
// example "broken trace: failed to advance" with its frontier dump).
// Quotes are kept as they are because Go messages quote values often and
// the FAILURE regexps of Go's tests may mention them.
func appendMessage(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= 0x20 && b <= 0x7e && b != '\\' {
			dst = append(dst, b)
		} else {
			dst = appendEscapedByte(dst, b)
		}
	}
	return dst
}

// appendHexBytes writes a raw payload as lowercase hex, "-" when empty.
func appendHexBytes(dst []byte, data []byte) []byte {
	if len(data) == 0 {
		return append(dst, '-')
	}
	for _, b := range data {
		dst = append(dst, hexDigits[b>>4], hexDigits[b&0xf])
	}
	return dst
}

// appendPC writes a program counter as 0x plus lowercase hex.
func appendPC(dst []byte, pc uint64) []byte {
	dst = append(dst, '0', 'x')
	return strconv.AppendUint(dst, pc, 16)
}

func appendInt(dst []byte, n int64) []byte {
	return strconv.AppendInt(dst, n, 10)
}

func appendUint(dst []byte, n uint64) []byte {
	return strconv.AppendUint(dst, n, 10)
}
