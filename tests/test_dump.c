/* test_dump.c: the canonical dump's bytes for a small trace: stack
 * definitions before first use, numbering by content (also when the next
 * generation gives the same IDs other frames), escaping of strings and
 * messages, and the final line for ok, error and declined. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace.h"
#include "wire_builder.h"


static void gen_batch(buf_t *b, uint64_t gen, uint64_t m, uint64_t ts, const buf_t *d)
{
    u8(b, GTR_EV_EVENT_BATCH);
    uv(b, gen);
    uv(b, m);
    uv(b, ts);
    uv(b, d->n);
    put(b, d->b, d->n);
}

static void batch(buf_t *b, uint64_t m, uint64_t ts, const buf_t *d)
{
    gen_batch(b, 1, m, ts, d);
}

static void str(buf_t *d, uint64_t id, const char *s, size_t n)
{
    u8(d, GTR_EV_STRING);
    uv(d, id);
    uv(d, n);
    put(d, s, n);
}

/* Generation gen's sync batch: 1 GHz, a clock snapshot. */
static void sync_batch(buf_t *b, uint64_t gen, uint64_t ts)
{
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_SYNC);
    u8(&d, GTR_EV_FREQUENCY);
    uv(&d, 1000000000);
    u8(&d, GTR_EV_CLOCK_SNAPSHOT);
    uv(&d, 0); uv(&d, 42); uv(&d, 1700000000); uv(&d, 5);
    gen_batch(b, gen, 0, ts, &d);
}

/* A go1.26 trace: strings, one stack, a goroutine that logs twice. */
static void small_trace(buf_t *b)
{
    put(b, "go 1.26 trace\0\0\0", 16);
    sync_batch(b, 1, 10);
    buf_t d = {{0}, 0};
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

/* Generation gen of a go1.26 trace whose stack IDs 1 and 2 hold the
 * frames of main.f and main.g, or the other way round when swapped; the
 * running goroutine logs with stack 1, then with stack 2. */
static void two_stacks_generation(buf_t *b, uint64_t gen, uint64_t ts, bool swapped)
{
    sync_batch(b, gen, ts);
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_STRINGS);
    str(&d, 1, "main.f", 6);
    str(&d, 2, "main.g", 6);
    str(&d, 3, "x.go", 4);
    gen_batch(b, gen, 0, ts, &d);
    d.n = 0;
    u8(&d, GTR_EV_STACKS);
    for (uint64_t id = 1; id <= 2; id++) {
        uint64_t which = swapped ? 3 - id : id; /* 1: main.f, 2: main.g */
        u8(&d, GTR_EV_STACK); uv(&d, id); uv(&d, 1);
        uv(&d, 0x401000 * which); uv(&d, which); uv(&d, 3); uv(&d, 10 * which);
    }
    gen_batch(b, gen, 0, ts, &d);
    d.n = 0;
    u8(&d, GTR_EV_PROC_STATUS); uv(&d, 0); uv(&d, 0); uv(&d, 1);
    u8(&d, GTR_EV_GO_STATUS); uv(&d, 1); uv(&d, 1); uv(&d, 1); uv(&d, 2);
    u8(&d, GTR_EV_USER_LOG); uv(&d, 1); uv(&d, 0); uv(&d, 3); uv(&d, 3); uv(&d, 1);
    u8(&d, GTR_EV_USER_LOG); uv(&d, 1); uv(&d, 0); uv(&d, 3); uv(&d, 3); uv(&d, 2);
    gen_batch(b, gen, 1, ts + 90, &d);
    u8(b, GTR_EV_END_OF_GENERATION);
}

static void stack_ids_are_numbered_by_content_in_every_generation(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    put(&b, "go 1.26 trace\0\0\0", 16);
    two_stacks_generation(&b, 1, 10, false);
    two_stacks_generation(&b, 2, 1000, true);
    two_stacks_generation(&b, 3, 2000, false);
    char out[8192];
    int rc;
    dump_to_string(&b, out, sizeof out, &rc);
    assert_int_equal(rc, 0);
    /* Defined once each, in the first generation. */
    assert_non_null(strstr(out, "stack 1 1\n\tframe 0x401000 \"main.f\" \"x.go\" 10\n"));
    assert_non_null(strstr(out, "stack 2 1\n\tframe 0x802000 \"main.g\" \"x.go\" 20\n"));
    assert_null(strstr(out, "stack 3"));
    /* The stk= of each Log line, in order: IDs 1, 2 in every generation,
     * whose frames swap in the second. */
    char stks[16] = {0};
    size_t n = 0;
    for (const char *p = out; (p = strstr(p, "Log ")) != NULL && n + 1 < sizeof stks; p++) {
        const char *k = strstr(p, " stk=");
        assert_non_null(k);
        stks[n++] = k[5];
    }
    assert_string_equal(stks, "122112");
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
        cmocka_unit_test(stack_ids_are_numbered_by_content_in_every_generation),
        cmocka_unit_test(error_and_declined_lines),
        cmocka_unit_test(messages_stay_on_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
