/* test_gen_model.c: the generator is reproducible from a seed or bytes,
 * stays inside its budgets, respects each version's event set and framing,
 * and keeps the runtime's stack promise in its ground truth.
 *
 * That Go's reader accepts the traces is checked against the Go oracle
 * (docs/grammar.md, "Checking"), which a unit test cannot run; here the
 * structural promises are pinned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gtg_gen.h"

static const gtr_version_t versions[4] = {GTR_GO122, GTR_GO123, GTR_GO125, GTR_GO126};

#include "grammar_fixture.h"

static gtg_trace_t *gen(gtg_choice_t *c, const gtg_options_t *o, gtg_truth_t **truth)
{
    gtg_trace_t *t = NULL;
    char msg[256] = "";
    gtg_err_t err = gtg_generate(grammar, c, o, &t, truth, msg, sizeof msg);
    if (err != GTG_OK) {
        fail_msg("generate: %s: %s", gtg_err_name(err), msg);
    }
    return t;
}

static uint8_t *wire(const gtg_trace_t *t, size_t *n)
{
    uint8_t *b = NULL;
    assert_int_equal(gtg_trace_to_wire(t, 0, &b, n), GTG_OK);
    return b;
}

static void same_seed_gives_same_bytes(void **state)
{
    (void)state;
    for (size_t v = 0; v < 4; v++) {
        gtg_options_t o = {.version = versions[v]};
        gtg_choice_t c1, c2;
        gtg_choice_seed(&c1, 99 + v);
        gtg_choice_seed(&c2, 99 + v);
        gtg_trace_t *a = gen(&c1, &o, NULL), *b = gen(&c2, &o, NULL);
        size_t na, nb;
        uint8_t *wa = wire(a, &na), *wb = wire(b, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(wa, wb, na);
        free(wa);
        free(wb);
        gtg_trace_free(a);
        gtg_trace_free(b);
    }
}

static void same_bytes_give_same_trace_and_empty_bytes_a_small_one(void **state)
{
    (void)state;
    uint8_t buf[512];
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = (uint8_t)(i * 37 + 11);
    }
    gtg_options_t o = {.version = GTR_GO126};
    gtg_choice_t c1, c2, c3;
    gtg_choice_bytes(&c1, buf, sizeof buf);
    gtg_choice_bytes(&c2, buf, sizeof buf);
    gtg_choice_bytes(&c3, NULL, 0);
    gtg_trace_t *a = gen(&c1, &o, NULL), *b = gen(&c2, &o, NULL), *e = gen(&c3, &o, NULL);
    size_t na, nb, ne;
    uint8_t *wa = wire(a, &na), *wb = wire(b, &nb), *we = wire(e, &ne);
    assert_int_equal(na, nb);
    assert_memory_equal(wa, wb, na);
    /* Out of bytes, every choice is the cheapest: one short generation. */
    size_t ends = 0;
    for (size_t i = 0; i < gtg_trace_count(e); i++) {
        ends += gtg_trace_item(e, i)->kind == GTG_ITEM_END_GEN;
    }
    assert_int_equal(ends, 1);
    assert_true(ne < na);
    free(wa);
    free(wb);
    free(we);
    gtg_trace_free(a);
    gtg_trace_free(b);
    gtg_trace_free(e);
}

/* The fuzz-target entry point: the same bytes give the same wire bytes,
 * and any bytes give a trace. */
static void trace_from_bytes_is_deterministic(void **state)
{
    (void)state;
    uint8_t data[300];
    for (size_t round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof data; i++) {
            data[i] = (uint8_t)((i * 131 + round * 17) ^ (i >> 3));
        }
        size_t len = round * 15;
        uint8_t *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        assert_int_equal(gtg_trace_from_bytes(grammar, data, len, 500, &a, &na), GTG_OK);
        assert_int_equal(gtg_trace_from_bytes(grammar, data, len, 500, &b, &nb), GTG_OK);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na);
        assert_memory_equal(a, "go 1.", 5);
        free(a);
        free(b);
    }
}

/* A budget smaller than the world's statuses still terminates: every
 * generation then holds just the boundary's announcements. */
static void tiny_budget_terminates(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        gtg_options_t o = {.version = GTR_GO126, .max_events = 1, .max_generations = 3};
        gtg_choice_t c;
        gtg_choice_seed(&c, seed);
        gtg_truth_t *truth = NULL;
        gtg_trace_t *t = gen(&c, &o, &truth);
        assert_true(gtg_truth_generations(truth) <= 3);
        assert_true(gtg_trace_count(t) < 400);
        gtg_trace_free(t);
        gtg_truth_free(truth);
    }
}

/* Timed events, generations and goroutines all stay inside the budget. */
static void budgets_hold(void **state)
{
    (void)state;
    static const uint64_t budgets[][3] = {{50, 1, 2}, {300, 3, 10}, {5000, 12, 64}};
    for (size_t b = 0; b < 3; b++) {
        for (uint64_t seed = 1; seed <= 8; seed++) {
            gtg_options_t o = {.version = versions[seed % 4], .max_events = budgets[b][0],
                               .max_generations = budgets[b][1], .max_goroutines = budgets[b][2]};
            gtg_choice_t c;
            gtg_choice_seed(&c, seed);
            gtg_truth_t *truth = NULL;
            gtg_trace_t *t = gen(&c, &o, &truth);
            size_t timed = 0;
            uint64_t max_goid = 0;
            for (size_t i = 0; i < gtg_trace_count(t); i++) {
                const gtg_item_t *it = gtg_trace_item(t, i);
                const gtr_event_spec_t *s = gtr_spec_any(it->type);
                timed += it->kind == GTG_ITEM_EVENT && s != NULL && s->is_timed;
            }
            for (size_t i = 0; i < gtg_truth_count(truth); i++) {
                uint64_t id = gtg_truth_row(truth, i)->goid;
                max_goid = id > max_goid ? id : max_goid;
            }
            assert_true(timed <= budgets[b][0]);
            assert_true(gtg_truth_generations(truth) <= budgets[b][1]);
            assert_true(max_goid <= budgets[b][2]);
            gtg_trace_free(t);
            gtg_truth_free(truth);
        }
    }
}

