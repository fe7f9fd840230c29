/* test_text.c: Go's raw text format, both ways, with Go's converter's
 * quirks and messages. (tests/roundtrip checks the same against Go itself
 * on Go's test traces; these pin down the rules one by one.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace_text.h"

#define S(lit) (const uint8_t *)(lit), sizeof(lit) - 1

static gtr_text_status_t to_wire(const uint8_t *in, size_t n, gtr_text_result_t *r)
{
    return gtr_text_to_wire(in, n, NULL, r);
}

static gtr_text_status_t to_text(const uint8_t *in, size_t n, gtr_text_result_t *r)
{
    return gtr_wire_to_text(in, n, NULL, r);
}

static void expect_out(const gtr_text_result_t *r, const char *want, size_t n)
{
    assert_int_equal(r->out_len, n);
    if (n > 0) {
        assert_memory_equal(r->out, want, n);
    }
}

static const char sample_text[] = "Trace Go1.23\n"
                                  "EventBatch gen=1 m=18446744073709551615 time=9 size=16\n"
                                  "Stack id=1 nframes=1\n"
                                  "\tpc=4816080 func=2 file=3 line=45\n"
                                  "String id=2\n"
                                  "\tdata=\"main.main\\x00\"\n";
static const uint8_t sample_wire[] = "go 1.23 trace\0\0\0"
                                     "\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x09\x10"
                                     "\x03\x01\x01\xd0\xf9\xa5\x02\x02\x03\x2d"
                                     "\x05\x02\x0amain.main\x00";

static void text_and_wire_convert_both_ways(void **state)
{
    (void)state;
    gtr_text_result_t r;
    assert_int_equal(to_wire(S(sample_text), &r), GTR_TEXT_OK);
    expect_out(&r, (const char *)sample_wire, sizeof sample_wire - 1);
    assert_string_equal(r.msg, "");
    gtr_text_result_free(&r);
    assert_int_equal(to_text(sample_wire, sizeof sample_wire - 1, &r), GTR_TEXT_OK);
    expect_out(&r, sample_text, sizeof sample_text - 1);
    gtr_text_result_free(&r);
}

static void blank_lines_comments_and_spaces_are_skipped(void **state)
{
    (void)state;
    gtr_text_result_t r;
    assert_int_equal(to_wire(S("# c\n\n Trace \t Go1.22 \r\n  Frequency   freq=5 \n#x\n"), &r),
                     GTR_TEXT_OK);
    expect_out(&r, "go 1.22 trace\0\0\0\x08\x05", 18);
    gtr_text_result_free(&r);
}

static void errors_carry_go_messages_and_partial_output(void **state)
{
    (void)state;
    gtr_text_result_t r;
    assert_int_equal(to_wire(S("Trace Go1.22\nFrequency freq=1\nFrequency frq=2\n"), &r),
                     GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "reading args for Frequency: expected argument \"freq\", "
                               "but got \"frq\"");
    expect_out(&r, "go 1.22 trace\0\0\0\x08\x01", 18);
    gtr_text_result_free(&r);

    assert_int_equal(to_wire(S("Trace Go1.22\nSpan dt=1 id=2 npages_value=3 kindclass=4\n"), &r),
                     GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "unidentified event: Span");
    gtr_text_result_free(&r);

    assert_int_equal(to_wire(S("Trace Go1.22\nStack id=1 nframes=2\n pc=1 func=2 file=3 line=4\n"),
                             &r),
                     GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "unexpected EOF while reading stack: args=[1 2 1 2 3 4]");
    gtr_text_result_free(&r);

    assert_int_equal(to_wire(S(""), &r), GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "EOF");
    assert_null(r.out);
    gtr_text_result_free(&r);
}

static void header_version_is_a_uint32_as_in_go(void **state)
{
    (void)state;
    gtr_text_result_t r;
    /* 2^32 + 22 wraps to 22 in Go's Version(uint32) conversion. */
    assert_int_equal(to_wire(S("Trace Go1.4294967318\n"), &r), GTR_TEXT_OK);
    expect_out(&r, "go 1.22 trace\0\0\0", 16);
    gtr_text_result_free(&r);
    assert_int_equal(to_wire(S("Trace Go1.24\n"), &r), GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "unknown or unsupported Go version 1.24");
    gtr_text_result_free(&r);
    assert_int_equal(to_wire(S("Trace Go1.x\n"), &r), GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "failed to parse header Go version: strconv.ParseUint: "
                               "parsing \"x\": invalid syntax");
    gtr_text_result_free(&r);
}

