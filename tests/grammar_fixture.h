/* grammar_fixture.h: the built-in grammar, loaded once per test group, for
 * the generator's unit tests (cmocka group setup and teardown). */
#ifndef TESTS_GRAMMAR_FIXTURE_H
#define TESTS_GRAMMAR_FIXTURE_H

#include "gtg_grammar.h"

static gtg_grammar_t *grammar;

static int setup(void **state)
{
    (void)state;
    char err[256];
    return gtg_grammar_default(&grammar, err, sizeof err) == GTG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gtg_grammar_free(grammar);
    return 0;
}

#endif /* TESTS_GRAMMAR_FIXTURE_H */
