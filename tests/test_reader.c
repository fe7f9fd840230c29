/* test_reader.c: the pull loop end to end on small hand-built traces: the
 * events and times Go's reader yields, where it puts Sync events, how it
 * holds an error behind a Sync, the bare-EOF quirk, streams, the allocator
 * hook and the limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace.h"
#include "wire_builder.h"

/* ------------------------------------------------------- trace builder */


static void batch(buf_t *b, uint64_t gen, uint64_t m, uint64_t ts, const buf_t *data)
{
    u8(b, GTR_EV_EVENT_BATCH);
    uv(b, gen);
    uv(b, m);
    uv(b, ts);
    uv(b, data->n);
    put(b, data->b, data->n);
}

/* Sync batch: go1.25+ form (Sync, Frequency, ClockSnapshot) or the older
 * lone Frequency. */
static void sync_batch(buf_t *b, int ver, uint64_t gen, uint64_t freq)
{
    buf_t d = {{0}, 0};
    if (ver >= 25) {
        u8(&d, GTR_EV_SYNC);
    }
    u8(&d, GTR_EV_FREQUENCY);
    uv(&d, freq);
    if (ver >= 25) {
        u8(&d, GTR_EV_CLOCK_SNAPSHOT);
        uv(&d, 5);          /* dt */
        uv(&d, 777);        /* mono */
        uv(&d, 1700000000); /* sec */
        uv(&d, 123);        /* nsec */
    }
    batch(b, gen, 0, 10, &d);
}

/* Proc 0 running and goroutine 1 running on it: ProcStatus, GoStatus. */
static void running_g(buf_t *d)
{
    u8(d, GTR_EV_PROC_STATUS); uv(d, 0); uv(d, 0); uv(d, 1);
    u8(d, GTR_EV_GO_STATUS); uv(d, 1); uv(d, 1); uv(d, 1); uv(d, 2);
}

/* One proc and one goroutine that stops: ProcStatus, GoStatus, GoStop. */
static void events(buf_t *b, uint64_t gen, uint64_t ts)
{
    buf_t d = {{0}, 0};
    running_g(&d);
    u8(&d, GTR_EV_GO_STOP); uv(&d, 5); uv(&d, 0); uv(&d, 0);
    batch(b, gen, 1, ts, &d);
}

/* ------------------------------------------------------------- helpers */

typedef struct ev_rec {
    gtr_kind_t kind;
    int64_t t, g, p, m;
} ev_rec_t;

/* Reads everything; returns the final status and fills recs. */
static int read_all(const buf_t *b, const gtr_options_t *o, ev_rec_t *recs, size_t *n,
                    char *msg, size_t cap)
{
    gtr_reader_t *r;
    int rc = gtr_reader_open_buffer(&r, b->b, b->n, o);
    const gtr_event_t *ev;
    *n = 0;
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        if (*n < 32) {
            recs[*n] = (ev_rec_t){gtr_event_kind(ev), gtr_event_time(ev), gtr_event_goroutine(ev),
                                  gtr_event_proc(ev), gtr_event_thread(ev)};
        }
        (*n)++;
    }
    snprintf(msg, cap, "%s", gtr_reader_error(r));
    /* An error is final. */
    assert_int_equal(gtr_reader_next(r, &ev), rc);
    gtr_reader_free(r);
    return rc;
}

/* ---------------------------------------------------------------- tests */

