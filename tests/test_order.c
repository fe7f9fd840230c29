/* test_order.c: the ordering state machine on hand-built go1.26 traces:
 * events that expand into several (GoSwitch, GoDestroySyscall), sequence
 * numbers that override timestamps, and the stuck error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace.h"
#include "wire_builder.h"


/* An event: type, delta, then its arguments. */
static void ev(buf_t *d, uint8_t typ, uint64_t dt, int n, ...)
{
    va_list ap;
    u8(d, typ);
    uv(d, dt);
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        uv(d, va_arg(ap, uint64_t));
    }
    va_end(ap);
}

static void batch(buf_t *b, uint64_t m, uint64_t ts, const buf_t *d)
{
    u8(b, GTR_EV_EVENT_BATCH);
    uv(b, 1);
    uv(b, m);
    uv(b, ts);
    uv(b, d->n);
    put(b, d->b, d->n);
}

static void start(buf_t *b)
{
    put(b, "go 1.26 trace\0\0\0", 16);
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_SYNC);
    u8(&d, GTR_EV_FREQUENCY);
    uv(&d, 1000000000);
    u8(&d, GTR_EV_CLOCK_SNAPSHOT);
    uv(&d, 0); uv(&d, 0); uv(&d, 0); uv(&d, 0);
    batch(b, 0, 1, &d);
}

typedef struct got {
    size_t n;
    unsigned wire[32];
    int64_t t[32], g[32], p[32];
    gtr_transition_t tr[32];
    int rc;
    char msg[4096];
} got_t;

static void run(const buf_t *b, got_t *o)
{
    gtr_reader_t *r;
    const gtr_event_t *e;
    memset(o, 0, sizeof *o);
    o->rc = gtr_reader_open_buffer(&r, b->b, b->n, NULL);
    while (o->rc == GTR_OK && (o->rc = gtr_reader_next(r, &e)) == GTR_OK) {
        if (o->n < 32) {
            o->wire[o->n] = gtr_event_wire_type(e);
            o->t[o->n] = gtr_event_time(e);
            o->g[o->n] = gtr_event_goroutine(e);
            o->p[o->n] = gtr_event_proc(e);
            gtr_event_transition(e, &o->tr[o->n]);
        }
        o->n++;
    }
    snprintf(o->msg, sizeof o->msg, "%s", gtr_reader_error(r));
    gtr_reader_free(r);
}

static void go_switch_expands_to_unblock_block_start(void **state)
{
    (void)state;
    buf_t b = {{0}, 0}, d = {{0}, 0};
    start(&b);
    ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)0, (uint64_t)1);
    ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)1, (uint64_t)1, (uint64_t)2);
    ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)2, UINT64_MAX, (uint64_t)4);
    ev(&d, GTR_EV_GO_SWITCH, 1, 2, (uint64_t)2, (uint64_t)1);
    batch(&b, 1, 100, &d);
    u8(&b, GTR_EV_END_OF_GENERATION);
    got_t o;
    run(&b, &o);
    assert_int_equal(o.rc, GTR_EOF);
    assert_int_equal(o.n, 8); /* Sync, 3 statuses, switch as 3, Sync */
    assert_int_equal(o.wire[4], GTR_EV_GO_SWITCH);
    assert_int_equal(o.tr[4].resource.id, 2);
    assert_int_equal(o.tr[4].from, GTR_GO_WAITING);
    assert_int_equal(o.tr[4].to, GTR_GO_RUNNABLE);
    assert_int_equal(o.wire[5], GTR_EV_GO_BLOCK);
    assert_int_equal(o.tr[5].resource.id, 1);
    assert_int_equal(o.tr[5].to, GTR_GO_WAITING);
    assert_int_equal(o.wire[6], GTR_EV_GO_START);
    assert_int_equal(o.g[6], GTR_NO_GOROUTINE);
    assert_int_equal(o.tr[6].resource.id, 2);
    /* All three share one timestamp, then forced apart. */
    assert_int_equal(o.t[5], o.t[4] + 1);
    assert_int_equal(o.t[6], o.t[4] + 2);
}

