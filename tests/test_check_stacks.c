/* test_check_stacks.c: the stack-emission invariants and the per-generation
 * goroutine classes. Each test breaks one promise of the runtime (or keeps
 * it, where the runtime is allowed to give no stack) and asserts the exact
 * invariant, event position and summary counts. */
#include <stdlib.h>

#include "test_check_util.h"

static const gtr_frame_t good[2] = {
    {0x401000, {(const uint8_t *)"main.f", 6}, {(const uint8_t *)"main.go", 7}, 10},
    {0x402000, {(const uint8_t *)"runtime.goexit", 14}, {(const uint8_t *)"asm.s", 5}, 1700},
};

/* Generation 1 with goroutine 7 announced in `st`, with a stack or not,
 * closed by Sync 2. Events: 0 Sync, 1 status, 2 Sync. */
static gtc_checker_t *whole_gen(gtr_version_t v, unsigned st, bool with_stack)
{
    gtc_checker_t *c = gtc_checker_new(v, NULL);
    assert_non_null(c);
    feed(c, rec_sync_clock(10, 1, 1700000000, 100));
    gtc_record_t r = rec_go(11, 1, GTR_NO_PROC, GTR_NO_GOROUTINE,
                            with_stack ? GTR_EV_GO_STATUS_STACK : GTR_EV_GO_STATUS, 7,
                            GTR_GO_UNDETERMINED, st);
    if (with_stack) {
        r.stack = stack_of(1, good, 2);
        r.transition.stack = r.stack;
    }
    feed(c, r);
    feed(c, rec_sync_clock(12, 2, 1700000001, 200));
    return c;
}

static void blocked_whole_generation_without_stack_is_flagged(void **state)
{
    (void)state;
    gtc_checker_t *c = whole_gen(GTR_GO123, GTR_GO_WAITING, false);
    expect_count(c, 1);
    expect_violation(c, 0, "stack.blocked-whole-gen-has-stack", 1,
                     "goroutine 7 was Waiting for all of generation 1 but its GoStatus carries no stack");
    const gtc_violation_t *v = gtc_checker_violation(c, 0);
    assert_int_equal(v->generation, 1);
    assert_int_equal(v->resource.kind, GTR_RESOURCE_GOROUTINE);
    assert_int_equal(v->resource.id, 7);
    assert_int_equal(gtc_checker_nsummaries(c), 1);
    const gtc_gen_summary_t *s = gtc_checker_summary(c, 0);
    assert_int_equal(s->classes[GTC_CLASS_BLOCKED], 1);
    assert_int_equal(s->with_stack[GTC_CLASS_BLOCKED], 0);
    assert_int_equal(s->violations, 1);
    assert_true(s->complete);
    char line[300];
    gtc_violation_format(v, line, sizeof line);
    assert_string_equal(line, "stack.blocked-whole-gen-has-stack gen=1 event=1 Goroutine(7): goroutine 7 was "
                              "Waiting for all of generation 1 but its GoStatus carries no stack");
    gtc_checker_free(c);
}

static void syscall_whole_generation_without_stack_is_flagged(void **state)
{
    (void)state;
    gtc_checker_t *c = whole_gen(GTR_GO126, GTR_GO_SYSCALL, false);
    expect_count(c, 1);
    expect_violation(c, 0, "stack.syscall-whole-gen-has-stack", 1,
                     "goroutine 7 was in a syscall for all of generation 1 but its GoStatus carries no stack");
    gtc_checker_free(c);
}

static void status_stack_keeps_the_promise(void **state)
{
    (void)state;
    gtc_checker_t *c = whole_gen(GTR_GO123, GTR_GO_WAITING, true);
    expect_count(c, 0);
    const gtc_gen_summary_t *s = gtc_checker_summary(c, 0);
    assert_int_equal(s->classes[GTC_CLASS_BLOCKED], 1);
    assert_int_equal(s->with_stack[GTC_CLASS_BLOCKED], 1);
    assert_int_equal(s->status_stack_events, 1);
    gtc_checker_free(c);
}