static void go126_generation_yields_syncs_around_ordered_events(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 1000000000);
    events(&b, 1, 100);
    u8(&b, GTR_EV_END_OF_GENERATION);
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    assert_int_equal(read_all(&b, NULL, e, &n, msg, sizeof msg), GTR_EOF);
    assert_int_equal(n, 5);
    assert_int_equal(e[0].kind, GTR_KIND_SYNC);
    assert_int_equal(e[0].t, 10); /* the generation's earliest batch time */
    assert_int_equal(e[1].kind, GTR_KIND_STATE_TRANSITION);
    assert_int_equal(e[1].t, 100);
    assert_int_equal(e[2].t, 101);
    assert_int_equal(e[2].m, 1);
    assert_int_equal(e[2].p, 0);
    assert_int_equal(e[3].t, 106);
    assert_int_equal(e[3].g, 1);
    assert_int_equal(e[4].kind, GTR_KIND_SYNC);
    assert_int_equal(e[4].t, 107); /* forced past the last event */
}

static void status_after_the_end_stays_eof(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 1000000000);
    events(&b, 1, 100);
    u8(&b, GTR_EV_END_OF_GENERATION);
    gtr_reader_t *r;
    const gtr_event_t *ev;
    int rc = gtr_reader_open_buffer(&r, b.b, b.n, NULL);
    assert_int_equal(gtr_reader_status(r), GTR_OK);
    while (rc == GTR_OK) {
        rc = gtr_reader_next(r, &ev);
    }
    assert_int_equal(rc, GTR_EOF);
    assert_int_equal(gtr_reader_status(r), GTR_EOF);
    assert_int_equal(gtr_reader_next(r, &ev), GTR_EOF);
    assert_null(ev);
    assert_int_equal(gtr_reader_status(r), GTR_EOF);
    gtr_reader_free(r);
}

static void go122_generations_are_found_by_spilling(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 22);
    sync_batch(&b, 22, 1, 1000000000);
    events(&b, 1, 100);
    sync_batch(&b, 22, 2, 1000000000);
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_PROC_STATUS); uv(&d, 0); uv(&d, 0); uv(&d, 1);
    batch(&b, 2, 1, 200, &d);
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    assert_int_equal(read_all(&b, NULL, e, &n, msg, sizeof msg), GTR_EOF);
    /* Sync, 3 events, Sync, ProcStatus, final Sync. */
    assert_int_equal(n, 7);
    assert_int_equal(e[4].kind, GTR_KIND_SYNC);
    assert_int_equal(e[5].t, 200);
    assert_int_equal(e[6].kind, GTR_KIND_SYNC);
}

static void generation_errors_wait_behind_a_sync(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    events(&b, 1, 100); /* no sync batch: no frequency */
    u8(&b, GTR_EV_END_OF_GENERATION);
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    assert_int_equal(read_all(&b, NULL, e, &n, msg, sizeof msg), GTR_ERR_GENERATION);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].kind, GTR_KIND_SYNC);
    assert_string_equal(msg, "no frequency event found");
}

static void empty_traces_end_as_go_ends_them(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    header(&b, 26);
    assert_int_equal(read_all(&b, NULL, e, &n, msg, sizeof msg), GTR_EOF);
    assert_int_equal(n, 1);
    b.n = 0;
    header(&b, 22);
    assert_int_equal(read_all(&b, NULL, e, &n, msg, sizeof msg), GTR_ERR_GENERATION);
    assert_string_equal(msg, "no frequency event found");
}

static void a_bare_eof_inside_a_table_ends_the_trace_cleanly(void **state)
{
    (void)state;
    /* Go returns io.EOF itself for a strings batch cut inside; callers
     * take that for the end of the trace. */
    buf_t b = {{0}, 0};
    header(&b, 26);
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_STRINGS);
    u8(&d, GTR_EV_STRING);
    batch(&b, 1, 0, 10, &d);
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    assert_int_equal(read_all(&b, NULL, e, &n, msg, sizeof msg), GTR_EOF);
    assert_int_equal(n, 1);
}

static void ordering_errors_carry_go_phrases(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 1000000000);
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_PROC_STATUS); uv(&d, 0); uv(&d, 0); uv(&d, 9);
    batch(&b, 1, 1, 100, &d);
    u8(&b, GTR_EV_END_OF_GENERATION);
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    assert_int_equal(read_all(&b, NULL, e, &n, msg, sizeof msg), GTR_ERR_ORDER);
    assert_string_equal(msg, "invalid status for proc 0: 9");
    assert_int_equal(n, 1);
}

