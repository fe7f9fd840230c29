/* reader.c: the pull loop. gtr_reader_next yields Go's event stream:
 *
 *  1. Drain events the ordering has already completed.
 *  2. When the frontier and the CPU samples are used up, read the next
 *     generation (see generation.c) and yield a Sync event for it; at the
 *     end of the trace yield a final Sync. An error reading a generation is
 *     held back behind one Sync event, as Go does.
 *  3. If a CPU sample is earlier than every M's next event, yield it.
 *  4. Otherwise try to advance the M at the top of the frontier heap; if it
 *     cannot advance, sort the frontier by time and try the others in
 *     order. If none can, the trace is stuck. (Most events take a direct
 *     path through steps 1-4: next_direct.)
 *  5. Every event yielded has its stack and string IDs checked and its time
 *     forced above the previous event's.
 * An error is final: every later call returns it again. */
#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "order_int.h"

gtr_options_t gtr_options_default(void)
{
    gtr_options_t o;
    memset(&o, 0, sizeof o);
    o.max_batch_size = GTR_MAX_BATCH_SIZE;
    o.max_string_size = GTR_MAX_EVENT_DATA_SIZE;
    o.max_frames_per_stack = GTR_MAX_FRAMES_PER_STACK;
    o.max_table_entries = (size_t)16 << 20;
    o.max_total_memory = (size_t)1 << 30;
    return o;
}

/* Zero fields take their defaults. */
static gtr_options_t effective_options(const gtr_options_t *in)
{
    gtr_options_t d = gtr_options_default();
    if (in == NULL) {
        return d;
    }
    gtr_options_t o = *in;
    if (o.max_batch_size == 0) o.max_batch_size = d.max_batch_size;
    if (o.max_string_size == 0) o.max_string_size = d.max_string_size;
    if (o.max_frames_per_stack == 0) o.max_frames_per_stack = d.max_frames_per_stack;
    if (o.max_table_entries == 0) o.max_table_entries = d.max_table_entries;
    if (o.max_total_memory == 0) o.max_total_memory = d.max_total_memory;
    return o;
}

static int new_reader(gtr_reader_t **out, const gtr_options_t *opts)
{
    gtr_options_t o = effective_options(opts);
    gtr_mem_t mem;
    gtr_mem_init(&mem, &o.allocator, o.max_total_memory);
    gtr_reader_t *r = gtr_mem_alloc(&mem, sizeof *r);
    if (r == NULL) {
        return mem.limit_hit ? GTR_ERR_LIMIT : GTR_ERR_NOMEM;
    }
    memset(r, 0, offsetof(gtr_reader_t, scratch));
    r->err.code = r->gen_err_msg.code = GTR_OK;
    r->err.len = r->gen_err_msg.len = 0;
    r->err.msg[0] = r->gen_err_msg.msg[0] = '\0';
    r->mem = mem;
    r->opts = o;
    r->status = GTR_OK;
    *out = r;
    return GTR_OK;
}

static int finish_open(gtr_reader_t *r)
{
    int rc = gtr_read_header(&r->src, &r->err, &r->ver);
    if (rc != GTR_OK) {
        r->status = rc;
        return rc;
    }
    gtr_order_init(&r->order, r->ver, &r->mem, &r->err);
    return GTR_OK;
}

int gtr_reader_open_buffer(gtr_reader_t **out, const uint8_t *data, size_t len,
                           const gtr_options_t *opts)
{
    if (out == NULL) {
        return GTR_ERR_ARG;
    }
    *out = NULL;
    if (data == NULL && len != 0) {
        return GTR_ERR_ARG;
    }
    FORWARD_IF_ERROR(new_reader(out, opts));
    gtr_src_init_buffer(&(*out)->src, data == NULL ? (const uint8_t *)"" : data, len);
    return finish_open(*out);
}

static void free_cursors(gtr_reader_t *r)
{
    for (size_t i = 0; i < r->ncursors; i++) {
        gtr_cursor_release(&r->cursors[i]);
    }
    gtr_mem_free(&r->mem, r->cursors);
    r->cursors = NULL;
    r->ncursors = 0;
}

int gtr_reader_open_stream(gtr_reader_t **out, gtr_read_fn read, void *user,
                           const gtr_options_t *opts)
{
    return gtr_reader_open_seekable(out, read, NULL, user, opts);
}

int gtr_reader_open_seekable(gtr_reader_t **out, gtr_read_fn read, gtr_read_at_fn read_at,
                             void *user, const gtr_options_t *opts)
{
    if (out == NULL) {
        return GTR_ERR_ARG;
    }
    *out = NULL;
    if (read == NULL) {
        return GTR_ERR_ARG;
    }
    FORWARD_IF_ERROR(new_reader(out, opts));
    gtr_reader_t *r = *out;
    int rc = gtr_src_init_stream(&r->src, &r->mem, read, user);
    if (rc != GTR_OK) {
        r->status = gtr_err_mem(&r->err, &r->mem, "stream buffer");
        return r->status;
    }
    r->src.read_at = read_at;
    return finish_open(r);
}