/* Every event belongs to the trace's version; go1.26 closes each
 * generation with EndOfGeneration; the header names the version. */
static void versions_keep_their_event_sets(void **state)
{
    (void)state;
    for (size_t v = 0; v < 4; v++) {
        gtg_options_t o = {.version = versions[v]};
        gtg_choice_t c;
        gtg_choice_seed(&c, 5);
        gtg_truth_t *truth = NULL;
        gtg_trace_t *t = gen(&c, &o, &truth);
        size_t ends = 0;
        for (size_t i = 0; i < gtg_trace_count(t); i++) {
            const gtg_item_t *it = gtg_trace_item(t, i);
            if (it->kind == GTG_ITEM_EVENT && gtr_spec(versions[v], it->type) == NULL) {
                fail_msg("go1.%u trace holds event type %u", (unsigned)versions[v], it->type);
            }
            ends += it->kind == GTG_ITEM_END_GEN;
        }
        assert_int_equal(ends, versions[v] == GTR_GO126 ? gtg_truth_generations(truth) : 0);
        size_t n;
        uint8_t *w = wire(t, &n);
        char hdr[17];
        snprintf(hdr, sizeof hdr, "go 1.%u trace", (unsigned)versions[v]);
        assert_memory_equal(w, hdr, strlen(hdr));
        assert_memory_equal(w + 13, "\0\0\0", 3);
        free(w);
        gtg_trace_free(t);
        gtg_truth_free(truth);
    }
}

/* go1.23+: everything blocked or in a syscall for a whole generation was
 * announced with a stack; go1.22: nothing carries one. And such goroutines
 * do occur. */
static void ground_truth_keeps_the_stack_promise(void **state)
{
    (void)state;
    for (size_t v = 0; v < 4; v++) {
        size_t whole = 0;
        for (uint64_t seed = 1; seed <= 10; seed++) {
            gtg_options_t o = {.version = versions[v]};
            gtg_choice_t c;
            gtg_choice_seed(&c, seed);
            gtg_truth_t *truth = NULL;
            gtg_trace_t *t = gen(&c, &o, &truth);
            for (size_t i = 0; i < gtg_truth_count(truth); i++) {
                const gtg_truth_row_t *r = gtg_truth_row(truth, i);
                bool is_whole = r->cls == GTG_CLASS_BLOCKED || r->cls == GTG_CLASS_SYSCALL;
                whole += is_whole;
                assert_int_equal(r->must_stack, is_whole && versions[v] >= GTR_GO123);
                /* Runnable-throughout goroutines get a stack too (the
                 * runtime walks every untraced goroutine), unpromised. */
                assert_true(!r->must_stack || r->has_stack);
                assert_true(versions[v] >= GTR_GO123 || !r->has_stack);
                assert_null(r->bug);
            }
            gtg_trace_free(t);
            gtg_truth_free(truth);
        }
        assert_true(whole > 0);
    }
}

static void text_output_is_go_text_format(void **state)
{
    (void)state;
    gtg_options_t o = {.version = GTR_GO125};
    gtg_choice_t c;
    gtg_choice_seed(&c, 8);
    gtg_trace_t *t = gen(&c, &o, NULL);
    char *txt = NULL;
    size_t n = 0;
    assert_int_equal(gtg_trace_to_text(t, 0, &txt, &n), GTG_OK);
    assert_true(n > 100);
    assert_memory_equal(txt, "Trace Go1.25\nEventBatch gen=", 28);
    assert_non_null(strstr(txt, "\nSync\nFrequency freq="));
    assert_non_null(strstr(txt, "\nClockSnapshot dt="));
    free(txt);
    gtg_trace_free(t);
}

static void truth_json_names_every_generation(void **state)
{
    (void)state;
    gtg_options_t o = {.version = GTR_GO123, .max_generations = 3};
    gtg_choice_t c;
    gtg_choice_seed(&c, 21);
    gtg_truth_t *truth = NULL;
    gtg_trace_t *t = gen(&c, &o, &truth);
    char *js = NULL;
    size_t n = 0;
    assert_int_equal(gtg_truth_json(truth, &js, &n), GTG_OK);
    assert_memory_equal(js, "{\"version\":\"go1.23\",\"generations\":[", 35);
    size_t gens = 0;
    for (const char *p = js; (p = strstr(p, "\"index\":")) != NULL; p++) {
        gens++;
    }
    assert_int_equal(gens, gtg_truth_generations(truth));
    assert_non_null(strstr(js, "\"blocked_with_stack\":"));
    free(js);
    gtg_trace_free(t);
    gtg_truth_free(truth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_gives_same_bytes),
        cmocka_unit_test(same_bytes_give_same_trace_and_empty_bytes_a_small_one),
        cmocka_unit_test(budgets_hold),
        cmocka_unit_test(tiny_budget_terminates),
        cmocka_unit_test(trace_from_bytes_is_deterministic),
        cmocka_unit_test(versions_keep_their_event_sets),
        cmocka_unit_test(ground_truth_keeps_the_stack_promise),
        cmocka_unit_test(text_output_is_go_text_format),
        cmocka_unit_test(truth_json_names_every_generation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
