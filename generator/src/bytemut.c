/* bytemut.c: byte-level and batch-aware mutations of trace files. */
#include "gtg_bytemut.h"

#include <stdlib.h>
#include <string.h>

#include "varint.h"

#define HEADER_LEN 16  /* "go 1.NN trace\0\0\0" */
#define MAX_BATCHES 4096

typedef struct span {
    size_t start;    /* first byte of the batch header */
    size_t size_off; /* offset of the size varint */
    size_t size_len; /* its length */
    size_t body;     /* first byte of the payload */
    size_t end;      /* one past the payload */
} span_t;

typedef struct buf {
    uint8_t *p;
    size_t len;
    size_t cap;
    int failed;
} buf_t;

static void put(buf_t *b, const uint8_t *src, size_t n)
{
    if (b->failed || n == 0) {
        return;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n) {
            cap *= 2;
        }
        uint8_t *p = realloc(b->p, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_uvarint(buf_t *b, uint64_t v)
{
    uint8_t tmp[GTR_VARINT_MAX_LEN];
    put(b, tmp, gtr_put_uvarint(tmp, v));
}

/* Splits in[] into batches, stopping quietly at the first thing that does
 * not frame as a batch (the rest is then left untouched by batch edits). */
static size_t split_batches(const uint8_t *in, size_t n, span_t *spans)
{
    size_t count = 0, pos = n >= HEADER_LEN ? HEADER_LEN : n;
    while (pos < n && count < MAX_BATCHES) {
        span_t s = {.start = pos};
        size_t p = pos + 1;
        if (in[pos] == 52) { /* EndOfGeneration: a one-byte batch */
            s.size_off = s.body = s.end = p;
            spans[count++] = s;
            pos = p;
            continue;
        }
        if (in[pos] != 1 && in[pos] != 49) {
            break;
        }
        if (in[pos] == 49) {
            p++; /* experiment byte */
        }
        uint64_t v = 0;
        int ok = 1;
        for (int field = 0; field < 4 && ok; field++) {
            int k = p < n ? gtr_uvarint(in + p, n - p, &v) : 0;
            if (k <= 0) {
                ok = 0;
                break;
            }
            if (field == 3) {
                s.size_off = p;
                s.size_len = (size_t)k;
            }
            p += (size_t)k;
        }
        if (!ok || v > n - p) {
            break;
        }
        s.body = p;
        s.end = p + (size_t)v;
        spans[count++] = s;
        pos = s.end;
    }
    return count;
}

static uint64_t interesting(gtg_choice_t *c, uint64_t old)
{
    static const uint64_t vals[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x3fff, 0x4000,
                                    1u << 16, 1ull << 32, UINT64_MAX, UINT64_MAX >> 1};
    switch (gtg_choose(c, 4)) {
    case 0: return old + 1;
    case 1: return old - 1;
    case 2: return gtg_choose_u64(c) >> gtg_choose(c, 64);
    default: return vals[gtg_choose(c, sizeof vals / sizeof vals[0])];
    }
}

static int byte_edit(const uint8_t *in, size_t n, gtg_choice_t *c, gtg_bytemut_t kind, buf_t *b)
{
    size_t at = (size_t)gtg_choose(c, n + 1);
    static const uint8_t vals[] = {0, 1, 0x7f, 0x80, 0xff, 1, 49, 52, 0x81};
    put(b, in, n);
    if (b->failed) {
        return -1;
    }
    switch (kind) {
    case GTG_BM_BIT_FLIP:
        for (uint64_t i = 0, k = 1 + gtg_choose(c, 4); i < k && n > 0; i++) {
            b->p[gtg_choose(c, n)] ^= (uint8_t)(1u << gtg_choose(c, 8));
        }
        break;
    case GTG_BM_BYTE_SET:
        if (n > 0) {
            b->p[gtg_choose(c, n)] = vals[gtg_choose(c, sizeof vals)];
        }
        break;
    case GTG_BM_INSERT: {
        uint8_t ins[8];
        size_t k = 1 + (size_t)gtg_choose(c, 8);
        for (size_t i = 0; i < k; i++) {
            ins[i] = (uint8_t)gtg_choose(c, 256);
        }
        b->len = at;
        put(b, ins, k);
        put(b, in + at, n - at);
        break;
    }
    case GTG_BM_ERASE: {
        size_t k = 1 + (size_t)gtg_choose(c, 16);
        k = k > n - at ? n - at : k;
        b->len = at;
        put(b, in + at + k, n - at - k);
        break;
    }
    default: /* GTG_BM_TRUNCATE */
        b->len = at;
        break;
    }
    return b->failed ? -1 : 0;
}

/* Rebuilds the file from its batches in a new order; order[] holds span
 * indices (a repeated index duplicates, a missing one drops). */
static void emit_batches(const uint8_t *in, size_t n, const span_t *s, size_t count,
                         const size_t *order, size_t norder, buf_t *b)
{
    put(b, in, s[0].start);
    for (size_t i = 0; i < norder; i++) {
        put(b, in + s[order[i]].start, s[order[i]].end - s[order[i]].start);
    }
    put(b, in + s[count - 1].end, n - s[count - 1].end);
}

static int batch_edit(const uint8_t *in, size_t n, gtg_choice_t *c, gtg_bytemut_t kind,
                      const span_t *s, size_t count, buf_t *b)
{
    size_t *order = malloc((count + 1) * sizeof *order);
    if (order == NULL) {
        return -1;
    }
    size_t norder = 0, i = (size_t)gtg_choose(c, count), j = (size_t)gtg_choose(c, count);
    for (size_t k = 0; k < count; k++) {
        if (kind == GTG_BM_BATCH_DROP && k == i) {
            continue;
        }
        order[norder++] = kind == GTG_BM_BATCH_SWAP ? (k == i ? j : k == j ? i : k) : k;
        if (kind == GTG_BM_BATCH_DUP && k == i) {
            order[norder++] = k;
        }
    }
    emit_batches(in, n, s, count, order, norder, b);
    free(order);
    return b->failed ? -1 : 0;
}

/* Replaces one varint inside a batch payload (or its header, for
 * GTG_BM_HEADER_EDIT), re-encoding the batch size when the length changes
 * so the rest of the file still frames. */
static int varint_edit(const uint8_t *in, size_t n, gtg_choice_t *c, gtg_bytemut_t kind,
                       const span_t *s, size_t count, buf_t *b)
{
    const span_t *t = &s[gtg_choose(c, count)];
    size_t lo = kind == GTG_BM_HEADER_EDIT ? t->start + 1 : t->body;
    size_t hi = kind == GTG_BM_HEADER_EDIT ? t->body : t->end;
    if (lo >= hi) {
        return 1;
    }
    size_t at = lo + (size_t)gtg_choose(c, hi - lo);
    uint64_t old;
    int k = gtr_uvarint(in + at, hi - at, &old);
    if (k <= 0) {
        return 1;
    }
    uint8_t tmp[GTR_VARINT_MAX_LEN];
    size_t nk = gtr_put_uvarint(tmp, interesting(c, old));
    int in_body = at >= t->body;
    put(b, in, in_body ? t->size_off : at);
    if (in_body) {
        put_uvarint(b, (uint64_t)(t->end - t->body) - (uint64_t)k + nk);
        put(b, in + t->size_off + t->size_len, at - (t->size_off + t->size_len));
    }
    put(b, tmp, nk);
    put(b, in + at + (size_t)k, n - at - (size_t)k);
    return b->failed ? -1 : 0;
}

const char *gtg_bytemut_name(gtg_bytemut_t kind)
{
    static const char *const names[GTG_BM_COUNT] = {
        [GTG_BM_BIT_FLIP] = "bit-flip",       [GTG_BM_BYTE_SET] = "byte-set",
        [GTG_BM_INSERT] = "insert",           [GTG_BM_ERASE] = "erase",
        [GTG_BM_TRUNCATE] = "truncate",       [GTG_BM_BATCH_SWAP] = "batch-swap",
        [GTG_BM_BATCH_DROP] = "batch-drop",   [GTG_BM_BATCH_DUP] = "batch-dup",
        [GTG_BM_VARINT_EDIT] = "varint-edit", [GTG_BM_HEADER_EDIT] = "header-edit",
    };
    return (unsigned)kind < GTG_BM_COUNT ? names[kind] : "random";
}

int gtg_bytemut_apply(const uint8_t *in, size_t n, gtg_choice_t *c, gtg_bytemut_t kind,
                      uint8_t **out, size_t *out_len, gtg_bytemut_t *applied)
{
    buf_t b = {0};
    if ((unsigned)kind >= GTG_BM_COUNT) {
        kind = (gtg_bytemut_t)gtg_choose(c, GTG_BM_COUNT);
    }
    span_t *spans = NULL;
    size_t count = 0;
    if (kind >= GTG_BM_BATCH_SWAP) {
        spans = malloc(MAX_BATCHES * sizeof *spans);
        if (spans == NULL) {
            return -1;
        }
        count = split_batches(in, n, spans);
    }
    int rc = 1;
    if (kind >= GTG_BM_BATCH_SWAP && count > 0) {
        rc = kind <= GTG_BM_BATCH_DUP ? batch_edit(in, n, c, kind, spans, count, &b)
                                      : varint_edit(in, n, c, kind, spans, count, &b);
    }
    free(spans);
    if (rc == 1) { /* not applicable: fall back to a plain byte edit */
        free(b.p);
        b = (buf_t){0};
        if (kind >= GTG_BM_BATCH_SWAP) {
            kind = GTG_BM_BIT_FLIP;
        }
        rc = byte_edit(in, n, c, kind, &b);
    }
    if (rc != 0) {
        free(b.p);
        return -1;
    }
    if (b.p == NULL) { /* empty result: still hand out a valid pointer */
        b.p = malloc(1);
        if (b.p == NULL) {
            return -1;
        }
    }
    *out = b.p;
    *out_len = b.len;
    if (applied != NULL) {
        *applied = kind;
    }
    return 0;
}
