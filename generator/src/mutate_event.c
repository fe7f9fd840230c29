/* mutate_event.c: the event-level mutations (gtg_mutate.h) that break the
 * trace's meaning rather than its bytes, so the orderer refuses an event
 * for a reason of state: it becomes another event of the same shape (a
 * GCEnd with no GC running, a range end without its start, a syscall end
 * on a P not in a syscall), it names another goroutine, P, thread, task
 * or string (a goroutine created twice, a steal from the wrong thread, a
 * region ended under another name), it moves to another M's batch at the
 * same time (a context without the goroutine or P it needs), or it is
 * copied there (two threads claim one goroutine or P, and one goes on
 * with a state the other changed). Also the type-first choice of a target
 * that all structured mutations share (gtg_pick_item).
 *
 * Like mutate.c, everything is found through the event spec table (the
 * shape of an event is its list of argument types), so a new event type
 * is covered without a change here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtg_internal.h"

/* A timed event of the trace's version with plain arguments (no data or
 * stack trailer), or NULL. */
static const gtr_event_spec_t *plain_spec(const gtg_trace_t *t, const gtg_item_t *it)
{
    if (it->kind != GTG_ITEM_EVENT) {
        return NULL;
    }
    const gtr_event_spec_t *s = gtr_spec(gtg_trace_version(t), it->type);
    return s != NULL && s->is_timed && !s->has_data && !s->is_stack ? s : NULL;
}

static const char *type_name(unsigned type)
{
    const gtr_event_spec_t *s = gtr_spec_any(type);
    return s != NULL && s->name != NULL ? s->name : "?";
}

/* A type first, then one of its items (gtg_internal.h). */
long gtg_pick_item(const gtg_trace_t *t, gtg_choice_t *c, gtg_item_pred_fn ok, void *ctx)
{
    size_t count[256] = {0}, ntypes = 0;
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        if (ok(t, i, ctx)) {
            ntypes += count[gtg_trace_item(t, i)->type]++ == 0;
        }
    }
    if (ntypes == 0) {
        return -1;
    }
    size_t k = gtg_choose(c, ntypes), type = 0;
    for (type = 0; type < 256; type++) {
        if (count[type] > 0 && k-- == 0) {
            break;
        }
    }
    k = gtg_choose(c, count[type]);
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        if (gtg_trace_item(t, i)->type == type && ok(t, i, ctx) && k-- == 0) {
            return (long)i;
        }
    }
    return -1;
}

static bool same_shape(const gtr_event_spec_t *a, const gtr_event_spec_t *b)
{
    if (a->nargs != b->nargs || a->experiment != b->experiment || a->has_data != b->has_data ||
        a->is_stack != b->is_stack) {
        return false;
    }
    for (size_t i = 1; i < a->nargs; i++) {
        if (gtr_arg_type(a->args[i]) != gtr_arg_type(b->args[i])) {
            return false;
        }
    }
    return true;
}

/* The event types of the trace's version shaped like `type`, itself
 * excluded; returns how many were written to out[256]. */
static size_t look_alikes(const gtg_trace_t *t, unsigned type, uint8_t *out)
{
    const gtr_event_spec_t *s = gtr_spec(gtg_trace_version(t), type);
    size_t n = 0;
    for (unsigned k = 0; s != NULL && k < 256; k++) {
        const gtr_event_spec_t *o = gtr_spec(gtg_trace_version(t), k);
        if (k != type && o != NULL && o->is_timed && same_shape(s, o)) {
            out[n++] = (uint8_t)k;
        }
    }
    return n;
}

typedef struct alikes {
    uint8_t alt[256][256];
    size_t n[256];
    bool done[256];
} alikes_t;

static bool has_alike(const gtg_trace_t *t, size_t i, void *ctx)
{
    alikes_t *a = ctx;
    const gtg_item_t *it = gtg_trace_item(t, i);
    if (plain_spec(t, it) == NULL) {
        return false;
    }
    if (!a->done[it->type]) {
        a->n[it->type] = look_alikes(t, it->type, a->alt[it->type]);
        a->done[it->type] = true;
    }
    return a->n[it->type] > 0;
}

gtg_err_t gtg_mut_change_type(gtg_trace_t *t, gtg_choice_t *c, char *d, size_t dl)
{
    alikes_t *a = calloc(1, sizeof *a);
    if (a == NULL) {
        return GTG_ERR_NOMEM;
    }
    long i = gtg_pick_item(t, c, has_alike, a);
    if (i < 0) {
        free(a);
        snprintf(d, dl, "change-type: no event with a look-alike in the trace");
        return GTG_ERR_ARG;
    }
    gtg_item_t *it = gtg_trace_item_mut(t, (size_t)i);
    uint8_t old = it->type;
    it->type = a->alt[old][gtg_choose(c, a->n[old])];
    free(a);
    snprintf(d, dl, "%s (item %ld, generation %u) became %s, arguments kept: the event "
             "contradicts the state it happens in", type_name(old), i, it->gen_index,
             type_name(it->type));
    return GTG_OK;
}

