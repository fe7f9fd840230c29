/* generation.c: reading one generation of a trace.
 *
 * A generation is every batch that carries its number: event batches
 * (grouped per M, in trace order), string and stack tables, CPU samples, a
 * sync batch (frequency, and from go1.25 a clock snapshot) and experimental
 * batches. Before go1.26 nothing marks a generation's end, so the first
 * batch of the next one is read and handed back as a "spill"; go1.26 ends
 * each generation with an EndOfGeneration byte. Go reads a whole generation
 * before it orders any event of it, so every error here surfaces before the
 * generation's first event (after a Sync, see reader.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "varint.h"

enum { BATCH_OK = 0, BATCH_EOF = -1 };

void gtr_gen_free(gtr_gen_t *g, gtr_mem_t *m)
{
    if (g == NULL) {
        return;
    }
    for (size_t i = 0; i < g->nms; i++) {
        for (size_t j = 0; j < g->ms[i].n; j++) {
            gtr_mem_free(m, g->ms[i].b[j].data);
        }
        gtr_mem_free(m, g->ms[i].b);
    }
    for (size_t i = 0; i < g->nexps; i++) {
        gtr_mem_free(m, g->exps[i].data);
    }
    gtr_mem_free(m, g->ms);
    gtr_mem_free(m, g->exps);
    gtr_mem_free(m, g->exp_sorted);
    gtr_mem_free(m, g->cpu);
    gtr_hmap_free(&g->m_index, m);
    gtr_tables_free(&g->t, m);
    gtr_mem_free(m, g);
}

/* ---------------------------------------------------------------- batches */

static int src_fail(gtr_genctx_t *c, int rc, const char *what)
{
    int code = rc == GTR_SRC_IO ? GTR_ERR_IO : GTR_ERR_MALFORMED;
    return gtr_err_set(c->err, code, "%s: %s", what, gtr_src_errstr(rc));
}

/* Header fields after the batch byte (and experiment byte). */
static int read_batch_header(gtr_genctx_t *c, uint64_t *gen, uint64_t *m, uint64_t *ts,
                             uint64_t *size)
{
    int rc;
    if ((rc = gtr_src_uvarint(c->src, gen)) != GTR_SRC_OK) {
        return src_fail(c, rc, "error reading batch gen");
    }
    if ((rc = gtr_src_uvarint(c->src, m)) != GTR_SRC_OK) {
        return src_fail(c, rc, "error reading batch M ID");
    }
    if ((rc = gtr_src_uvarint(c->src, ts)) != GTR_SRC_OK) {
        return src_fail(c, rc, "error reading batch timestamp");
    }
    if ((rc = gtr_src_uvarint(c->src, size)) != GTR_SRC_OK) {
        return src_fail(c, rc, "error reading batch size");
    }
    RETURN_ERROR_IF(*size > c->lim.max_batch_size, c->err, GTR_ERR_MALFORMED,
                    "invalid batch size %llu, maximum is %zu", (unsigned long long)*size,
                    c->lim.max_batch_size);
    return GTR_OK;
}

/* The error of a batch whose data ends early; frees what was read. */
static int short_batch(gtr_genctx_t *c, gtr_batch_t *b, int rc, size_t got)
{
    gtr_mem_free(c->mem, b->data);
    b->data = NULL;
    RETURN_ERROR_IF(rc == GTR_SRC_IO, c->err, GTR_ERR_IO, "read error");
    return gtr_err_set(c->err, GTR_ERR_MALFORMED,
                       "failed to read full batch: read %zu but wanted %llu", got,
                       (unsigned long long)b->len);
}

/* Whether a plain batch with this first byte holds timed events, which the
 * cursors decode, rather than something the generation reads now. */
static bool holds_events(uint8_t first)
{
    return first != GTR_EV_STRINGS && first != GTR_EV_STACKS && first != GTR_EV_CPU_SAMPLES &&
           first != GTR_EV_FREQUENCY && first != GTR_EV_SYNC &&
           first != GTR_EV_END_OF_GENERATION;
}

