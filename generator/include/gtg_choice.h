/* gtg_choice.h: where the generator's choices come from.
 *
 * Every random decision in tracefuzz (generator productions, mutations) is
 * drawn from a choice source, which is either a seeded PRNG (the CLI: a seed
 * reproduces a trace exactly) or a byte buffer (fuzzers: libFuzzer and AFL++
 * mutate the bytes, the grammar turns them into a trace). The same seed or
 * the same bytes always give the same sequence of choices. */
#ifndef GTG_CHOICE_H
#define GTG_CHOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gtg_choice {
    /* PRNG state (xoshiro256**), used when buf is NULL. */
    uint64_t s[4];
    /* Byte-buffer mode: choices are read from buf; once it runs out every
     * choice is 0, which the grammar maps to its cheapest completion. */
    const uint8_t *buf;
    size_t len;
    size_t pos;
    uint64_t drawn; /* number of choices made so far */
} gtg_choice_t;

/* Seeded PRNG source. */
void gtg_choice_seed(gtg_choice_t *c, uint64_t seed);
/* Byte-buffer source; the buffer must outlive the source. */
void gtg_choice_bytes(gtg_choice_t *c, const uint8_t *buf, size_t len);

/* True when a byte-buffer source has no bytes left (a PRNG never runs out). */
bool gtg_choice_exhausted(const gtg_choice_t *c);

/* A uniform-ish value in [0, n); returns 0 when n is 0. */
uint64_t gtg_choose(gtg_choice_t *c, uint64_t n);
/* A full 64-bit value. */
uint64_t gtg_choose_u64(gtg_choice_t *c);
/* True with probability about num/den. */
bool gtg_chance(gtg_choice_t *c, unsigned num, unsigned den);
/* An index picked by weight; weights[i] may be 0. Returns n if all are 0. */
size_t gtg_choose_weighted(gtg_choice_t *c, const uint32_t *weights, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* GTG_CHOICE_H */