static void destroying_a_cgo_goroutine_gives_up_its_proc(void **state)
{
    (void)state;
    buf_t b = {{0}, 0}, d = {{0}, 0};
    start(&b);
    ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)0, (uint64_t)1);
    ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)1, (uint64_t)1, (uint64_t)2);
    ev(&d, GTR_EV_GO_SYSCALL_BEGIN, 1, 2, (uint64_t)1, (uint64_t)0);
    ev(&d, GTR_EV_GO_DESTROY_SYSCALL, 1, 0);
    batch(&b, 1, 100, &d);
    u8(&b, GTR_EV_END_OF_GENERATION);
    got_t o;
    run(&b, &o);
    assert_int_equal(o.rc, GTR_EOF);
    assert_int_equal(o.wire[4], GTR_EV_PROC_STEAL);
    assert_int_equal(o.tr[4].resource.kind, GTR_RESOURCE_PROC);
    assert_int_equal(o.tr[4].from, GTR_PROC_RUNNING);
    assert_int_equal(o.tr[4].to, GTR_PROC_IDLE);
    assert_int_equal(o.wire[5], GTR_EV_GO_DESTROY_SYSCALL);
    assert_int_equal(o.tr[5].from, GTR_GO_SYSCALL);
    assert_int_equal(o.tr[5].to, GTR_GO_NOT_EXIST);
}

static void sequence_numbers_override_timestamps(void **state)
{
    (void)state;
    buf_t b = {{0}, 0}, d = {{0}, 0};
    start(&b);
    /* M1 runs g1 and unblocks g2 at t=200; M2 starts g2 at t=150. */
    ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)0, (uint64_t)1);
    ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)1, (uint64_t)1, (uint64_t)2);
    ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)2, UINT64_MAX, (uint64_t)4);
    ev(&d, GTR_EV_GO_UNBLOCK, 98, 3, (uint64_t)2, (uint64_t)1, (uint64_t)0);
    batch(&b, 1, 100, &d);
    d.n = 0;
    ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)1, (uint64_t)1);
    ev(&d, GTR_EV_GO_START, 50, 2, (uint64_t)2, (uint64_t)2);
    batch(&b, 2, 100, &d);
    u8(&b, GTR_EV_END_OF_GENERATION);
    got_t o;
    run(&b, &o);
    assert_int_equal(o.rc, GTR_EOF);
    size_t unblock = 0, startev = 0;
    for (size_t i = 0; i < o.n && i < 32; i++) {
        if (o.wire[i] == GTR_EV_GO_UNBLOCK) unblock = i;
        if (o.wire[i] == GTR_EV_GO_START) startev = i;
    }
    assert_true(unblock != 0 && startev == unblock + 1);
    assert_int_equal(o.t[unblock], 200);
    assert_int_equal(o.t[startev], 201);
}

static void a_trace_nobody_can_advance_is_stuck(void **state)
{
    (void)state;
    buf_t b = {{0}, 0}, d = {{0}, 0};
    start(&b);
    /* g1 is created nowhere yet started with sequence 1. */
    ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)0, (uint64_t)1);
    ev(&d, GTR_EV_GO_START, 1, 2, (uint64_t)1, (uint64_t)1);
    batch(&b, 1, 100, &d);
    u8(&b, GTR_EV_END_OF_GENERATION);
    got_t o;
    run(&b, &o);
    assert_int_equal(o.rc, GTR_ERR_STUCK);
    assert_int_equal(o.n, 2);
    assert_string_equal(gtr_error_class(o.msg), "broken trace: failed to advance");
    assert_non_null(strstr(o.msg, "[gen=1]\n\nM 1 [GoStart time=101 g=1 g_seq=1]\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(go_switch_expands_to_unblock_block_start),
        cmocka_unit_test(destroying_a_cgo_goroutine_gives_up_its_proc),
        cmocka_unit_test(sequence_numbers_override_timestamps),
        cmocka_unit_test(a_trace_nobody_can_advance_is_stuck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
