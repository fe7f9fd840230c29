/* cursor.c: per-M batch cursors and the min-heap of them (the frontier).
 *
 * A cursor walks the batches of one M in trace order and decodes one timed
 * event at a time, turning its delta into nanoseconds with Go's float
 * arithmetic. The heap keeps the cursor with the earliest next event on top;
 * its operations are Go's own, swap for swap, because the reader's choice
 * among equal timestamps depends on where each cursor sits in the array. */
#include "internal.h"

/* Go's readTimedBaseEvent. Arguments past the event's own count keep their
 * previous values, as in Go (the ordering fills some of them). */
static int read_timed(gtr_cursor_t *c, const uint8_t *p, size_t n, gtr_err_t *e, size_t *used,
                      uint64_t *dt)
{
    uint8_t typ = p[0];
    unsigned nargs = gtr_timed_nargs(typ);
    if (nargs == 0) {
        RETURN_ERROR_IF(typ >= GTR_EV_MAX_EXPERIMENTAL, e, GTR_ERR_MALFORMED,
                        "found invalid event type: %u", typ);
        return gtr_err_set(e, GTR_ERR_MALFORMED, "found event without a timestamp: type=%u",
                           typ);
    }
    c->ev.typ = typ;
    /* Near the batch's end, or a longer varint (the short ones took
     * gtr_cursor_next_short): every read checked. */
    size_t off = 1;
    int k = gtr_uvarint(p + off, n - off, dt);
    RETURN_ERROR_IF(k <= 0, e, GTR_ERR_MALFORMED, "found invalid uvarint for timestamp");
    off += (size_t)k;
    for (unsigned i = 0; i + 1 < nargs; i++) {
        k = gtr_uvarint(p + off, n - off, &c->ev.args[i]);
        RETURN_ERROR_IF(k <= 0, e, GTR_ERR_MALFORMED, "found invalid uvarint");
        off += (size_t)k;
    }
    *used = off;
    return GTR_OK;
}

/* Batch b, left in a stream, read again into the cursor's buffer. */
static int reread_batch(gtr_cursor_t *c, const gtr_batch_t *b, gtr_err_t *e)
{
    if (c->buf_cap < b->len) {
        gtr_mem_free(c->mem, c->buf);
        c->buf_cap = 0;
        c->buf = gtr_mem_alloc(c->mem, b->len);
        if (c->buf == NULL) {
            return gtr_err_mem(e, c->mem, "batch data");
        }
        c->buf_cap = b->len;
    }
    long n = c->src->read_at(c->src->user, b->off, c->buf, b->len);
    RETURN_ERROR_IF(n < 0 || (size_t)n != b->len, e, GTR_ERR_IO,
                    "read error: batch of %zu bytes at offset %llu", b->len,
                    (unsigned long long)b->off);
    c->p = c->buf;
    return GTR_OK;
}

/* Starts reading batch *c->b (its base time is read with its first event).
 * A batch left in the input is read where it is in a buffer, and read
 * again into the cursor's buffer from a stream. */
static int load_batch(gtr_cursor_t *c, gtr_err_t *e)
{
    const gtr_batch_t *b = c->b;
    c->p = b->data;
    if (b->data == NULL && b->len > 0) {
        if (gtr_src_in_memory(c->src)) {
            c->p = c->src->data + b->off; /* offsets index a buffer's data */
        } else {
            FORWARD_IF_ERROR(reread_batch(c, b, e));
        }
    }
    c->end = c->p == NULL ? c->p : c->p + b->len;
    c->last_ts = 0;
    c->loaded = true;
    return GTR_OK;
}

void gtr_cursor_init(gtr_cursor_t *c, int64_t m, const gtr_mbatches_t *mb, const gtr_src_t *src,
                     gtr_mem_t *mem)
{
    c->m = m;
    c->order_mi = -1;
    c->last_ts = 0;
    c->p = c->end = NULL;
    c->b = c->b_end = NULL;
    if (mb->n != 0) {
        c->b = mb->b;
        c->b_end = mb->b + mb->n;
    }
    c->loaded = false;
    c->src = src;
    c->mem = mem;
    c->buf = NULL;
    c->buf_cap = 0;
}

void gtr_cursor_release(gtr_cursor_t *c)
{
    gtr_mem_free(c->mem, c->buf);
    c->buf = NULL;
    c->buf_cap = 0;
}

int gtr_cursor_next_slow(gtr_cursor_t *c, double freq, gtr_err_t *e, bool *ok)
{
    *ok = false;
    bool fresh = false; /* a new batch or base time: the short case may do now */
    /* Empty batches are tolerated and skipped. */
    while (c->p == c->end) {
        fresh = true;
        if (c->b == c->b_end) {
            return GTR_OK;
        }
        if (c->loaded) {
            if (++c->b == c->b_end) {
                return GTR_OK;
            }
        }
        FORWARD_IF_ERROR(load_batch(c, e));
    }
    /* Go tests "not yet initialised" as zero, so a batch whose times come
     * out as 0 re-reads its base time; kept for agreement. */
    if (c->last_ts == 0) {
        c->last_ts = gtr_ticks_to_ns(freq, c->b->time);
        fresh = true;
    }
    if (fresh && gtr_cursor_next_short(c, freq)) {
        *ok = true;
        return GTR_OK;
    }
    size_t used = 0;
    uint64_t dt = 0;
    FORWARD_IF_ERROR(read_timed(c, c->p, (size_t)(c->end - c->p), e, &used, &dt));
    gtr_cursor_take(c, freq, dt, c->p + used);
    *ok = true;
    return GTR_OK;
}

static void hswap(gtr_cursor_t **h, size_t i, size_t j)
{
    gtr_cursor_t *t = h[i];
    h[i] = h[j];
    h[j] = t;
}

static size_t sift_up(gtr_cursor_t **h, size_t i)
{
    while (i > 0 && h[(i - 1) / 2]->ev.time > h[i]->ev.time) {
        hswap(h, (i - 1) / 2, i);
        i = (i - 1) / 2;
    }
    return i;
}

/* Go's min3: the smallest of up to three slots, earlier slot on ties. */
static size_t min3(gtr_cursor_t **h, size_t n, size_t i0, size_t i1, size_t i2)
{
    size_t mi = i0;
    int64_t mt = INT64_MAX;
    if (i0 < n) {
        mt = h[i0]->ev.time;
    }
    if (i1 < n && h[i1]->ev.time < mt) {
        mt = h[i1]->ev.time;
        mi = i1;
    }
    if (i2 < n && h[i2]->ev.time < mt) {
        mi = i2;
    }
    return mi;
}

static void sift_down(gtr_cursor_t **h, size_t n, size_t i)
{
    for (;;) {
        size_t m = min3(h, n, i, 2 * i + 1, 2 * i + 2);
        if (m == i) {
            return;
        }
        hswap(h, i, m);
        i = m;
    }
}

void gtr_heap_insert(gtr_cursor_t **heap, size_t *n, gtr_cursor_t *c)
{
    heap[(*n)++] = c;
    sift_up(heap, *n - 1);
}

void gtr_heap_update(gtr_cursor_t **heap, size_t n, size_t i)
{
    if (sift_up(heap, i) != i) {
        return;
    }
    sift_down(heap, n, i);
}

void gtr_heap_remove(gtr_cursor_t **heap, size_t *n, size_t i)
{
    /* Bubble the slot to the root regardless of order, then drop it. */
    while (i > 0) {
        hswap(heap, (i - 1) / 2, i);
        i = (i - 1) / 2;
    }
    hswap(heap, 0, *n - 1);
    (*n)--;
    sift_down(heap, *n, 0);
}