/* For a buffer or a seekable stream, a plain batch's first byte says
 * whether it holds events; such a batch is left in the input (its offset
 * kept for the cursor, its other bytes skipped). Returns whether it was; *have is how
 * many data bytes were read (the first one, kept in b->first). */
static bool left_in_input(gtr_genctx_t *c, gtr_batch_t *b, int *rc, size_t *have)
{
    uint64_t off = gtr_src_offset(c->src);
    *rc = gtr_src_read(c->src, &b->first, 1, have);
    if (*have != 1 || !holds_events(b->first)) {
        return false;
    }
    size_t more;
    *rc = gtr_src_skip(c->src, b->len - 1, &more);
    *have += more;
    b->off = off;
    return true;
}

/* Go's readBatch. Returns BATCH_EOF where Go returns a bare io.EOF (also
 * when the input ends right after an experimental batch's first byte). */
static int read_batch(gtr_genctx_t *c, gtr_batch_t *b, uint64_t *gen, bool *eog)
{
    uint8_t typ, exp = 0;
    memset(b, 0, sizeof *b);
    *gen = 0;
    *eog = false;
    int rc = gtr_src_byte(c->src, &typ);
    if (rc != GTR_SRC_OK) {
        return rc == GTR_SRC_EOF ? BATCH_EOF : src_fail(c, rc, "reading batch");
    }
    if (typ == GTR_EV_END_OF_GENERATION) {
        b->m = GTR_NO_THREAD;
        *eog = true;
        return BATCH_OK;
    }
    RETURN_ERROR_IF(typ != GTR_EV_EVENT_BATCH && typ != GTR_EV_EXPERIMENTAL_BATCH, c->err,
                    GTR_ERR_MALFORMED, "expected batch event, got event %u", typ);
    if (typ == GTR_EV_EXPERIMENTAL_BATCH) {
        rc = gtr_src_byte(c->src, &exp);
        if (rc != GTR_SRC_OK) {
            return rc == GTR_SRC_EOF ? BATCH_EOF : src_fail(c, rc, "reading batch");
        }
    }
    uint64_t m, ts, size;
    FORWARD_IF_ERROR(read_batch_header(c, gen, &m, &ts, &size));
    b->m = (int64_t)m;
    b->time = ts;
    b->len = (size_t)size;
    b->exp = exp;
    size_t have = 0, got;
    if (gtr_src_revisitable(c->src) && typ == GTR_EV_EVENT_BATCH && size != 0 &&
        left_in_input(c, b, &rc, &have)) {
        return have != size || rc == GTR_SRC_IO ? short_batch(c, b, rc, have) : BATCH_OK;
    }
    if (size != 0) {
        b->data = gtr_mem_alloc(c->mem, (size_t)size);
        if (b->data == NULL) {
            return gtr_err_mem(c->err, c->mem, "batch data");
        }
        b->data[0] = b->first; /* read already if have is 1 */
    }
    uint8_t *rest = b->data != NULL ? b->data + have : NULL;
    rc = gtr_src_read(c->src, rest, (size_t)size - have, &got);
    got += have;
    if (got != size || rc == GTR_SRC_IO) {
        return short_batch(c, b, rc, got);
    }
    b->first = size != 0 ? b->data[0] : 0;
    return BATCH_OK;
}

/* ------------------------------------------------- in-batch byte reading */

/* A bytes.Reader over a batch's data. */
typedef struct bytes_rd {
    const uint8_t *p;
    size_t n, i;
} bytes_rd_t;

/* binary.ReadUvarint over bytes: on success NULL; otherwise "EOF" at the
 * start, "unexpected EOF" inside, or the overflow message (after ten
 * continuation bytes, even when the data ends there: unlike
 * binary.Uvarint, whose answer gtr_uvarint gives). */
static inline const char *rd_uvarint(bytes_rd_t *r, uint64_t *v)
{
    size_t avail = r->n - r->i;
    int k = gtr_uvarint(r->p + r->i, avail, v);
    if (k > 0) {
        r->i += (size_t)k;
        return NULL;
    }
    if (k == 0 && avail < GTR_VARINT_MAX_LEN) {
        return avail == 0 ? "EOF" : "unexpected EOF";
    }
    return gtr_src_errstr(GTR_SRC_OVERFLOW);
}

