/* order_int.h: what the ordering's files share: the handler signature,
 * scheduler-state lookups, the event queue and the context checks; and
 * the short path of Advance, which the pull loop (reader.c) inlines. */
#ifndef GOTRACE_ORDER_INT_H
#define GOTRACE_ORDER_INT_H

#include "internal.h"

/* Go's tracev2 statuses and the GC's three states. */
enum { G_BAD = 0, G_RUNNABLE = 1, G_RUNNING = 2, G_SYSCALL = 3, G_WAITING = 4 };
enum { P_BAD = 0, P_RUNNING = 1, P_IDLE = 2, P_SYSCALL = 3, P_ABANDONED = 4 };
enum { GC_UNDETERMINED = 0, GC_NOT_RUNNING = 1, GC_RUNNING = 2 };

/* Presence requirements of validateCtx. */
enum { MUST_NOT = 0, MAY = 1, MUST = 2 };

/* One call of Advance: the event, its table, its thread and generation. */
typedef struct adv {
    gtr_order_t *o;
    gtr_base_t *ev;
    gtr_gen_t *evt;
    int64_t m;
    uint64_t gen;
} adv_t;

/* A handler checks preconditions, updates state and queues events. It
 * returns an error code, or GTR_OK with *ok telling whether the event
 * advanced; *next is the thread's context afterwards (preset to cur). */
typedef int (*gtr_handler_t)(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);

