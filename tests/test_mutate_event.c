/* test_mutate_event.c: the event-level mutations (change-type, retarget,
 * move-event, copy-event, and wrong-status's statuses outside the format,
 * and the type-first choice of a target) each make
 * exactly the edit they name, and the traces they make are mostly ones
 * the reader's orderer refuses, which is what they are for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace.h"
#include "gtg_gen.h"
#include "gtg_mutate.h"

#define SEEDS 12

#include "grammar_fixture.h"

static const gtr_version_t versions[] = {GTR_GO122, GTR_GO123, GTR_GO125, GTR_GO126};

static gtg_trace_t *gen(uint64_t seed)
{
    gtg_choice_t c;
    gtg_choice_seed(&c, seed);
    gtg_options_t o = {.version = versions[seed % 4], .max_events = 400};
    gtg_trace_t *t = NULL;
    char msg[256] = "";
    assert_int_equal(gtg_generate(grammar, &c, &o, &t, NULL, msg, sizeof msg), GTG_OK);
    return t;
}

/* A copy of the items, to compare before and after. */
static gtg_item_t *snapshot(const gtg_trace_t *t, size_t *n)
{
    *n = gtg_trace_count(t);
    gtg_item_t *v = malloc(*n * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < *n; i++) {
        v[i] = *gtg_trace_item(t, i);
    }
    return v;
}

static void mutate(gtg_trace_t *t, uint64_t seed, gtg_mutation_t m, char *desc, size_t dl)
{
    gtg_choice_t c;
    gtg_choice_seed(&c, seed);
    size_t cut = 1;
    assert_int_equal(gtg_mutate(t, &c, m, &cut, desc, dl), GTG_OK);
    assert_int_equal(cut, 0);
    assert_true(strlen(desc) > 20);
}

/* True if the C reader reads the trace to the end. */
static bool reader_accepts(const gtg_trace_t *t)
{
    uint8_t *wire = NULL;
    size_t len = 0;
    assert_int_equal(gtg_trace_to_wire(t, 0, &wire, &len), GTG_OK);
    gtr_reader_t *r = NULL;
    const gtr_event_t *ev;
    int rc = gtr_reader_open_buffer(&r, wire, len, NULL);
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
    }
    gtr_reader_free(r);
    free(wire);
    return rc == GTR_EOF;
}

/* The one index where the items differ (same count), or fails. */
static size_t only_difference(const gtg_item_t *before, const gtg_trace_t *t)
{
    size_t at = SIZE_MAX;
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        if (memcmp(&before[i], gtg_trace_item(t, i), sizeof before[i]) != 0) {
            assert_int_equal(at, SIZE_MAX);
            at = i;
        }
    }
    assert_int_not_equal(at, SIZE_MAX);
    return at;
}

static void change_type_makes_an_event_a_look_alike_of_another_type(void **state)
{
    (void)state;
    size_t refused = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        gtg_trace_t *t = gen(seed);
        size_t n;
        gtg_item_t *before = snapshot(t, &n);
        char desc[256];
        mutate(t, seed, GTG_MUT_CHANGE_TYPE, desc, sizeof desc);
        assert_int_equal(gtg_trace_count(t), n);
        size_t at = only_difference(before, t);
        const gtg_item_t *it = gtg_trace_item(t, at);
        assert_int_not_equal(it->type, before[at].type);
        assert_memory_equal(it->args, before[at].args, sizeof it->args);
        const gtr_event_spec_t *a = gtr_spec(gtg_trace_version(t), before[at].type);
        const gtr_event_spec_t *b = gtr_spec(gtg_trace_version(t), it->type);
        assert_non_null(a);
        assert_non_null(b);
        assert_true(b->is_timed);
        assert_int_equal(a->nargs, b->nargs);
        for (size_t k = 1; k < a->nargs; k++) {
            assert_int_equal(gtr_arg_type(a->args[k]), gtr_arg_type(b->args[k]));
        }
        assert_non_null(strstr(desc, b->name));
        refused += !reader_accepts(t);
        free(before);
        gtg_trace_free(t);
    }
    assert_true(refused >= SEEDS / 2);
}

