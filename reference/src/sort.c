/* sort.c: Go's slices.SortFunc, the pattern-defeating quicksort, step for
 * step. Go sorts the CPU samples of a generation and, when the head of the
 * frontier cannot advance, the frontier itself; both sorts are unstable, so
 * equal keys end up in whatever order this exact algorithm leaves them.
 * Reproducing it is what makes ties come out as they do in Go. */
#include <string.h>

#include "internal.h"

typedef struct sorter {
    uint8_t *base;
    size_t size;
    int (*cmp)(const void *, const void *);
} sorter_t;

#define MAX_ELEM 64

static int less(const sorter_t *s, size_t i, size_t j)
{
    return s->cmp(s->base + i * s->size, s->base + j * s->size) < 0;
}

static void swap(const sorter_t *s, size_t i, size_t j)
{
    uint8_t tmp[MAX_ELEM];
    uint8_t *a = s->base + i * s->size, *b = s->base + j * s->size;
    memcpy(tmp, a, s->size);
    memcpy(a, b, s->size);
    memcpy(b, tmp, s->size);
}

static void insertion(const sorter_t *s, size_t a, size_t b)
{
    for (size_t i = a + 1; i < b; i++) {
        for (size_t j = i; j > a && less(s, j, j - 1); j--) {
            swap(s, j, j - 1);
        }
    }
}

static void sift_down(const sorter_t *s, size_t lo, size_t hi, size_t first)
{
    size_t root = lo;
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= hi) {
            return;
        }
        if (child + 1 < hi && less(s, first + child, first + child + 1)) {
            child++;
        }
        if (!less(s, first + root, first + child)) {
            return;
        }
        swap(s, first + root, first + child);
        root = child;
    }
}

static void heap_sort(const sorter_t *s, size_t a, size_t b)
{
    size_t first = a, hi = b - a;
    for (size_t i = (hi - 1) / 2 + 1; i-- > 0;) {
        sift_down(s, i, hi, first);
    }
    for (size_t i = hi; i-- > 0;) {
        swap(s, first, first + i);
        sift_down(s, 0, i, first);
    }
}

enum hint { UNKNOWN, INCREASING, DECREASING };

static void order2(const sorter_t *s, size_t *a, size_t *b, int *swaps)
{
    if (less(s, *b, *a)) {
        (*swaps)++;
        size_t t = *a;
        *a = *b;
        *b = t;
    }
}

static size_t median(const sorter_t *s, size_t a, size_t b, size_t c, int *swaps)
{
    order2(s, &a, &b, swaps);
    order2(s, &b, &c, swaps);
    order2(s, &a, &b, swaps);
    return b;
}

static size_t median_adjacent(const sorter_t *s, size_t a, int *swaps)
{
    return median(s, a - 1, a, a + 1, swaps);
}

static size_t choose_pivot(const sorter_t *s, size_t a, size_t b, enum hint *hint)
{
    size_t l = b - a;
    int swaps = 0;
    size_t i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    if (l >= 8) {
        if (l >= 50) {
            i = median_adjacent(s, i, &swaps);
            j = median_adjacent(s, j, &swaps);
            k = median_adjacent(s, k, &swaps);
        }
        j = median(s, i, j, k, &swaps);
    }
    *hint = swaps == 0 ? INCREASING : swaps == 12 ? DECREASING : UNKNOWN;
    return j;
}

static void reverse_range(const sorter_t *s, size_t a, size_t b)
{
    for (size_t i = a, j = b - 1; i < j; i++, j--) {
        swap(s, i, j);
    }
}

static unsigned bits_len(uint64_t x)
{
    unsigned n = 0;
    while (x != 0) {
        n++;
        x >>= 1;
    }
    return n;
}

static void break_patterns(const sorter_t *s, size_t a, size_t b)
{
    size_t length = b - a;
    if (length < 8) {
        return;
    }
    uint64_t random = length;
    uint64_t modulus = (uint64_t)1 << bits_len(length);
    for (size_t idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        size_t other = (size_t)(random & (modulus - 1));
        if (other >= length) {
            other -= length;
        }
        swap(s, idx, a + other);
    }
}