static void go122_has_no_promise(void **state)
{
    (void)state;
    gtc_checker_t *c = whole_gen(GTR_GO122, GTR_GO_WAITING, false);
    expect_count(c, 0);
    assert_int_equal(gtc_checker_summary(c, 0)->classes[GTC_CLASS_BLOCKED], 1);
    gtc_checker_free(c);
}

static void a_generation_cut_short_is_not_judged_whole(void **state)
{
    (void)state;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, NULL);
    feed(c, rec_sync(10, 1));
    feed(c, rec_go(11, 1, GTR_NO_PROC, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 7, GTR_GO_UNDETERMINED,
                   GTR_GO_WAITING));
    assert_int_equal(gtc_checker_end(c), GTC_OK);
    expect_count(c, 0);
    assert_int_equal(gtc_checker_nsummaries(c), 1);
    assert_false(gtc_checker_summary(c, 0)->complete);
    assert_int_equal(gtc_checker_summary(c, 0)->classes[GTC_CLASS_BLOCKED], 1);
    /* The stream is over: no more events. */
    gtc_record_t r = rec_sync(12, 2);
    assert_int_equal(gtc_checker_record(c, &r), GTC_ERR_ARG);
    gtc_checker_free(c);
}

static void gostatusstack_in_go122_is_flagged(void **state)
{
    (void)state;
    gtc_checker_t *c = whole_gen(GTR_GO122, GTR_GO_WAITING, true);
    expect_count(c, 1);
    expect_violation(c, 0, "status-stack.not-in-go122", 1, "GoStatusStack of goroutine 7 in a go1.22 trace");
    gtc_checker_free(c);
}

static void gostatusstack_obeys_gostatus_state_rules(void **state)
{
    (void)state;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, NULL);
    feed(c, rec_sync(10, 1));
    feed(c, rec_go(11, 1, GTR_NO_PROC, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 7, GTR_GO_UNDETERMINED,
                   GTR_GO_WAITING));
    feed(c, rec_sync(12, 2));
    gtc_record_t r = rec_go(13, 1, GTR_NO_PROC, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS_STACK, 7, GTR_GO_WAITING,
                            GTR_GO_RUNNABLE);
    r.stack = stack_of(1, good, 2);
    r.transition.stack = r.stack;
    feed(c, r);
    gtc_record_t p = rec_go(14, 1, GTR_NO_PROC, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 8, GTR_GO_NOT_EXIST,
                            GTR_GO_NOT_EXIST);
    feed(c, p);
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_STATUS_STACK_STATE_RULES), 1);
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_STATUS_STATE_RULES), 1);
    expect_count(c, 3);
    expect_violation(c, 0, "stack.blocked-whole-gen-has-stack", 1, "~generation 1");
    expect_violation(c, 1, "status-stack.state-rules", 3,
                     "GoStatusStack of goroutine 7 in generation 2 goes from Waiting to Runnable, not from its own state");
    expect_violation(c, 2, "status.state-rules", 4, "GoStatus announces goroutine 8 as NotExist, not a live state");
    gtc_checker_free(c);
}

static void unresolved_and_incomplete_stacks_are_flagged_once_per_generation(void **state)
{
    (void)state;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, NULL);
    gtr_frame_t partial[1] = {frame_of(0x401000, "", "", 0)};
    gtr_frame_t zero_first[2] = {frame_of(0, "", "", 0), good[0]};
    feed(c, rec_sync(10, 1));
    gtc_record_t r = rec_on(GTR_KIND_LOG, 11, 1, 0, 5);
    r.wire_type = GTR_EV_USER_LOG;
    r.stack = stack_of(9, NULL, 0);
    r.stack.frames = partial; /* a table with no frames for ID 9 */
    feed(c, r);
    r.time = 12;
    feed(c, r);
    r.time = 13;
    r.stack = stack_of(4, partial, 1);
    feed(c, r);
    r.time = 14;
    r.stack = stack_of(6, zero_first, 2); /* Go tolerates an all-zero first frame */
    feed(c, r);
    feed(c, rec_sync(15, 2));
    r.time = 16;
    r.stack = stack_of(9, NULL, 0);
    r.stack.frames = partial;
    feed(c, r); /* a new generation checks its stacks again */
    expect_count(c, 3);
    expect_violation(c, 0, "stack.id-resolves", 1,
                     "stack 9 referenced by UserLog has no frames in generation 1 (unknown ID, or an empty stack the runtime never registers)");
    expect_violation(c, 1, "stack.frames-complete", 3,
                     "stack 4 first frame is neither complete nor all zero: pc=0x401000 func=\"\" file=\"\" line=0");
    expect_violation(c, 2, "stack.id-resolves", 6, "~generation 2");
    gtc_checker_free(c);
}

