/* wire_builder.h: the few byte-level helpers the reader's unit tests use to
 * build wire-format traces by hand (varints, headers). Each test builds its
 * own batches on top, in the shape that test needs. */
#ifndef TESTS_WIRE_BUILDER_H
#define TESTS_WIRE_BUILDER_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct buf {
    uint8_t b[8192];
    size_t n;
} buf_t;

static inline void put(buf_t *b, const void *p, size_t n)
{
    assert_true(b->n + n <= sizeof b->b);
    memcpy(b->b + b->n, p, n);
    b->n += n;
}

static inline void u8(buf_t *b, uint8_t v) { put(b, &v, 1); }

static inline void uv(buf_t *b, uint64_t v)
{
    while (v >= 0x80) {
        u8(b, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    u8(b, (uint8_t)v);
}

/* "go 1.NN trace" and its three NUL bytes. */
static inline void header(buf_t *b, int ver)
{
    char h[32];
    snprintf(h, sizeof h, "go 1.%d trace", ver);
    put(b, h, strlen(h));
    put(b, "\0\0\0", 3);
}

#endif /* TESTS_WIRE_BUILDER_H */
