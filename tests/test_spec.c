/* test_spec.c: the event spec tables answer per version as Go's reader does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace_spec.h"

static void go_status_stack_exists_only_from_go123(void **state)
{
    (void)state;
    assert_null(gtr_spec(GTR_GO122, GTR_EV_GO_STATUS_STACK));
    assert_non_null(gtr_spec(GTR_GO123, GTR_EV_GO_STATUS_STACK));
    assert_string_equal(gtr_spec(GTR_GO126, GTR_EV_GO_STATUS_STACK)->name, "GoStatusStack");
}

static void version_tables_are_prefixes(void **state)
{
    (void)state;
    assert_int_equal(gtr_spec_count(GTR_GO122), GTR_EV_USER_LOG + 1);
    assert_int_equal(gtr_spec_count(GTR_GO123), GTR_EV_EXPERIMENTAL_BATCH + 1);
    assert_int_equal(gtr_spec_count(GTR_GO125), GTR_EV_CLOCK_SNAPSHOT + 1);
    assert_int_equal(gtr_spec_count(GTR_GO126), GTR_EV_END_OF_GENERATION + 1);
    assert_int_equal(gtr_spec_count(GTR_GO121), 0);
    assert_null(gtr_spec(GTR_GO125, GTR_EV_END_OF_GENERATION));
    assert_non_null(gtr_spec(GTR_GO126, GTR_EV_END_OF_GENERATION));
    assert_null(gtr_spec(GTR_GO126, 0));
    assert_null(gtr_spec(GTR_GO126, 53));
    assert_null(gtr_spec(GTR_GO126, 255));
}

static void experimental_events_belong_to_alloc_free(void **state)
{
    (void)state;
    for (unsigned t = GTR_EV_SPAN; t < GTR_EV_MAX_EXPERIMENTAL; t++) {
        const gtr_event_spec_t *s = gtr_spec_any(t);
        assert_non_null(s);
        assert_int_equal(s->experiment, GTR_EXP_ALLOC_FREE);
        assert_true(s->is_timed);
    }
    assert_null(gtr_spec(GTR_GO125, GTR_EV_SPAN));
    assert_string_equal(gtr_experiment_name(GTR_EXP_ALLOC_FREE), "AllocFree");
    assert_null(gtr_experiment_name(GTR_EXP_COUNT));
}

static void stack_and_string_ids_point_at_typed_args(void **state)
{
    (void)state;
    for (unsigned t = 0; t < GTR_EV_MAX_EXPERIMENTAL; t++) {
        const gtr_event_spec_t *s = gtr_spec_any(t);
        if (s == NULL) {
            continue;
        }
        for (unsigned i = 0; i < s->n_stack_ids; i++) {
            assert_true(s->stack_ids[i] < s->nargs);
            assert_int_equal(gtr_arg_type(s->args[s->stack_ids[i]]), GTR_ARG_STACK);
        }
        for (unsigned i = 0; i < s->n_string_ids; i++) {
            assert_true(s->string_ids[i] < s->nargs);
            assert_int_equal(gtr_arg_type(s->args[s->string_ids[i]]), GTR_ARG_STRING);
        }
        /* A timed event's first argument is its timestamp delta. */
        if (s->is_timed) {
            assert_true(s->nargs >= 1);
            assert_false(s->has_data);
        }
    }
}

/* The ordering's short path (order_int.h) checks these events' IDs at
 * fixed positions; the spec must say the same (argument 1 is args[0]). */
static void expect_ids(unsigned typ, unsigned nstrings, unsigned string0, unsigned nstacks,
                       unsigned stack0)
{
    const gtr_event_spec_t *s = gtr_spec_any(typ);
    assert_non_null(s);
    assert_int_equal(s->n_string_ids, nstrings);
    assert_int_equal(s->n_stack_ids, nstacks);
    if (nstrings > 0) {
        assert_int_equal(s->string_ids[0], string0);
    }
    if (nstacks > 0) {
        assert_int_equal(s->stack_ids[0], stack0);
    }
}

static void short_path_id_positions_match_the_spec(void **state)
{
    (void)state;
    expect_ids(GTR_EV_GO_START, 0, 0, 0, 0);
    expect_ids(GTR_EV_GO_STOP, 1, 1, 1, 2);
    expect_ids(GTR_EV_GO_BLOCK, 1, 1, 1, 2);
    expect_ids(GTR_EV_GO_UNBLOCK, 0, 0, 1, 3);
    expect_ids(GTR_EV_HEAP_ALLOC, 0, 0, 0, 0);
    expect_ids(GTR_EV_HEAP_GOAL, 0, 0, 0, 0);
}

static void lookup_by_name_respects_version(void **state)
{
    (void)state;
    assert_int_equal(gtr_spec_lookup(GTR_GO126, "GoBlock", 7), GTR_EV_GO_BLOCK);
    assert_int_equal(gtr_spec_lookup(GTR_GO122, "GoSwitch", 8), -1);
    assert_int_equal(gtr_spec_lookup(GTR_GO126, "GoBlockX", 8), -1);
}

static void arg_types_follow_name_suffix(void **state)
{
    (void)state;
    assert_int_equal(gtr_arg_type("reason_string"), GTR_ARG_STRING);
    assert_int_equal(gtr_arg_type("g_seq"), GTR_ARG_SEQ);
    assert_int_equal(gtr_arg_type("new_g"), GTR_ARG_G);
    assert_int_equal(gtr_arg_type("stack"), GTR_ARG_STACK);
    assert_int_equal(gtr_arg_type("dt"), GTR_ARG_RAW);
    assert_int_equal(gtr_arg_type("kindclass"), GTR_ARG_RAW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(go_status_stack_exists_only_from_go123),
        cmocka_unit_test(version_tables_are_prefixes),
        cmocka_unit_test(experimental_events_belong_to_alloc_free),
        cmocka_unit_test(stack_and_string_ids_point_at_typed_args),
        cmocka_unit_test(short_path_id_positions_match_the_spec),
        cmocka_unit_test(lookup_by_name_respects_version),
        cmocka_unit_test(arg_types_follow_name_suffix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
