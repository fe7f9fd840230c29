/* test_dump_compare.c: two canonical dumps compare by the rules at the end
 * of docs/dump-format.md, and the first place they part is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace_dumpcmp.h"

#define D(lit) lit, sizeof(lit) - 1

static gtr_dumpcmp_verdict_t cmp(const char *a, size_t an, const char *b, size_t bn,
                                 gtr_dumpcmp_result_t *r)
{
    return gtr_dump_compare(a, an, b, bn, NULL, r);
}

static void line_is(gtr_dumpcmp_line_t l, const char *want)
{
    assert_non_null(l.ptr);
    assert_int_equal(l.len, strlen(want));
    assert_memory_equal(l.ptr, want, l.len);
}

static void equal_dumps_are_the_same(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D("Sync T=1\nok\n"), D("Sync T=1\nok\n"), &r), GTR_DUMPCMP_SAME);
    assert_int_equal(r.verdict, GTR_DUMPCMP_SAME);
    assert_int_equal(cmp(D("error: x\n"), D("error: x\n"), &r), GTR_DUMPCMP_SAME);
}

static void first_differing_line_is_reported(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D("a\nb\nc\nok\n"), D("a\nb\nC\nok\n"), &r), GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(r.line, 3);
    line_is(r.a, "c");
    line_is(r.b, "C");
    assert_string_equal(r.reason, "the lines differ");
}

static void a_shorter_dump_parts_where_it_ends(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D("a\nerror: bad\n"), D("a\nb\nerror: bad\n"), &r),
                     GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(r.line, 2);
    line_is(r.a, "error: bad");
    line_is(r.b, "b");
}

static void ok_equals_only_ok(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D("a\nok\n"), D("a\nerror: x\n"), &r), GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(r.line, 2);
}

static void declined_on_either_side_is_not_compared(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D("declined: v1\n"), D("a\nok\n"), &r), GTR_DUMPCMP_DECLINED);
    assert_int_equal(cmp(D("a\nok\n"), D("b\ndeclined: no\n"), &r), GTR_DUMPCMP_DECLINED);
}

static void oracle_panic_is_a_finding_about_go(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D("a\nb\nok\n"), D("a\npanic: index out of range\n"), &r),
                     GTR_DUMPCMP_ORACLE_PANIC);
    assert_int_equal(r.line, 2);
    line_is(r.b, "panic: index out of range");
}

static void c_panic_or_missing_final_line_is_malformed(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D("a\npanic: x\n"), D("a\nok\n"), &r), GTR_DUMPCMP_MALFORMED);
    assert_int_equal(cmp(D("a\nb\n"), D("a\nok\n"), &r), GTR_DUMPCMP_MALFORMED);
    assert_int_equal(r.line, 2);
    assert_int_equal(cmp(D(""), D("ok\n"), &r), GTR_DUMPCMP_MALFORMED);
    assert_int_equal(cmp(D("ok\n"), D("a\n"), &r), GTR_DUMPCMP_MALFORMED);
}

/* A fake classifier with two key phrases. */
static const char *fake_class(const char *msg)
{
    if (strstr(msg, "bad proc") != NULL) {
        return "bad proc";
    }
    if (strstr(msg, "bad goroutine") != NULL) {
        return "bad goroutine";
    }
    return NULL;
}