static void drop_gen(gtr_reader_t *r);

void gtr_reader_free(gtr_reader_t *r)
{
    if (r == NULL) {
        return;
    }
    gtr_order_free(&r->order);
    drop_gen(r);
    if (r->spill.present) {
        gtr_mem_free(&r->mem, r->spill.b.data);
    }
    gtr_src_free(&r->src, &r->mem);
    gtr_mem_t mem = r->mem;
    gtr_mem_free(&mem, r);
}

const char *gtr_reader_error(const gtr_reader_t *r)
{
    return r == NULL ? "" : r->err.msg;
}

int gtr_reader_status(const gtr_reader_t *r)
{
    return r == NULL ? GTR_ERR_ARG : r->status;
}

gtr_version_t gtr_reader_version(const gtr_reader_t *r)
{
    return r == NULL ? 0 : r->ver;
}

size_t gtr_reader_peak_memory(const gtr_reader_t *r)
{
    return r == NULL ? 0 : r->mem.peak;
}

/* ------------------------------------------------------------ the loop */

static int sync_event(gtr_reader_t *r, gtr_gen_t *table, int64_t t)
{
    r->syncs++;
    memset(&r->ev, 0, sizeof r->ev);
    r->cur = &r->ev;
    r->ev.base.typ = GTR_TYP_SYNC;
    r->ev.base.time = t;
    r->ev.base.args[0] = r->syncs;
    r->ev.ctx = (gtr_ctx_t){GTR_NO_GOROUTINE, GTR_NO_PROC, GTR_NO_THREAD};
    r->ev.table = table;
    return GTR_OK;
}

/* After cpu_next or gen changed. */
static void cpu_refresh(gtr_reader_t *r)
{
    r->cpu_due = r->gen != NULL && r->cpu_next < r->gen->ncpu ? r->gen->cpu[r->cpu_next].time
                                                               : INT64_MAX;
}

/* Frees the current generation with its cursors. Done before the next
 * generation is read, so that two are never held at once: nothing of the
 * old one is used after its last event, which the caller may only use
 * until this call. */
static void drop_gen(gtr_reader_t *r)
{
    gtr_gen_free(r->gen, &r->mem);
    r->gen = NULL;
    r->nfrontier = 0;
    r->cpu_next = 0;
    cpu_refresh(r);
    free_cursors(r);
    gtr_mem_free(&r->mem, r->frontier);
    r->frontier = NULL;
}

static gtr_genctx_t gen_ctx(gtr_reader_t *r)
{
    gtr_genctx_t c = {&r->src, &r->mem, &r->gen_err_msg,
                      {r->opts.max_batch_size, r->opts.max_string_size,
                       r->opts.max_frames_per_stack, r->opts.max_table_entries},
                      r->ver};
    return c;
}

/* Makes g current (the last one is dropped already): a cursor per M with
 * events, in the order Ms first appeared, then the generation's Sync. */
static int install_gen(gtr_reader_t *r, gtr_gen_t *g)
{
    if (g == NULL) {
        r->done = true;
        return sync_event(r, NULL, r->last_ts);
    }
    r->gen = g;
    cpu_refresh(r);
    r->cursors = gtr_mem_calloc(&r->mem, g->nms + 1, sizeof *r->cursors);
    r->frontier = gtr_mem_calloc(&r->mem, g->nms + 1, sizeof *r->frontier);
    if (r->cursors == NULL || r->frontier == NULL) {
        return gtr_err_mem(&r->err, &r->mem, "frontier");
    }
    r->ncursors = g->nms;
    for (size_t i = 0; i < g->nms; i++) {
        gtr_cursor_t *c = &r->cursors[i];
        gtr_cursor_init(c, g->ms[i].m, &g->ms[i], &r->src, &r->mem);
        bool ok;
        FORWARD_IF_ERROR(gtr_cursor_next(c, g->freq, &r->err, &ok));
        if (ok) {
            gtr_heap_insert(r->frontier, &r->nfrontier, c);
        }
    }
    return sync_event(r, g, gtr_ticks_to_ns(g->freq, g->min_ts));
}

/* Hands the held-back generation error to the caller. */
static int raise_gen_err(gtr_reader_t *r, int code)
{
    gtr_err_copy(&r->err, &r->gen_err_msg);
    r->err.code = code;
    return code;
}