/* One generation with one goroutine per class; the counts must equal the
 * oracle's stats for the same events. */
static void goroutines_are_classified_as_the_oracle_does(void **state)
{
    (void)state;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, NULL);
    feed(c, rec_sync(10, 1));
    feed(c, rec_proc(11, 1, GTR_EV_PROC_STATUS, 0, GTR_PROC_UNDETERMINED, GTR_PROC_RUNNING));
    /* 1 ran and blocked; 2 ran without blocking; 3 was unblocked by 1 and
     * never ran; 4 sat runnable; 5 blocked, 6 in a syscall all along. */
    feed(c, rec_go(12, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 1, GTR_GO_UNDETERMINED, GTR_GO_RUNNING));
    feed(c, rec_go(13, 1, 0, 1, GTR_EV_GO_STATUS, 3, GTR_GO_UNDETERMINED, GTR_GO_WAITING));
    feed(c, rec_go(14, 1, 0, 1, GTR_EV_GO_UNBLOCK, 3, GTR_GO_WAITING, GTR_GO_RUNNABLE));
    feed(c, rec_go(15, 1, 0, 1, GTR_EV_GO_BLOCK, 1, GTR_GO_RUNNING, GTR_GO_WAITING));
    feed(c, rec_go(16, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 2, GTR_GO_UNDETERMINED, GTR_GO_RUNNABLE));
    feed(c, rec_go(17, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_START, 2, GTR_GO_RUNNABLE, GTR_GO_RUNNING));
    gtc_record_t st = rec_go(18, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS_STACK, 4, GTR_GO_UNDETERMINED,
                             GTR_GO_RUNNABLE);
    st.stack = stack_of(1, good, 2);
    st.transition.stack = st.stack;
    feed(c, st);
    st.time = 19, st.transition.resource.id = 5, st.transition.to = GTR_GO_WAITING;
    feed(c, st);
    st.time = 20, st.transition.resource.id = 6, st.transition.to = GTR_GO_SYSCALL;
    st.thread = 2; /* a goroutine in a syscall holds its own thread */
    feed(c, st);
    feed(c, rec_sync(21, 2));
    assert_int_equal(gtc_checker_end(c), GTC_OK);
    expect_count(c, 0);
    assert_int_equal(gtc_checker_nsummaries(c), 1);
    const gtc_gen_summary_t *s = gtc_checker_summary(c, 0);
    assert_int_equal(s->classes[GTC_CLASS_RAN], 1);
    assert_int_equal(s->classes[GTC_CLASS_RAN_WITHOUT_BLOCKING], 1);
    assert_int_equal(s->classes[GTC_CLASS_UNBLOCKED_NEVER_RAN], 1);
    assert_int_equal(s->classes[GTC_CLASS_OTHER], 1);
    assert_int_equal(s->classes[GTC_CLASS_BLOCKED], 1);
    assert_int_equal(s->classes[GTC_CLASS_SYSCALL], 1);
    assert_int_equal(s->with_stack[GTC_CLASS_OTHER], 1);
    assert_int_equal(s->with_stack[GTC_CLASS_SYSCALL], 1);
    assert_int_equal(s->status_events, 6);
    assert_int_equal(s->nevents, 11);
    assert_int_equal(gtc_checker_totals(c).generation, 1);
    gtc_checker_free(c);
}

