/* test_order.c: the ordering state machine on hand-built go1.26 traces:
 * events that expand into several (GoSwitch, GoDestroySyscall), sequence
 * numbers that override timestamps, and the stuck error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* GoStart, GoStop, GoBlock and GoUnblock on a thread the ordering already
 * knows take a shorter path than the other events; each broken
 * precondition must still stop the trace with its handler's message, after
 * the same events. */
static void common_events_keep_every_check_of_their_handlers(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        bool proc, run_g1, syscall_g1;
        uint8_t typ;
        uint64_t arg;
        const char *msg;
    } cases[] = {
        {"start on a busy thread", true, true, false, GTR_EV_GO_START, 2,
         "expected no goroutine but had one"},
        {"start without a proc", false, false, false, GTR_EV_GO_START, 2,
         "expected a proc but didn't have one"},
        {"block without a goroutine", true, false, false, GTR_EV_GO_BLOCK, 0,
         "expected a goroutine but didn't have one"},
        {"stop without a proc", false, true, false, GTR_EV_GO_STOP, 0,
         "expected a proc but didn't have one"},
        {"block of a goroutine in a syscall", true, false, true, GTR_EV_GO_BLOCK, 0,
         "GoBlock event for goroutine that's not Running"},
        {"unblock of a goroutine that is not waiting", true, true, false, GTR_EV_GO_UNBLOCK, 1,
         "failed to advance"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_t b = {{0}, 0}, d = {{0}, 0};
        start(&b);
        size_t before = 2; /* Sync and the ordering's first event */
        /* The thread's first event; the next ones take the short path. */
        if (cases[i].proc) {
            ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)0, (uint64_t)1);
        } else {
            ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)0, (uint64_t)2); /* idle */
        }
        if (cases[i].run_g1) {
            ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)1, (uint64_t)1, (uint64_t)2);
            before++;
        }
        if (cases[i].syscall_g1) {
            ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)1, (uint64_t)1, (uint64_t)3);
            before++;
        }
        ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)2, UINT64_MAX, (uint64_t)1); /* runnable */
        before++;
        if (cases[i].typ == GTR_EV_GO_START) {
            ev(&d, GTR_EV_GO_START, 1, 2, cases[i].arg, (uint64_t)1);
        } else if (cases[i].typ == GTR_EV_GO_UNBLOCK) {
            ev(&d, GTR_EV_GO_UNBLOCK, 1, 3, cases[i].arg, (uint64_t)1, (uint64_t)0);
        } else {
            ev(&d, cases[i].typ, 1, 2, (uint64_t)0, (uint64_t)0);
        }
        batch(&b, 1, 100, &d);
        u8(&b, GTR_EV_END_OF_GENERATION);
        got_t o;
        run(&b, &o);
        if (strstr(o.msg, cases[i].msg) == NULL || o.n != before) {
            fail_msg("%s: %zu events (want %zu), then %s", cases[i].what, o.n, before, o.msg);
        }
        assert_true(o.rc != GTR_OK && o.rc != GTR_EOF);
    }
}

/* Varints of every length, from one byte to ten, in an event's delta and
 * arguments, decode to the same values in the middle of a batch (where
 * short ones are read without bounds checks) and at its very end. */
static void varints_of_every_length_decode_anywhere_in_a_batch(void **state)
{
    (void)state;
    buf_t b = {{0}, 0}, d = {{0}, 0};
    start(&b);
    ev(&d, GTR_EV_PROC_STATUS, 0, 2, (uint64_t)0, (uint64_t)1);
    ev(&d, GTR_EV_GO_STATUS, 1, 3, (uint64_t)1, (uint64_t)1, (uint64_t)2);
    uint64_t g[10], dt[10];
    for (int k = 1; k <= 10; k++) {
        /* k bytes: the smallest value of that length, plus k. */
        g[k - 1] = k == 10 ? (uint64_t)1 << 63 : ((uint64_t)1 << (7 * (k - 1))) + (uint64_t)k;
        dt[k - 1] = k <= 5 ? ((uint64_t)1 << (7 * (k - 1))) + 1 : (uint64_t)k;
        ev(&d, GTR_EV_GO_CREATE, dt[k - 1], 3, g[k - 1], (uint64_t)0, (uint64_t)0);
    }
    batch(&b, 1, 100, &d);
    u8(&b, GTR_EV_END_OF_GENERATION);
    got_t o;
    run(&b, &o);
    assert_int_equal(o.rc, GTR_EOF);
    assert_int_equal(o.n, 14); /* Sync, 2 statuses, 10 creations, Sync */
    int64_t t = o.t[2];
    for (int k = 1; k <= 10; k++) {
        size_t i = 2 + (size_t)k;
        t += (int64_t)dt[k - 1];
        assert_int_equal(o.wire[i], GTR_EV_GO_CREATE);
        assert_int_equal((uint64_t)o.tr[i].resource.id, g[k - 1]);
        assert_int_equal(o.t[i], t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(go_switch_expands_to_unblock_block_start),
        cmocka_unit_test(destroying_a_cgo_goroutine_gives_up_its_proc),
        cmocka_unit_test(sequence_numbers_override_timestamps),
        cmocka_unit_test(a_trace_nobody_can_advance_is_stuck),
        cmocka_unit_test(common_events_keep_every_check_of_their_handlers),
        cmocka_unit_test(varints_of_every_length_decode_anywhere_in_a_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
