/* fuzz_pool.h: a pool allocator for targets that read one small trace per
 * call: the reader's blocks are cut one after the other from one large
 * block, a free gives nothing back, and the next input starts from the
 * beginning again (fuzz_pool_reset). A reader of a fuzzing input makes
 * dozens of small allocations, most of them grown several times and all
 * freed a few microseconds later; here each costs a few instructions
 * instead of a trip through malloc.
 *
 * Only for builds without AddressSanitizer: blocks cut from one allocation
 * hide overflows from one block into the next, which ASan would catch
 * with the libc allocator (fuzz_pool_wanted() says which applies). A
 * request that does not fit in what is left goes to malloc, so the pool
 * never refuses one the reader's own limit allows. */
#ifndef FUZZ_POOL_H
#define FUZZ_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotrace.h"

typedef struct fuzz_pool {
    uint8_t *base;   /* NULL until the first allocation */
    size_t used;
    size_t cap;
    uint8_t *last;   /* the newest block, which can grow in place */
} fuzz_pool_t;

/* Whether this build should use the pool (no AddressSanitizer): a
 * constant, so a target's per-input path pays nothing to ask. */
static inline bool fuzz_pool_wanted(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return false;
#else
    return true;
#endif
#else
    return true;
#endif
}

/* The hook for gtr_options_t.allocator; the pool's block (cap bytes) is
 * reserved by the first allocation and kept until fuzz_pool_release. */
gtr_allocator_t fuzz_pool_hook(fuzz_pool_t *p, size_t cap);

/* Forgets every block cut so far: call it after the reader is freed. */
void fuzz_pool_reset(fuzz_pool_t *p);

/* Gives the pool's block back. */
void fuzz_pool_release(fuzz_pool_t *p);

#endif /* FUZZ_POOL_H */