static void hostile_batch_size_is_refused_before_allocation(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    u8(&b, GTR_EV_EVENT_BATCH);
    uv(&b, 1);
    uv(&b, 1);
    uv(&b, 1);
    uv(&b, UINT64_MAX);
    while (b.n < 1024) {
        u8(&b, 0);
    }
    gtr_reader_t *r;
    assert_int_equal(gtr_reader_open_buffer(&r, b.b, b.n, NULL), GTR_OK);
    const gtr_event_t *ev;
    assert_int_equal(gtr_reader_next(r, &ev), GTR_OK); /* the Sync */
    assert_int_equal(gtr_reader_next(r, &ev), GTR_ERR_MALFORMED);
    assert_string_equal(gtr_reader_error(r),
                        "invalid batch size 18446744073709551615, maximum is 65536");
    assert_true(gtr_reader_peak_memory(r) < (1u << 20));
    gtr_reader_free(r);
}

/* A table batch that declares a huge string or stack; returns the reader's
 * final status, message and peak memory. */
static int hostile_table(uint8_t kind, char *msg, size_t cap, size_t *peak)
{
    buf_t b = {{0}, 0}, d = {{0}, 0};
    header(&b, 26);
    u8(&d, kind == GTR_EV_STRING ? GTR_EV_STRINGS : GTR_EV_STACKS);
    u8(&d, kind);
    uv(&d, 1);
    uv(&d, UINT64_C(1) << 40);
    batch(&b, 1, 0, 1, &d);
    while (b.n < 1024) {
        u8(&b, 0);
    }
    gtr_reader_t *r;
    const gtr_event_t *ev;
    int rc = gtr_reader_open_buffer(&r, b.b, b.n, NULL);
    while (rc == GTR_OK) {
        rc = gtr_reader_next(r, &ev);
    }
    snprintf(msg, cap, "%s", gtr_reader_error(r));
    *peak = gtr_reader_peak_memory(r);
    gtr_reader_free(r);
    return rc;
}

static void hostile_table_sizes_are_refused_before_allocation(void **state)
{
    (void)state;
    char msg[256];
    size_t peak;
    assert_int_equal(hostile_table(GTR_EV_STRING, msg, sizeof msg, &peak), GTR_ERR_MALFORMED);
    assert_string_equal(msg, "invalid string size 1099511627776, maximum is 1024");
    assert_true(peak < (1u << 20));
    assert_int_equal(hostile_table(GTR_EV_STACK, msg, sizeof msg, &peak), GTR_ERR_MALFORMED);
    assert_string_equal(msg, "invalid stack size 1099511627776, maximum is 128");
    assert_true(peak < (1u << 20));
}

/* ProcStatus p on thread m: one batch of its own at time ts. */
static void proc_status(buf_t *b, uint64_t m, uint64_t ts, uint64_t p, uint64_t status)
{
    buf_t d = {{0}, 0};
    u8(&d, GTR_EV_PROC_STATUS);
    uv(&d, 0);
    uv(&d, p);
    uv(&d, status);
    batch(b, 1, m, ts, &d);
}

/* Threads 1..bound claim proc 5 in a syscall, then thread 9 says the proc
 * was abandoned: the status is emitted in a bound thread's context. Returns
 * that event's thread and how many threads it could have come from. */