static int next_gen_spill(gtr_reader_t *r)
{
    if (r->gen_err != GTR_OK) {
        if (r->spill_err_sync) {
            return raise_gen_err(r, r->gen_err);
        }
        r->spill_err_sync = true;
        return sync_event(r, NULL, r->last_ts);
    }
    if (r->gen != NULL && !r->spill.present) {
        r->done = true;
        drop_gen(r);
        return sync_event(r, NULL, r->last_ts);
    }
    drop_gen(r);
    gtr_genctx_t c = gen_ctx(r);
    gtr_gen_t *g;
    int spill_err;
    int rc = gtr_gen_read_spill(&c, &r->spill, &g, &spill_err);
    if (rc != GTR_OK) {
        drop_gen(r);
        r->gen_err = rc;
        r->spill_err_sync = true;
        return sync_event(r, NULL, r->last_ts);
    }
    r->gen_err = spill_err;
    return install_gen(r, g);
}

static int next_gen(gtr_reader_t *r)
{
    if (r->ver < GTR_GO126) {
        return next_gen_spill(r);
    }
    if (r->gen_err != GTR_OK) {
        return raise_gen_err(r, r->gen_err);
    }
    drop_gen(r);
    gtr_genctx_t c = gen_ctx(r);
    gtr_gen_t *g;
    int rc = gtr_gen_read(&c, &g);
    if (rc != GTR_OK) {
        drop_gen(r);
        r->gen_err = rc;
        return sync_event(r, NULL, r->last_ts);
    }
    return install_gen(r, g);
}

static int cmp_cursor(const void *a, const void *b)
{
    int64_t x = (*(gtr_cursor_t *const *)a)->ev.time, y = (*(gtr_cursor_t *const *)b)->ev.time;
    return x < y ? -1 : x > y;
}

/* After the event of the cursor at frontier slot i went to the ordering:
 * its next event read, and the frontier kept a heap. */
static inline __attribute__((always_inline)) int cursor_moved(gtr_reader_t *r,
                                                              gtr_cursor_t *c, size_t i)
{
    bool more;
    FORWARD_IF_ERROR(gtr_cursor_next(c, r->gen->freq, &r->err, &more));
    if (more) {
        if (i != 0 || !gtr_heap_top_stays(r->frontier, r->nfrontier)) {
            gtr_heap_update(r->frontier, r->nfrontier, i);
        }
    } else {
        gtr_heap_remove(r->frontier, &r->nfrontier, i);
    }
    return GTR_OK;
}

/* Advances the cursor at frontier slot i if the ordering lets its event
 * go. Inline even where gcc would not: in the pull loop, a call frame
 * more per event was some 2-3 % of the large trace's time. */
static inline __attribute__((always_inline)) int try_advance(gtr_reader_t *r, size_t i,
                                                             bool *ok)
{
    gtr_cursor_t *c = r->frontier[i];
    FORWARD_IF_ERROR(gtr_order_advance(&r->order, &c->ev, r->gen, c->m, &c->order_mi, ok));
    if (!*ok) {
        return GTR_OK;
    }
    return cursor_moved(r, c, i);
}

/* Go's dumpFrontier: each cursor's pending event with its arguments. */
static void dump_frontier(gtr_reader_t *r)
{
    for (size_t i = 0; i < r->nfrontier; i++) {
        const gtr_cursor_t *c = r->frontier[i];
        const gtr_event_spec_t *s = gtr_spec_any(c->ev.typ);
        gtr_err_appendf(&r->err, "M %lld [%s time=%lld", (long long)c->m, s ? s->name : "",
                        (long long)c->ev.time);
        for (unsigned k = 1; s != NULL && k < s->nargs && k <= GTR_NARGS; k++) {
            gtr_err_appendf(&r->err, " %s=%llu", s->args[k],
                            (unsigned long long)c->ev.args[k - 1]);
        }
        gtr_err_append(&r->err, "]\n", 2);
    }
}

static int stuck(gtr_reader_t *r)
{
    char state[GTR_ERR_MSG_MAX];
    gtr_err_set(&r->err, GTR_ERR_STUCK, "broken trace: failed to advance: frontier:\n[gen=%llu]\n\n",
                (unsigned long long)r->gen->gen);
    dump_frontier(r);
    gtr_order_dump(&r->order, state, sizeof state);
    gtr_err_append(&r->err, "\n", 1);
    gtr_err_append(&r->err, state, strlen(state));
    gtr_err_append(&r->err, "\n", 1);
    return GTR_ERR_STUCK;
}