/* An error Go passes up unwrapped. A bare io.EOF among them reaches the
 * caller of ReadEvent as io.EOF, which every caller takes for the clean
 * end of the trace: so that one is GTR_EOF here. */
static int bare_err(gtr_genctx_t *c, const char *msg)
{
    return gtr_err_set(c->err, strcmp(msg, "EOF") == 0 ? GTR_EOF : GTR_ERR_MALFORMED, "%s", msg);
}

#define RD(r, v, ...)                                                          \
    do {                                                                       \
        const char *rd_err_ = rd_uvarint((r), (v));                            \
        if (rd_err_ != NULL) {                                                 \
            return gtr_err_set(c->err, GTR_ERR_MALFORMED, __VA_ARGS__);        \
        }                                                                      \
    } while (0)

#define RD_BARE(r, v)                                                          \
    do {                                                                       \
        const char *rd_err_ = rd_uvarint((r), (v));                            \
        if (rd_err_ != NULL) {                                                 \
            return bare_err(c, rd_err_);                                       \
        }                                                                      \
    } while (0)

static int add_strings(gtr_genctx_t *c, gtr_gen_t *g, const gtr_batch_t *b)
{
    bytes_rd_t r = {b->data, b->len, 1};
    while (r.i < r.n) {
        uint8_t ev = r.p[r.i++];
        RETURN_ERROR_IF(ev != GTR_EV_STRING, c->err, GTR_ERR_MALFORMED,
                        "expected string event, got %u", ev);
        uint64_t id, len;
        RD_BARE(&r, &id);
        RD_BARE(&r, &len);
        RETURN_ERROR_IF(len > c->lim.max_string_size, c->err, GTR_ERR_MALFORMED,
                        "invalid string size %llu, maximum is %zu", (unsigned long long)len,
                        c->lim.max_string_size);
        size_t avail = r.n - r.i;
        RETURN_ERROR_IF(len > avail, c->err, GTR_ERR_MALFORMED,
                        "failed to read full string: read %zu but wanted %llu", avail,
                        (unsigned long long)len);
        FORWARD_IF_ERROR(gtr_tables_add_string(&g->t, c->mem, c->err, &c->lim, id, r.p + r.i,
                                               (size_t)len));
        r.i += (size_t)len;
    }
    return GTR_OK;
}

static int read_frames(gtr_genctx_t *c, bytes_rd_t *r, uint64_t id, gtr_frame_rec_t *f,
                       uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        unsigned long long k = (unsigned long long)i + 1, sid = (unsigned long long)id;
        RD(r, &f[i].pc, "reading frame %llu's PC for stack %llu: %s", k, sid, rd_err_);
        RD(r, &f[i].func_id, "reading frame %llu's funcID for stack %llu: %s", k, sid, rd_err_);
        RD(r, &f[i].file_id, "reading frame %llu's fileID for stack %llu: %s", k, sid, rd_err_);
        RD(r, &f[i].line, "reading frame %llu's line for stack %llu: %s", k, sid, rd_err_);
    }
    return GTR_OK;
}

static int add_stacks(gtr_genctx_t *c, gtr_gen_t *g, const gtr_batch_t *b)
{
    bytes_rd_t r = {b->data, b->len, 1};
    gtr_frame_rec_t *frames = NULL;
    size_t frames_cap = 0;
    int rc = GTR_OK;
    while (r.i < r.n && rc == GTR_OK) {
        uint8_t ev = r.p[r.i++];
        uint64_t id, n;
        if (ev != GTR_EV_STACK) {
            rc = gtr_err_set(c->err, GTR_ERR_MALFORMED, "expected stack event, got %u", ev);
            break;
        }
        const char *err = rd_uvarint(&r, &id);
        if (err == NULL) {
            err = rd_uvarint(&r, &n);
        }
        if (err != NULL) {
            rc = bare_err(c, err);
            break;
        }
        if (n > c->lim.max_frames_per_stack) {
            rc = gtr_err_set(c->err, GTR_ERR_MALFORMED, "invalid stack size %llu, maximum is %zu",
                             (unsigned long long)n, c->lim.max_frames_per_stack);
            break;
        }
        /* Sized by the largest stack so far, not by the limit: a reader
         * given a huge max_frames_per_stack allocates only what it reads. */
        if (gtr_mem_grow(c->mem, (void **)&frames, &frames_cap, (size_t)n, sizeof *frames) !=
            GTR_OK) {
            rc = gtr_err_mem(c->err, c->mem, "stack frames");
            break;
        }
        rc = read_frames(c, &r, id, frames, n);
        if (rc == GTR_OK) {
            rc = gtr_tables_add_stack(&g->t, c->mem, c->err, &c->lim, id, frames, (size_t)n);
        }
    }
    gtr_mem_free(c->mem, frames);
    return rc;
}