/* Returns true if the range ends sorted; Go's inner loop bound is the
 * absolute index 1, kept as is. */
static bool partial_insertion(const sorter_t *s, size_t a, size_t b)
{
    size_t i = a + 1;
    for (int step = 0; step < 5; step++) {
        while (i < b && !less(s, i, i - 1)) {
            i++;
        }
        if (i == b) {
            return true;
        }
        if (b - a < 50) {
            return false;
        }
        swap(s, i, i - 1);
        if (i - a >= 2) {
            for (size_t j = i - 1; j >= 1; j--) {
                if (!less(s, j, j - 1)) {
                    break;
                }
                swap(s, j, j - 1);
            }
        }
        if (b - i >= 2) {
            for (size_t j = i + 1; j < b; j++) {
                if (!less(s, j, j - 1)) {
                    break;
                }
                swap(s, j, j - 1);
            }
        }
    }
    return false;
}

static size_t partition_equal(const sorter_t *s, size_t a, size_t b, size_t pivot)
{
    swap(s, a, pivot);
    /* i and j are signed in Go: j can reach a, i can pass b-1. */
    long i = (long)a + 1, j = (long)b - 1;
    for (;;) {
        while (i <= j && !less(s, a, (size_t)i)) {
            i++;
        }
        while (i <= j && less(s, a, (size_t)j)) {
            j--;
        }
        if (i > j) {
            break;
        }
        swap(s, (size_t)i, (size_t)j);
        i++;
        j--;
    }
    return (size_t)i;
}

static size_t partition(const sorter_t *s, size_t a, size_t b, size_t pivot, bool *already)
{
    swap(s, a, pivot);
    long i = (long)a + 1, j = (long)b - 1;
    while (i <= j && less(s, (size_t)i, a)) {
        i++;
    }
    while (i <= j && !less(s, (size_t)j, a)) {
        j--;
    }
    if (i > j) {
        swap(s, (size_t)j, a);
        *already = true;
        return (size_t)j;
    }
    swap(s, (size_t)i, (size_t)j);
    i++;
    j--;
    for (;;) {
        while (i <= j && less(s, (size_t)i, a)) {
            i++;
        }
        while (i <= j && !less(s, (size_t)j, a)) {
            j--;
        }
        if (i > j) {
            break;
        }
        swap(s, (size_t)i, (size_t)j);
        i++;
        j--;
    }
    swap(s, (size_t)j, a);
    *already = false;
    return (size_t)j;
}

static void pdqsort(const sorter_t *s, size_t a, size_t b, unsigned limit)
{
    bool was_balanced = true, was_partitioned = true;
    for (;;) {
        size_t length = b - a;
        if (length <= 12) {
            insertion(s, a, b);
            return;
        }
        if (limit == 0) {
            heap_sort(s, a, b);
            return;
        }
        if (!was_balanced) {
            break_patterns(s, a, b);
            limit--;
        }
        enum hint hint;
        size_t pivot = choose_pivot(s, a, b, &hint);
        if (hint == DECREASING) {
            reverse_range(s, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = INCREASING;
        }
        if (was_balanced && was_partitioned && hint == INCREASING &&
            partial_insertion(s, a, b)) {
            return;
        }
        if (a > 0 && !less(s, a - 1, pivot)) {
            a = partition_equal(s, a, b, pivot);
            continue;
        }
        bool already;
        size_t mid = partition(s, a, b, pivot, &already);
        was_partitioned = already;
        size_t left = mid - a, right = b - mid, threshold = length / 8;
        if (left < right) {
            was_balanced = left >= threshold;
            pdqsort(s, a, mid, limit);
            a = mid + 1;
        } else {
            was_balanced = right >= threshold;
            pdqsort(s, mid + 1, b, limit);
            b = mid;
        }
    }
}

void gtr_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n < 2 || size > MAX_ELEM) {
        return;
    }
    sorter_t s = {base, size, cmp};
    pdqsort(&s, 0, n, bits_len(n));
}
