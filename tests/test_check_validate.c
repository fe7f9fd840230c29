/* test_check_validate.c: the checker's validate.* family flags exactly the
 * events Go's per-event test validation flags, with the Go oracle's
 * sentences, and nothing on a well-formed stream. Records are made by hand
 * so every rule can be broken, including those Go's reader never lets a
 * trace break. */
#include "test_check_util.h"

static gtc_checker_t *new_checker(gtr_version_t v)
{
    gtc_checker_t *c = gtc_checker_new(v, NULL);
    assert_non_null(c);
    return c;
}

/* A thread 1 running proc 0 and goroutine 5, in generation 1. */
static void start(gtc_checker_t *c)
{
    feed(c, rec_sync(10, 1));
    feed(c, rec_proc(11, 1, GTR_EV_PROC_STATUS, 0, GTR_PROC_UNDETERMINED, GTR_PROC_RUNNING));
    feed(c, rec_go(12, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 5, GTR_GO_UNDETERMINED, GTR_GO_RUNNING));
}

static void well_formed_stream_has_no_violation(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    feed(c, rec_go(13, 1, 0, 5, GTR_EV_GO_BLOCK, 5, GTR_GO_RUNNING, GTR_GO_WAITING));
    feed(c, rec_go(14, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_UNBLOCK, 5, GTR_GO_WAITING, GTR_GO_RUNNABLE));
    feed(c, rec_go(15, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_START, 5, GTR_GO_RUNNABLE, GTR_GO_RUNNING));
    feed(c, rec_sync(16, 2));
    feed(c, rec_go(17, 1, 0, 5, GTR_EV_GO_STATUS, 5, GTR_GO_RUNNING, GTR_GO_RUNNING));
    feed(c, rec_go(18, 1, 0, 5, GTR_EV_GO_DESTROY, 5, GTR_GO_RUNNING, GTR_GO_NOT_EXIST));
    feed(c, rec_sync(19, 3));
    assert_int_equal(gtc_checker_end(c), GTC_OK);
    expect_count(c, 0);
    assert_int_equal(gtc_checker_nevents(c), 10);
    gtc_checker_free(c);
}

static void equal_time_is_out_of_order_and_not_the_new_reference(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    gtr_metric_t m = {str_of("/gc/heap/goal:bytes"), {GTR_VALUE_UINT64, 1, {NULL, 0}}};
    gtc_record_t r = rec_on(GTR_KIND_METRIC, 12, 1, 0, 5);
    r.metric = m;
    feed(c, r);
    r.time = 11; /* still checked against 12 */
    feed(c, r);
    r.time = 13;
    feed(c, r);
    expect_count(c, 2);
    expect_violation(c, 0, "validate.time-order", 3, "timestamp out-of-order (want > 12) for Metric event at 12");
    expect_violation(c, 1, "validate.time-order", 4, "timestamp out-of-order (want > 12) for Metric event at 11");
    assert_int_equal(gtc_checker_violation(c, 0)->generation, 1);
    assert_int_equal(gtc_checker_violation(c, 0)->resource.kind, GTR_RESOURCE_GOROUTINE);
    assert_int_equal(gtc_checker_violation(c, 0)->resource.id, 5);
    gtc_checker_free(c);
}

static void incomplete_frame_after_the_first_is_flagged_on_every_event(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    gtr_frame_t fr[2] = {frame_of(0, "", "", 0), frame_of(0x401000, "main.f", "", 7)};
    gtc_record_t r = rec_on(GTR_KIND_LOG, 13, 1, 0, 5);
    r.stack = stack_of(3, fr, 2);
    feed(c, r);
    r.time = 14;
    feed(c, r);
    const char *want = "invalid stack frame pc=0x401000 func=\"main.f\" file=\"\" line=7: missing information";
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_STACK_FRAMES), 2);
    /* The stack family sees the stack once per generation. */
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_STACK_FRAMES_COMPLETE), 1);
    expect_count(c, 3);
    expect_violation(c, 0, "stack.frames-complete", 3, "~stack 3 frame 1 of 2 is incomplete");
    expect_violation(c, 1, "validate.stack-frames", 3, want);
    expect_violation(c, 2, "validate.stack-frames", 4, want);
    gtc_checker_free(c);
}