static void lines_longer_than_go_buffers_are_refused(void **state)
{
    (void)state;
    size_t n = 13 + 65536 + 1; /* header, a comment line of 65536 bytes, "\n" */
    uint8_t *in = malloc(n);
    memcpy(in, "Trace Go1.22\n#", 14);
    memset(in + 14, 'x', n - 14);
    in[n - 1] = '\n';
    gtr_text_result_t r;
    assert_int_equal(to_wire(in, n, &r), GTR_TEXT_ERR_SYNTAX); /* 65536 bytes */
    assert_string_equal(r.msg, "bufio.Scanner: token too long");
    gtr_text_result_free(&r);
    in[n - 2] = '\n'; /* 65535 bytes, then a line "\n" */
    assert_int_equal(to_wire(in, n, &r), GTR_TEXT_OK);
    gtr_text_result_free(&r);
    free(in);
}

static void data_literals_follow_go_unquote(void **state)
{
    (void)state;
    gtr_text_result_t r;
    assert_int_equal(to_wire(S("Trace Go1.22\nString id=1\n data = `a\rb` \n"
                               "String id=2\ndata='\\''\nString id=3\ndata=\"\\u00e9\\101\"\n"),
                             &r),
                     GTR_TEXT_OK);
    expect_out(&r, "go 1.22 trace\0\0\0\x05\x01\x02" "ab\x05\x02\x01'\x05\x03\x03\xc3\xa9" "A",
               16 + 5 + 4 + 6);
    gtr_text_result_free(&r);
    assert_int_equal(to_wire(S("Trace Go1.22\nString id=1\ndata=\"\\ud800\"\n"), &r),
                     GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "failed to parse data: \"data=\\\"\\\\ud800\\\"\": invalid syntax");
    gtr_text_result_free(&r);
}

static void data_is_quoted_as_go_quotes(void **state)
{
    (void)state;
    const uint8_t in[] = "go 1.22 trace\0\0\0\x05\x01\x0a"
                         "\x00\a\"\\\xc3\xa9\xff\xc2\x85\x7f";
    gtr_text_result_t r;
    assert_int_equal(to_text(in, sizeof in - 1, &r), GTR_TEXT_OK);
    static const char want[] = "Trace Go1.22\nString id=1\n"
                               "\tdata=\"\\x00\\a\\\"\\\\\xc3\xa9\\xff\\u0085\\x7f\"\n";
    expect_out(&r, want, sizeof want - 1);
    gtr_text_result_free(&r);
}

static void wire_quirks_match_go(void **state)
{
    (void)state;
    gtr_text_result_t r;
    /* An empty data trailer prints no data line; a trace cut where an
     * argument would start ends cleanly. */
    assert_int_equal(to_text(S("go 1.22 trace\0\0\0\x05\x01\x00\x08"), &r), GTR_TEXT_OK);
    expect_out(&r, "Trace Go1.22\nString id=1\n", 25);
    gtr_text_result_free(&r);
    /* A frame count of 2^63 is negative as a Go int: no frames. */
    assert_int_equal(to_text(S("go 1.22 trace\0\0\0\x03\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"),
                             &r),
                     GTR_TEXT_OK);
    expect_out(&r, "Trace Go1.22\nStack id=1 nframes=9223372036854775808\n", 52);
    gtr_text_result_free(&r);
    /* go1.26's table has unnamed entries below the experimental events. */
    assert_int_equal(to_text(S("go 1.26 trace\0\0\0\x40"), &r), GTR_TEXT_OK);
    expect_out(&r, "Trace Go1.26\n\n", 14);
    gtr_text_result_free(&r);
    assert_int_equal(to_text(S("go 1.22 trace\0\0\0\x2d"), &r), GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "invalid event type: 45");
    gtr_text_result_free(&r);
    assert_int_equal(to_text(S("go 1.22 trace\0\0\0\x08\x80"), &r), GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "unexpected EOF");
    gtr_text_result_free(&r);
}