static void error_lines_compare_by_class(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    const char a[] = "x\nerror: bad proc 3\n", b[] = "x\nerror: bad proc 7\n";
    assert_int_equal(gtr_dump_compare(a, sizeof a - 1, b, sizeof b - 1, NULL, &r),
                     GTR_DUMPCMP_DIFFERENT);
    assert_string_equal(r.reason, "the error messages differ in class");
    assert_int_equal(gtr_dump_compare(a, sizeof a - 1, b, sizeof b - 1, fake_class, &r),
                     GTR_DUMPCMP_SAME);
    const char c[] = "x\nerror: bad goroutine 3\n", d[] = "x\nerror: no class 3\n";
    assert_int_equal(gtr_dump_compare(a, sizeof a - 1, c, sizeof c - 1, fake_class, &r),
                     GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(gtr_dump_compare(d, sizeof d - 1, d, sizeof d - 1, fake_class, &r),
                     GTR_DUMPCMP_SAME); /* equal text, no class needed */
    const char e[] = "x\nerror: no class 4\n";
    assert_int_equal(gtr_dump_compare(d, sizeof d - 1, e, sizeof e - 1, fake_class, &r),
                     GTR_DUMPCMP_DIFFERENT); /* no class: text only */
}

static void default_classifier_uses_go_key_phrases(void **state)
{
    (void)state;
    gtr_dumpcmp_classify_fn f = gtr_dumpcmp_default_classifier();
    assert_non_null(f);
    assert_null(f("no key phrase of any Go error at all"));
}

static void lines_can_be_fetched_for_context(void **state)
{
    (void)state;
    line_is(gtr_dumpcmp_get_line(D("a\nbb\nok"), 2), "bb");
    line_is(gtr_dumpcmp_get_line(D("a\nbb\nok"), 3), "ok");
    assert_null(gtr_dumpcmp_get_line(D("a\nbb\nok\n"), 4).ptr);
    assert_null(gtr_dumpcmp_get_line(D("a\n"), 0).ptr);
    assert_string_equal(gtr_dumpcmp_verdict_name(GTR_DUMPCMP_ORACLE_PANIC), "oracle-panic");
}

/* Go picks the thread of some promoted ProcStatus events at random; the C
 * dump marks them, and there M and G may differ, nothing else. */
#define PROMOTED(m, g, tail) \
    "StateTransition T=9 M=" m " P=-1 G=" g " res=Proc(-1) from=Running to=Running reason=\"\"" tail

static void a_marked_context_may_differ_only_in_thread_and_goroutine(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    const char c[] = "Sync T=1\n" PROMOTED("1", "-1", " ctx-choices=3") "\nok\n";
    assert_int_equal(cmp(D(c), D("Sync T=1\n" PROMOTED("0", "-1", "") "\nok\n"), &r),
                     GTR_DUMPCMP_SAME);
    assert_int_equal(cmp(D(c), D("Sync T=1\n" PROMOTED("144115188075143167", "7", "") "\nok\n"),
                         &r),
                     GTR_DUMPCMP_SAME);
    /* Either side may carry the mark. */
    assert_int_equal(cmp(D("Sync T=1\n" PROMOTED("0", "-1", "") "\nok\n"), D(c), &r),
                     GTR_DUMPCMP_SAME);
    /* Any other field still counts. */
    assert_int_equal(cmp(D(c), D("Sync T=1\n" PROMOTED("0", "-1", " stk=1") "\nok\n"), &r),
                     GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(r.line, 2);
    assert_int_equal(cmp(D(c),
                         D("Sync T=1\nStateTransition T=9 M=1 P=0 G=-1 res=Proc(-1) "
                           "from=Running to=Running reason=\"\"\nok\n"),
                         &r),
                     GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(cmp(D(c),
                         D("Sync T=1\nStateTransition T=8 M=1 P=-1 G=-1 res=Proc(-1) "
                           "from=Running to=Running reason=\"\"\nok\n"),
                         &r),
                     GTR_DUMPCMP_DIFFERENT);
}

static void an_unmarked_context_must_match(void **state)
{
    (void)state;
    gtr_dumpcmp_result_t r;
    assert_int_equal(cmp(D(PROMOTED("1", "-1", "") "\nok\n"), D(PROMOTED("0", "-1", "") "\nok\n"),
                         &r),
                     GTR_DUMPCMP_DIFFERENT);
    /* The mark counts only at the end of a line, with a count. */
    assert_int_equal(cmp(D(PROMOTED("1", "-1", " ctx-choices=") "\nok\n"),
                         D(PROMOTED("0", "-1", " ctx-choices=") "\nok\n"), &r),
                     GTR_DUMPCMP_DIFFERENT);
    assert_int_equal(cmp(D(PROMOTED("1", "-1", " ctx-choices=2 x") "\nok\n"),
                         D(PROMOTED("0", "-1", " ctx-choices=2 x") "\nok\n"), &r),
                     GTR_DUMPCMP_DIFFERENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equal_dumps_are_the_same),
        cmocka_unit_test(first_differing_line_is_reported),
        cmocka_unit_test(a_shorter_dump_parts_where_it_ends),
        cmocka_unit_test(ok_equals_only_ok),
        cmocka_unit_test(declined_on_either_side_is_not_compared),
        cmocka_unit_test(oracle_panic_is_a_finding_about_go),
        cmocka_unit_test(c_panic_or_missing_final_line_is_malformed),
        cmocka_unit_test(error_lines_compare_by_class),
        cmocka_unit_test(default_classifier_uses_go_key_phrases),
        cmocka_unit_test(lines_can_be_fetched_for_context),
        cmocka_unit_test(a_marked_context_may_differ_only_in_thread_and_goroutine),
        cmocka_unit_test(an_unmarked_context_must_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