static void sync_numbers_must_be_consecutive(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    feed(c, rec_sync(10, 1));
    feed(c, rec_sync(11, 3));
    expect_count(c, 1);
    expect_violation(c, 0, "validate.sync-sequence", 1, "sync count is not sequential: expected 2, got 3");
    assert_int_equal(gtc_checker_violation(c, 0)->generation, 2);
    gtc_checker_free(c);
}

static void go125_sync_clock_must_exist_and_increase(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO125);
    feed(c, rec_sync(10, 1)); /* no snapshot */
    feed(c, rec_sync_clock(20, 2, 100, 50));
    feed(c, rec_sync_clock(30, 3, 100, 50)); /* wall and mono do not move */
    feed(c, rec_sync(40, 4)); /* the reader's last Sync: exempt */
    expect_count(c, 3);
    expect_violation(c, 0, "validate.sync-clock", 0, "sync 1 has no clock snapshot");
    expect_violation(c, 1, "validate.sync-clock", 2,
                     "sync 3 has non-increasing wall time: 100000000000 vs 100000000000");
    expect_violation(c, 2, "validate.sync-clock", 2, "sync 3 has non-increasing mono time: 50 vs 50");
    gtc_checker_free(c);

    c = new_checker(GTR_GO123); /* before go1.25 there are no snapshots */
    feed(c, rec_sync(10, 1));
    expect_count(c, 0);
    gtc_checker_free(c);

    c = new_checker(GTR_GO126);
    feed(c, rec_sync_clock(10, 1, 0, 0));
    expect_count(c, 1);
    expect_violation(c, 0, "validate.sync-clock", 0, "sync 1 has zero mono time");
    gtc_checker_free(c);
}

static void metric_name_needs_a_unit(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    gtc_record_t r = rec_on(GTR_KIND_METRIC, 10, 1, 0, GTR_NO_GOROUTINE);
    r.metric.name = str_of("heap\"goal");
    r.metric.value.kind = GTR_VALUE_BAD;
    feed(c, r);
    expect_count(c, 2);
    expect_violation(c, 0, "validate.metric", 0, "invalid metric name \"heap\\\"goal\"");
    expect_violation(c, 1, "validate.metric", 0, "invalid value");
    gtc_checker_free(c);
}

static void label_must_be_non_empty_and_on_a_known_goroutine(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    gtc_record_t r = rec_on(GTR_KIND_LABEL, 13, 1, 0, 5);
    r.label.label = str_of("");
    r.label.resource.kind = GTR_RESOURCE_GOROUTINE;
    r.label.resource.id = 5;
    feed(c, r);
    r.time = 14;
    r.label.label = str_of("GC (dedicated)");
    r.label.resource.id = 9;
    feed(c, r);
    expect_count(c, 2);
    expect_violation(c, 0, "validate.label", 3, "invalid label \"\"");
    expect_violation(c, 1, "validate.label", 4, "label for invalid Goroutine(9)");
    gtc_checker_free(c);
}

static void transitions_rules_in_go_order(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    /* Goroutine 5 blocks through a state it is not in. */
    feed(c, rec_go(13, 1, 0, 5, GTR_EV_GO_BLOCK, 5, GTR_GO_RUNNABLE, GTR_GO_WAITING));
    /* Goroutine 8 was never seen and claims to have been Waiting. */
    feed(c, rec_go(14, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_UNBLOCK, 8, GTR_GO_WAITING, GTR_GO_RUNNABLE));
    feed(c, rec_sync(15, 2));
    /* After the first Sync nothing comes from Undetermined, nor goes there. */
    feed(c, rec_go(16, 1, 0, GTR_NO_GOROUTINE, GTR_EV_GO_STATUS, 9, GTR_GO_UNDETERMINED, GTR_GO_UNDETERMINED));
    assert_int_equal(gtc_checker_violations_of(c, GTC_INV_STATE_TRANSITION), 4);
    expect_violation(c, 0, "validate.state-transition", 3, "bad old state for goroutine 5: got Runnable, want Running");
    expect_violation(c, 1, "validate.state-transition", 4, "bad old state for unregistered goroutine 8: Waiting");
    expect_violation(c, 2, "validate.state-transition", 6, "transition to undetermined state for goroutine 9");
    expect_violation(c, 3, "validate.state-transition", 6, "undetermined goroutine 9 after first global sync");
    gtc_checker_free(c);
}