static int add_cpu_samples(gtr_genctx_t *c, gtr_gen_t *g, const gtr_batch_t *b)
{
    bytes_rd_t r = {b->data, b->len, 1};
    while (r.i < r.n) {
        uint8_t ev = r.p[r.i++];
        RETURN_ERROR_IF(ev != GTR_EV_CPU_SAMPLE, c->err, GTR_ERR_MALFORMED,
                        "expected CPU sample event, got %u", ev);
        uint64_t v[5];
        for (int k = 0; k < 5; k++) {
            RD_BARE(&r, &v[k]);
        }
        if (gtr_mem_grow(c->mem, (void **)&g->cpu, &g->cpu_cap, g->ncpu + 1, sizeof *g->cpu) !=
            GTR_OK) {
            return gtr_err_mem(c->err, c->mem, "CPU samples");
        }
        gtr_cpu_sample_t *s = &g->cpu[g->ncpu++];
        s->time = (int64_t)v[0];
        s->m = (int64_t)v[1];
        s->p = (int64_t)v[2];
        s->g = v[3] == 0 ? GTR_NO_GOROUTINE : (int64_t)v[3];
        s->stack = v[4];
    }
    return GTR_OK;
}

/* time.Unix(sec, nsec): nsec outside [0, 1e9) carries into sec, with
 * Go's wrapping int64 arithmetic. */
static void wall_time(uint64_t sec, uint64_t nsec, int64_t *osec, int32_t *onsec)
{
    int64_t s = (int64_t)sec, ns = (int64_t)nsec;
    if (ns < 0 || ns >= 1000000000) {
        int64_t n = ns / 1000000000;
        s = (int64_t)((uint64_t)s + (uint64_t)n);
        ns -= n * 1000000000;
        if (ns < 0) {
            ns += 1000000000;
            s = (int64_t)((uint64_t)s - 1);
        }
    }
    *osec = s;
    *onsec = (int32_t)ns;
}

static int clock_snapshot(gtr_genctx_t *c, gtr_gen_t *g, bytes_rd_t *r, uint64_t *last)
{
    RETURN_ERROR_IF(g->has_clock, c->err, GTR_ERR_GENERATION,
                    "found multiple clock snapshot events");
    g->has_clock = true;
    uint64_t dt, mono, sec, nsec;
    RD_BARE(r, &dt);
    *last += dt;
    g->snap_time = *last;
    RD_BARE(r, &mono);
    g->snap_mono = mono;
    RD_BARE(r, &sec);
    RD_BARE(r, &nsec);
    wall_time(sec, nsec, &g->snap_sec, &g->snap_nsec);
    return GTR_OK;
}

static int set_sync(gtr_genctx_t *c, gtr_gen_t *g, const gtr_batch_t *b)
{
    bytes_rd_t r = {b->data, b->len, 0};
    if (c->ver >= GTR_GO125) {
        r.i = 1; /* the Sync byte */
    }
    uint64_t last = b->time;
    while (r.i < r.n) {
        uint8_t ev = r.p[r.i++];
        if (ev == GTR_EV_FREQUENCY) {
            RETURN_ERROR_IF(g->freq != 0, c->err, GTR_ERR_GENERATION,
                            "found multiple frequency events");
            uint64_t f;
            RD_BARE(&r, &f);
            /* Nanoseconds per tick, with Go's exact operations. */
            g->freq = 1.0 / ((double)f / 1e9);
        } else if (ev == GTR_EV_CLOCK_SNAPSHOT && c->ver >= GTR_GO125) {
            FORWARD_IF_ERROR(clock_snapshot(c, g, &r, &last));
        } else {
            return gtr_err_set(c->err, GTR_ERR_GENERATION,
                               "expected frequency or clock snapshot event, got %u", ev);
        }
    }
    return GTR_OK;
}

