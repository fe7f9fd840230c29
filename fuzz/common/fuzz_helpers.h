/* fuzz_helpers.h: what every fuzz target shares — assertions that stay on in
 * release builds, and a data producer that takes parameters from the end of
 * the input.
 *
 * The assertions are always on because a fuzz build is often -O1/-O2 with
 * NDEBUG (OSS-Fuzz, AFL++); a property that is only checked in debug builds
 * is not checked at all there. They print file, line, the condition and a
 * message, then abort(), which every engine records as a crash.
 *
 * The producer reads parameters (chunk sizes, limits, flags) from the end of
 * the input so that the front — the trace bytes, which seeds and
 * dictionaries are written for — stays undisturbed. The payload is whatever
 * is left once the parameters are taken (fuzz_producer_remaining). */
#ifndef FUZZ_HELPERS_H
#define FUZZ_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT_MSG(cond, ...)                                                   \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: assertion failed: %s: ", __FILE__, __LINE__,     \
                    #cond);                                                          \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
            abort();                                                                 \
        }                                                                            \
    } while (0)

#define FUZZ_ASSERT(cond) FUZZ_ASSERT_MSG((cond), "%s", "")

/* Parameters come off the end of the input; once it is used up every
 * parameter reads as 0, i.e. its minimum, so a short input still runs. */
typedef struct fuzz_producer {
    const uint8_t *data;
    size_t size; /* bytes not yet taken as parameters */
} fuzz_producer_t;

static inline fuzz_producer_t fuzz_producer(const uint8_t *data, size_t size)
{
    fuzz_producer_t p = {data, size};
    return p;
}

/* A value in [min, max], taken from as few trailing bytes as the range
 * needs, so a one-byte edit at the end moves one parameter. */
static inline uint32_t fuzz_producer_range(fuzz_producer_t *p, uint32_t min, uint32_t max)
{
    FUZZ_ASSERT_MSG(min <= max, "range [%u, %u]", (unsigned)min, (unsigned)max);
    uint32_t span = max - min;
    uint32_t v = 0;
    for (uint32_t left = span; left != 0 && p->size != 0; left >>= 8) {
        v = (v << 8) | p->data[--p->size];
    }
    return span == UINT32_MAX ? min + v : min + v % (span + 1);
}

static inline int fuzz_producer_bool(fuzz_producer_t *p)
{
    return (int)fuzz_producer_range(p, 0, 1);
}

/* The payload: the input minus the parameters taken so far. */
static inline size_t fuzz_producer_remaining(const fuzz_producer_t *p)
{
    return p->size;
}

#endif /* FUZZ_HELPERS_H */
