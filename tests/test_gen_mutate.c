/* test_gen_mutate.c: every structured mutation changes the trace and says
 * what it broke; every runtime-bug imitation marks the goroutine it hit in
 * the ground truth and breaks the promise it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gtg_gen.h"
#include "gtg_mutate.h"

#include "grammar_fixture.h"

static gtg_trace_t *gen(uint64_t seed, gtr_version_t v, gtg_bug_t bug, gtg_truth_t **truth)
{
    gtg_choice_t c;
    gtg_choice_seed(&c, seed);
    gtg_options_t o = {.version = v, .bug = bug};
    gtg_trace_t *t = NULL;
    char msg[256] = "";
    assert_int_equal(gtg_generate(grammar, &c, &o, &t, truth, msg, sizeof msg), GTG_OK);
    return t;
}

static uint8_t *wire(const gtg_trace_t *t, size_t cut, size_t *n)
{
    uint8_t *b = NULL;
    assert_int_equal(gtg_trace_to_wire(t, cut, &b, n), GTG_OK);
    return b;
}

static void every_mutation_changes_the_bytes_and_explains_itself(void **state)
{
    (void)state;
    for (int m = 0; m < GTG_MUT_COUNT; m++) {
        assert_int_equal(gtg_mutation_lookup(gtg_mutation_name((gtg_mutation_t)m)), m);
        gtg_trace_t *t = gen(40 + (uint64_t)m, GTR_GO126, GTG_BUG_NONE, NULL);
        size_t n0, n1, cut = 0;
        uint8_t *before = wire(t, 0, &n0);
        gtg_choice_t c;
        gtg_choice_seed(&c, 7);
        char desc[256] = "";
        assert_int_equal(gtg_mutate(t, &c, (gtg_mutation_t)m, &cut, desc, sizeof desc), GTG_OK);
        assert_true(strlen(desc) > 20);
        uint8_t *after = wire(t, cut, &n1);
        assert_true(n0 != n1 || memcmp(before, after, n0) != 0);
        if (m == GTG_MUT_TRUNCATE) {
            assert_true(cut > 0 && n1 + cut == n0);
        }
        free(before);
        free(after);
        gtg_trace_free(t);
    }
    assert_int_equal(gtg_mutation_lookup("random"), GTG_MUT_COUNT);
}

static void newer_event_is_outside_the_version(void **state)
{
    (void)state;
    gtg_trace_t *t = gen(3, GTR_GO122, GTG_BUG_NONE, NULL);
    gtg_choice_t c;
    gtg_choice_seed(&c, 1);
    size_t cut;
    char desc[256];
    assert_int_equal(gtg_mutate(t, &c, GTG_MUT_NEWER_EVENT, &cut, desc, sizeof desc), GTG_OK);
    size_t foreign = 0;
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        const gtg_item_t *it = gtg_trace_item(t, i);
        foreign += it->kind == GTG_ITEM_EVENT && gtr_spec(GTR_GO122, it->type) == NULL;
    }
    assert_int_equal(foreign, 1);
    assert_non_null(strstr(desc, "newer version"));
    /* Go's text converter stops at the foreign event; the text keeps what
     * it printed up to there. */
    char *txt = NULL;
    size_t n = 0;
    assert_int_equal(gtg_trace_to_text(t, 0, &txt, &n), GTG_OK);
    assert_memory_equal(txt, "Trace Go1.22\n", 13);
    free(txt);
    gtg_trace_free(t);
}

/* The first row a bug hit, or NULL. */
static const gtg_truth_row_t *bug_row(const gtg_truth_t *truth)
{
    for (size_t i = 0; i < gtg_truth_count(truth); i++) {
        if (gtg_truth_row(truth, i)->bug != NULL) {
            return gtg_truth_row(truth, i);
        }
    }
    return NULL;
}

static void no_stack_bug_leaves_a_blocked_goroutine_stackless(void **state)
{
    (void)state;
    size_t hits = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        gtg_truth_t *truth = NULL;
        gtg_trace_t *t = gen(seed, GTR_GO123, GTG_BUG_NO_STACK, &truth);
        const gtg_truth_row_t *r = bug_row(truth);
        if (r != NULL) {
            hits++;
            assert_string_equal(r->bug, "no-stack");
            assert_int_equal(r->cls, GTG_CLASS_BLOCKED);
            assert_true(r->must_stack);
            assert_false(r->has_stack);
        }
        gtg_trace_free(t);
        gtg_truth_free(truth);
    }
    assert_true(hits >= 5);
}

static void stack_in_go122_bug_writes_go_status_stack(void **state)
{
    (void)state;
    gtg_truth_t *truth = NULL;
    gtg_trace_t *t = NULL;
    for (uint64_t seed = 1; seed <= 10 && (t == NULL || bug_row(truth) == NULL); seed++) {
        gtg_trace_free(t);
        gtg_truth_free(truth);
        t = gen(seed, GTR_GO126, GTG_BUG_STACK_IN_GO122, &truth);
    }
    assert_non_null(bug_row(truth));
    assert_int_equal(gtg_trace_version(t), GTR_GO122);
    size_t n = 0;
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        n += gtg_trace_item(t, i)->type == GTR_EV_GO_STATUS_STACK;
    }
    assert_true(n >= 1);
    gtg_trace_free(t);
    gtg_truth_free(truth);
}

static void bug_names_round_trip(void **state)
{
    (void)state;
    for (int b = 0; b < GTG_BUG_COUNT; b++) {
        assert_int_equal(gtg_bug_lookup(gtg_bug_name((gtg_bug_t)b)), b);
        assert_true(strlen(gtg_bug_describe((gtg_bug_t)b)) > 10);
    }
    assert_int_equal(gtg_bug_lookup("nonsense"), GTG_BUG_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_mutation_changes_the_bytes_and_explains_itself),
        cmocka_unit_test(newer_event_is_outside_the_version),
        cmocka_unit_test(no_stack_bug_leaves_a_blocked_goroutine_stackless),
        cmocka_unit_test(stack_in_go122_bug_writes_go_status_stack),
        cmocka_unit_test(bug_names_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
