/* test_gen_grammar.c: the grammar loader accepts the default grammar,
 * rejects broken grammars with a line number and a reason, and a grammar
 * edit (weights, new rules from existing actions) changes what is
 * generated without any C change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gtg_gen.h"

/* The completions every grammar needs, for the small test grammars. */
#define COMPLETIONS                                                         \
    "rule world.g 1 = g_runnable\n"                                         \
    "rule world.gc 1 = gc_off\n"                                            \
    "rule boundary 1 = keep_syscall_p\n"                                    \
    "rule layout.sync 1 = sync_first\n"                                     \
    "rule layout.batches 1 = batch_whole\n"                                 \
    "rule layout.cpu 1 = cpu_none\n"                                        \
    "rule step 0 = nop\n"

static gtg_err_t parse(const char *text, gtg_grammar_t **g, char *err, size_t errlen)
{
    return gtg_grammar_parse(text, strlen(text), g, err, errlen);
}

static void default_grammar_loads_with_every_nonterminal(void **state)
{
    (void)state;
    gtg_grammar_t *g = NULL;
    char err[256] = "";
    assert_int_equal(gtg_grammar_default(&g, err, sizeof err), GTG_OK);
    for (int nt = 0; nt < GTG_NT_COUNT; nt++) {
        assert_true(gtg_grammar_count(g, (gtg_nt_t)nt) > 0);
    }
    assert_true(gtg_grammar_count(g, GTG_NT_STEP) > 40);
    assert_int_equal(gtg_grammar_limit(g, GTG_LIMIT_EVENTS), 2000);
    gtg_grammar_free(g);
}

static void limits_and_gates_parse(void **state)
{
    (void)state;
    gtg_grammar_t *g = NULL;
    char err[256] = "";
    const char *text = "limit events 77\nlimit procs 3\n" COMPLETIONS
                       "rule step 5 go1.23+ when room_g, gc_off = go_create_blocked\n"
                       "rule step 2 go1.22..go1.23 = go_start  # comment\n"
                       "rule step 1 go1.25- = stw(stop-the-world (read mem stats))\n";
    assert_int_equal(parse(text, &g, err, sizeof err), GTG_OK);
    assert_int_equal(gtg_grammar_limit(g, GTG_LIMIT_EVENTS), 77);
    assert_int_equal(gtg_grammar_limit(g, GTG_LIMIT_PROCS), 3);
    assert_int_equal(gtg_grammar_count(g, GTG_NT_STEP), 4);
    gtg_grammar_free(g);
}

/* Each broken grammar, and a phrase its message must carry. */
static void broken_grammars_are_rejected_with_a_reason(void **state)
{
    (void)state;
    static const struct {
        const char *text, *phrase;
    } cases[] = {
        {COMPLETIONS "rule step 1 = fly_away\n", "line 8: unknown action 'fly_away'"},
        {COMPLETIONS "rule step 1 = gc_on\n", "belongs to world.gc"},
        {COMPLETIONS "rule stepp 1 = go_start\n", "unknown nonterminal"},
        {COMPLETIONS "rule step x = go_start\n", "weight"},
        {COMPLETIONS "rule step 1 go1.24+ = go_start\n", "version gate"},
        {COMPLETIONS "rule step 1 when sunny = go_start\n", "unknown guard"},
        {COMPLETIONS "rule step 1 = go_block(chan\n", "unclosed"},
        {COMPLETIONS "rule step 1 go_start\n", "unknown version gate 'go_start'"},
        {COMPLETIONS "rule step 1\n", "expected '='"},
        {COMPLETIONS "limit events 0\n", "limit events"},
        {COMPLETIONS "bogus\n", "expected 'rule' or 'limit'"},
        {"rule world.gc 1 = gc_off\n", "has no completion"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gtg_grammar_t *g = (gtg_grammar_t *)&g;
        char err[256] = "";
        assert_int_equal(parse(cases[i].text, &g, err, sizeof err), GTG_ERR_GRAMMAR);
        assert_null(g);
        if (strstr(err, cases[i].phrase) == NULL) {
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err, cases[i].phrase);
        }
    }
}

static size_t count_type(const gtg_trace_t *t, unsigned type)
{
    size_t n = 0;
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        const gtg_item_t *it = gtg_trace_item(t, i);
        n += it->kind == GTG_ITEM_EVENT && it->type == type;
    }
    return n;
}

static gtg_trace_t *generate(const gtg_grammar_t *g, uint64_t seed, gtr_version_t v)
{
    gtg_choice_t c;
    gtg_choice_seed(&c, seed);
    gtg_options_t o = {.version = v};
    gtg_trace_t *t = NULL;
    char msg[256] = "";
    assert_int_equal(gtg_generate(g, &c, &o, &t, NULL, msg, sizeof msg), GTG_OK);
    return t;
}

/* A grammar without any blocking rule makes traces without GoBlock; adding
 * one rule line (an existing action) brings them back. */
static void grammar_edits_change_output_without_code(void **state)
{
    (void)state;
    const char *base = COMPLETIONS "rule step 5 = go_create\nrule step 5 = go_start\n"
                                   "rule step 5 = go_stop(preempted)\nrule step 5 = proc_start\n";
    char with_block[1024];
    snprintf(with_block, sizeof with_block, "%srule step 5 = go_block(chan send)\n", base);
    gtg_grammar_t *g1 = NULL, *g2 = NULL;
    char err[256] = "";
    assert_int_equal(parse(base, &g1, err, sizeof err), GTG_OK);
    assert_int_equal(parse(with_block, &g2, err, sizeof err), GTG_OK);
    size_t blocks1 = 0, blocks2 = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        gtg_trace_t *t1 = generate(g1, seed, GTR_GO123), *t2 = generate(g2, seed, GTR_GO123);
        blocks1 += count_type(t1, GTR_EV_GO_BLOCK);
        blocks2 += count_type(t2, GTR_EV_GO_BLOCK);
        gtg_trace_free(t1);
        gtg_trace_free(t2);
    }
    assert_int_equal(blocks1, 0);
    assert_true(blocks2 > 0);
    gtg_grammar_free(g1);
    gtg_grammar_free(g2);
}

/* A rule gated to go1.23+ never fires in a go1.22 trace, even when its
 * action's events would exist there. */
static void version_gates_hold(void **state)
{
    (void)state;
    const char *text = COMPLETIONS "rule step 5 = proc_start\nrule step 5 = go_start\n"
                                   "rule step 9 go1.23+ = heap_alloc\n";
    gtg_grammar_t *g = NULL;
    char err[256] = "";
    assert_int_equal(parse(text, &g, err, sizeof err), GTG_OK);
    gtg_trace_t *t22 = generate(g, 3, GTR_GO122), *t23 = generate(g, 3, GTR_GO123);
    assert_int_equal(count_type(t22, GTR_EV_HEAP_ALLOC), 0);
    assert_true(count_type(t23, GTR_EV_HEAP_ALLOC) > 0);
    gtg_trace_free(t22);
    gtg_trace_free(t23);
    gtg_grammar_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_grammar_loads_with_every_nonterminal),
        cmocka_unit_test(limits_and_gates_parse),
        cmocka_unit_test(broken_grammars_are_rejected_with_a_reason),
        cmocka_unit_test(grammar_edits_change_output_without_code),
        cmocka_unit_test(version_gates_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