static void retarget_points_one_id_or_name_argument_elsewhere(void **state)
{
    (void)state;
    size_t refused = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        gtg_trace_t *t = gen(seed);
        size_t n;
        gtg_item_t *before = snapshot(t, &n);
        char desc[256];
        mutate(t, seed, GTG_MUT_RETARGET, desc, sizeof desc);
        size_t at = only_difference(before, t);
        const gtg_item_t *it = gtg_trace_item(t, at);
        assert_int_equal(it->type, before[at].type);
        const gtr_event_spec_t *s = gtr_spec(gtg_trace_version(t), it->type);
        size_t changed = 0;
        for (size_t k = 0; k < it->nargs; k++) {
            if (it->args[k] != before[at].args[k]) {
                changed++;
                gtr_arg_type_t kind = gtr_arg_type(s->args[k + 1]);
                assert_true(kind == GTR_ARG_G || kind == GTR_ARG_M || kind == GTR_ARG_P ||
                            kind == GTR_ARG_TASK || kind == GTR_ARG_STRING);
            }
        }
        assert_int_equal(changed, 1);
        refused += !reader_accepts(t);
        free(before);
        gtg_trace_free(t);
    }
    assert_true(refused >= SEEDS / 3);
}

/* The M of the batch holding item i of items v. */
static uint64_t m_of(const gtg_item_t *v, size_t i)
{
    while (v[i].kind != GTG_ITEM_BATCH) {
        i--;
    }
    return v[i].args[1];
}

static bool timed(const gtg_item_t *it)
{
    return it->kind == GTG_ITEM_EVENT && gtr_spec_any(it->type)->is_timed;
}

static void move_event_puts_the_event_on_another_m_at_its_time(void **state)
{
    (void)state;
    size_t refused = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        gtg_trace_t *t = gen(seed);
        size_t n;
        gtg_item_t *before = snapshot(t, &n);
        char desc[256];
        mutate(t, seed, GTG_MUT_MOVE_EVENT, desc, sizeof desc);
        gtg_item_t *after = snapshot(t, &n);
        /* Timed events are unique by time: exactly one changed its M, the
         * others kept theirs, and times still increase in every batch. */
        size_t moved = 0;
        for (size_t i = 0; i < n; i++) {
            if (!timed(&after[i])) {
                continue;
            }
            size_t j = 0;
            while (j < n && !(timed(&before[j]) && before[j].ts == after[i].ts)) {
                j++;
            }
            assert_true(j < n);
            assert_int_equal(before[j].type, after[i].type);
            if (m_of(before, j) != m_of(after, i)) {
                moved++;
                assert_int_equal(before[j].gen_index, after[i].gen_index);
            }
            if (i > 0 && timed(&after[i - 1])) {
                assert_true(after[i - 1].ts < after[i].ts);
            }
        }
        assert_int_equal(moved, 1);
        assert_non_null(strstr(desc, "moved"));
        refused += !reader_accepts(t);
        free(before);
        free(after);
        gtg_trace_free(t);
    }
    assert_true(refused >= SEEDS / 2);
}