/* A live goroutine missing from a later generation is counted and, when
 * that generation is complete, flagged at the event that closes it. */
static void a_live_goroutine_must_appear_in_every_generation(void **state)
{
    (void)state;
    gtc_checker_t *c = whole_gen(GTR_GO122, GTR_GO_WAITING, false);
    feed(c, rec_sync(13, 3));
    assert_int_equal(gtc_checker_nsummaries(c), 2);
    assert_int_equal(gtc_checker_summary(c, 1)->absent, 1);
    assert_int_equal(gtc_checker_summary(c, 1)->generation, 2);
    expect_count(c, 1);
    expect_violation(c, 0, "status.live-goroutine-announced", 3,
                     "goroutine 7, Waiting at the end of generation 1, has no event in generation 2");
    assert_int_equal(gtc_checker_violation(c, 0)->generation, 2);
    gtc_checker_free(c);

    /* A dead goroutine is not expected; a cut-short generation not judged. */
    c = whole_gen(GTR_GO123, GTR_GO_WAITING, true);
    feed(c, rec_go(13, 1, GTR_NO_PROC, GTR_NO_GOROUTINE, GTR_EV_GO_CREATE, 9, GTR_GO_NOT_EXIST,
                   GTR_GO_RUNNABLE));
    feed(c, rec_go(14, 1, GTR_NO_PROC, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 7, GTR_GO_WAITING,
                   GTR_GO_WAITING));
    assert_int_equal(gtc_checker_end(c), GTC_OK);
    expect_count(c, 0);
    gtc_checker_free(c);
}

/* A goroutine gone for good is reported once, not in every generation
 * after; if it comes back and goes missing again, it is reported again. */
static void an_absent_goroutine_is_reported_once_per_absence(void **state)
{
    (void)state;
    gtc_checker_t *c = whole_gen(GTR_GO123, GTR_GO_WAITING, true); /* events 0-2 */
    feed(c, rec_sync(13, 3)); /* 3: generation 2 closes without goroutine 7 */
    feed(c, rec_sync(14, 4)); /* 4: generation 3 neither: not again */
    assert_int_equal(gtc_checker_summary(c, 2)->absent, 0);
    gtc_record_t r = rec_go(15, 1, GTR_NO_PROC, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS_STACK, 7, GTR_GO_WAITING,
                            GTR_GO_WAITING);
    r.stack = stack_of(1, good, 2);
    r.transition.stack = r.stack;
    feed(c, r);               /* 5: it is back in generation 4 */
    feed(c, rec_sync(16, 5)); /* 6 */
    feed(c, rec_sync(17, 6)); /* 7: generation 5 closes without it */
    expect_count(c, 2);
    expect_violation(c, 0, "status.live-goroutine-announced", 3, "~generation 1, has no event in generation 2");
    expect_violation(c, 1, "status.live-goroutine-announced", 7, "~generation 4, has no event in generation 5");
    gtc_checker_free(c);
}

/* Many live goroutines over many generations cost each goroutine once. */
static void absent_goroutines_do_not_make_the_check_quadratic(void **state)
{
    (void)state;
    gtc_checker_t *c = gtc_checker_new(GTR_GO122, NULL);
    int64_t t = 1;
    feed(c, rec_sync(t++, 1));
    for (int64_t id = 1; id <= 20000; id++) {
        feed(c, rec_go(t++, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_CREATE, id, GTR_GO_NOT_EXIST, GTR_GO_RUNNABLE));
    }
    for (uint64_t n = 2; n <= 20000; n++) {
        feed(c, rec_sync(t++, n));
    }
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_LIVE_GOROUTINE_ANNOUNCED), 20000);
    assert_int_equal(gtc_checker_summary(c, 1)->absent, 20000);
    assert_int_equal(gtc_checker_summary(c, 2)->absent, 0);
    gtc_checker_free(c);
}