static void promoted_status_context(uint64_t bound, int64_t *m, size_t *choices)
{
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 1000000000);
    for (uint64_t t = 1; t <= bound; t++) {
        proc_status(&b, t, 100 + t, 5, 3 /* ProcSyscall */);
    }
    proc_status(&b, 9, 200, 5, 4 /* ProcSyscallAbandoned */);
    u8(&b, GTR_EV_END_OF_GENERATION);
    gtr_reader_t *r;
    assert_int_equal(gtr_reader_open_buffer(&r, b.b, b.n, NULL), GTR_OK);
    const gtr_event_t *ev;
    size_t n = 0;
    while (gtr_reader_next(r, &ev) == GTR_OK) {
        if (gtr_event_kind(ev) == GTR_KIND_STATE_TRANSITION) {
            n++;
            if (n <= bound) {
                assert_int_equal(gtr_event_ctx_choices(ev), 1);
            } else {
                *m = gtr_event_thread(ev);
                *choices = gtr_event_ctx_choices(ev);
            }
        }
    }
    assert_int_equal(gtr_reader_status(r), GTR_EOF);
    assert_int_equal(n, bound + 1);
    gtr_reader_free(r);
}

static void a_promoted_proc_status_counts_the_threads_it_could_come_from(void **state)
{
    (void)state;
    int64_t m = 0;
    size_t choices = 0;
    promoted_status_context(1, &m, &choices);
    assert_int_equal(m, 1);
    assert_int_equal(choices, 1);
    /* Go picks one of the three at random; this reader the last it saw. */
    promoted_status_context(3, &m, &choices);
    assert_int_equal(m, 3);
    assert_int_equal(choices, 3);
}

/* A frame limit far above any stack costs only the frames read: the
 * reader does not size anything by the limit itself. */
static void a_huge_frame_limit_allocates_only_what_is_read(void **state)
{
    (void)state;
    buf_t b = {{0}, 0}, d = {{0}, 0};
    header(&b, 26);
    u8(&d, GTR_EV_STACKS);
    for (uint64_t id = 1; id <= 3; id++) {
        u8(&d, GTR_EV_STACK);
        uv(&d, id);
        uv(&d, 4 * id); /* frames */
        for (uint64_t f = 0; f < 4 * id; f++) {
            uv(&d, 0x401000 + 16 * f); /* pc */
            uv(&d, 0);                 /* func: the empty string */
            uv(&d, 0);                 /* file */
            uv(&d, 10 + f);            /* line */
        }
    }
    batch(&b, 1, 0, 1, &d);
    sync_batch(&b, 26, 1, 1000000000);
    events(&b, 1, 100);
    u8(&b, GTR_EV_END_OF_GENERATION);
    ev_rec_t e[32];
    size_t n_default, n;
    char msg[512];
    assert_int_equal(read_all(&b, NULL, e, &n_default, msg, sizeof msg), GTR_EOF);
    const size_t limits[] = {(size_t)1 << 40, SIZE_MAX / 2, SIZE_MAX};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
        gtr_options_t o = gtr_options_default();
        o.max_frames_per_stack = limits[i];
        assert_int_equal(read_all(&b, &o, e, &n, msg, sizeof msg), GTR_EOF);
        assert_int_equal(n, n_default);
        gtr_reader_t *r;
        assert_int_equal(gtr_reader_open_buffer(&r, b.b, b.n, &o), GTR_OK);
        const gtr_event_t *ev;
        while (gtr_reader_next(r, &ev) == GTR_OK) {
        }
        assert_true(gtr_reader_peak_memory(r) < (1u << 20));
        gtr_reader_free(r);
    }
}

static void memory_limit_declines_instead_of_failing(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 1000000000);
    events(&b, 1, 100);
    u8(&b, GTR_EV_END_OF_GENERATION);
    gtr_options_t o = gtr_options_default();
    o.max_total_memory = 1 << 10; /* less than the reader itself */
    gtr_reader_t *r = NULL;
    assert_int_equal(gtr_reader_open_buffer(&r, b.b, b.n, &o), GTR_ERR_LIMIT);
    assert_null(r);
    /* Room for the reader but not for a generation's tables. */
    assert_int_equal(gtr_reader_open_buffer(&r, b.b, b.n, NULL), GTR_OK);
    o.max_total_memory = gtr_reader_peak_memory(r) + 256;
    gtr_reader_free(r);
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    int rc = read_all(&b, &o, e, &n, msg, sizeof msg);
    assert_int_equal(rc, GTR_ERR_LIMIT);
    assert_true(gtr_status_is_declined(rc));
    assert_memory_equal(msg, "resource limit", 14);
}

