/* test_bytemut.c: batch-aware mutations keep or break framing as promised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gtg_bytemut.h"
#include "varint.h"

/* A header and three batches with payloads "A", "BB", "CCC". */
static size_t make_trace(uint8_t *buf)
{
    size_t n = 0;
    memcpy(buf, "go 1.26 trace\0\0\0", 16);
    n = 16;
    for (int i = 1; i <= 3; i++) {
        buf[n++] = 1;               /* EventBatch */
        buf[n++] = 1;               /* gen */
        buf[n++] = (uint8_t)i;      /* m */
        buf[n++] = 100;             /* time */
        buf[n++] = (uint8_t)i;      /* size */
        for (int k = 0; k < i; k++) {
            buf[n++] = (uint8_t)('A' + i - 1);
        }
    }
    return n;
}

/* Walks the batches of buf and returns how many frame exactly to the end. */
static int count_framed(const uint8_t *buf, size_t n)
{
    size_t pos = 16;
    int count = 0;
    while (pos < n) {
        if (buf[pos] != 1) {
            return -1;
        }
        pos++;
        uint64_t v = 0;
        for (int f = 0; f < 4; f++) {
            int k = gtr_uvarint(buf + pos, n - pos, &v);
            if (k <= 0) {
                return -1;
            }
            pos += (size_t)k;
        }
        if (v > n - pos) {
            return -1;
        }
        pos += v;
        count++;
    }
    return count;
}

static void batch_swap_keeps_every_batch_framed(void **state)
{
    (void)state;
    uint8_t in[64];
    size_t n = make_trace(in);
    gtg_choice_t c;
    gtg_choice_seed(&c, 5);
    for (int i = 0; i < 50; i++) {
        uint8_t *out;
        size_t len;
        gtg_bytemut_t applied;
        assert_int_equal(gtg_bytemut_apply(in, n, &c, GTG_BM_BATCH_SWAP, &out, &len, &applied), 0);
        assert_int_equal(applied, GTG_BM_BATCH_SWAP);
        assert_int_equal(len, n);
        assert_int_equal(count_framed(out, len), 3);
        free(out);
    }
}

static void batch_drop_and_dup_change_the_batch_count(void **state)
{
    (void)state;
    uint8_t in[64];
    size_t n = make_trace(in);
    gtg_choice_t c;
    gtg_choice_seed(&c, 6);
    uint8_t *out;
    size_t len;
    assert_int_equal(gtg_bytemut_apply(in, n, &c, GTG_BM_BATCH_DROP, &out, &len, NULL), 0);
    assert_int_equal(count_framed(out, len), 2);
    free(out);
    assert_int_equal(gtg_bytemut_apply(in, n, &c, GTG_BM_BATCH_DUP, &out, &len, NULL), 0);
    assert_int_equal(count_framed(out, len), 4);
    free(out);
}

static void varint_edit_fixes_the_batch_size(void **state)
{
    (void)state;
    uint8_t in[64];
    size_t n = make_trace(in);
    gtg_choice_t c;
    gtg_choice_seed(&c, 7);
    int changed = 0;
    for (int i = 0; i < 200; i++) {
        uint8_t *out;
        size_t len;
        assert_int_equal(gtg_bytemut_apply(in, n, &c, GTG_BM_VARINT_EDIT, &out, &len, NULL), 0);
        assert_int_equal(count_framed(out, len), 3);
        changed += len != n || memcmp(in, out, n) != 0;
        free(out);
    }
    assert_true(changed > 100);
}

static void same_seed_gives_same_mutant(void **state)
{
    (void)state;
    uint8_t in[64];
    size_t n = make_trace(in);
    gtg_choice_t a, b;
    gtg_choice_seed(&a, 11);
    gtg_choice_seed(&b, 11);
    for (int i = 0; i < 100; i++) {
        uint8_t *x, *y;
        size_t lx, ly;
        assert_int_equal(gtg_bytemut_apply(in, n, &a, GTG_BM_COUNT, &x, &lx, NULL), 0);
        assert_int_equal(gtg_bytemut_apply(in, n, &b, GTG_BM_COUNT, &y, &ly, NULL), 0);
        assert_int_equal(lx, ly);
        assert_memory_equal(x, y, lx);
        free(x);
        free(y);
    }
}

static void truncate_and_erase_shorten_the_file(void **state)
{
    (void)state;
    uint8_t in[64];
    size_t n = make_trace(in);
    gtg_choice_t c;
    gtg_choice_seed(&c, 3);
    for (int i = 0; i < 50; i++) {
        uint8_t *out;
        size_t len;
        assert_int_equal(gtg_bytemut_apply(in, n, &c, GTG_BM_TRUNCATE, &out, &len, NULL), 0);
        assert_true(len <= n);
        assert_memory_equal(out, in, len);
        free(out);
        assert_int_equal(gtg_bytemut_apply(in, n, &c, GTG_BM_ERASE, &out, &len, NULL), 0);
        assert_true(len <= n);
        free(out);
    }
}

static void batch_kinds_fall_back_on_unframed_input(void **state)
{
    (void)state;
    const uint8_t junk[] = "not a trace at all";
    gtg_choice_t c;
    gtg_choice_seed(&c, 1);
    uint8_t *out;
    size_t len;
    gtg_bytemut_t applied;
    assert_int_equal(gtg_bytemut_apply(junk, sizeof junk, &c, GTG_BM_BATCH_SWAP, &out, &len,
                                       &applied), 0);
    assert_int_equal(applied, GTG_BM_BIT_FLIP);
    assert_int_equal(len, sizeof junk);
    free(out);
    assert_int_equal(gtg_bytemut_apply(NULL, 0, &c, GTG_BM_COUNT, &out, &len, NULL), 0);
    assert_true(len <= 8);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch_swap_keeps_every_batch_framed),
        cmocka_unit_test(batch_drop_and_dup_change_the_batch_count),
        cmocka_unit_test(varint_edit_fixes_the_batch_size),
        cmocka_unit_test(same_seed_gives_same_mutant),
        cmocka_unit_test(truncate_and_erase_shorten_the_file),
        cmocka_unit_test(batch_kinds_fall_back_on_unframed_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
