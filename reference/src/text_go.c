/* text_go.c: Go's string rules that the raw text format depends on (see
 * text_go.h). Each function follows the documented behaviour of its Go
 * counterpart, edge cases included, because the round trip with Go's own
 * converter must be byte-identical and its error messages the same. */
#include "text_go.h"

#include <string.h>

#include "text_isprint.h"

#define RUNE_SELF 0x80

/* Second-byte bounds for a lead byte: overlongs, surrogates and values
 * past U+10FFFF are excluded by narrowing the first continuation byte. */
static void lead_info(uint8_t b, size_t *size, uint8_t *lo, uint8_t *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        *size = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        *size = 3;
        *lo = b == 0xE0 ? 0xA0 : 0x80;
        *hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        *size = 4;
        *lo = b == 0xF0 ? 0x90 : 0x80;
        *hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
        *size = 0; /* continuation byte, C0, C1, F5..FF */
    }
}

int32_t gtr_go_decode_rune(const uint8_t *p, size_t n, size_t *width)
{
    if (n == 0) {
        *width = 0;
        return GTR_RUNE_ERROR;
    }
    if (p[0] < RUNE_SELF) {
        *width = 1;
        return p[0];
    }
    size_t size;
    uint8_t lo, hi;
    lead_info(p[0], &size, &lo, &hi);
    *width = 1;
    if (size == 0 || n < size || p[1] < lo || p[1] > hi) {
        return GTR_RUNE_ERROR;
    }
    int32_t r = p[0] & (size == 2 ? 0x1F : size == 3 ? 0x0F : 0x07);
    r = r << 6 | (p[1] & 0x3F);
    for (size_t i = 2; i < size; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF) {
            return GTR_RUNE_ERROR;
        }
        r = r << 6 | (p[i] & 0x3F);
    }
    *width = size;
    return r;
}

int32_t gtr_go_decode_last_rune(const uint8_t *p, size_t n, size_t *width)
{
    if (n == 0) {
        *width = 0;
        return GTR_RUNE_ERROR;
    }
    if (p[n - 1] < RUNE_SELF) {
        *width = 1;
        return p[n - 1];
    }
    /* Look back at most 4 bytes for a byte that can start a rune; the rune
     * decoded there must end exactly at n, or the tail is one bad byte. */
    size_t lim = n >= 4 ? n - 4 : 0;
    size_t start = n - 1;
    while (start > lim && (p[start] & 0xC0) == 0x80) {
        start--;
    }
    size_t w;
    int32_t r = gtr_go_decode_rune(p + start, n - start, &w);
    if (start + w != n) {
        *width = 1;
        return GTR_RUNE_ERROR;
    }
    *width = w;
    return r;
}

bool gtr_go_is_space(int32_t r)
{
    switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
        return true;
    default:
        return r >= 0x2000 && r <= 0x200A;
    }
}

bool gtr_go_is_print(int32_t r)
{
    size_t lo = 0, hi = sizeof gtr_isprint_ranges / sizeof gtr_isprint_ranges[0];
    if (r < 0) {
        return false;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uint32_t)r > gtr_isprint_ranges[mid][1]) {
            lo = mid + 1;
        } else if ((uint32_t)r < gtr_isprint_ranges[mid][0]) {
            hi = mid;
        } else {
            return true;
        }
    }
    return false;
}

bool gtr_go_all_space(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t w;
        if (!gtr_go_is_space(gtr_go_decode_rune(p + i, n - i, &w))) {
            return false;
        }
        i += w;
    }
    return true;
}

void gtr_go_trim_space(const uint8_t **p, size_t *n)
{
    const uint8_t *s = *p;
    size_t len = *n, w;
    while (len > 0 && gtr_go_is_space(gtr_go_decode_rune(s, len, &w))) {
        s += w;
        len -= w;
    }
    while (len > 0 && gtr_go_is_space(gtr_go_decode_last_rune(s, len, &w))) {
        len -= w;
    }
    *p = s;
    *n = len;
}

static const char hexdig[] = "0123456789abcdef";