/* Handlers, by file. */
int gtr_adv_proc_status(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_proc_start(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_proc_stop(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_proc_steal(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_status(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_create(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_stop_exec(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_start(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_unblock(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_switch(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_syscall_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_syscall_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_syscall_end_blocked(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_create_syscall(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_destroy_syscall(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_task_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_task_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_region_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_region_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_gc_active(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_gc_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_gc_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_annotation(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_heap_metric(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_sweep_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_sweep_active(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_sweep_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_range_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_range_active(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_go_range_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);
int gtr_adv_alloc_free(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok);

/* Scheduler state. Lookups return NULL when absent; inline, as nearly
 * every event looks a goroutine or proc up. */
static inline gtr_gstate_t *gtr_og_get(gtr_order_t *o, int64_t id)
{
    size_t i = (size_t)id & (GTR_GCACHE_SIZE - 1);
    if (o->gcache[i].g != NULL && o->gcache[i].id == id) {
        return o->gcache[i].g;
    }
    uint64_t v;
    if (!gtr_hmap_get(&o->gmap, (uint64_t)id, &v)) {
        return NULL;
    }
    o->gcache[i].id = id;
    o->gcache[i].g = (gtr_gstate_t *)(uintptr_t)v;
    return o->gcache[i].g;
}

static inline gtr_pstate_t *gtr_op_get(gtr_order_t *o, int64_t id)
{
    uint64_t v;
    return gtr_hmap_get(&o->pmap, (uint64_t)id, &v) ? (gtr_pstate_t *)(uintptr_t)v : NULL;
}

int gtr_og_new(gtr_order_t *o, int64_t id, uint8_t status, gtr_seq_t seq);
void gtr_og_del(gtr_order_t *o, int64_t id);
int gtr_op_new(gtr_order_t *o, int64_t id, uint8_t status, gtr_seq_t seq);
/* Index into o->ms, or -1. */
long gtr_om_find(gtr_order_t *o, int64_t id);
int gtr_om_add(gtr_order_t *o, int64_t id, int64_t g, int64_t p, long *idx);

/* Doubles the event queue (a power of two, so indices are masked). */
int gtr_oq_grow(gtr_order_t *o);

/* Writes an event, a copy of base with its context and table, to dst (a
 * queue slot, or the reader's own slot for the pull loop's direct path). */
static inline void gtr_ev_fill(gtr_event_t *dst, gtr_ctx_t ctx, gtr_gen_t *table,
                               const gtr_base_t *base)
{
    dst->base = *base;
    dst->ctx = ctx;
    dst->table = table;
    dst->r = NULL;
}

/* Queues a copy of base with its context and table; the queue has room. */
static inline void gtr_oq_put(gtr_order_t *o, gtr_ctx_t ctx, gtr_gen_t *table,
                              const gtr_base_t *base)
{
    gtr_ev_fill(&o->q[(o->q_start + o->q_len) & (o->q_cap - 1)], ctx, table, base);
    o->q_len++;
}

/* Queues an event (a copy of base) with the given context, growing the
 * queue if it is full. Inline: every event that advances is queued. */
static inline int gtr_oq_push(adv_t *a, gtr_ctx_t ctx, const gtr_base_t *base)
{
    gtr_order_t *o = a->o;
    if (o->q_len == o->q_cap) {
        FORWARD_IF_ERROR(gtr_oq_grow(o));
    }
    gtr_oq_put(o, ctx, a->evt, base);
    return GTR_OK;
}
/* Queues a synthesized event (Go's makeEvent). */
int gtr_oq_make(adv_t *a, gtr_ctx_t ctx, uint8_t typ, uint64_t a0, uint64_t a1);

/* Go's validateCtx: the message of the first requirement ctx breaks. */
int gtr_validate_ctx_err(adv_t *a, gtr_ctx_t ctx, int m, int p, int g);

static inline bool gtr_ctx_meets(int64_t have, int64_t none, int req)
{
    return req == MAY || (req == MUST ? have != none : have == none);
}

/* Inline: the requirements are constants at every call, so the check
 * folds to a few compares; only a failure goes out of line. */
static inline int gtr_validate_ctx(adv_t *a, gtr_ctx_t ctx, int m, int p, int g)
{
    if (gtr_ctx_meets(ctx.m, GTR_NO_THREAD, m) && gtr_ctx_meets(ctx.p, GTR_NO_PROC, p) &&
        gtr_ctx_meets(ctx.g, GTR_NO_GOROUTINE, g)) {
        return GTR_OK;
    }
    return gtr_validate_ctx_err(a, ctx, m, p, g);
}
#define USER_GO(a, ctx) gtr_validate_ctx((a), (ctx), MUST, MUST, MUST)

/* Range bookkeeping of goroutines and procs. */
gtr_range_type_t gtr_range_type(uint8_t typ, uint64_t desc);
int gtr_range_begin(adv_t *a, gtr_ranges_t *r, gtr_range_type_t t);
int gtr_range_active(adv_t *a, gtr_ranges_t *r, gtr_range_type_t t, bool initial);
int gtr_range_end(adv_t *a, gtr_ranges_t *r, uint8_t typ, uint64_t *desc);

/* Names as Go's String methods print them. */
const char *gtr_gstatus_str(unsigned s);
const char *gtr_pstatus_str(unsigned s);
const char *gtr_oev_name(adv_t *a, unsigned typ);

static inline gtr_seq_t gtr_mkseq(uint64_t gen, uint64_t seq)
{
    gtr_seq_t s = {gen, seq};
    return s;
}

static inline bool gtr_seq_succeeds(gtr_seq_t a, gtr_seq_t b)
{
    return a.gen == b.gen && a.seq == b.seq + 1;
}

#define ORDER_ERR(a, ...) gtr_err_set((a)->o->err, GTR_ERR_ORDER, __VA_ARGS__)
#define LL(x) ((long long)(x))
#define ULL(x) ((unsigned long long)(x))

/* ------------------------------------------- the short path of Advance */

/* Whether goroutine s may take the transition an event with sequence
 * number seq makes from status `from` in generation gen. */
static inline bool gtr_go_next_in_seq(const gtr_gstate_t *s, uint8_t from, uint64_t gen,
                                      uint64_t seq)
{
    return s != NULL && s->status == from && gtr_seq_succeeds(gtr_mkseq(gen, seq), s->seq);
}

/* The success path of the handlers that most events of a trace go
 * through (GoStart, GoStop and GoBlock, GoUnblock, the heap metrics), on
 * a thread already known: no call, no adv_t, the context read from the
 * thread's state. On success the event, as it is to be handed out, is
 * written to dst, and *ids_ok says whether its stack and string IDs all
 * resolve (checked here, where the type is known, at the positions the
 * spec gives: test_spec's short_path_id_positions_match_the_spec); when
 * not, the caller has gtr_event_validate say why. When the event is of
 * another type, would not advance or would fail, it changes nothing and
 * returns false, and the handler runs as usual (so every message comes
 * from one place). The pull loop's direct path (next_direct in reader.c)
 * calls it when nothing is queued, with the reader's own event slot as
 * dst. */
static inline bool gtr_order_advance_quick(gtr_order_t *o, const gtr_base_t *ev,
                                           gtr_gen_t *gen, int64_t m, gtr_mstate_t *ms,
                                           gtr_event_t *dst, bool *ids_ok)
{
    gtr_gstate_t *s;
    switch (ev->typ) {
    case GTR_EV_GO_START: /* gtr_adv_go_start */
        s = gtr_og_get(o, (int64_t)ev->args[0]);
        if (!gtr_go_next_in_seq(s, G_RUNNABLE, gen->gen, ev->args[1]) || ms->p == GTR_NO_PROC ||
            ms->g != GTR_NO_GOROUTINE) {
            return false;
        }
        gtr_ev_fill(dst, (gtr_ctx_t){ms->g, ms->p, m}, gen, ev);
        *ids_ok = true;
        s->status = G_RUNNING;
        s->seq = gtr_mkseq(gen->gen, ev->args[1]);
        ms->g = (int64_t)ev->args[0];
        return true;
    case GTR_EV_GO_STOP: /* gtr_adv_go_stop_exec */
    case GTR_EV_GO_BLOCK:
        if (ms->p == GTR_NO_PROC || ms->g == GTR_NO_GOROUTINE) {
            return false;
        }
        s = gtr_og_get(o, ms->g);
        if (s == NULL || s->status != G_RUNNING) {
            return false;
        }
        gtr_ev_fill(dst, (gtr_ctx_t){ms->g, ms->p, m}, gen, ev);
        *ids_ok = gtr_tables_has_string(&gen->t, ev->args[0]) &&
                  gtr_tables_has_stack(&gen->t, ev->args[1]);
        s->status = ev->typ == GTR_EV_GO_STOP ? G_RUNNABLE : G_WAITING;
        ms->g = GTR_NO_GOROUTINE;
        return true;
    case GTR_EV_GO_UNBLOCK: /* gtr_adv_go_unblock */
        s = gtr_og_get(o, (int64_t)ev->args[0]);
        if (!gtr_go_next_in_seq(s, G_WAITING, gen->gen, ev->args[1])) {
            return false;
        }
        gtr_ev_fill(dst, (gtr_ctx_t){ms->g, ms->p, m}, gen, ev);
        *ids_ok = gtr_tables_has_stack(&gen->t, ev->args[2]);
        s->status = G_RUNNABLE;
        s->seq = gtr_mkseq(gen->gen, ev->args[1]);
        return true;
    case GTR_EV_HEAP_ALLOC: /* gtr_adv_heap_metric; the thread is known */
    case GTR_EV_HEAP_GOAL:
        if (ms->p == GTR_NO_PROC) {
            return false;
        }
        gtr_ev_fill(dst, (gtr_ctx_t){ms->g, ms->p, m}, gen, ev);
        *ids_ok = true;
        return true;
    default:
        return false;
    }
}

#endif /* GOTRACE_ORDER_INT_H */
