/* test_generation.c: a generation's clock arithmetic is Go's: ticks to
 * nanoseconds in float64 with amd64's conversion of out-of-range values,
 * the frequency computed as 1/(f/1e9), and wall clocks normalised like
 * time.Unix. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void float_to_int_matches_amd64(void **state)
{
    (void)state;
    assert_int_equal(gtr_f64_to_i64(1.9), 1);
    assert_int_equal(gtr_f64_to_i64(-1.9), -1);
    assert_int_equal(gtr_f64_to_i64(9223372036854774784.0), INT64_C(9223372036854774784));
    /* Out of range and NaN give the "integer indefinite" value. */
    assert_true(gtr_f64_to_i64(9223372036854775808.0) == INT64_MIN);
    assert_true(gtr_f64_to_i64(-1e19) == INT64_MIN);
    assert_true(gtr_f64_to_i64(NAN) == INT64_MIN);
    assert_true(gtr_f64_to_i64(INFINITY) == INT64_MIN);
}

static void ticks_scale_by_the_frequency(void **state)
{
    (void)state;
    double freq = 1.0 / (15625000.0 / 1e9); /* 64ns per tick */
    assert_int_equal(gtr_ticks_to_ns(freq, 3), 192);
    assert_int_equal(gtr_ticks_to_ns(1.0, UINT64_C(1) << 53), INT64_C(1) << 53);
    /* A zero frequency on the wire gives +Inf ns per tick: 0 * Inf is NaN. */
    double inf = 1.0 / (0.0 / 1e9);
    assert_true(gtr_ticks_to_ns(inf, 0) == INT64_MIN);
    assert_true(gtr_ticks_to_ns(inf, 1) == INT64_MIN);
}

typedef struct buf {
    uint8_t b[512];
    size_t n;
} buf_t;

static void u8(buf_t *b, uint8_t v) { b->b[b->n++] = v; }

static void uv(buf_t *b, uint64_t v)
{
    while (v >= 0x80) {
        u8(b, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    u8(b, (uint8_t)v);
}

/* A go1.26 generation holding only a sync batch with the given clock. */
static void wall_of(uint64_t sec, uint64_t nsec, gtr_sync_t *s)
{
    buf_t b = {{0}, 0}, d = {{0}, 0};
    memcpy(b.b, "go 1.26 trace\0\0\0", 16);
    b.n = 16;
    u8(&d, GTR_EV_SYNC);
    u8(&d, GTR_EV_FREQUENCY);
    uv(&d, 1000000000);
    u8(&d, GTR_EV_CLOCK_SNAPSHOT);
    uv(&d, 0); uv(&d, 1); uv(&d, sec); uv(&d, nsec);
    u8(&b, GTR_EV_EVENT_BATCH);
    uv(&b, 1); uv(&b, 0); uv(&b, 5); uv(&b, d.n);
    memcpy(b.b + b.n, d.b, d.n);
    b.n += d.n;
    u8(&b, GTR_EV_END_OF_GENERATION);
    gtr_reader_t *r;
    const gtr_event_t *ev;
    assert_int_equal(gtr_reader_open_buffer(&r, b.b, b.n, NULL), GTR_OK);
    assert_int_equal(gtr_reader_next(r, &ev), GTR_OK);
    assert_true(gtr_event_sync(ev, s));
    gtr_reader_free(r);
}

static void wall_clock_is_normalised_like_time_unix(void **state)
{
    (void)state;
    gtr_sync_t s;
    wall_of(1700000000, 5, &s);
    assert_int_equal(s.wall_sec, 1700000000);
    assert_int_equal(s.wall_nsec, 5);
    wall_of(1700000000, 2500000000u, &s);
    assert_int_equal(s.wall_sec, 1700000002);
    assert_int_equal(s.wall_nsec, 500000000);
    wall_of(1700000000, UINT64_MAX, &s); /* nsec = -1 as int64 */
    assert_int_equal(s.wall_sec, 1699999999);
    assert_int_equal(s.wall_nsec, 999999999);
    wall_of(UINT64_MAX, 0, &s); /* sec = -1 as int64 */
    assert_int_equal(s.wall_sec, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(float_to_int_matches_amd64),
        cmocka_unit_test(ticks_scale_by_the_frequency),
        cmocka_unit_test(wall_clock_is_normalised_like_time_unix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