static bool put_hex(gtr_bytebuf_t *b, const char *prefix, uint32_t v, int digits)
{
    gtr_bb_str(b, prefix);
    for (int s = (digits - 1) * 4; s >= 0; s -= 4) {
        gtr_bb_byte(b, (uint8_t)hexdig[(v >> s) & 0xF]);
    }
    return b->err == GTR_BB_OK;
}

/* One decoded rune of a quoted string, escaped as strconv.Quote does. */
static void quote_rune(gtr_bytebuf_t *b, int32_t r, const uint8_t *src, size_t w)
{
    static const char esc[] = {['\a'] = 'a', ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
                               ['\r'] = 'r', ['\t'] = 't', ['\v'] = 'v'};
    if (r == '"' || r == '\\') {
        gtr_bb_byte(b, '\\');
        gtr_bb_byte(b, (uint8_t)r);
    } else if (gtr_go_is_print(r)) {
        gtr_bb_put(b, src, w);
    } else if (r < (int32_t)sizeof esc && esc[r] != 0) {
        gtr_bb_byte(b, '\\');
        gtr_bb_byte(b, (uint8_t)esc[r]);
    } else if (r < ' ' || r == 0x7F) {
        put_hex(b, "\\x", (uint32_t)r, 2);
    } else if (r < 0x10000) {
        put_hex(b, "\\u", (uint32_t)r, 4);
    } else {
        put_hex(b, "\\U", (uint32_t)r, 8);
    }
}

bool gtr_go_quote(gtr_bytebuf_t *b, const uint8_t *p, size_t n)
{
    gtr_bb_byte(b, '"');
    for (size_t i = 0; i < n;) {
        size_t w;
        int32_t r = gtr_go_decode_rune(p + i, n - i, &w);
        if (r == GTR_RUNE_ERROR && w == 1) {
            put_hex(b, "\\x", p[i], 2); /* a byte that is not UTF-8 */
        } else {
            quote_rune(b, r, p + i, w);
        }
        i += w;
    }
    return gtr_bb_byte(b, '"');
}

static void put_rune(gtr_bytebuf_t *b, int32_t r)
{
    uint8_t u[4];
    size_t n;
    if (r < 0x80) {
        u[0] = (uint8_t)r;
        n = 1;
    } else if (r < 0x800) {
        u[0] = (uint8_t)(0xC0 | r >> 6);
        u[1] = (uint8_t)(0x80 | (r & 0x3F));
        n = 2;
    } else if (r < 0x10000) {
        u[0] = (uint8_t)(0xE0 | r >> 12);
        u[1] = (uint8_t)(0x80 | ((r >> 6) & 0x3F));
        u[2] = (uint8_t)(0x80 | (r & 0x3F));
        n = 3;
    } else {
        u[0] = (uint8_t)(0xF0 | r >> 18);
        u[1] = (uint8_t)(0x80 | ((r >> 12) & 0x3F));
        u[2] = (uint8_t)(0x80 | ((r >> 6) & 0x3F));
        u[3] = (uint8_t)(0x80 | (r & 0x3F));
        n = 4;
    }
    gtr_bb_put(b, u, n);
}

static int unhex(uint8_t c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        return (c | 0x20) - 'a' + 10;
    }
    return -1;
}

/* A backslash escape at s[0..n) (s[0] == '\\'), as strconv.UnquoteChar
 * reads it: its value, whether it stands for a rune (UTF-8 encoded) rather
 * than a byte, and its length; false if it is not a valid escape. */