static void a_thread_runs_one_goroutine_and_one_proc(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    feed(c, rec_go(13, 1, 0, 5, GTR_EV_GO_STATUS, 6, GTR_GO_UNDETERMINED, GTR_GO_RUNNING));
    feed(c, rec_proc(14, 1, GTR_EV_PROC_STATUS, 1, GTR_PROC_UNDETERMINED, GTR_PROC_RUNNING));
    feed(c, rec_go(15, GTR_NO_THREAD, 0, 5, GTR_EV_GO_STATUS, 7, GTR_GO_UNDETERMINED, GTR_GO_SYSCALL));
    feed(c, rec_go(16, 2, 0, 5, GTR_EV_GO_STOP, 7, GTR_GO_SYSCALL, GTR_GO_RUNNABLE));
    /* Goroutine 5 was displaced by 6 on thread 1. */
    feed(c, rec_go(17, 1, 0, 6, GTR_EV_GO_STOP, 5, GTR_GO_RUNNING, GTR_GO_RUNNABLE));
    feed(c, rec_proc(18, 1, GTR_EV_PROC_STOP, 0, GTR_PROC_RUNNING, GTR_PROC_IDLE));
    expect_count(c, 6);
    expect_violation(c, 0, "validate.sched-context", 3,
                     "tried to run goroutine 6 when one was already executing (5) on thread 1");
    expect_violation(c, 1, "validate.sched-context", 4,
                     "tried to run proc 1 when one was already executing (0) on thread 1");
    expect_violation(c, 2, "validate.sched-context", 5, "must have thread, but thread ID is none");
    expect_violation(c, 3, "validate.sched-context", 6, "stopping goroutine 7 not bound to any active context");
    expect_violation(c, 4, "validate.sched-context", 7,
                     "tried to stop goroutine 5 when it wasn't currently executing (currently executing 6) on thread 1");
    expect_violation(c, 5, "validate.sched-context", 8,
                     "tried to stop proc 0 when it wasn't currently executing (currently executing 1) on thread 1");
    gtc_checker_free(c);
}

static void a_stopping_goroutine_has_the_event_stack(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    gtr_frame_t fr[1] = {frame_of(0x401000, "main.f", "main.go", 7)};
    gtc_record_t r = rec_go(13, 1, 0, 5, GTR_EV_GO_BLOCK, 5, GTR_GO_RUNNING, GTR_GO_WAITING);
    r.stack = stack_of(2, fr, 1);
    feed(c, r);
    expect_count(c, 1);
    expect_violation(c, 0, "validate.stop-stack", 3, "StateTransition.Stack doesn't match Event.Stack");
    gtc_checker_free(c);
}

static gtc_record_t rec_range(gtr_kind_t k, int64_t t, const char *name, gtr_resource_kind_t sk, int64_t id)
{
    gtc_record_t r = rec_on(k, t, 1, 0, 5);
    r.range.name = str_of(name);
    r.range.scope.kind = sk;
    r.range.scope.id = id;
    return r;
}

static void ranges_pair_and_do_not_outlive_their_resource(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    feed(c, rec_range(GTR_KIND_RANGE_BEGIN, 13, "GC mark assist", GTR_RESOURCE_GOROUTINE, 5));
    feed(c, rec_range(GTR_KIND_RANGE_BEGIN, 14, "GC mark assist", GTR_RESOURCE_GOROUTINE, 5));
    feed(c, rec_range(GTR_KIND_RANGE_END, 15, "GC concurrent mark phase", GTR_RESOURCE_NONE, 0));
    feed(c, rec_range(GTR_KIND_RANGE_ACTIVE, 16, "GC concurrent mark phase", GTR_RESOURCE_NONE, 0));
    feed(c, rec_range(GTR_KIND_RANGE_END, 17, "GC concurrent mark phase", GTR_RESOURCE_NONE, 0));
    feed(c, rec_go(18, 1, 0, 5, GTR_EV_GO_DESTROY, 5, GTR_GO_RUNNING, GTR_GO_NOT_EXIST));
    expect_count(c, 3);
    expect_violation(c, 0, "validate.range-pairing", 4,
                     "already active range \"GC mark assist\" on Goroutine(5) begun again");
    expect_violation(c, 1, "validate.range-pairing", 5,
                     "inactive range \"GC concurrent mark phase\" on None ended");
    expect_violation(c, 2, "validate.range-on-death", 8, "goroutine 5 died with active ranges");
    gtc_checker_free(c);
}