static bool is_id(gtr_arg_type_t a)
{
    return a == GTR_ARG_G || a == GTR_ARG_M || a == GTR_ARG_P || a == GTR_ARG_TASK ||
           a == GTR_ARG_STRING;
}

/* Calls f on every value of argument type `want` the trace holds (batch
 * Ms count as thread IDs); stops when f returns true. */
typedef bool (*value_fn)(uint64_t v, void *ctx);

static void each_value(const gtg_trace_t *t, gtr_arg_type_t want, value_fn f, void *ctx)
{
    for (size_t i = 0; i < gtg_trace_count(t); i++) {
        const gtg_item_t *it = gtg_trace_item(t, i);
        if (it->kind == GTG_ITEM_BATCH && want == GTR_ARG_M && f(it->args[1], ctx)) {
            return;
        }
        const gtr_event_spec_t *s = plain_spec(t, it);
        for (size_t a = 1; s != NULL && a < s->nargs && a - 1 < it->nargs; a++) {
            if (gtr_arg_type(s->args[a]) == want && f(it->args[a - 1], ctx)) {
                return;
            }
        }
    }
}

typedef struct other {
    uint64_t old, n, k, v;
} other_t;

static bool count_other(uint64_t v, void *ctx)
{
    other_t *o = ctx;
    o->n += v != o->old;
    return false;
}

static bool find_other(uint64_t v, void *ctx)
{
    other_t *o = ctx;
    if (v != o->old && o->k-- == 0) {
        o->v = v;
        return true;
    }
    return false;
}

/* An ID of the same kind as old: mostly one the trace uses elsewhere (a
 * goroutine that exists, a thread that runs), sometimes a fresh one or,
 * for threads, none at all. */
static uint64_t other_id(const gtg_trace_t *t, gtg_choice_t *c, gtr_arg_type_t kind, uint64_t old)
{
    other_t o = {.old = old};
    each_value(t, kind, count_other, &o);
    if (o.n > 0 && !gtg_chance(c, 1, 4)) {
        o.k = gtg_choose(c, o.n);
        each_value(t, kind, find_other, &o);
        return o.v;
    }
    if (kind == GTR_ARG_M && old != GTG_NO_ID && gtg_chance(c, 1, 2)) {
        return GTG_NO_ID;
    }
    return old + 1 + gtg_choose(c, 1u << 16);
}

static size_t id_args(const gtg_trace_t *t, size_t i)
{
    const gtr_event_spec_t *s = plain_spec(t, gtg_trace_item(t, i));
    size_t n = 0;
    for (size_t a = 1; s != NULL && a < s->nargs; a++) {
        n += is_id(gtr_arg_type(s->args[a]));
    }
    return n;
}

static bool names_ids(const gtg_trace_t *t, size_t i, void *ctx)
{
    (void)ctx;
    return id_args(t, i) > 0;
}

static const char *id_kind_name(gtr_arg_type_t kind)
{
    switch (kind) {
    case GTR_ARG_G: return "goroutine";
    case GTR_ARG_M: return "thread";
    case GTR_ARG_P: return "P";
    case GTR_ARG_TASK: return "task";
    default: return "string";
    }
}

gtg_err_t gtg_mut_retarget(gtg_trace_t *t, gtg_choice_t *c, char *d, size_t dl)
{
    long i = gtg_pick_item(t, c, names_ids, NULL);
    if (i < 0) {
        snprintf(d, dl, "retarget: no event names a goroutine, P, thread, task or string");
        return GTG_ERR_ARG;
    }
    gtg_item_t *it = gtg_trace_item_mut(t, (size_t)i);
    const gtr_event_spec_t *s = plain_spec(t, it);
    size_t k = gtg_choose(c, id_args(t, (size_t)i));
    for (size_t a = 1; a < s->nargs; a++) {
        gtr_arg_type_t kind = gtr_arg_type(s->args[a]);
        if (!is_id(kind) || k-- != 0) {
            continue;
        }
        uint64_t old = it->args[a - 1], v = other_id(t, c, kind, old);
        it->args[a - 1] = v;
        snprintf(d, dl, "%s (item %ld, generation %u) %s: %llu -> %llu: the event names "
                 "another %s than the one the state machine expects", s->name, i,
                 it->gen_index, s->args[a], (unsigned long long)old, (unsigned long long)v,
                 id_kind_name(kind));
        return GTG_OK;
    }
    return GTG_ERR_INTERNAL;
}

/* The batch holding each item (the nearest batch header before it), or
 * NULL if out of memory; free() it. */
