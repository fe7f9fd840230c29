/* test_sort.c: gtr_sort leaves equal keys in exactly the order Go's
 * slices.SortFunc (pdqsort) leaves them. The expected permutations were
 * printed by Go 1.26 for the same input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

typedef struct elem {
    int key, id;
} elem_t;

static int cmp_key(const void *a, const void *b)
{
    int x = ((const elem_t *)a)->key, y = ((const elem_t *)b)->key;
    return x < y ? -1 : x > y;
}

static void check(size_t n, const int *want)
{
    elem_t e[100];
    for (size_t i = 0; i < n; i++) {
        e[i].key = (int)((i * 7919) % 5);
        e[i].id = (int)i;
    }
    gtr_sort(e, n, sizeof e[0], cmp_key);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(e[i].id, want[i]);
    }
}

static void ties_match_go_for_13_elements(void **state)
{
    (void)state;
    static const int want[] = {5, 10, 0, 9, 4, 3, 8, 7, 2, 12, 6, 1, 11};
    check(13, want);
}

static void ties_match_go_for_60_elements(void **state)
{
    (void)state;
    static const int want[] = {
        15, 55, 50, 45, 40, 5,  35, 30, 0,  25, 10, 20, 29, 24, 14, 49, 59, 34, 39, 19,
        4,  54, 44, 9,  23, 38, 48, 43, 28, 8,  58, 53, 18, 33, 3,  13, 57, 37, 52, 32,
        7,  2,  42, 27, 22, 17, 12, 47, 6,  46, 41, 51, 36, 31, 26, 1,  56, 21, 11, 16};
    check(60, want);
}

static void ties_match_go_for_100_elements(void **state)
{
    (void)state;
    static const int want[] = {
        20, 95, 90, 85, 80, 5,  75, 70, 65, 60, 10, 55, 50, 0,  45, 15, 40, 35, 30, 25,
        49, 44, 99, 94, 24, 19, 89, 84, 4,  29, 79, 74, 69, 64, 34, 9,  59, 54, 14, 39,
        78, 63, 98, 43, 23, 38, 93, 88, 48, 13, 3,  83, 28, 53, 18, 73, 68, 8,  58, 33,
        82, 37, 62, 17, 22, 57, 42, 67, 97, 32, 7,  92, 72, 2,  47, 87, 12, 77, 27, 52,
        11, 81, 41, 51, 21, 76, 86, 6,  26, 31, 71, 91, 61, 46, 16, 1,  96, 56, 66, 36};
    check(100, want);
}

static void short_input_is_stable_insertion_sort(void **state)
{
    (void)state;
    elem_t e[5] = {{2, 0}, {1, 1}, {2, 2}, {1, 3}, {0, 4}};
    gtr_sort(e, 5, sizeof e[0], cmp_key);
    static const int want[] = {4, 1, 3, 0, 2};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(e[i].id, want[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ties_match_go_for_13_elements),
        cmocka_unit_test(ties_match_go_for_60_elements),
        cmocka_unit_test(ties_match_go_for_100_elements),
        cmocka_unit_test(short_input_is_stable_insertion_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