static gtc_record_t rec_task(gtr_kind_t k, int64_t t, uint64_t id, uint64_t parent, const char *type)
{
    gtc_record_t r = rec_on(k, t, 1, 0, 5);
    r.task.id = id;
    r.task.parent = parent;
    r.task.type = str_of(type);
    return r;
}

static void tasks_have_real_ids_and_matching_types(void **state)
{
    (void)state;
    gtc_checker_t *c = new_checker(GTR_GO123);
    start(c);
    feed(c, rec_task(GTR_KIND_TASK_BEGIN, 13, 0, GTR_NO_TASK, "bad"));
    feed(c, rec_task(GTR_KIND_TASK_BEGIN, 14, 4, 0, "child"));
    feed(c, rec_task(GTR_KIND_TASK_END, 15, 4, 0, "other"));
    feed(c, rec_task(GTR_KIND_TASK_END, 16, 4, 0, "other")); /* begin gone: fine */
    feed(c, rec_task(GTR_KIND_TASK_END, 17, 77, 0, "")); /* begun before the trace */
    expect_count(c, 3);
    expect_violation(c, 0, "validate.task", 3, "found invalid task ID for task of type \"bad\"");
    expect_violation(c, 1, "validate.task", 4, "found background task as the parent for task of type \"child\"");
    expect_violation(c, 2, "validate.task", 5,
                     "task end type \"other\" doesn't match task start type \"child\" for task 4");
    gtc_checker_free(c);
}

static void families_filter_what_is_reported(void **state)
{
    (void)state;
    gtc_options_t o = gtc_options_default();
    o.families = GTC_FAMILY_STACK;
    gtc_checker_t *c = gtc_checker_new(GTR_GO123, &o);
    feed(c, rec_sync(10, 1));
    feed(c, rec_sync(10, 3));
    expect_count(c, 0);
    gtc_checker_free(c);
}

static void every_sentence_format_prints(void **state)
{
    (void)state;
    /* Every invariant has a distinct name, a family and a rule. */
    for (unsigned i = 0; i < GTC_INV_COUNT; i++) {
        gtc_invariant_t inv;
        assert_non_null(gtc_invariant_name(i));
        assert_non_null(gtc_invariant_rule(i));
        assert_true(gtc_invariant_family(i) != 0);
        assert_true(gtc_invariant_lookup(gtc_invariant_name(i), &inv));
        assert_int_equal(inv, i);
    }
    assert_null(gtc_invariant_name(GTC_INV_COUNT));
    assert_false(gtc_invariant_lookup("stack.nope", &(gtc_invariant_t){0}));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(well_formed_stream_has_no_violation),
        cmocka_unit_test(equal_time_is_out_of_order_and_not_the_new_reference),
        cmocka_unit_test(incomplete_frame_after_the_first_is_flagged_on_every_event),
        cmocka_unit_test(sync_numbers_must_be_consecutive),
        cmocka_unit_test(go125_sync_clock_must_exist_and_increase),
        cmocka_unit_test(metric_name_needs_a_unit),
        cmocka_unit_test(label_must_be_non_empty_and_on_a_known_goroutine),
        cmocka_unit_test(transitions_rules_in_go_order),
        cmocka_unit_test(a_thread_runs_one_goroutine_and_one_proc),
        cmocka_unit_test(a_stopping_goroutine_has_the_event_stack),
        cmocka_unit_test(ranges_pair_and_do_not_outlive_their_resource),
        cmocka_unit_test(tasks_have_real_ids_and_matching_types),
        cmocka_unit_test(families_filter_what_is_reported),
        cmocka_unit_test(every_sentence_format_prints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
