/* test_check_random.c: the checker survives any record stream. A seeded
 * generator draws records with IDs, states, kinds, resources, stacks and
 * strings from small and hostile ranges; under ASan/UBSan the property is
 * "no crash, no undefined behaviour, no leak", plus the bookkeeping
 * identities that must hold whatever the input. */
#include "test_check_util.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64*: deterministic, so a failure replays. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static int64_t pick_id(void)
{
    static const int64_t hostile[] = {-1, 0, 1, INT64_MAX, INT64_MIN, 1 << 20};
    return rnd() % 4 == 0 ? hostile[rnd() % 6] : (int64_t)(rnd() % 8);
}

static const gtr_frame_t frames[3] = {
    {0, {(const uint8_t *)"", 0}, {(const uint8_t *)"", 0}, 0},
    {0x401000, {(const uint8_t *)"main.f\n\"x", 9}, {(const uint8_t *)"a.go", 4}, 3},
    {0x402000, {(const uint8_t *)"\xff\x00", 2}, {(const uint8_t *)"", 0}, 0},
};

static gtc_stackref_t pick_stack(void)
{
    if (rnd() % 2) {
        gtc_stackref_t s = stack_of(0, NULL, 0);
        s.none = true;
        return s;
    }
    size_t off = (size_t)(rnd() % 3);
    return stack_of(rnd() % 5, frames + off, (size_t)(rnd() % (4 - off)));
}

static gtr_str_t pick_str(void)
{
    static const char *const strs[] = {"", "GC mark assist", "x:y", "\x01\x7f\"\\", "t"};
    return str_of(strs[rnd() % 5]);
}

static gtc_record_t pick_record(int64_t *t)
{
    gtc_record_t r = gtc_record_empty((gtr_kind_t)(rnd() % (GTR_KIND_COUNT + 1)), *t);
    *t += (int64_t)(rnd() % 3) - 1; /* times repeat and go back */
    r.wire_type = (unsigned)(rnd() % 60);
    r.goroutine = pick_id(), r.proc = pick_id(), r.thread = pick_id();
    r.stack = pick_stack();
    r.transition.resource.kind = (gtr_resource_kind_t)(rnd() % 5);
    r.transition.resource.id = pick_id();
    r.transition.from = (unsigned)(rnd() % 7);
    r.transition.to = (unsigned)(rnd() % 7);
    r.transition.stack = rnd() % 2 ? r.stack : pick_stack();
    r.sync.n = rnd() % 6;
    r.sync.has_clock = rnd() % 2;
    r.sync.wall_sec = rnd() % 3 ? (int64_t)(rnd() % 4) : INT64_MAX;
    r.sync.mono = rnd() % 4;
    r.metric.name = pick_str();
    r.metric.value.kind = (gtr_value_kind_t)(rnd() % 3);
    r.label.label = pick_str();
    r.label.resource.kind = (gtr_resource_kind_t)(rnd() % 5);
    r.label.resource.id = pick_id();
    r.range.name = pick_str();
    r.range.scope = r.label.resource;
    r.task.id = rnd() % 3 ? rnd() % 4 : UINT64_MAX;
    r.task.parent = rnd() % 4;
    r.task.type = pick_str();
    return r;
}

static void random_streams_keep_the_bookkeeping_straight(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        rng_state = seed * 0x9e3779b97f4a7c15ull;
        gtc_options_t o = gtc_options_default();
        o.max_violations = (size_t)(rnd() % 50);
        gtc_checker_t *c = gtc_checker_new((gtr_version_t)(22 + rnd() % 5), &o);
        assert_non_null(c);
        int64_t t = 1;
        for (int i = 0; i < 2000; i++) {
            gtc_record_t r = pick_record(&t);
            assert_int_equal(gtc_checker_record(c, &r), GTC_OK);
        }
        assert_int_equal(gtc_checker_end(c), GTC_OK);
        uint64_t per_inv = 0;
        for (unsigned k = 0; k < GTC_INV_COUNT; k++) {
            per_inv += gtc_checker_violations_of(c, k);
        }
        assert_int_equal(per_inv, gtc_checker_violations_total(c));
        assert_true(gtc_checker_nviolations(c) <= o.max_violations);
        gtc_gen_summary_t tot = gtc_checker_totals(c);
        assert_int_equal(tot.generation, gtc_checker_nsummaries(c));
        /* The absent count, kept without a scan, equals what the scan finds. */
        uint64_t absent = 0;
        for (size_t i = 0; i < gtc_checker_nsummaries(c); i++) {
            const gtc_gen_summary_t *s = gtc_checker_summary(c, i);
            absent += s->complete ? s->absent : 0;
        }
        assert_int_equal(absent, gtc_checker_violations_of(c, GTC_INV_LIVE_GOROUTINE_ANNOUNCED));
        for (size_t i = 0; i < gtc_checker_nviolations(c); i++) {
            const gtc_violation_t *v = gtc_checker_violation(c, i);
            assert_non_null(strchr(v->name, '.'));
            assert_null(strchr(v->sentence, '\n'));
            assert_true(v->event_index < gtc_checker_nevents(c));
        }
        gtc_checker_free(c);
    }
}

/* A memory limit stops the checker cleanly, and what it found stays. */
static void a_memory_limit_stops_the_checker_cleanly(void **state)
{
    (void)state;
    gtc_options_t o = gtc_options_default();
    o.max_memory = 8192;
    o.max_violations = 4;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, &o);
    assert_non_null(c);
    int rc = GTC_OK;
    for (int64_t id = 0; id < 10000 && rc == GTC_OK; id++) {
        gtc_record_t r = rec_go(id + 1, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_CREATE, id, GTR_GO_NOT_EXIST,
                                GTR_GO_RUNNABLE);
        rc = gtc_checker_record(c, &r);
    }
    assert_int_equal(rc, GTC_ERR_LIMIT);
    assert_int_equal(gtc_checker_status(c), GTC_ERR_LIMIT);
    assert_int_equal(gtc_checker_end(c), GTC_ERR_LIMIT);
    assert_true(gtc_checker_peak_memory(c) <= 8192);
    gtc_checker_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_streams_keep_the_bookkeeping_straight),
        cmocka_unit_test(a_memory_limit_stops_the_checker_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
