/* test_hmap.c: the reader's hash map keeps every key through growth and
 * deletion (backward-shift deletion must not lose probe chains), and
 * put_new leaves a key it holds alone, without growing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"

static void keys_survive_growth_and_deletion(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_hmap_t h = {0};
    for (uint64_t k = 0; k < 5000; k++) {
        assert_int_equal(gtr_hmap_put(&h, &m, k * 0x10001, k), GTR_OK);
    }
    for (uint64_t k = 0; k < 5000; k += 3) {
        assert_true(gtr_hmap_del(&h, k * 0x10001));
    }
    for (uint64_t k = 0; k < 5000; k++) {
        uint64_t v = 0;
        bool present = gtr_hmap_get(&h, k * 0x10001, &v);
        assert_int_equal(present, k % 3 != 0);
        if (present) {
            assert_int_equal(v, k);
        }
    }
    assert_int_equal(h.len, 5000 - 1667);
    gtr_hmap_free(&h, &m);
    assert_int_equal(m.live, 0);
}

static void put_overwrites_and_missing_keys_are_absent(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_hmap_t h = {0};
    assert_false(gtr_hmap_get(&h, 7, NULL));
    assert_false(gtr_hmap_del(&h, 7));
    assert_int_equal(gtr_hmap_put(&h, &m, UINT64_MAX, 1), GTR_OK);
    assert_int_equal(gtr_hmap_put(&h, &m, UINT64_MAX, 2), GTR_OK);
    uint64_t v;
    assert_true(gtr_hmap_get(&h, UINT64_MAX, &v));
    assert_int_equal(v, 2);
    assert_int_equal(h.len, 1);
    gtr_hmap_free(&h, &m);
}

static void put_new_keeps_the_first_value_and_grows_only_for_new_keys(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_hmap_t h = {0};
    bool added = false;
    /* Twelve keys fill sixteen slots to the load limit. */
    for (uint64_t k = 1; k <= 12; k++) {
        assert_int_equal(gtr_hmap_put_new(&h, &m, k << 40, k, &added), GTR_OK);
        assert_true(added);
    }
    size_t cap = h.cap, peak = m.peak;
    for (uint64_t k = 1; k <= 12; k++) {
        assert_int_equal(gtr_hmap_put_new(&h, &m, k << 40, 100 + k, &added), GTR_OK);
        assert_false(added);
    }
    assert_int_equal(h.cap, cap);
    assert_int_equal(m.peak, peak);
    assert_int_equal(gtr_hmap_put_new(&h, &m, 13ull << 40, 13, &added), GTR_OK);
    assert_true(added);
    assert_true(h.cap > cap);
    assert_int_equal(h.len, 13);
    for (uint64_t k = 1; k <= 13; k++) {
        uint64_t v = 0;
        assert_true(gtr_hmap_get(&h, k << 40, &v));
        assert_int_equal(v, k);
    }
    gtr_hmap_free(&h, &m);
    assert_int_equal(m.live, 0);
}

static void memory_limit_refuses_growth(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, 4096);
    gtr_hmap_t h = {0};
    int rc = GTR_OK;
    for (uint64_t k = 0; k < 10000 && rc == GTR_OK; k++) {
        rc = gtr_hmap_put(&h, &m, k, k);
    }
    assert_int_equal(rc, GTR_ERR_LIMIT);
    assert_true(m.peak <= 4096);
    gtr_hmap_free(&h, &m);
    assert_int_equal(m.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_survive_growth_and_deletion),
        cmocka_unit_test(put_overwrites_and_missing_keys_are_absent),
        cmocka_unit_test(put_new_keeps_the_first_value_and_grows_only_for_new_keys),
        cmocka_unit_test(memory_limit_refuses_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