static int add_exp_batch(gtr_genctx_t *c, gtr_gen_t *g, gtr_batch_t *b)
{
    if (gtr_mem_grow(c->mem, (void **)&g->exps, &g->exps_cap, g->nexps + 1, sizeof *g->exps) !=
        GTR_OK) {
        return gtr_err_mem(c->err, c->mem, "experimental batches");
    }
    gtr_exp_rec_t *x = &g->exps[g->nexps++];
    memset(x, 0, sizeof *x);
    x->exp = b->exp;
    x->m = b->m;
    x->data = b->data;
    x->len = b->len;
    b->data = NULL; /* now owned by the generation */
    const char *name = gtr_experiment_name((unsigned)b->exp);
    if (name != NULL) {
        snprintf(x->name, sizeof x->name, "%s", name);
    } else {
        snprintf(x->name, sizeof x->name, "Experiment(%llu)", (unsigned long long)b->exp);
    }
    return GTR_OK;
}

static int add_event_batch(gtr_genctx_t *c, gtr_gen_t *g, gtr_batch_t *b)
{
    uint64_t idx;
    if (!gtr_hmap_get(&g->m_index, (uint64_t)b->m, &idx)) {
        if (gtr_mem_grow(c->mem, (void **)&g->ms, &g->ms_cap, g->nms + 1, sizeof *g->ms) !=
                GTR_OK ||
            gtr_hmap_put(&g->m_index, c->mem, (uint64_t)b->m, g->nms) != GTR_OK) {
            return gtr_err_mem(c->err, c->mem, "batch list");
        }
        idx = g->nms++;
        memset(&g->ms[idx], 0, sizeof g->ms[idx]);
        g->ms[idx].m = b->m;
    }
    gtr_mbatches_t *mb = &g->ms[idx];
    if (gtr_mem_grow(c->mem, (void **)&mb->b, &mb->cap, mb->n + 1, sizeof *mb->b) != GTR_OK) {
        return gtr_err_mem(c->err, c->mem, "batch list");
    }
    mb->b[mb->n++] = *b;
    b->data = NULL;
    return GTR_OK;
}

/* Go's processBatch. Takes ownership of b->data. */
static int process_batch(gtr_genctx_t *c, gtr_gen_t *g, gtr_batch_t *b)
{
    int rc = GTR_OK;
    uint8_t first = b->first;
    bool plain = b->exp == GTR_EXP_NONE && b->len > 0;
    bool sync = plain && ((first == GTR_EV_FREQUENCY && c->ver < GTR_GO125) ||
                          (first == GTR_EV_SYNC && c->ver >= GTR_GO125));
    if (plain && first == GTR_EV_STRINGS) {
        rc = add_strings(c, g, b);
    } else if (plain && first == GTR_EV_STACKS) {
        rc = add_stacks(c, g, b);
    } else if (plain && first == GTR_EV_CPU_SAMPLES) {
        rc = add_cpu_samples(c, g, b);
    } else if (sync) {
        rc = set_sync(c, g, b);
    } else if (b->exp != GTR_EXP_NONE) {
        rc = add_exp_batch(c, g, b);
    } else if (plain && first == GTR_EV_END_OF_GENERATION) {
        /* Go words this as an internal error, but a hostile input reaches it:
         * it is an ordinary malformed-trace error, with Go's message. */
        rc = gtr_err_set(c->err, GTR_ERR_MALFORMED,
                         "internal error: unexpectedly processing EndOfGeneration; broken trace?");
    } else {
        rc = add_event_batch(c, g, b);
    }
    gtr_mem_free(c->mem, b->data);
    b->data = NULL;
    return rc;
}

