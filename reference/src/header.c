/* header.c: the trace header "go 1.NN trace\0\0\0".
 *
 * Go reads it with fmt.Fscanf, so the accepted inputs are Fscanf's, not a
 * fixed byte string: a run of white space (Unicode White_Space, decoded as
 * UTF-8, never a newline) stands for each space of the format, white space
 * may precede the number, and the number is any decimal digit string that
 * fits 32 bits. This file scans rune by rune with the same rules. */
#include <string.h>

#include "internal.h"

/* fmt's copy of unicode.White_Space. */
static bool is_space(int32_t r)
{
    static const uint16_t ranges[][2] = {
        {0x0009, 0x000d}, {0x0020, 0x0020}, {0x0085, 0x0085}, {0x00a0, 0x00a0},
        {0x1680, 0x1680}, {0x2000, 0x200a}, {0x2028, 0x2029}, {0x202f, 0x202f},
        {0x205f, 0x205f}, {0x3000, 0x3000},
    };
    if (r < 0 || r >= 1 << 16) {
        return false;
    }
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (r < ranges[i][0]) {
            return false;
        }
        if (r <= ranges[i][1]) {
            return true;
        }
    }
    return false;
}

static int bad(gtr_err_t *e)
{
    return gtr_err_set(e, GTR_ERR_HEADER, "bad file format: not a Go execution trace?");
}

/* A literal of the format must be the next rune. */
static bool literal(gtr_src_t *s, const char *lit)
{
    for (; *lit != '\0'; lit++) {
        size_t w;
        if (gtr_src_rune(s, &w) != (unsigned char)*lit) {
            return false;
        }
    }
    return true;
}

/* A lone space of the format: one or more spaces (no newline) or the end. */
static bool format_space(gtr_src_t *s)
{
    size_t w;
    int32_t r = gtr_src_rune(s, &w);
    if ((!is_space(r) && r != -1) || r == '\n') {
        return false;
    }
    while (is_space(r) && r != '\n') {
        r = gtr_src_rune(s, &w);
    }
    if (r != -1) {
        gtr_src_unread(s, w);
    }
    return true;
}

/* fmt's SkipSpace for Fscanf: newlines are errors, "\r\n" counts as one. */
static bool skip_space(gtr_src_t *s)
{
    for (;;) {
        size_t w;
        int32_t r = gtr_src_rune(s, &w);
        if (r == -1) {
            return true;
        }
        if (r == '\r') {
            size_t w2;
            int32_t n = gtr_src_rune(s, &w2);
            if (n != -1) {
                gtr_src_unread(s, w2);
            }
            if (n == '\n') {
                continue;
            }
        }
        if (r == '\n') {
            return false;
        }
        if (!is_space(r)) {
            gtr_src_unread(s, w);
            return true;
        }
    }
}

/* %d into a uint32: digits only (no sign), value must fit 32 bits. */
static bool number(gtr_src_t *s, uint32_t *out)
{
    uint64_t v = 0;
    bool overflow = false;
    size_t ndigits = 0;
    for (;;) {
        size_t w;
        int32_t r = gtr_src_rune(s, &w);
        if (r < '0' || r > '9') {
            if (r != -1) {
                gtr_src_unread(s, w);
            }
            break;
        }
        ndigits++;
        unsigned d = (unsigned)(r - '0');
        if (v > (UINT64_MAX - d) / 10) {
            overflow = true;
        } else {
            v = v * 10 + d;
        }
    }
    if (ndigits == 0 || overflow || v > UINT32_MAX) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* The header as the runtime writes it, "go 1.NN trace\0\0\0" with two
 * digits, matched byte for byte in a buffer: the scan below would read
 * exactly these 16 bytes to the same number. Most inputs start so. */
static bool runtime_header(gtr_src_t *s, uint32_t *n)
{
    static const char tail[] = " trace\0\0\0";
    if (!gtr_src_in_memory(s) || s->len - s->pos < 16) {
        return false;
    }
    const uint8_t *p = s->data + s->pos;
    if (memcmp(p, "go 1.", 5) != 0 || p[5] < '0' || p[5] > '9' || p[6] < '0' || p[6] > '9' ||
        memcmp(p + 7, tail, sizeof tail - 1) != 0) {
        return false;
    }
    *n = (uint32_t)(p[5] - '0') * 10 + (uint32_t)(p[6] - '0');
    s->pos += 16;
    return true;
}

/* Fscanf's reading of the format, rune by rune. */
static bool scan_header(gtr_src_t *s, uint32_t *n)
{
    if (!literal(s, "go") || !format_space(s) || !literal(s, "1.")) {
        return false;
    }
    /* Fscanf skips space before the verb and again inside scanUint. */
    if (!skip_space(s) || !skip_space(s) || !number(s, n)) {
        return false;
    }
    if (!format_space(s) || !literal(s, "trace")) {
        return false;
    }
    /* The three NULs (a C string literal cannot hold them). */
    for (int i = 0; i < 3; i++) {
        size_t w;
        if (gtr_src_rune(s, &w) != 0) {
            return false;
        }
    }
    return true;
}

int gtr_read_header(gtr_src_t *s, gtr_err_t *e, gtr_version_t *v)
{
    uint32_t n = 0;
    *v = 0;
    if (!runtime_header(s, &n) && !scan_header(s, &n)) {
        return bad(e);
    }
    if (!gtr_version_known(n)) {
        return gtr_err_set(e, GTR_ERR_VERSION, "unknown or unsupported trace version go 1.%u", n);
    }
    *v = (gtr_version_t)n;
    if (!gtr_version_supported(*v)) {
        return gtr_err_set(e, GTR_ERR_DECLINED,
                           "pre-Go 1.22 trace (go 1.%u): the v1 format is not read by libgotrace", n);
    }
    return GTR_OK;
}
