/* choice.c: the seeded PRNG and byte-buffer choice sources. */
#include "gtg_choice.h"

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* splitmix64 spreads one seed over the four words of xoshiro's state, so
 * nearby seeds still give unrelated streams. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void gtg_choice_seed(gtg_choice_t *c, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        c->s[i] = splitmix64(&x);
    }
    c->buf = NULL;
    c->len = 0;
    c->pos = 0;
    c->drawn = 0;
}

void gtg_choice_bytes(gtg_choice_t *c, const uint8_t *buf, size_t len)
{
    gtg_choice_seed(c, 0);
    /* A NULL buffer with zero length must still be byte mode. */
    static const uint8_t empty[1] = {0};
    c->buf = buf != NULL ? buf : empty;
    c->len = buf != NULL ? len : 0;
}

bool gtg_choice_exhausted(const gtg_choice_t *c)
{
    return c->buf != NULL && c->pos >= c->len;
}

static uint64_t next_prng(gtg_choice_t *c)
{
    uint64_t *s = c->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Reads just enough bytes to cover [0, n), so that a fuzzer's single-byte
 * edit changes a single decision most of the time. */
static uint64_t next_bytes(gtg_choice_t *c, uint64_t n)
{
    uint64_t v = 0;
    for (uint64_t span = n - 1; span != 0; span >>= 8) {
        uint8_t b = c->pos < c->len ? c->buf[c->pos] : 0;
        if (c->pos < c->len) {
            c->pos++;
        }
        v = (v << 8) | b;
    }
    return v;
}

uint64_t gtg_choose(gtg_choice_t *c, uint64_t n)
{
    if (n <= 1) {
        return 0;
    }
    c->drawn++;
    if (c->buf != NULL) {
        return next_bytes(c, n) % n;
    }
    /* Lemire-style rejection is overkill here; the modulo bias of a 64-bit
     * draw over small n is far below anything a test could notice. */
    return next_prng(c) % n;
}

uint64_t gtg_choose_u64(gtg_choice_t *c)
{
    c->drawn++;
    if (c->buf != NULL) {
        return next_bytes(c, UINT64_MAX);
    }
    return next_prng(c);
}

bool gtg_chance(gtg_choice_t *c, unsigned num, unsigned den)
{
    if (den == 0 || num == 0) {
        return false;
    }
    return gtg_choose(c, den) < num;
}

size_t gtg_choose_weighted(gtg_choice_t *c, const uint32_t *weights, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += weights[i];
    }
    if (total == 0) {
        return n;
    }
    uint64_t pick = gtg_choose(c, total);
    for (size_t i = 0; i < n; i++) {
        if (pick < weights[i]) {
            return i;
        }
        pick -= weights[i];
    }
    return n - 1; /* unreachable: pick < total */
}