static void stored_violations_are_bounded_and_the_rest_counted(void **state)
{
    (void)state;
    gtc_options_t o = gtc_options_default();
    o.max_violations = 2;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, &o);
    for (uint64_t i = 0; i < 5; i++) {
        feed(c, rec_sync(10, 1 + 2 * i)); /* times repeat, numbers skip */
    }
    assert_int_equal(gtc_checker_nviolations(c), 2);
    assert_int_equal(gtc_checker_violations_total(c), 8);
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_SYNC_SEQUENCE), 4);
    assert_null(gtc_checker_violation(c, 2));
    gtc_checker_free(c);
}

/* Goroutines that come and go over many generations leave no state. */
static void memory_follows_live_resources(void **state)
{
    (void)state;
    gtc_options_t o = gtc_options_default();
    o.max_summaries = 0; /* kept per generation by design: not measured */
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, &o);
    int64_t t = 10;
    size_t peak_after_warmup = 0;
    for (uint64_t gen = 1; gen <= 200; gen++) {
        feed(c, rec_sync(t++, gen));
        for (int64_t k = 0; k < 100; k++) {
            int64_t id = (int64_t)gen * 1000 + k;
            feed(c, rec_go(t++, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_CREATE, id, GTR_GO_NOT_EXIST, GTR_GO_RUNNABLE));
            feed(c, rec_go(t++, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_START, id, GTR_GO_RUNNABLE, GTR_GO_RUNNING));
            feed(c, rec_go(t++, 1, 0, id, GTR_EV_GO_DESTROY, id, GTR_GO_RUNNING, GTR_GO_NOT_EXIST));
        }
        if (gen == 10) {
            peak_after_warmup = gtc_checker_peak_memory(c);
        }
        if (getenv("GTC_TEST_VERBOSE") != NULL) {
            fprintf(stderr, "gen %llu peak %zu\n", (unsigned long long)gen, gtc_checker_peak_memory(c));
        }
    }
    expect_count(c, 0);
    assert_true(gtc_checker_peak_memory(c) <= peak_after_warmup + 4096);
    gtc_checker_free(c);
}

static void count_violation(void *user, const gtc_violation_t *v)
{
    int *calls = user;
    assert_string_equal(v->name, "validate.sync-sequence");
    (*calls)++;
}

static void violations_reach_the_callback_even_when_not_stored(void **state)
{
    (void)state;
    int calls = 0;
    gtc_options_t o = gtc_options_default();
    o.max_violations = 0;
    o.user = &calls;
    o.on_violation = count_violation;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, &o);
    feed(c, rec_sync(10, 2));
    assert_int_equal(gtc_checker_nviolations(c), 0);
    assert_int_equal(gtc_checker_violations_total(c), 1);
    assert_int_equal(calls, 1);
    gtc_checker_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocked_whole_generation_without_stack_is_flagged),
        cmocka_unit_test(syscall_whole_generation_without_stack_is_flagged),
        cmocka_unit_test(status_stack_keeps_the_promise),
        cmocka_unit_test(go122_has_no_promise),
        cmocka_unit_test(a_generation_cut_short_is_not_judged_whole),
        cmocka_unit_test(gostatusstack_in_go122_is_flagged),
        cmocka_unit_test(gostatusstack_obeys_gostatus_state_rules),
        cmocka_unit_test(unresolved_and_incomplete_stacks_are_flagged_once_per_generation),
        cmocka_unit_test(goroutines_are_classified_as_the_oracle_does),
        cmocka_unit_test(a_live_goroutine_must_appear_in_every_generation),
        cmocka_unit_test(an_absent_goroutine_is_reported_once_per_absence),
        cmocka_unit_test(absent_goroutines_do_not_make_the_check_quadratic),
        cmocka_unit_test(stored_violations_are_bounded_and_the_rest_counted),
        cmocka_unit_test(memory_follows_live_resources),
        cmocka_unit_test(violations_reach_the_callback_even_when_not_stored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
