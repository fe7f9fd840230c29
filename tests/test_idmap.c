/* test_idmap.c: the table ID map answers the same whether the IDs index
 * its array or it has moved to hashing, and a huge or scattered ID costs
 * memory in proportion to the entries, not to the ID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void dense_ids_stay_in_the_array(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_idmap_t im;
    memset(&im, 0, sizeof im);
    for (uint64_t id = 1; id <= 3000; id++) {
        assert_int_equal(gtr_idmap_put(&im, &m, id, id * 7), GTR_OK);
    }
    assert_false(im.hashed);
    assert_int_equal(im.len, 3000);
    for (uint64_t id = 0; id <= 3100; id++) {
        uint64_t v = 0;
        bool present = gtr_idmap_get(&im, id, &v);
        assert_int_equal(present, id >= 1 && id <= 3000);
        if (present) {
            assert_int_equal(v, id * 7);
        }
    }
    gtr_idmap_free(&im, &m);
    assert_int_equal(m.live, 0);
}

static void a_far_id_moves_every_entry_to_the_hash(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_idmap_t im;
    memset(&im, 0, sizeof im);
    /* Out of order, as the runtime writes stacks. */
    for (uint64_t id = 200; id >= 1; id--) {
        assert_int_equal(gtr_idmap_put(&im, &m, id, 1000 + id), GTR_OK);
    }
    assert_false(im.hashed);
    assert_int_equal(gtr_idmap_put(&im, &m, UINT64_MAX, 5), GTR_OK);
    assert_true(im.hashed);
    assert_int_equal(gtr_idmap_put(&im, &m, 201, 1201), GTR_OK);
    assert_int_equal(im.len, 202);
    uint64_t v = 0;
    for (uint64_t id = 1; id <= 201; id++) {
        assert_true(gtr_idmap_get(&im, id, &v));
        assert_int_equal(v, 1000 + id);
    }
    assert_true(gtr_idmap_get(&im, UINT64_MAX, &v));
    assert_int_equal(v, 5);
    assert_false(gtr_idmap_get(&im, 0, NULL));
    assert_false(gtr_idmap_get(&im, 202, NULL));
    gtr_idmap_free(&im, &m);
    assert_int_equal(m.live, 0);
}

static void putting_an_id_again_replaces_its_value(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_idmap_t im;
    memset(&im, 0, sizeof im);
    assert_int_equal(gtr_idmap_put(&im, &m, 3, 1), GTR_OK);
    assert_int_equal(gtr_idmap_put(&im, &m, 3, 2), GTR_OK);
    uint64_t v = 0;
    assert_true(gtr_idmap_get(&im, 3, &v));
    assert_int_equal(v, 2);
    assert_int_equal(im.len, 1);
    gtr_idmap_free(&im, &m);
}

/* Every ID as far as the array reaches, each one growing it: the array
 * stays within a constant number of bytes per entry; one ID further moves
 * the map to hashing, and IDs anywhere cost no more there. */
static void spread_ids_cost_memory_per_entry(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, SIZE_MAX);
    gtr_idmap_t im;
    memset(&im, 0, sizeof im);
    size_t n = 0;
    for (; n < 4000; n++) {
        uint64_t id = (uint64_t)n * GTR_IDMAP_SPREAD + GTR_IDMAP_SLACK;
        assert_int_equal(gtr_idmap_put(&im, &m, id, n), GTR_OK);
    }
    assert_false(im.hashed);
    size_t most = 2 * sizeof(uint32_t) * (GTR_IDMAP_SPREAD * n + GTR_IDMAP_SLACK + 1);
    assert_true(m.peak <= most);
    assert_int_equal(gtr_idmap_put(&im, &m, n * GTR_IDMAP_SPREAD + GTR_IDMAP_SLACK + 1, n),
                     GTR_OK);
    assert_true(im.hashed);
    gtr_idmap_free(&im, &m);

    gtr_mem_init(&m, NULL, SIZE_MAX);
    for (n = 0; n < 4000; n++) {
        assert_int_equal(gtr_idmap_put(&im, &m, (uint64_t)1 << (n % 64), n), GTR_OK);
    }
    assert_true(im.hashed);
    assert_int_equal(im.len, 64);
    assert_true(m.peak <= 2 * 128 * sizeof(gtr_hslot_t) + 2 * sizeof(uint32_t) * 2048);
    gtr_idmap_free(&im, &m);
}

static void memory_limit_is_an_error_in_both_forms(void **state)
{
    (void)state;
    gtr_mem_t m;
    gtr_mem_init(&m, NULL, 2048);
    gtr_idmap_t im;
    memset(&im, 0, sizeof im);
    int rc = GTR_OK;
    for (uint64_t id = 1; id < 100000 && rc == GTR_OK; id++) {
        rc = gtr_idmap_put(&im, &m, id, id);
    }
    assert_int_equal(rc, GTR_ERR_LIMIT);
    assert_false(im.hashed);
    gtr_idmap_free(&im, &m);

    gtr_mem_init(&m, NULL, 16384);
    rc = GTR_OK;
    for (uint64_t id = 1; id < 100000 && rc == GTR_OK; id++) {
        rc = gtr_idmap_put(&im, &m, id * 100000, id);
    }
    assert_int_equal(rc, GTR_ERR_LIMIT);
    assert_true(im.hashed);
    assert_true(m.peak <= 16384);
    gtr_idmap_free(&im, &m);
    assert_int_equal(m.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dense_ids_stay_in_the_array),
        cmocka_unit_test(a_far_id_moves_every_entry_to_the_hash),
        cmocka_unit_test(putting_an_id_again_replaces_its_value),
        cmocka_unit_test(spread_ids_cost_memory_per_entry),
        cmocka_unit_test(memory_limit_is_an_error_in_both_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