static int cpu_event(gtr_reader_t *r)
{
    const gtr_cpu_sample_t *s = &r->gen->cpu[r->cpu_next++];
    cpu_refresh(r);
    memset(&r->ev, 0, sizeof r->ev);
    r->cur = &r->ev;
    r->ev.base.typ = GTR_EV_CPU_SAMPLE;
    r->ev.base.time = s->time;
    r->ev.base.args[0] = s->stack;
    r->ev.ctx = (gtr_ctx_t){s->g, s->p, s->m};
    r->ev.table = r->gen;
    return GTR_OK;
}

static bool cpu_left(const gtr_reader_t *r)
{
    return r->gen != NULL && r->cpu_next < r->gen->ncpu;
}

/* When the earliest M cannot advance: the others in time order (a sorted
 * heap is still a heap), or stuck. */
static int advance_later(gtr_reader_t *r)
{
    bool ok = false;
    gtr_sort(r->frontier, r->nfrontier, sizeof *r->frontier, cmp_cursor);
    for (size_t i = 1; i < r->nfrontier && !ok; i++) {
        FORWARD_IF_ERROR(try_advance(r, i, &ok));
    }
    return ok ? GTR_OK : stuck(r);
}

/* Steps 4: one event advanced from the frontier, or stuck. */
static int advance_frontier(gtr_reader_t *r)
{
    bool ok;
    FORWARD_IF_ERROR(try_advance(r, 0, &ok));
    if (!ok) {
        FORWARD_IF_ERROR(advance_later(r));
    }
    if ((r->cur = gtr_order_pop(&r->order)) == NULL) {
        return gtr_err_set(&r->err, GTR_ERR_INTERNAL,
                           "internal error: advance successful, but queue is empty");
    }
    return GTR_OK;
}

/* The common case of next_inner, whole and inline: nothing queued, no
 * CPU sample due first, and the M at the top of the frontier known to the
 * ordering with an event its short path takes. That event is written
 * straight to r->ev and handed out from there, not through the queue.
 * *taken false: nothing changed, next_inner decides. */
static inline __attribute__((always_inline)) int next_direct(gtr_reader_t *r, bool *taken)
{
    *taken = false;
    if (r->order.q_len != 0 || r->nfrontier == 0) {
        return GTR_OK;
    }
    gtr_cursor_t *c = r->frontier[0];
    bool ids_ok;
    if (c->order_mi < 0 || r->cpu_due < c->ev.time ||
        !gtr_order_advance_quick(&r->order, &c->ev, r->gen, c->m, &r->order.ms[c->order_mi],
                                 &r->ev, &ids_ok)) {
        return GTR_OK;
    }
    *taken = true;
    r->cur = &r->ev;
    FORWARD_IF_ERROR(cursor_moved(r, c, 0));
    /* As for any event: the next event's decoding error comes first. */
    return ids_ok ? GTR_OK
                  : gtr_event_validate(&r->ev, gtr_spec_any(r->ev.base.typ), &r->err);
}

static int next_inner(gtr_reader_t *r)
{
    /* Handed out in place: no copy. */
    if ((r->cur = gtr_order_pop(&r->order)) != NULL) {
        return GTR_OK;
    }
    bool cpu = cpu_left(r);
    if (r->nfrontier == 0 && !cpu) {
        return next_gen(r);
    }
    if (cpu && (r->nfrontier == 0 || r->cpu_due < r->frontier[0]->ev.time)) {
        return cpu_event(r);
    }
    if (r->nfrontier == 0) {
        return gtr_err_set(&r->err, GTR_ERR_STUCK, "broken trace: frontier is empty");
    }
    return advance_frontier(r);
}

int gtr_reader_next(gtr_reader_t *r, const gtr_event_t **ev)
{
    if (ev != NULL) {
        *ev = NULL;
    }
    if (r == NULL || ev == NULL) {
        return GTR_ERR_ARG;
    }
    if (r->status != GTR_OK) {
        return r->status;
    }
    if (r->done) {
        r->status = GTR_EOF; /* the status of the last call, as documented */
        return GTR_EOF;
    }
    bool taken;
    int rc = next_direct(r, &taken); /* IDs checked when taken */
    if (rc == GTR_OK && !taken) {
        rc = next_inner(r);
    }
    if (rc == GTR_OK && !taken) {
        /* Most events carry no table IDs: skip the call for them. */
        uint8_t typ = r->cur->base.typ;
        if (gtr_has_ids(typ)) {
            rc = gtr_event_validate(r->cur, gtr_spec_any(typ), &r->err);
        }
    }
    if (rc != GTR_OK) {
        r->status = rc;
        return rc;
    }
    /* Times never go backwards, and never repeat. */
    gtr_event_t *cur = r->cur;
    if (cur->base.time <= r->last_ts) {
        cur->base.time = (int64_t)((uint64_t)r->last_ts + 1);
    }
    r->last_ts = cur->base.time;
    cur->r = r;
    *ev = cur;
    return GTR_OK;
}
