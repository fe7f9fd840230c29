/* test_choice.c: choice sources are reproducible and stay in range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gtg_choice.h"

static void same_seed_gives_same_choices(void **state)
{
    (void)state;
    gtg_choice_t a, b;
    gtg_choice_seed(&a, 42);
    gtg_choice_seed(&b, 42);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(gtg_choose(&a, 1000003), gtg_choose(&b, 1000003));
    }
    assert_int_equal(a.drawn, 1000);
}

static void different_seeds_give_different_streams(void **state)
{
    (void)state;
    gtg_choice_t a, b;
    gtg_choice_seed(&a, 1);
    gtg_choice_seed(&b, 2);
    int same = 0;
    for (int i = 0; i < 64; i++) {
        same += gtg_choose_u64(&a) == gtg_choose_u64(&b);
    }
    assert_int_equal(same, 0);
}

static void choices_stay_below_bound(void **state)
{
    (void)state;
    gtg_choice_t c;
    gtg_choice_seed(&c, 7);
    unsigned seen[10] = {0};
    for (int i = 0; i < 10000; i++) {
        uint64_t v = gtg_choose(&c, 10);
        assert_true(v < 10);
        seen[v]++;
    }
    for (int i = 0; i < 10; i++) {
        assert_true(seen[i] > 800); /* every value turns up about 1000 times */
    }
    assert_int_equal(gtg_choose(&c, 0), 0);
    assert_int_equal(gtg_choose(&c, 1), 0);
}

static void byte_source_reads_one_byte_per_small_choice(void **state)
{
    (void)state;
    const uint8_t bytes[] = {3, 250, 7};
    gtg_choice_t c;
    gtg_choice_bytes(&c, bytes, sizeof bytes);
    assert_int_equal(gtg_choose(&c, 10), 3);
    assert_int_equal(gtg_choose(&c, 256), 250);
    assert_false(gtg_choice_exhausted(&c));
    assert_int_equal(gtg_choose(&c, 5), 2);
    assert_true(gtg_choice_exhausted(&c));
    /* Past the end every choice is the cheapest one. */
    assert_int_equal(gtg_choose(&c, 100), 0);
}

static void byte_source_spans_bytes_for_wide_choices(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0x01, 0x02};
    gtg_choice_t c;
    gtg_choice_bytes(&c, bytes, sizeof bytes);
    assert_int_equal(gtg_choose(&c, 65536), 0x0102);
    assert_true(gtg_choice_exhausted(&c));
}

static void weighted_choice_never_picks_zero_weight(void **state)
{
    (void)state;
    const uint32_t w[] = {0, 5, 0, 1};
    gtg_choice_t c;
    gtg_choice_seed(&c, 99);
    unsigned count[4] = {0};
    for (int i = 0; i < 6000; i++) {
        size_t k = gtg_choose_weighted(&c, w, 4);
        assert_true(k < 4);
        count[k]++;
    }
    assert_int_equal(count[0], 0);
    assert_int_equal(count[2], 0);
    assert_true(count[1] > 4 * count[3]);
    const uint32_t none[] = {0, 0};
    assert_int_equal(gtg_choose_weighted(&c, none, 2), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_gives_same_choices),
        cmocka_unit_test(different_seeds_give_different_streams),
        cmocka_unit_test(choices_stay_below_bound),
        cmocka_unit_test(byte_source_reads_one_byte_per_small_choice),
        cmocka_unit_test(byte_source_spans_bytes_for_wide_choices),
        cmocka_unit_test(weighted_choice_never_picks_zero_weight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
