/* test_table.c: string and stack tables follow Go's dataTable rules: ID 0
 * always resolves and so cannot be defined, a second definition is an
 * error quoting both values, the first frame seen for a PC wins, and
 * validation names the first bad stack in ID order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static const gtr_limits_t lim = {65536, 1024, 128, 1000};

static void id_zero_is_the_empty_string_and_cannot_be_defined(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_tables_t t;
    memset(&t, 0, sizeof t);
    gtr_err_t e;
    gtr_str_t s;
    assert_true(gtr_tables_string(&t, 0, &s));
    assert_int_equal(s.len, 0);
    assert_false(gtr_tables_string(&t, 1, &s));
    assert_int_equal(gtr_tables_add_string(&t, &m, &e, &lim, 0, (const uint8_t *)"x", 1),
                     GTR_ERR_MALFORMED);
    assert_string_equal(e.msg, "multiple strings with the same ID: id=0, new=x, existing=");
    gtr_tables_free(&t, &m);
    assert_int_equal(m.live, 0);
}

static void duplicate_ids_quote_both_values(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_tables_t t;
    memset(&t, 0, sizeof t);
    gtr_err_t e;
    assert_int_equal(gtr_tables_add_string(&t, &m, &e, &lim, 7, (const uint8_t *)"a", 1), GTR_OK);
    assert_int_equal(gtr_tables_add_string(&t, &m, &e, &lim, 7, (const uint8_t *)"b", 1),
                     GTR_ERR_MALFORMED);
    assert_string_equal(e.msg, "multiple strings with the same ID: id=7, new=b, existing=a");
    gtr_frame_rec_t f[2] = {{0x10, 7, 7, 1}, {0x20, 7, 7, 2}};
    assert_int_equal(gtr_tables_add_stack(&t, &m, &e, &lim, 3, f, 2), GTR_OK);
    assert_int_equal(gtr_tables_add_stack(&t, &m, &e, &lim, 3, f, 1), GTR_ERR_MALFORMED);
    assert_string_equal(e.msg, "multiple trace.stacks with the same ID: id=3, new=\t0x10\n, "
                               "existing=\t0x10\n\t0x20\n");
    gtr_tables_free(&t, &m);
}

static void first_frame_for_a_pc_wins_and_validation_is_in_id_order(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_tables_t t;
    memset(&t, 0, sizeof t);
    gtr_err_t e;
    gtr_frame_rec_t a = {0x10, 0, 0, 1}, b = {0x10, 9, 9, 2}, c = {0x30, 0, 8, 3};
    assert_int_equal(gtr_tables_add_stack(&t, &m, &e, &lim, 5, &a, 1), GTR_OK);
    assert_int_equal(gtr_tables_add_stack(&t, &m, &e, &lim, 4, &b, 1), GTR_OK);
    assert_int_equal(gtr_tables_add_stack(&t, &m, &e, &lim, 2, &c, 1), GTR_OK);
    /* Stack 4's frame is stack 5's (valid); stack 2's file ID is not. */
    assert_int_equal(gtr_tables_validate(&t, &m, &e), GTR_ERR_MALFORMED);
    assert_string_equal(e.msg, "found invalid file string ID 8 for stack 2");
    gtr_tables_free(&t, &m);
}

/* Stacks ids[0..2] in that order; the two with the larger IDs have a file
 * ID no string has. Validation's message is left in *e. */
static void validate_three(const uint64_t ids[3], gtr_err_t *e)
{
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_tables_t t;
    memset(&t, 0, sizeof t);
    uint64_t lowest = ids[0] < ids[1] ? (ids[0] < ids[2] ? ids[0] : ids[2])
                                      : (ids[1] < ids[2] ? ids[1] : ids[2]);
    for (int i = 0; i < 3; i++) {
        gtr_frame_rec_t f = {0x10 * ids[i], 0, ids[i] == lowest ? 0 : 100 + ids[i], 1};
        assert_int_equal(gtr_tables_add_stack(&t, &m, e, &lim, ids[i], &f, 1), GTR_OK);
    }
    assert_int_equal(gtr_tables_validate(&t, &m, e), GTR_ERR_MALFORMED);
    gtr_tables_free(&t, &m);
    assert_int_equal(m.live, 0);
}

static void validation_names_the_lowest_bad_id_in_any_table_order(void **state)
{
    (void)state;
    gtr_err_t e;
    const uint64_t ascending[3] = {1, 2, 3}, dense[3] = {3, 1, 2}, sparse[3] = {30, 10, 20};
    validate_three(ascending, &e);
    assert_string_equal(e.msg, "found invalid file string ID 102 for stack 2");
    validate_three(dense, &e); /* the runtime's case: 1..n, any order */
    assert_string_equal(e.msg, "found invalid file string ID 102 for stack 2");
    validate_three(sparse, &e);
    assert_string_equal(e.msg, "found invalid file string ID 120 for stack 20");
}

static void table_entry_limit_is_enforced(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_tables_t t;
    memset(&t, 0, sizeof t);
    gtr_err_t e;
    gtr_limits_t small = {65536, 1024, 128, 3};
    int rc = GTR_OK;
    for (uint64_t id = 1; id < 10 && rc == GTR_OK; id++) {
        rc = gtr_tables_add_string(&t, &m, &e, &small, id, (const uint8_t *)"s", 1);
    }
    assert_int_equal(rc, GTR_ERR_LIMIT);
    assert_int_equal(t.nstr, 3);
    gtr_tables_free(&t, &m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_zero_is_the_empty_string_and_cannot_be_defined),
        cmocka_unit_test(duplicate_ids_quote_both_values),
        cmocka_unit_test(first_frame_for_a_pc_wins_and_validation_is_in_id_order),
        cmocka_unit_test(validation_names_the_lowest_bad_id_in_any_table_order),
        cmocka_unit_test(table_entry_limit_is_enforced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
