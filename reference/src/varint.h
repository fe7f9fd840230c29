/* varint.h: unsigned LEB128 varints as the trace format writes them.
 *
 * Decoding follows Go's encoding/binary.Uvarint exactly, because the reader
 * must reject the same byte strings Go rejects: at most 10 bytes, and the
 * tenth byte may only be 0 or 1 (anything larger overflows 64 bits). */
#ifndef GOTRACE_VARINT_H
#define GOTRACE_VARINT_H

#include <stddef.h>
#include <stdint.h>

#define GTR_VARINT_MAX_LEN 10

/* A varint of one to three bytes, the caller having checked that three
 * bytes are there; 0 for a longer one. Nearly every varint of a trace is
 * this short (arguments mostly one byte, timestamp deltas, goroutine IDs
 * and string lengths two or three), and no value that short can overflow.
 * (A branch-free decoder of up to eight bytes measured slower: most are
 * one byte.) */
static inline int gtr_short_uvarint(const uint8_t *p, uint64_t *v)
{
    if (p[0] < 0x80) {
        *v = p[0];
        return 1;
    }
    if (p[1] < 0x80) {
        *v = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
        return 2;
    }
    if (p[2] < 0x80) {
        *v = (uint64_t)(p[0] & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7 | (uint64_t)p[2] << 14;
        return 3;
    }
    return 0;
}

/* Decodes one varint from buf[0..len). Returns the number of bytes used
 * (> 0) on success, 0 if the buffer ends inside the varint, or a negative
 * count -(n) if the value overflows 64 bits after n bytes. */
static inline int gtr_uvarint(const uint8_t *buf, size_t len, uint64_t *out)
{
    int k;
    if (len >= 3 && (k = gtr_short_uvarint(buf, out)) > 0) {
        return k;
    }
    uint64_t x = 0;
    unsigned shift = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t b = buf[i];
        if (i == GTR_VARINT_MAX_LEN) {
            *out = 0;
            return -(int)(i + 1);
        }
        if (b < 0x80) {
            if (i == GTR_VARINT_MAX_LEN - 1 && b > 1) {
                *out = 0;
                return -(int)(i + 1);
            }
            *out = x | (uint64_t)b << shift;
            return (int)(i + 1);
        }
        x |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    }
    *out = 0;
    return 0;
}

/* Encodes v into buf (at least GTR_VARINT_MAX_LEN bytes); returns length. */
static inline size_t gtr_put_uvarint(uint8_t *buf, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        buf[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    buf[n++] = (uint8_t)v;
    return n;
}

#endif /* GOTRACE_VARINT_H */