static void copy_event_adds_the_same_event_on_another_m_at_its_time(void **state)
{
    (void)state;
    size_t refused = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        gtg_trace_t *t = gen(seed);
        size_t n0, n;
        gtg_item_t *before = snapshot(t, &n0);
        char desc[256];
        mutate(t, seed, GTG_MUT_COPY_EVENT, desc, sizeof desc);
        gtg_item_t *after = snapshot(t, &n);
        assert_int_equal(n, n0 + 1);
        /* Exactly one time now has two events: the same type and
         * arguments, on two different Ms. */
        size_t pairs = 0;
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; timed(&after[i]) && j < n; j++) {
                if (timed(&after[j]) && after[j].ts == after[i].ts) {
                    pairs++;
                    assert_int_equal(after[i].type, after[j].type);
                    assert_memory_equal(after[i].args, after[j].args, sizeof after[i].args);
                    assert_true(m_of(after, i) != m_of(after, j));
                }
            }
        }
        assert_int_equal(pairs, 1);
        assert_non_null(strstr(desc, "copied"));
        refused += !reader_accepts(t);
        free(before);
        free(after);
        gtg_trace_free(t);
    }
    assert_true(refused >= SEEDS / 2);
}

/* The type of the timed event drop-event took out of a trace of seed 5. */
static unsigned dropped_type(uint64_t mseed, const size_t *count0)
{
    gtg_trace_t *t = gen(5);
    char desc[256];
    mutate(t, mseed, GTG_MUT_DROP_EVENT, desc, sizeof desc);
    size_t count[256] = {0};
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        count[gtg_trace_item(t, i)->type] += timed(gtg_trace_item(t, i));
    }
    gtg_trace_free(t);
    for (unsigned k = 0; k < 256; k++) {
        if (count[k] != count0[k]) {
            assert_int_equal(count[k] + 1, count0[k]);
            return k;
        }
    }
    fail_msg("no event type lost an event");
    return 0;
}

static void targets_are_drawn_type_first_so_rare_events_are_hit(void **state)
{
    (void)state;
    gtg_trace_t *t = gen(5);
    size_t count0[256] = {0}, ntypes = 0, nevents = 0, rare = 0;
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        count0[gtg_trace_item(t, i)->type] += timed(gtg_trace_item(t, i));
    }
    gtg_trace_free(t);
    for (unsigned k = 0; k < 256; k++) {
        ntypes += count0[k] > 0;
        nevents += count0[k];
    }
    /* Drawing events uniformly, the types with at most 1% of the events
     * would be hit about 1% of the time; drawn type first, each type is
     * hit 1/ntypes of the time. */
    size_t trials = 12 * ntypes;
    for (uint64_t m = 1; m <= trials; m++) {
        rare += count0[dropped_type(m, count0)] * 100 <= nevents;
    }
    size_t rare_types = 0;
    for (unsigned k = 0; k < 256; k++) {
        rare_types += count0[k] > 0 && count0[k] * 100 <= nevents;
    }
    assert_true(rare_types >= 2);
    assert_true(rare * ntypes >= trials * rare_types / 2);
}

static void wrong_status_also_writes_statuses_outside_the_format(void **state)
{
    (void)state;
    size_t outside = 0, inside = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        gtg_trace_t *t = gen(seed);
        size_t n;
        gtg_item_t *before = snapshot(t, &n);
        char desc[256];
        mutate(t, seed * 7919, GTG_MUT_WRONG_STATUS, desc, sizeof desc);
        size_t at = only_difference(before, t);
        const gtg_item_t *it = gtg_trace_item(t, at);
        for (size_t k = 0; k < it->nargs; k++) {
            if (it->args[k] != before[at].args[k]) {
                outside += it->args[k] == 0 || it->args[k] >= 5;
                inside += it->args[k] >= 1 && it->args[k] <= 4;
            }
        }
        free(before);
        gtg_trace_free(t);
    }
    assert_true(outside >= 2);
    assert_true(inside >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(change_type_makes_an_event_a_look_alike_of_another_type),
        cmocka_unit_test(retarget_points_one_id_or_name_argument_elsewhere),
        cmocka_unit_test(move_event_puts_the_event_on_another_m_at_its_time),
        cmocka_unit_test(copy_event_adds_the_same_event_on_another_m_at_its_time),
        cmocka_unit_test(targets_are_drawn_type_first_so_rare_events_are_hit),
        cmocka_unit_test(wrong_status_also_writes_statuses_outside_the_format),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