typedef struct counting {
    long live;
} counting_t;

static void *c_malloc(void *u, size_t n)
{
    ((counting_t *)u)->live++;
    return malloc(n);
}

static void *c_realloc(void *u, void *p, size_t n)
{
    if (p == NULL) {
        ((counting_t *)u)->live++;
    }
    return realloc(p, n);
}

static void c_free(void *u, void *p)
{
    if (p != NULL) {
        ((counting_t *)u)->live--;
    }
    free(p);
}

static void allocator_hook_sees_every_block_freed(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 1000000000);
    events(&b, 1, 100);
    u8(&b, GTR_EV_END_OF_GENERATION);
    counting_t c = {0};
    gtr_options_t o = gtr_options_default();
    o.allocator = (gtr_allocator_t){c_malloc, c_realloc, c_free, &c};
    ev_rec_t e[32];
    size_t n;
    char msg[512];
    assert_int_equal(read_all(&b, &o, e, &n, msg, sizeof msg), GTR_EOF);
    assert_int_equal(c.live, 0);
}

typedef struct chunks {
    const buf_t *b;
    size_t pos;
} chunks_t;

/* Hands out 3 bytes at a time to exercise refills. */
static long read_chunks(void *user, uint8_t *dst, size_t cap)
{
    chunks_t *c = user;
    size_t n = c->b->n - c->pos;
    if (n > 3) {
        n = 3;
    }
    if (n > cap) {
        n = cap;
    }
    memcpy(dst, c->b->b + c->pos, n);
    c->pos += n;
    return (long)n;
}

static void streams_yield_what_buffers_yield(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 1000000000);
    events(&b, 1, 100);
    u8(&b, GTR_EV_END_OF_GENERATION);
    chunks_t c = {&b, 0};
    gtr_reader_t *r;
    assert_int_equal(gtr_reader_open_stream(&r, read_chunks, &c, NULL), GTR_OK);
    const gtr_event_t *ev;
    int64_t times[8];
    size_t n = 0;
    int rc;
    while ((rc = gtr_reader_next(r, &ev)) == GTR_OK && n < 8) {
        times[n++] = gtr_event_time(ev);
    }
    assert_int_equal(rc, GTR_EOF);
    assert_int_equal(n, 5);
    assert_int_equal(times[1], 100);
    assert_int_equal(times[4], 107);
    gtr_reader_free(r);
}

/* One generation whose only batch is n HeapAlloc events (3 bytes each)
 * after a running proc and goroutine. */
static void heap_generation(buf_t *b, uint64_t gen, size_t n)
{
    static buf_t d;
    d.n = 0;
    running_g(&d);
    for (size_t i = 0; i < n; i++) {
        u8(&d, GTR_EV_HEAP_ALLOC); uv(&d, 1); uv(&d, 1000 + i % 100);
    }
    sync_batch(b, 26, gen, 1000000000);
    batch(b, gen, 1, 100 + 10000 * gen, &d);
    u8(b, GTR_EV_END_OF_GENERATION);
}

