/* test_errors.c: error classes name the key phrase of Go's messages, so
 * that messages differing only in map-ordered values compare equal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void failed_to_advance_messages_share_a_class(void **state)
{
    (void)state;
    const char *a = gtr_error_class("broken trace: failed to advance: frontier:\n[gen=1]\nM 1 ...");
    const char *b = gtr_error_class("broken trace: failed to advance: frontier:\n[gen=1]\nM 2 ...");
    assert_non_null(a);
    assert_string_equal(a, b);
}

static void longer_phrases_win_over_contained_ones(void **state)
{
    (void)state;
    assert_string_equal(gtr_error_class("unexpected EOF"), "unexpected EOF");
    assert_string_equal(gtr_error_class("EOF"), "EOF");
    assert_string_equal(gtr_error_class("tried to create goroutine (5) in syscall that already "
                                        "exists"),
                        "in syscall that already exists");
    assert_string_equal(gtr_error_class("found invalid uvarint for timestamp"),
                        "found invalid uvarint for timestamp");
}

static void stack_table_checks_share_a_class(void **state)
{
    (void)state;
    /* Go reports whichever broken stack its map iteration meets first. */
    const char *f = gtr_error_class("found invalid func string ID 99 for stack 1");
    const char *p = gtr_error_class("found invalid file string ID 98 for stack 100000");
    const char *u = gtr_error_class("found unknown pc 4a for stack 7");
    assert_non_null(f);
    assert_string_equal(f, p);
    assert_string_equal(f, u);
    assert_string_not_equal(f, gtr_error_class("found invalid string ID 3 for event GoBlock"));
}

static void unknown_messages_have_no_class(void **state)
{
    (void)state;
    assert_null(gtr_error_class("something else entirely"));
    assert_null(gtr_error_class(NULL));
}

static void declined_statuses_are_limits_and_v1(void **state)
{
    (void)state;
    assert_true(gtr_status_is_declined(GTR_ERR_DECLINED));
    assert_true(gtr_status_is_declined(GTR_ERR_LIMIT));
    assert_false(gtr_status_is_declined(GTR_ERR_ORDER));
    assert_string_equal(gtr_status_name(GTR_ERR_STUCK), "stuck");
    assert_string_equal(gtr_status_name(999), "unknown");
}

static void messages_keep_embedded_bytes(void **state)
{
    (void)state;
    gtr_err_t e;
    gtr_err_set(&e, GTR_ERR_MALFORMED, "a=");
    gtr_err_append(&e, "x\0y", 3);
    assert_int_equal(e.len, 5);
    assert_memory_equal(e.msg, "a=x\0y", 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_to_advance_messages_share_a_class),
        cmocka_unit_test(longer_phrases_win_over_contained_ones),
        cmocka_unit_test(stack_table_checks_share_a_class),
        cmocka_unit_test(unknown_messages_have_no_class),
        cmocka_unit_test(declined_statuses_are_limits_and_v1),
        cmocka_unit_test(messages_keep_embedded_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
