/* test_fuzz_pool.c: the fuzz targets' pool allocator (fuzz/common/
 * fuzz_pool.c): blocks are aligned and disjoint and keep their bytes; the
 * newest block grows in place and an older one moves with its bytes; a
 * reset starts again from the first block; what does not fit goes to the
 * heap and is freed there; a reader on the pool reads what it reads on
 * libc and leaves nothing on the heap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz_pool.h"
#include "gotrace.h"
#include "gtg_choice.h"
#include "gtg_gen.h"
#include "gtg_grammar.h"
#include "gtg_trace.h"

static bool aligned(const void *p)
{
    return ((uintptr_t)p & 15u) == 0;
}

/* Whether the n bytes at ptr lie wholly outside the pool's block. */
static bool outside(const fuzz_pool_t *p, const uint8_t *ptr, size_t n)
{
    return ptr + n <= p->base || ptr >= p->base + p->cap;
}

static void blocks_are_aligned_disjoint_and_keep_their_bytes(void **state)
{
    (void)state;
    fuzz_pool_t p = {0};
    gtr_allocator_t a = fuzz_pool_hook(&p, 4096);
    uint8_t *x = a.malloc_fn(a.user, 5);
    uint8_t *y = a.malloc_fn(a.user, 40);
    uint8_t *z = a.malloc_fn(a.user, 1);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(z);
    assert_true(aligned(x) && aligned(y) && aligned(z));
    assert_true(x + 5 <= y && y + 40 <= z);
    memset(x, 0xaa, 5);
    memset(y, 0xbb, 40);
    memset(z, 0xcc, 1);
    assert_int_equal(x[4], 0xaa);
    assert_int_equal(y[0], 0xbb);
    assert_int_equal(y[39], 0xbb);
    a.free_fn(a.user, y); /* gives nothing back: z stays where it is */
    assert_int_equal(z[0], 0xcc);
    fuzz_pool_release(&p);
}

static void newest_block_grows_in_place_older_ones_move(void **state)
{
    (void)state;
    fuzz_pool_t p = {0};
    gtr_allocator_t a = fuzz_pool_hook(&p, 4096);
    uint8_t *old = a.malloc_fn(a.user, 16);
    memset(old, 1, 16);
    uint8_t *newest = a.malloc_fn(a.user, 8);
    memset(newest, 2, 8);
    uint8_t *grown = a.realloc_fn(a.user, newest, 200);
    assert_ptr_equal(grown, newest);
    assert_int_equal(grown[7], 2);
    uint8_t *moved = a.realloc_fn(a.user, old, 64);
    assert_ptr_not_equal(moved, old);
    assert_true(moved >= grown + 200); /* after the grown block, not over it */
    for (int i = 0; i < 16; i++) {
        assert_int_equal(moved[i], 1);
    }
    /* Shrinking the newest block keeps its bytes too. */
    uint8_t *shrunk = a.realloc_fn(a.user, moved, 4);
    assert_ptr_equal(shrunk, moved);
    assert_int_equal(shrunk[3], 1);
    fuzz_pool_release(&p);
}

static void reset_starts_again_from_the_first_block(void **state)
{
    (void)state;
    fuzz_pool_t p = {0};
    gtr_allocator_t a = fuzz_pool_hook(&p, 4096);
    void *first = a.malloc_fn(a.user, 100);
    (void)a.malloc_fn(a.user, 100);
    fuzz_pool_reset(&p);
    assert_ptr_equal(a.malloc_fn(a.user, 30), first);
    fuzz_pool_release(&p);
}

static void what_does_not_fit_goes_to_the_heap(void **state)
{
    (void)state;
    fuzz_pool_t p = {0};
    gtr_allocator_t a = fuzz_pool_hook(&p, 256);
    uint8_t *in = a.malloc_fn(a.user, 64);
    uint8_t *big = a.malloc_fn(a.user, 1000);
    assert_non_null(in);
    assert_non_null(big);
    assert_true(outside(&p, big, 1000));
    memset(big, 7, 1000);
    uint8_t *bigger = a.realloc_fn(a.user, big, 5000);
    assert_non_null(bigger);
    assert_int_equal(bigger[999], 7);
    a.free_fn(a.user, bigger); /* to the heap: ASan and valgrind see a leak otherwise */
    /* A pool block grown past the pool's end moves to the heap. */
    memset(in, 9, 64);
    uint8_t *out = a.realloc_fn(a.user, in, 4096);
    assert_non_null(out);
    assert_true(outside(&p, out, 4096));
    assert_int_equal(out[63], 9);
    a.free_fn(a.user, out);
    fuzz_pool_release(&p);
}

/* Reads every event; returns the count and sets *status to the end. */
static long read_all(const uint8_t *data, size_t len, const gtr_options_t *o, int *status)
{
    gtr_reader_t *r = NULL;
    long n = 0;
    int rc = gtr_reader_open_buffer(&r, data, len, o);
    const gtr_event_t *ev;
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        n++;
    }
    gtr_reader_free(r);
    *status = rc;
    return n;
}

static void a_reader_on_the_pool_reads_what_it_reads_on_libc(void **state)
{
    (void)state;
    /* A generated go1.26 trace of several generations. */
    gtg_grammar_t *g;
    char msg[256];
    assert_int_equal(gtg_grammar_default(&g, msg, sizeof msg), GTG_OK);
    gtg_choice_t c;
    gtg_choice_seed(&c, 7);
    gtg_options_t o = {.version = GTR_GO126, .max_generations = 3};
    gtg_trace_t *t;
    assert_int_equal(gtg_generate(g, &c, &o, &t, NULL, msg, sizeof msg), GTG_OK);
    uint8_t *wire;
    size_t len;
    assert_int_equal(gtg_trace_to_wire(t, 0, &wire, &len), GTG_OK);

    gtr_options_t plain = gtr_options_default();
    int want_rc, got_rc;
    long want = read_all(wire, len, &plain, &want_rc);
    assert_int_equal(want_rc, GTR_EOF);
    assert_true(want > 10);

    fuzz_pool_t p = {0};
    gtr_options_t pooled = gtr_options_default();
    pooled.allocator = fuzz_pool_hook(&p, (size_t)1 << 20);
    for (int round = 0; round < 3; round++) { /* the same pool, reset in between */
        assert_int_equal(read_all(wire, len, &pooled, &got_rc), want);
        assert_int_equal(got_rc, want_rc);
        assert_true(p.used > 0);
        fuzz_pool_reset(&p);
    }
    fuzz_pool_release(&p);
    free(wire);
    gtg_trace_free(t);
    gtg_grammar_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_are_aligned_disjoint_and_keep_their_bytes),
        cmocka_unit_test(newest_block_grows_in_place_older_ones_move),
        cmocka_unit_test(reset_starts_again_from_the_first_block),
        cmocka_unit_test(what_does_not_fit_goes_to_the_heap),
        cmocka_unit_test(a_reader_on_the_pool_reads_what_it_reads_on_libc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