static size_t stream_peak(const buf_t *b, size_t *events)
{
    chunks_t c = {b, 0};
    gtr_reader_t *r;
    assert_int_equal(gtr_reader_open_stream(&r, read_chunks, &c, NULL), GTR_OK);
    const gtr_event_t *ev;
    int rc;
    *events = 0;
    while ((rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        (*events)++;
    }
    assert_int_equal(rc, GTR_EOF);
    size_t peak = gtr_reader_peak_memory(r);
    gtr_reader_free(r);
    return peak;
}

/* From a stream, a generation's batches are held until its last event;
 * the next generation is read only after they are freed. */
static void a_stream_never_holds_two_generations(void **state)
{
    (void)state;
    static buf_t one, two;
    one.n = two.n = 0;
    header(&one, 26);
    heap_generation(&one, 1, 1000);
    header(&two, 26);
    heap_generation(&two, 1, 1000);
    heap_generation(&two, 2, 1000);
    size_t n1, n2;
    size_t peak1 = stream_peak(&one, &n1), peak2 = stream_peak(&two, &n2);
    assert_int_equal(n1, 1 + 2 + 1000 + 1);
    assert_int_equal(n2, 2 * (1 + 2 + 1000) + 1);
    /* Holding both would add the second batch's 3,000 bytes and more. */
    assert_true(peak2 < peak1 + 1000);
}

static void free_accepts_null_and_bad_arguments_are_refused(void **state)
{
    (void)state;
    gtr_reader_free(NULL);
    gtr_reader_t *r = (gtr_reader_t *)1;
    assert_int_equal(gtr_reader_open_buffer(&r, NULL, 5, NULL), GTR_ERR_ARG);
    assert_null(r);
    assert_int_equal(gtr_reader_open_stream(&r, NULL, NULL, NULL), GTR_ERR_ARG);
    assert_int_equal(gtr_reader_next(NULL, NULL), GTR_ERR_ARG);
}

static void clock_snapshot_is_read_as_go_reads_it(void **state)
{
    (void)state;
    buf_t b = {{0}, 0};
    header(&b, 26);
    sync_batch(&b, 26, 1, 500000000); /* 2ns per tick */
    events(&b, 1, 100);
    u8(&b, GTR_EV_END_OF_GENERATION);
    gtr_reader_t *r;
    assert_int_equal(gtr_reader_open_buffer(&r, b.b, b.n, NULL), GTR_OK);
    const gtr_event_t *ev;
    assert_int_equal(gtr_reader_next(r, &ev), GTR_OK);
    gtr_sync_t s;
    assert_true(gtr_event_sync(ev, &s));
    assert_int_equal(s.n, 1);
    assert_true(s.has_clock);
    assert_int_equal(s.clock_trace, 30); /* (10 + 5) ticks * 2 */
    assert_int_equal(s.wall_sec, 1700000000);
    assert_int_equal(s.wall_nsec, 123);
    assert_int_equal(s.mono, 777);
    assert_int_equal(gtr_event_time(ev), 20);
    gtr_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(go126_generation_yields_syncs_around_ordered_events),
        cmocka_unit_test(status_after_the_end_stays_eof),
        cmocka_unit_test(go122_generations_are_found_by_spilling),
        cmocka_unit_test(generation_errors_wait_behind_a_sync),
        cmocka_unit_test(empty_traces_end_as_go_ends_them),
        cmocka_unit_test(a_bare_eof_inside_a_table_ends_the_trace_cleanly),
        cmocka_unit_test(ordering_errors_carry_go_phrases),
        cmocka_unit_test(hostile_batch_size_is_refused_before_allocation),
        cmocka_unit_test(hostile_table_sizes_are_refused_before_allocation),
        cmocka_unit_test(a_huge_frame_limit_allocates_only_what_is_read),
        cmocka_unit_test(a_promoted_proc_status_counts_the_threads_it_could_come_from),
        cmocka_unit_test(memory_limit_declines_instead_of_failing),
        cmocka_unit_test(allocator_hook_sees_every_block_freed),
        cmocka_unit_test(streams_yield_what_buffers_yield),
        cmocka_unit_test(a_stream_never_holds_two_generations),
        cmocka_unit_test(free_accepts_null_and_bad_arguments_are_refused),
        cmocka_unit_test(clock_snapshot_is_read_as_go_reads_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
