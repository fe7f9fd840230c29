/* test_alloc.c: the allocator hook and memory accounting: the live total is
 * exact through alloc, realloc and free; a request over the limit is
 * refused before the user's allocator sees it; realloc works without a
 * realloc hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

typedef struct spy {
    size_t calls;
    size_t biggest;
} spy_t;

static void *spy_malloc(void *u, size_t n)
{
    spy_t *s = u;
    s->calls++;
    if (n > s->biggest) {
        s->biggest = n;
    }
    return malloc(n);
}

static void spy_free(void *u, void *p)
{
    (void)u;
    free(p);
}

static void live_total_is_exact(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    void *a = gtr_mem_alloc(&m, 100);
    void *b = gtr_mem_alloc(&m, 50);
    assert_non_null(a);
    assert_non_null(b);
    size_t two = m.live;
    a = gtr_mem_realloc(&m, a, 1000);
    assert_non_null(a);
    assert_int_equal(m.live, two + 900);
    gtr_mem_free(&m, a);
    gtr_mem_free(&m, b);
    assert_int_equal(m.live, 0);
    assert_true(m.peak >= 1050);
}

static void over_limit_requests_never_reach_the_allocator(void **state)
{
    (void)state;
    spy_t s = {0, 0};
    gtr_allocator_t a = {spy_malloc, NULL, spy_free, &s};
    gtr_mem_t m;
    gtr_mem_init(&m, &a, 1 << 20);
    assert_null(gtr_mem_alloc(&m, SIZE_MAX));
    assert_true(m.limit_hit);
    assert_null(gtr_mem_alloc(&m, 2 << 20));
    assert_null(gtr_mem_calloc(&m, SIZE_MAX / 2, 4));
    assert_int_equal(s.calls, 0);
    void *p = gtr_mem_alloc(&m, 1000);
    assert_non_null(p);
    assert_int_equal(s.calls, 1);
    gtr_mem_free(&m, p);
}

static void realloc_without_hook_copies(void **state)
{
    (void)state;
    spy_t s = {0, 0};
    gtr_allocator_t a = {spy_malloc, NULL, spy_free, &s};
    gtr_mem_t m;
    gtr_mem_init(&m, &a, SIZE_MAX);
    char *p = gtr_mem_alloc(&m, 4);
    memcpy(p, "abc", 4);
    p = gtr_mem_realloc(&m, p, 4096);
    assert_non_null(p);
    assert_string_equal(p, "abc");
    gtr_mem_free(&m, p);
    assert_int_equal(m.live, 0);
    assert_int_equal(s.calls, 2);
}

static void grow_doubles_and_reports_limits(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, 1024);
    int *arr = NULL;
    size_t cap = 0;
    assert_int_equal(gtr_mem_grow(&m, (void **)&arr, &cap, 3, sizeof *arr), GTR_OK);
    assert_int_equal(cap, 8);
    assert_int_equal(gtr_mem_grow(&m, (void **)&arr, &cap, 9, sizeof *arr), GTR_OK);
    assert_int_equal(cap, 16);
    assert_int_equal(gtr_mem_grow(&m, (void **)&arr, &cap, 1000, sizeof *arr), GTR_ERR_LIMIT);
    assert_int_equal(cap, 16);
    gtr_mem_free(&m, arr);
    assert_int_equal(m.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(live_total_is_exact),
        cmocka_unit_test(over_limit_requests_never_reach_the_allocator),
        cmocka_unit_test(realloc_without_hook_copies),
        cmocka_unit_test(grow_doubles_and_reports_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
