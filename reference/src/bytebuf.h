/* bytebuf.h: a growable byte buffer with a size cap and a sticky error, for
 * the writers of the wire and text formats.
 *
 * Every append checks the cap before it allocates, so a converter's memory
 * stays bounded by its options whatever the input. The first failure sticks:
 * later appends do nothing, and the caller checks `err` once at the end of a
 * step instead of after every byte. */
#ifndef GOTRACE_BYTEBUF_H
#define GOTRACE_BYTEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "varint.h"

typedef enum gtr_bb_err {
    GTR_BB_OK = 0,
    GTR_BB_NOMEM, /* realloc returned NULL */
    GTR_BB_LIMIT  /* the append would pass `max` */
} gtr_bb_err_t;

typedef struct gtr_bytebuf {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t max; /* hard cap on len */
    gtr_bb_err_t err;
} gtr_bytebuf_t;

static inline void gtr_bb_init(gtr_bytebuf_t *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

static inline void gtr_bb_free(gtr_bytebuf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Makes room for n more bytes; false (and a sticky error) if it cannot. */
static inline bool gtr_bb_reserve(gtr_bytebuf_t *b, size_t n)
{
    if (b->err != GTR_BB_OK) {
        return false;
    }
    if (n > b->max || b->len > b->max - n) {
        b->err = GTR_BB_LIMIT;
        return false;
    }
    if (b->len + n <= b->cap) {
        return true;
    }
    size_t cap = b->cap < 256 ? 256 : b->cap;
    while (cap < b->len + n) {
        cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
    }
    if (cap > b->max) {
        cap = b->max;
    }
    uint8_t *p = realloc(b->data, cap);
    if (p == NULL) {
        b->err = GTR_BB_NOMEM;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

static inline bool gtr_bb_put(gtr_bytebuf_t *b, const void *p, size_t n)
{
    if (n == 0) {
        return b->err == GTR_BB_OK;
    }
    if (!gtr_bb_reserve(b, n)) {
        return false;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return true;
}

static inline bool gtr_bb_byte(gtr_bytebuf_t *b, uint8_t c)
{
    return gtr_bb_put(b, &c, 1);
}

static inline bool gtr_bb_str(gtr_bytebuf_t *b, const char *s)
{
    return gtr_bb_put(b, s, strlen(s));
}

static inline bool gtr_bb_uvarint(gtr_bytebuf_t *b, uint64_t v)
{
    uint8_t tmp[GTR_VARINT_MAX_LEN];
    return gtr_bb_put(b, tmp, gtr_put_uvarint(tmp, v));
}

#define GTR_DEC_MAX 20 /* digits of UINT64_MAX */

/* Writes v in decimal at the end of buf[GTR_DEC_MAX], as Go's
 * strconv.FormatUint(v, 10); returns how many digits. */
static inline size_t gtr_format_dec(char buf[GTR_DEC_MAX], uint64_t v)
{
    size_t i = GTR_DEC_MAX;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return GTR_DEC_MAX - i;
}

/* Appends v in decimal. */
static inline bool gtr_bb_dec(gtr_bytebuf_t *b, uint64_t v)
{
    char tmp[GTR_DEC_MAX];
    size_t n = gtr_format_dec(tmp, v);
    return gtr_bb_put(b, tmp + GTR_DEC_MAX - n, n);
}

/* Hands the bytes to the caller (who frees them with free()) and resets
 * the buffer. An empty buffer still yields a non-NULL pointer, so that
 * "no output" and "failed" stay distinguishable. */
static inline uint8_t *gtr_bb_take(gtr_bytebuf_t *b, size_t *len)
{
    uint8_t *p = b->data != NULL ? b->data : malloc(1);
    *len = b->data != NULL ? b->len : 0;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

#endif /* GOTRACE_BYTEBUF_H */