static bool unquote_escape(const uint8_t *s, size_t n, uint8_t quote, int32_t *val,
                           bool *is_rune, size_t *used)
{
    static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\";
    *is_rune = false;
    if (n < 2) {
        return false;
    }
    uint8_t c = s[1];
    const char *hit = c != 0 ? strchr(simple, c) : NULL;
    if (hit != NULL && (hit - simple) % 2 == 0) {
        *val = (uint8_t)hit[1];
        *used = 2;
        return true;
    }
    if (c == 'x' || c == 'u' || c == 'U') {
        size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        uint32_t v = 0;
        if (n - 2 < digits) {
            return false;
        }
        for (size_t j = 0; j < digits; j++) {
            int d = unhex(s[2 + j]);
            if (d < 0) {
                return false;
            }
            v = v << 4 | (uint32_t)d;
        }
        *is_rune = c != 'x';
        if (*is_rune && (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))) {
            return false;
        }
        *val = (int32_t)v;
        *used = 2 + digits;
        return true;
    }
    if (c >= '0' && c <= '7') {
        if (n - 2 < 2 || s[2] < '0' || s[2] > '7' || s[3] < '0' || s[3] > '7') {
            return false;
        }
        int32_t v = (c - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
        *val = v;
        *used = 4;
        return v <= 255;
    }
    if ((c == '\'' || c == '"') && c == quote) {
        *val = c;
        *used = 2;
        return true;
    }
    return false;
}

/* The escape-processing path of Unquote for '"' and '\'' literals. */
static bool unquote_slow(const uint8_t *p, size_t n, uint8_t q, gtr_bytebuf_t *out)
{
    size_t i = 1;
    while (i < n && p[i] != q) {
        int32_t r;
        bool is_rune = false;
        size_t w;
        if (p[i] == '\n') {
            return false;
        } else if (p[i] >= RUNE_SELF) {
            r = gtr_go_decode_rune(p + i, n - i, &w);
            is_rune = true; /* a bad byte becomes U+FFFD */
        } else if (p[i] != '\\') {
            r = p[i];
            w = 1;
        } else if (!unquote_escape(p + i, n - i, q, &r, &is_rune, &w)) {
            return false;
        }
        i += w;
        if (r < RUNE_SELF || !is_rune) {
            gtr_bb_byte(out, (uint8_t)r);
        } else {
            put_rune(out, r);
        }
        if (q == '\'') {
            break; /* a rune literal holds one character */
        }
    }
    return i < n && p[i] == q && i + 1 == n;
}

static bool valid_utf8(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t w;
        if (gtr_go_decode_rune(p + i, n - i, &w) == GTR_RUNE_ERROR && w == 1) {
            return false;
        }
        i += w;
    }
    return true;
}

bool gtr_go_unquote(const uint8_t *p, size_t n, gtr_bytebuf_t *out)
{
    if (n < 2) {
        return false;
    }
    uint8_t q = p[0];
    const uint8_t *close = memchr(p + 1, q, n - 1);
    if (close == NULL || (q != '`' && q != '"' && q != '\'')) {
        return false;
    }
    size_t end = (size_t)(close - p) + 1; /* just past the first closing quote */
    if (q == '`') {
        for (size_t i = 1; i + 1 < end; i++) {
            if (p[i] != '\r') { /* raw strings drop carriage returns */
                gtr_bb_byte(out, p[i]);
            }
        }
        return end == n;
    }
    if (memchr(p, '\\', end) == NULL && memchr(p, '\n', end) == NULL) {
        bool valid;
        if (q == '"') {
            valid = valid_utf8(p + 1, end - 2);
        } else {
            size_t w;
            int32_t r = gtr_go_decode_rune(p + 1, end - 2, &w);
            valid = 2 + w == end && (r != GTR_RUNE_ERROR || w != 1);
        }
        if (valid) {
            gtr_bb_put(out, p + 1, end - 2);
            return end == n;
        }
    }
    return unquote_slow(p, n, q, out);
}

gtr_go_num_err_t gtr_go_parse_uint(const uint8_t *p, size_t n, uint64_t *out)
{
    const uint64_t cutoff = UINT64_MAX / 10 + 1;
    uint64_t v = 0;
    *out = 0;
    if (n == 0) {
        return GTR_GO_NUM_SYNTAX;
    }
    /* Left to right, so the first bad character or the first overflow,
     * whichever comes first, decides the error, as in Go. */
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return GTR_GO_NUM_SYNTAX;
        }
        if (v >= cutoff) {
            return GTR_GO_NUM_RANGE;
        }
        v *= 10;
        uint64_t v1 = v + (uint64_t)(p[i] - '0');
        if (v1 < v) {
            return GTR_GO_NUM_RANGE;
        }
        v = v1;
    }
    *out = v;
    return GTR_GO_NUM_OK;
}