static void wire_header_is_scanned_as_fscanf_does(void **state)
{
    (void)state;
    gtr_text_result_t r;
    assert_int_equal(to_text(S("go\xc2\xa0 1.  0023\ttrace\0\0\0"), &r), GTR_TEXT_OK);
    expect_out(&r, "Trace Go1.23\n", 13);
    gtr_text_result_free(&r);
    assert_int_equal(to_text(S("go 1.22trace\0\0\0"), &r), GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "bad file format: not a Go execution trace?");
    gtr_text_result_free(&r);
    assert_int_equal(to_text(S("go 1.24 trace\0\0\0"), &r), GTR_TEXT_ERR_SYNTAX);
    assert_string_equal(r.msg, "unknown or unsupported trace version go 1.24");
    gtr_text_result_free(&r);
}

static void every_truncation_is_handled(void **state)
{
    (void)state;
    for (size_t n = 0; n < sizeof sample_wire - 1; n++) {
        gtr_text_result_t r;
        gtr_text_status_t st = to_text(sample_wire, n, &r);
        assert_true(st == GTR_TEXT_OK || st == GTR_TEXT_ERR_SYNTAX);
        gtr_text_result_free(&r);
    }
    for (size_t n = 0; n < sizeof sample_text - 1; n++) {
        gtr_text_result_t r;
        gtr_text_status_t st = to_wire((const uint8_t *)sample_text, n, &r);
        assert_true(st == GTR_TEXT_OK || st == GTR_TEXT_ERR_SYNTAX);
        gtr_text_result_free(&r);
    }
}

static void output_limit_is_enforced(void **state)
{
    (void)state;
    gtr_text_options_t o = {.max_output = 20};
    gtr_text_result_t r;
    assert_int_equal(gtr_wire_to_text(sample_wire, sizeof sample_wire - 1, &o, &r),
                     GTR_TEXT_ERR_LIMIT);
    assert_null(r.out);
    gtr_text_result_free(&r);
    assert_int_equal(gtr_text_to_wire(S(sample_text), &o, &r), GTR_TEXT_ERR_LIMIT);
    assert_null(r.out);
    gtr_text_result_free(&r);
}

static void text_is_detected_by_its_first_token(void **state)
{
    (void)state;
    assert_true(gtr_text_detect(S("# comment\n\n  Trace Go1.22\n")));
    assert_false(gtr_text_detect(S("go 1.22 trace\0\0\0")));
    assert_false(gtr_text_detect(S("Tracey Go1.22\n")));
    assert_false(gtr_text_detect(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_and_wire_convert_both_ways),
        cmocka_unit_test(blank_lines_comments_and_spaces_are_skipped),
        cmocka_unit_test(errors_carry_go_messages_and_partial_output),
        cmocka_unit_test(header_version_is_a_uint32_as_in_go),
        cmocka_unit_test(lines_longer_than_go_buffers_are_refused),
        cmocka_unit_test(data_literals_follow_go_unquote),
        cmocka_unit_test(data_is_quoted_as_go_quotes),
        cmocka_unit_test(wire_quirks_match_go),
        cmocka_unit_test(wire_header_is_scanned_as_fscanf_does),
        cmocka_unit_test(every_truncation_is_handled),
        cmocka_unit_test(output_limit_is_enforced),
        cmocka_unit_test(text_is_detected_by_its_first_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