static size_t *batches_of(const gtg_trace_t *t)
{
    size_t n = gtg_trace_count(t), b = 0;
    size_t *v = malloc((n > 0 ? n : 1) * sizeof *v);
    for (size_t i = 0; v != NULL && i < n; i++) {
        b = gtg_trace_item(t, i)->kind == GTG_ITEM_BATCH ? i : b;
        v[i] = b;
    }
    return v;
}

/* A batch of the same generation as batch b, on another M, holding timed
 * events: where an event of b can move. */
static bool other_m_batch(const gtg_trace_t *t, size_t b, size_t o)
{
    const gtg_item_t *x = gtg_trace_item(t, b), *y = gtg_trace_item(t, o);
    return y->kind == GTG_ITEM_BATCH && y->args[0] == x->args[0] && y->args[1] != x->args[1] &&
           o + 1 < gtg_trace_count(t) && plain_spec(t, gtg_trace_item(t, o + 1)) != NULL;
}

static size_t count_dest(const gtg_trace_t *t, size_t b)
{
    size_t n = 0;
    for (size_t o = 0; o < gtg_trace_count(t); o++) {
        n += other_m_batch(t, b, o);
    }
    return n;
}

/* The batch of every item (computed once), and the destinations of the
 * last batch asked about. */
typedef struct dest_cache {
    size_t *batch;
    size_t b, n;
} dest_cache_t;

static bool movable(const gtg_trace_t *t, size_t i, void *ctx)
{
    dest_cache_t *dc = ctx;
    if (plain_spec(t, gtg_trace_item(t, i)) == NULL) {
        return false;
    }
    size_t b = dc->batch[i];
    if (b != dc->b) {
        dc->b = b;
        dc->n = count_dest(t, b);
    }
    return dc->n > 0;
}

/* The destination batch: one time in four the thread-less batch if the
 * generation has one (an event needing an M then has none), else any. */
static size_t pick_dest(const gtg_trace_t *t, gtg_choice_t *c, size_t b, size_t n)
{
    bool threadless = gtg_chance(c, 1, 4);
    for (size_t o = 0; threadless && o < gtg_trace_count(t); o++) {
        if (other_m_batch(t, b, o) && gtg_trace_item(t, o)->args[1] == GTG_NO_ID) {
            return o;
        }
    }
    size_t k = gtg_choose(c, n), o = 0;
    for (o = 0; o < gtg_trace_count(t); o++) {
        if (other_m_batch(t, b, o) && k-- == 0) {
            break;
        }
    }
    return o;
}

gtg_err_t gtg_mut_move_event(gtg_trace_t *t, gtg_choice_t *c, bool copy, char *d, size_t dl)
{
    dest_cache_t dc = {batches_of(t), SIZE_MAX, 0};
    if (dc.batch == NULL) {
        return GTG_ERR_NOMEM;
    }
    long li = gtg_pick_item(t, c, movable, &dc);
    if (li < 0) {
        free(dc.batch);
        snprintf(d, dl, "%s: no generation has batches of two Ms",
                 copy ? "copy-event" : "move-event");
        return GTG_ERR_ARG;
    }
    size_t i = (size_t)li, b = dc.batch[i];
    free(dc.batch);
    size_t o = pick_dest(t, c, b, count_dest(t, b));
    /* Into the other batch where its time fits, so the merged order of
     * events stays the same and only the M changes. */
    uint64_t ts = gtg_trace_item(t, i)->ts;
    size_t at = o + 1;
    while (at < gtg_trace_count(t) && gtg_trace_item(t, at)->kind == GTG_ITEM_EVENT &&
           gtg_trace_item(t, at)->ts < ts) {
        at++;
    }
    gtg_item_t *dest = gtg_trace_item_mut(t, o);
    long long from_m = (long long)gtg_trace_item(t, b)->args[1], to_m = (long long)dest->args[1];
    if (dest->ts > ts) {
        dest->ts = ts;
    }
    if (copy) {
        snprintf(d, dl, "copied %s (item %zu, generation %u) of M %lld to M %lld at the same "
                 "time: two threads claim one transition (the same goroutine or P)",
                 type_name(gtg_trace_item(t, i)->type), i, gtg_trace_item(t, i)->gen_index,
                 from_m, to_m);
        return gtg_trace_insert_copy(t, at, i);
    }
    snprintf(d, dl, "moved %s (item %zu, generation %u) from M %lld to M %lld at the same "
             "time: it happens in a context without the goroutine or P it needs",
             type_name(gtg_trace_item(t, i)->type), i, gtg_trace_item(t, i)->gen_index, from_m,
             to_m);
    gtg_err_t err = gtg_trace_insert_copy(t, at, i);
    if (err != GTG_OK) {
        return err;
    }
    gtg_trace_remove(t, i >= at ? i + 1 : i);
    return GTG_OK;
}
