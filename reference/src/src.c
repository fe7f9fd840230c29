/* src.c: the byte source under the reader. A buffer is read in place; a
 * stream is read through a bounded window that keeps a few consumed bytes
 * so the header scanner can push a rune back. The reads mirror the Go
 * reader's primitives (bufio ReadByte/ReadRune, binary.ReadUvarint,
 * io.CopyN) including which of "EOF" and "unexpected EOF" each reports. */
#include <string.h>

#include "internal.h"
#include "varint.h"

#define WINDOW (64u << 10)
#define KEEP 8u /* consumed bytes kept for pushback */

void gtr_src_init_buffer(gtr_src_t *s, const uint8_t *data, size_t len)
{
    memset(s, 0, sizeof *s);
    s->data = data;
    s->len = len;
    s->eof = true;
}

int gtr_src_init_stream(gtr_src_t *s, gtr_mem_t *m, gtr_read_fn read, void *user)
{
    memset(s, 0, sizeof *s);
    s->buf = gtr_mem_alloc(m, WINDOW);
    if (s->buf == NULL) {
        return m->limit_hit ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    s->buf_cap = WINDOW;
    s->read = read;
    s->user = user;
    s->data = s->buf;
    return GTR_OK;
}

void gtr_src_free(gtr_src_t *s, gtr_mem_t *m)
{
    gtr_mem_free(m, s->buf);
    s->buf = NULL;
}

/* Makes at least `want` unread bytes available unless the input ends. */
static void fill(gtr_src_t *s, size_t want)
{
    while (s->len - s->pos < want && !s->eof) {
        if (s->len == s->buf_cap) {
            size_t keep = s->pos < KEEP ? s->pos : KEEP;
            size_t from = s->pos - keep;
            memmove(s->buf, s->buf + from, s->len - from);
            s->base += from;
            s->len -= from;
            s->pos -= from;
            if (s->len == s->buf_cap) {
                return; /* window full of unread bytes */
            }
        }
        long n = s->read(s->user, s->buf + s->len, s->buf_cap - s->len);
        if (n < 0) {
            s->io_error = true;
            s->eof = true;
        } else if (n == 0) {
            s->eof = true;
        } else {
            size_t got = (size_t)n > s->buf_cap - s->len ? s->buf_cap - s->len : (size_t)n;
            s->len += got;
        }
    }
}

int gtr_src_byte(gtr_src_t *s, uint8_t *b)
{
    if (s->pos == s->len) {
        fill(s, 1);
        if (s->pos == s->len) {
            return s->io_error ? GTR_SRC_IO : GTR_SRC_EOF;
        }
    }
    *b = s->data[s->pos++];
    return GTR_SRC_OK;
}

int gtr_src_uvarint(gtr_src_t *s, uint64_t *v)
{
    int k;
    if (s->len - s->pos >= 3 && (k = gtr_short_uvarint(s->data + s->pos, v)) > 0) {
        s->pos += (size_t)k;
        return GTR_SRC_OK;
    }
    uint64_t x = 0;
    unsigned shift = 0;
    *v = 0;
    for (int i = 0; i < GTR_VARINT_MAX_LEN; i++) {
        uint8_t b;
        int rc = gtr_src_byte(s, &b);
        if (rc != GTR_SRC_OK) {
            *v = x;
            return rc == GTR_SRC_EOF && i > 0 ? GTR_SRC_UNEXPECTED_EOF : rc;
        }
        if (b < 0x80) {
            if (i == GTR_VARINT_MAX_LEN - 1 && b > 1) {
                *v = x;
                return GTR_SRC_OVERFLOW;
            }
            *v = x | (uint64_t)b << shift;
            return GTR_SRC_OK;
        }
        x |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    }
    *v = x;
    return GTR_SRC_OVERFLOW;
}

int gtr_src_read(gtr_src_t *s, uint8_t *dst, size_t n, size_t *got)
{
    *got = 0;
    while (*got < n) {
        if (s->pos == s->len) {
            fill(s, 1);
            if (s->pos == s->len) {
                return s->io_error ? GTR_SRC_IO : GTR_SRC_EOF;
            }
        }
        size_t k = s->len - s->pos;
        if (k > n - *got) {
            k = n - *got;
        }
        if (dst != NULL) {
            memcpy(dst + *got, s->data + s->pos, k);
        }
        s->pos += k;
        *got += k;
    }
    return GTR_SRC_OK;
}

int gtr_src_skip(gtr_src_t *s, size_t n, size_t *got)
{
    return gtr_src_read(s, NULL, n, got);
}

/* Go's utf8.DecodeRune: invalid or short encodings give U+FFFD, width 1. */
static int32_t decode_rune(const uint8_t *p, size_t n, size_t *w)
{
    uint8_t b0 = p[0];
    *w = 1;
    if (b0 < 0x80) {
        return b0;
    }
    /* lo..hi bound the second byte, which rules out overlong forms and
     * surrogates without a separate minimum. */
    size_t need;
    int32_t r;
    uint8_t lo = 0x80, hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        need = 2, r = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        need = 3, r = b0 & 0x0f;
        lo = b0 == 0xe0 ? 0xa0 : 0x80;
        hi = b0 == 0xed ? 0x9f : 0xbf;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        need = 4, r = b0 & 0x07;
        lo = b0 == 0xf0 ? 0x90 : 0x80;
        hi = b0 == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0xfffd;
    }
    if (n < need || p[1] < lo || p[1] > hi) {
        return 0xfffd;
    }
    r = r << 6 | (p[1] & 0x3f);
    for (size_t i = 2; i < need; i++) {
        if (p[i] < 0x80 || p[i] > 0xbf) {
            return 0xfffd;
        }
        r = r << 6 | (p[i] & 0x3f);
    }
    *w = need;
    return r;
}

int32_t gtr_src_rune(gtr_src_t *s, size_t *width)
{
    fill(s, 4);
    if (s->pos == s->len) {
        *width = 0;
        return -1;
    }
    int32_t r = decode_rune(s->data + s->pos, s->len - s->pos, width);
    s->pos += *width;
    return r;
}

void gtr_src_unread(gtr_src_t *s, size_t width)
{
    s->pos = width <= s->pos ? s->pos - width : 0;
}

const char *gtr_src_errstr(int rc)
{
    switch (rc) {
    case GTR_SRC_EOF: return "EOF";
    case GTR_SRC_UNEXPECTED_EOF: return "unexpected EOF";
    case GTR_SRC_OVERFLOW: return "binary: varint overflows a 64-bit integer";
    case GTR_SRC_IO: return "read error";
    default: return "ok";
    }
}
