/* test_dump.c: the canonical dump's bytes for a small trace: stack
 * definitions before first use, numbering by content, escaping of strings
 * and messages, and the final line for ok, error and declined. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace.h"
#include "wire_builder.h"


static void batch(buf_t *b, uint64_t m, uint64_t ts, const buf_t *d)
{
    u8(b, GTR_EV_EVENT_BATCH);
    uv(b, 1);
    uv(b, m);
    uv(b, ts);
    uv(b, d->n);
    put(b, d->b, d->n);
}

static void str(buf_t *d, uint64_t id, const char *s, size_t n)
{
    u8(d, GTR_EV_STRING);
    uv(d, id);
    uv(d, n);
    put(d, s, n);
}

/* A go1.26 trace: strings, one stack, a goroutine that logs twice. */
static void small_trace(buf_t *b)
{
    put(b, "go 1.26 trace\0\0\0", 16);
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_SYNC);
    u8(&d, GTR_EV_FREQUENCY);
    uv(&d, 1000000000);
    u8(&d, GTR_EV_CLOCK_SNAPSHOT);
    uv(&d, 0); uv(&d, 42); uv(&d, 1700000000); uv(&d, 5);
    batch(b, 0, 10, &d);
    d.n = 0;
    u8(&d, GTR_EV_STRINGS);
    str(&d, 1, "main.f", 6);
    str(&d, 2, "a\"b\\c\n", 6);
    str(&d, 3, "cat", 3);
    batch(b, 0, 10, &d);
    d.n = 0;
    u8(&d, GTR_EV_STACKS);
    u8(&d, GTR_EV_STACK); uv(&d, 1); uv(&d, 1);
    uv(&d, 0x401000); uv(&d, 1); uv(&d, 2); uv(&d, 7);
    batch(b, 0, 10, &d);
    d.n = 0;
    u8(&d, GTR_EV_PROC_STATUS); uv(&d, 0); uv(&d, 0); uv(&d, 1);
    u8(&d, GTR_EV_GO_STATUS); uv(&d, 1); uv(&d, 1); uv(&d, 1); uv(&d, 2);
    u8(&d, GTR_EV_USER_LOG); uv(&d, 1); uv(&d, 0); uv(&d, 3); uv(&d, 2); uv(&d, 1);
    u8(&d, GTR_EV_USER_LOG); uv(&d, 1); uv(&d, 0); uv(&d, 3); uv(&d, 2); uv(&d, 1);
    batch(b, 1, 100, &d);
    u8(b, GTR_EV_END_OF_GENERATION);
}

static void dump_to_string(const buf_t *b, char *out, size_t cap, int *rc)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    *rc = gtr_dump_buffer(b->b, b->n, NULL, f);
    rewind(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
}

static void small_trace_dumps_exactly(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    small_trace(&b);
    char out[4096];
    int rc;
    dump_to_string(&b, out, sizeof out, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out,
        "Sync T=10 M=-1 P=-1 G=-1 N=1 trace=10 wall=1700000000.000000005 mono=42\n"
        "StateTransition T=100 M=1 P=-1 G=-1 res=Proc(0) from=Undetermined to=Running reason=\"\"\n"
        "StateTransition T=101 M=1 P=0 G=-1 res=Goroutine(1) from=Undetermined to=Running "
        "reason=\"\"\n"
        "stack 1 1\n"
        "\tframe 0x401000 \"main.f\" \"a\\x22b\\x5cc\\x0a\" 7\n"
        "Log T=102 M=1 P=0 G=1 task=0 cat=\"cat\" msg=\"a\\x22b\\x5cc\\x0a\" stk=1\n"
        "Log T=103 M=1 P=0 G=1 task=0 cat=\"cat\" msg=\"a\\x22b\\x5cc\\x0a\" stk=1\n"
        "Sync T=104 M=-1 P=-1 G=-1 N=2\n"
        "ok\n");
}

static void error_and_declined_lines(void **state)
{
    (void)state;
    char out[4096];
    int rc;
    buf_t b = {{0}, 0};
    put(&b, "not a trace", 11);
    dump_to_string(&b, out, sizeof out, &rc);
    assert_int_equal(rc, 1);
    assert_string_equal(out, "error: bad file format: not a Go execution trace?\n");
    b.n = 0;
    put(&b, "go 1.21 trace\0\0\0", 16);
    dump_to_string(&b, out, sizeof out, &rc);
    assert_int_equal(rc, 1);
    assert_memory_equal(out, "declined: ", 10);
}

static void messages_stay_on_one_line(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    gtr_dumper_t *d = gtr_dumper_new(f, NULL);
    assert_non_null(d);
    assert_int_equal(gtr_dumper_end(d, GTR_ERR_STUCK, "a\nb\\c \"q\""), 1);
    gtr_dumper_free(d);
    rewind(f);
    char out[128];
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    fclose(f);
    assert_string_equal(out, "error: a\\x0ab\\x5cc \"q\"\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_trace_dumps_exactly),
        cmocka_unit_test(error_and_declined_lines),
        cmocka_unit_test(messages_stay_on_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