/* --------------------------------------------------------- generations */

static int cmp_sample(const void *a, const void *b)
{
    int64_t x = ((const gtr_cpu_sample_t *)a)->time, y = ((const gtr_cpu_sample_t *)b)->time;
    return x < y ? -1 : x > y;
}

static int cmp_exp(const void *a, const void *b)
{
    const gtr_exp_rec_t *x = *(const gtr_exp_rec_t *const *)a;
    const gtr_exp_rec_t *y = *(const gtr_exp_rec_t *const *)b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Orders the experimental batches for Sync events: by experiment name,
 * reader order within one experiment. */
static int sort_exps(gtr_genctx_t *c, gtr_gen_t *g)
{
    if (g->nexps == 0) {
        return GTR_OK;
    }
    const gtr_exp_rec_t **ptrs = gtr_mem_calloc(c->mem, g->nexps, sizeof *ptrs);
    g->exp_sorted = gtr_mem_calloc(c->mem, g->nexps, sizeof *g->exp_sorted);
    if (ptrs == NULL || g->exp_sorted == NULL) {
        gtr_mem_free(c->mem, ptrs);
        return gtr_err_mem(c->err, c->mem, "experimental batches");
    }
    for (size_t i = 0; i < g->nexps; i++) {
        ptrs[i] = &g->exps[i];
    }
    qsort(ptrs, g->nexps, sizeof *ptrs, cmp_exp);
    for (size_t i = 0; i < g->nexps; i++) {
        g->exp_sorted[i] = (size_t)(ptrs[i] - g->exps);
    }
    gtr_mem_free(c->mem, ptrs);
    return GTR_OK;
}

/* The checks and fix-ups after the last batch of a generation. */
static int finish(gtr_genctx_t *c, gtr_gen_t *g, bool need_clock)
{
    RETURN_ERROR_IF(g->freq == 0, c->err, GTR_ERR_GENERATION, "no frequency event found");
    RETURN_ERROR_IF(need_clock && !g->has_clock, c->err, GTR_ERR_GENERATION,
                    "no clock snapshot event found");
    FORWARD_IF_ERROR(gtr_tables_validate(&g->t, c->mem, c->err));
    for (size_t i = 0; i < g->ncpu; i++) {
        g->cpu[i].time = gtr_ticks_to_ns(g->freq, (uint64_t)g->cpu[i].time);
    }
    gtr_sort(g->cpu, g->ncpu, sizeof *g->cpu, cmp_sample);
    return sort_exps(c, g);
}

static gtr_gen_t *new_gen(gtr_genctx_t *c)
{
    gtr_gen_t *g = gtr_mem_calloc(c->mem, 1, sizeof *g);
    if (g == NULL) {
        gtr_err_mem(c->err, c->mem, "generation");
    }
    return g;
}

static void note_batch(gtr_gen_t *g, const gtr_batch_t *b)
{
    if (g->min_ts == 0 || b->time < g->min_ts) {
        g->min_ts = b->time;
    }
}

/* The body of gtr_gen_read; returns BATCH_EOF for a clean end. */
static int read_gen_batches(gtr_genctx_t *c, gtr_gen_t *g)
{
    for (;;) {
        gtr_batch_t b;
        uint64_t gen;
        bool eog;
        int rc = read_batch(c, &b, &gen, &eog);
        if (rc == BATCH_EOF) {
            /* Only event batches count: a generation of tables alone that
             * the input cuts off is taken as the end of the trace. */
            RETURN_ERROR_IF(g->nms != 0, c->err, GTR_ERR_GENERATION,
                            "incomplete generation found; trace likely truncated");
            return BATCH_EOF;
        }
        FORWARD_IF_ERROR(rc);
        if (g->gen == 0) {
            g->gen = gen;
        }
        /* Go recognises the end by the batch's first data byte, so an event
         * batch that starts with that byte ends the generation too. */
        if (eog || (b.exp == GTR_EXP_NONE && b.len > 0 && b.first == GTR_EV_END_OF_GENERATION)) {
            gtr_mem_free(c->mem, b.data);
            return GTR_OK;
        }
        if (gen == 0 || gen != g->gen) {
            gtr_mem_free(c->mem, b.data);
            RETURN_ERROR_IF(gen == 0, c->err, GTR_ERR_GENERATION,
                            "invalid generation number %llu", (unsigned long long)gen);
            return gtr_err_set(c->err, GTR_ERR_GENERATION,
                               "broken trace: missing end-of-generation event, or generations "
                               "are interleaved");
        }
        note_batch(g, &b);
        FORWARD_IF_ERROR(process_batch(c, g, &b));
    }
}

int gtr_gen_read(gtr_genctx_t *c, gtr_gen_t **out)
{
    *out = NULL;
    gtr_gen_t *g = new_gen(c);
    if (g == NULL) {
        return c->err->code;
    }
    int rc = read_gen_batches(c, g);
    if (rc == GTR_OK) {
        rc = finish(c, g, true);
    }
    if (rc != GTR_OK) {
        gtr_gen_free(g, c->mem);
        return rc == BATCH_EOF ? GTR_OK : rc;
    }
    *out = g;
    return GTR_OK;
}

/* The batch loop of gtr_gen_read_spill. Read errors after the first batch
 * become *spill_err: they may belong to the next generation. */
static int read_spill_batches(gtr_genctx_t *c, gtr_gen_t *g, gtr_spill_t *spill,
                              int *spill_err)
{
    for (;;) {
        gtr_batch_t b;
        uint64_t gen;
        bool eog;
        int rc = read_batch(c, &b, &gen, &eog);
        if (rc == BATCH_EOF) {
            return GTR_OK;
        }
        if (rc != GTR_OK) {
            /* Running out of memory is not about the input: it ends the
             * read here rather than waiting behind this generation. */
            if (g->gen != 0 && rc != GTR_ERR_NOMEM && rc != GTR_ERR_LIMIT) {
                *spill_err = rc;
                return GTR_OK;
            }
            return rc;
        }
        if (gen == 0 || (g->gen != 0 && gen != g->gen && gen != g->gen + 1)) {
            gtr_mem_free(c->mem, b.data);
            RETURN_ERROR_IF(gen == 0, c->err, GTR_ERR_GENERATION,
                            "invalid generation number %llu", (unsigned long long)gen);
            return gtr_err_set(c->err, GTR_ERR_GENERATION, "generations out of order");
        }
        if (g->gen == 0) {
            g->gen = gen;
        }
        if (gen == g->gen + 1) {
            spill->present = true;
            spill->gen = gen;
            spill->b = b;
            return GTR_OK;
        }
        note_batch(g, &b);
        FORWARD_IF_ERROR(process_batch(c, g, &b));
    }
}

int gtr_gen_read_spill(gtr_genctx_t *c, gtr_spill_t *spill, gtr_gen_t **out, int *spill_err)
{
    *out = NULL;
    *spill_err = GTR_OK;
    gtr_gen_t *g = new_gen(c);
    if (g == NULL) {
        return c->err->code;
    }
    int rc = GTR_OK;
    if (spill->present) {
        spill->present = false;
        g->gen = spill->gen;
        g->min_ts = spill->b.time;
        rc = process_batch(c, g, &spill->b);
    }
    if (rc == GTR_OK) {
        rc = read_spill_batches(c, g, spill, spill_err);
    }
    if (rc == GTR_OK) {
        /* A spill error's message must survive the checks below. */
        gtr_err_t saved;
        if (*spill_err != GTR_OK) {
            gtr_err_copy(&saved, c->err);
        }
        rc = finish(c, g, c->ver >= GTR_GO125);
        if (rc == GTR_OK && *spill_err != GTR_OK) {
            gtr_err_copy(c->err, &saved);
        }
    }
    if (rc != GTR_OK) {
        *spill_err = GTR_OK;
        if (spill->present) {
            gtr_mem_free(c->mem, spill->b.data);
            spill->present = false;
        }
        gtr_gen_free(g, c->mem);
        return rc;
    }
    *out = g;
    return GTR_OK;
}
