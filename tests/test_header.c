/* test_header.c: the header is accepted and rejected exactly as Go's
 * fmt.Fscanf("go 1.%d trace\x00\x00\x00") does, with Go's messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace.h"

/* Opens a reader on a header (plus nothing) and returns its status. */
static int open_status(const char *hdr, size_t len, char *msg, size_t cap)
{
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, (const uint8_t *)hdr, len, NULL);
    assert_non_null(r);
    snprintf(msg, cap, "%s", gtr_reader_error(r));
    gtr_reader_free(r);
    return rc;
}

#define OPEN(lit, msg) open_status((lit), sizeof(lit) - 1, (msg), sizeof(msg))

static void canonical_headers_of_every_v2_version_open(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(OPEN("go 1.22 trace\0\0\0", msg), GTR_OK);
    assert_int_equal(OPEN("go 1.23 trace\0\0\0", msg), GTR_OK);
    assert_int_equal(OPEN("go 1.25 trace\0\0\0", msg), GTR_OK);
    assert_int_equal(OPEN("go 1.26 trace\0\0\0", msg), GTR_OK);
}

static void fscanf_spacing_is_accepted(void **state)
{
    (void)state;
    char msg[256];
    /* Runs of spaces, tabs and Unicode spaces stand for one space; space
     * may precede the number; leading zeros are fine. */
    assert_int_equal(OPEN("go \t 1.22 trace\0\0\0", msg), GTR_OK);
    assert_int_equal(OPEN("go\xc2\xa0" "1.26\xe3\x80\x80trace\0\0\0", msg), GTR_OK);
    assert_int_equal(OPEN("go 1.  026 trace\0\0\0", msg), GTR_OK);
}

static void malformed_headers_are_not_traces(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(OPEN("go1.22 trace\0\0\0", msg), GTR_ERR_HEADER);
    assert_string_equal(msg, "bad file format: not a Go execution trace?");
    assert_int_equal(OPEN("go 1.22 trace\0\0", msg), GTR_ERR_HEADER);
    assert_int_equal(OPEN("go\n1.22 trace\0\0\0", msg), GTR_ERR_HEADER);
    assert_int_equal(OPEN("go 1.+22 trace\0\0\0", msg), GTR_ERR_HEADER);
    assert_int_equal(OPEN("go 1.4294967296 trace\0\0\0", msg), GTR_ERR_HEADER);
    assert_int_equal(OPEN("", msg), GTR_ERR_HEADER);
}

static void unknown_versions_name_the_version(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(OPEN("go 1.24 trace\0\0\0", msg), GTR_ERR_VERSION);
    assert_string_equal(msg, "unknown or unsupported trace version go 1.24");
    assert_int_equal(OPEN("go 1.4294967295 trace\0\0\0", msg), GTR_ERR_VERSION);
    assert_string_equal(msg, "unknown or unsupported trace version go 1.4294967295");
}

static void v1_versions_are_declined(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(OPEN("go 1.11 trace\0\0\0", msg), GTR_ERR_DECLINED);
    assert_int_equal(OPEN("go 1.19 trace\0\0\0", msg), GTR_ERR_DECLINED);
    assert_int_equal(OPEN("go 1.21 trace\0\0\0", msg), GTR_ERR_DECLINED);
    assert_true(gtr_status_is_declined(GTR_ERR_DECLINED));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(canonical_headers_of_every_v2_version_open),
        cmocka_unit_test(fscanf_spacing_is_accepted),
        cmocka_unit_test(malformed_headers_are_not_traces),
        cmocka_unit_test(unknown_versions_name_the_version),
        cmocka_unit_test(v1_versions_are_declined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
