/* mutate.c: structured mutations (gtg_mutate.h), each one edit of the
 * items with a sentence saying what it breaks.
 *
 * Targets are found through the event spec table (which arguments are
 * sequence numbers, statuses, stack or string IDs), never by listing
 * events, so a new event type in the spec is covered without a change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtg_mutate.h"
#include "gtg_internal.h"

static const char *const names[GTG_MUT_COUNT] = {
    [GTG_MUT_DROP_EVENT] = "drop-event",         [GTG_MUT_DUP_EVENT] = "dup-event",
    [GTG_MUT_SWAP_EVENTS] = "swap-events",       [GTG_MUT_DROP_BATCH] = "drop-batch",
    [GTG_MUT_DUP_BATCH] = "dup-batch",           [GTG_MUT_SWAP_BATCHES] = "swap-batches",
    [GTG_MUT_BAD_SEQ] = "bad-seq",               [GTG_MUT_WRONG_STATUS] = "wrong-status",
    [GTG_MUT_DANGLING_STACK] = "dangling-stack", [GTG_MUT_DANGLING_STRING] = "dangling-string",
    [GTG_MUT_WRONG_GEN] = "wrong-gen",           [GTG_MUT_NEWER_EVENT] = "newer-event",
    [GTG_MUT_TRUNCATE] = "truncate",             [GTG_MUT_CHANGE_TYPE] = "change-type",
    [GTG_MUT_RETARGET] = "retarget",             [GTG_MUT_MOVE_EVENT] = "move-event",
    [GTG_MUT_COPY_EVENT] = "copy-event",
};

const char *gtg_mutation_name(gtg_mutation_t m) { return m < GTG_MUT_COUNT ? names[m] : "random"; }

gtg_mutation_t gtg_mutation_lookup(const char *name)
{
    for (int i = 0; i < GTG_MUT_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            return (gtg_mutation_t)i;
        }
    }
    return GTG_MUT_COUNT;
}

/* A predicate on items and the argument index (after the time delta) it
 * selects, or -1. */
typedef int (*target_fn)(const gtg_item_t *it);

static const gtr_event_spec_t *timed_spec(const gtg_item_t *it)
{
    if (it->kind != GTG_ITEM_EVENT) {
        return NULL;
    }
    const gtr_event_spec_t *s = gtr_spec_any(it->type);
    return s != NULL && s->is_timed ? s : NULL;
}

static int arg_of_type(const gtg_item_t *it, gtr_arg_type_t want)
{
    const gtr_event_spec_t *s = timed_spec(it);
    for (size_t i = 1; s != NULL && i < s->nargs; i++) {
        if (gtr_arg_type(s->args[i]) == want) {
            return (int)i - 1;
        }
    }
    return -1;
}

static int t_timed(const gtg_item_t *it) { return timed_spec(it) != NULL ? 0 : -1; }
static int t_seq(const gtg_item_t *it) { return arg_of_type(it, GTR_ARG_SEQ); }
static int t_stack(const gtg_item_t *it) { return arg_of_type(it, GTR_ARG_STACK); }
static int t_string(const gtg_item_t *it) { return arg_of_type(it, GTR_ARG_STRING); }
static int t_batch(const gtg_item_t *it) { return it->kind == GTG_ITEM_BATCH ? 0 : -1; }

static int t_status(const gtg_item_t *it)
{
    int k = arg_of_type(it, GTR_ARG_GSTATUS);
    return k >= 0 ? k : arg_of_type(it, GTR_ARG_PSTATUS);
}

typedef struct target_ctx {
    target_fn f;
} target_ctx_t;

static bool matches(const gtg_trace_t *t, size_t i, void *ctx)
{
    return ((target_ctx_t *)ctx)->f(gtg_trace_item(t, i)) >= 0;
}

/* Picks an item matching f, a type first (gtg_pick_item); returns its
 * index or -1, and in *arg the argument f selects. */
static long pick(const gtg_trace_t *t, gtg_choice_t *c, target_fn f, int *arg)
{
    target_ctx_t ctx = {f};
    long i = gtg_pick_item(t, c, matches, &ctx);
    if (i >= 0) {
        *arg = f(gtg_trace_item(t, (size_t)i));
    }
    return i;
}

static const char *ev_name(const gtg_item_t *it)
{
    const gtr_event_spec_t *s = gtr_spec_any(it->type);
    return it->kind == GTG_ITEM_BATCH ? "EventBatch" : s != NULL ? s->name : "?";
}

/* The end (exclusive) of the batch starting at item b. */
static size_t batch_end(const gtg_trace_t *t, size_t b)
{
    size_t e = b + 1;
    while (e < gtg_trace_count(t) && gtg_trace_item(t, e)->kind == GTG_ITEM_EVENT) {
        e++;
    }
    return e;
}

static gtg_err_t edit_event(gtg_trace_t *t, gtg_mutation_t kind, size_t i, char *d, size_t dl)
{
    gtg_item_t *it = gtg_trace_item_mut(t, i);
    unsigned gen = it->gen_index;
    const char *name = ev_name(it);
    if (kind == GTG_MUT_DROP_EVENT) {
        snprintf(d, dl, "dropped %s (item %zu, generation %u): the state machine misses "
                 "a transition", name, i, gen);
        gtg_trace_remove(t, i);
        return GTG_OK;
    }
    if (kind == GTG_MUT_DUP_EVENT) {
        snprintf(d, dl, "duplicated %s (item %zu, generation %u): a transition happens "
                 "twice", name, i, gen);
        return gtg_trace_insert_copy(t, i + 1, i);
    }
    /* swap-events: with the next event of the same batch, keeping times
     * increasing so the reader really sees the new order. */
    if (i + 1 >= gtg_trace_count(t) || timed_spec(gtg_trace_item(t, i + 1)) == NULL) {
        return GTG_ERR_ARG;
    }
    uint64_t ts0 = it->ts, ts1 = gtg_trace_item(t, i + 1)->ts;
    snprintf(d, dl, "swapped %s and %s (items %zu, %zu, generation %u): events out of "
             "causal order", name, ev_name(gtg_trace_item(t, i + 1)), i, i + 1, gen);
    gtg_trace_swap(t, i, i + 1);
    gtg_trace_item_mut(t, i)->ts = ts0;
    gtg_trace_item_mut(t, i + 1)->ts = ts1;
    return GTG_OK;
}

/* Swaps the adjacent spans [a, mid) and [mid, end). */
static gtg_err_t swap_spans(gtg_trace_t *t, size_t a, size_t mid, size_t end)
{
    size_t n = end - a, k = 0;
    gtg_item_t *tmp = malloc(n * sizeof *tmp);
    if (tmp == NULL) {
        return GTG_ERR_NOMEM;
    }
    for (size_t i = mid; i < end; i++) {
        tmp[k++] = *gtg_trace_item(t, i);
    }
    for (size_t i = a; i < mid; i++) {
        tmp[k++] = *gtg_trace_item(t, i);
    }
    for (k = 0; k < n; k++) {
        *gtg_trace_item_mut(t, a + k) = tmp[k];
    }
    free(tmp);
    return GTG_OK;
}

static gtg_err_t edit_batch(gtg_trace_t *t, gtg_choice_t *c, gtg_mutation_t kind, size_t b,
                            char *d, size_t dl)
{
    size_t e = batch_end(t, b);
    const gtg_item_t *it = gtg_trace_item(t, b);
    unsigned long long m = it->args[1], gen = it->args[0];
    if (kind == GTG_MUT_DROP_BATCH) {
        snprintf(d, dl, "dropped the batch of M %llu in generation %llu (%zu events): "
                 "its events never happened", m, gen, e - b - 1);
        for (size_t k = b; k < e; k++) {
            gtg_trace_remove(t, b);
        }
        return GTG_OK;
    }
    if (kind == GTG_MUT_DUP_BATCH) {
        snprintf(d, dl, "duplicated the batch of M %llu in generation %llu: its events "
                 "happen twice", m, gen);
        for (size_t k = b; k < e; k++) {
            gtg_err_t err = gtg_trace_insert_copy(t, e + (k - b), k);
            if (err != GTG_OK) {
                return err;
            }
        }
        return GTG_OK;
    }
    if (kind == GTG_MUT_WRONG_GEN) {
        uint64_t ng = gtg_chance(c, 1, 4) ? 0 : gen + 1 + gtg_choose(c, 2);
        snprintf(d, dl, "filed the batch of M %llu under generation %llu instead of %llu: "
                 "generations interleave", m, (unsigned long long)ng, gen);
        gtg_trace_item_mut(t, b)->args[0] = ng;
        return GTG_OK;
    }
    /* swap-batches: this batch trades places with the next one. */
    if (e >= gtg_trace_count(t) || gtg_trace_item(t, e)->kind != GTG_ITEM_BATCH) {
        return GTG_ERR_ARG;
    }
    size_t e2 = batch_end(t, e);
    snprintf(d, dl, "swapped the batch of M %llu with the next batch (M %llu), generation "
             "%llu: batch order is part of the per-M order", m,
             (unsigned long long)gtg_trace_item(t, e)->args[1], gen);
    return swap_spans(t, b, e, e2);
}

static gtg_err_t edit_arg(gtg_trace_t *t, gtg_choice_t *c, gtg_mutation_t kind, size_t i,
                          int a, char *d, size_t dl)
{
    gtg_item_t *it = gtg_trace_item_mut(t, i);
    uint64_t old = it->args[a], v;
    const char *what;
    switch (kind) {
    case GTG_MUT_BAD_SEQ:
        v = old + 1 + gtg_choose(c, 3);
        what = "a sequence number skips ahead: the event can never advance";
        break;
    case GTG_MUT_WRONG_STATUS:
        /* Mostly another valid status; one in five no status at all (0,
         * "bad") or past the last one. */
        if (gtg_chance(c, 1, 5)) {
            v = gtg_chance(c, 1, 2) ? 0 : 5 + gtg_choose(c, 3);
            what = "the status is not one the format defines";
            break;
        }
        v = 1 + (old + gtg_choose(c, 3)) % 4;
        v = v == old ? (old % 4) + 1 : v;
        what = "the status contradicts what the reader knows";
        break;
    case GTG_MUT_DANGLING_STACK:
        v = 100000 + gtg_choose(c, 1000);
        what = "the stack ID resolves to nothing";
        break;
    default:
        v = 100000 + gtg_choose(c, 1000);
        what = "the string ID resolves to nothing";
        break;
    }
    it->args[a] = v;
    snprintf(d, dl, "%s (item %zu, generation %u) argument %d: %llu -> %llu: %s", ev_name(it), i,
             it->gen_index, a + 1, (unsigned long long)old, (unsigned long long)v, what);
    return GTG_OK;
}

/* An event type the trace's version does not have, after a real event. */
static gtg_err_t newer_event(gtg_trace_t *t, size_t i, char *d, size_t dl)
{
    unsigned v = (unsigned)gtg_trace_version(t);
    unsigned type = gtr_spec_count((gtr_version_t)v);
    const gtr_event_spec_t *s = gtr_spec_any(type);
    gtg_err_t err = gtg_trace_insert_copy(t, i + 1, i);
    if (err != GTG_OK) {
        return err;
    }
    gtg_item_t *it = gtg_trace_item_mut(t, i + 1);
    it->type = (uint8_t)type;
    it->nargs = s != NULL && s->nargs > 0 ? (uint8_t)(s->nargs - (s->is_timed ? 1 : 0)) : 0;
    memset(it->args, 0, sizeof it->args);
    snprintf(d, dl, "inserted event type %u (%s) into a go1.%u trace after item %zu: an "
             "event from a newer version", type, s != NULL ? s->name : "undefined", v, i);
    return GTG_OK;
}

gtg_err_t gtg_mutate(gtg_trace_t *t, gtg_choice_t *c, gtg_mutation_t kind, size_t *cut,
                     char *desc, size_t desclen)
{
    *cut = 0;
    if (kind >= GTG_MUT_COUNT) {
        kind = (gtg_mutation_t)gtg_choose(c, GTG_MUT_COUNT);
    }
    static const target_fn targets[GTG_MUT_COUNT] = {
        [GTG_MUT_DROP_EVENT] = t_timed,       [GTG_MUT_DUP_EVENT] = t_timed,
        [GTG_MUT_SWAP_EVENTS] = t_timed,      [GTG_MUT_DROP_BATCH] = t_batch,
        [GTG_MUT_DUP_BATCH] = t_batch,        [GTG_MUT_SWAP_BATCHES] = t_batch,
        [GTG_MUT_BAD_SEQ] = t_seq,            [GTG_MUT_WRONG_STATUS] = t_status,
        [GTG_MUT_DANGLING_STACK] = t_stack,   [GTG_MUT_DANGLING_STRING] = t_string,
        [GTG_MUT_WRONG_GEN] = t_batch,        [GTG_MUT_NEWER_EVENT] = t_timed,
        [GTG_MUT_TRUNCATE] = t_timed,
    };
    switch (kind) {
    case GTG_MUT_CHANGE_TYPE: return gtg_mut_change_type(t, c, desc, desclen);
    case GTG_MUT_RETARGET: return gtg_mut_retarget(t, c, desc, desclen);
    case GTG_MUT_MOVE_EVENT: return gtg_mut_move_event(t, c, false, desc, desclen);
    case GTG_MUT_COPY_EVENT: return gtg_mut_move_event(t, c, true, desc, desclen);
    default: break;
    }
    if (kind == GTG_MUT_TRUNCATE) {
        *cut = 1 + gtg_choose(c, 256);
        snprintf(desc, desclen, "cut %zu bytes off the end: the trace is truncated", *cut);
        return GTG_OK;
    }
    int arg = 0;
    long i = pick(t, c, targets[kind], &arg);
    if (i < 0) {
        snprintf(desc, desclen, "%s: nothing in the trace to mutate", names[kind]);
        return GTG_ERR_ARG;
    }
    switch (kind) {
    case GTG_MUT_DROP_EVENT:
    case GTG_MUT_DUP_EVENT:
    case GTG_MUT_SWAP_EVENTS:
        return edit_event(t, kind, (size_t)i, desc, desclen);
    case GTG_MUT_DROP_BATCH:
    case GTG_MUT_DUP_BATCH:
    case GTG_MUT_SWAP_BATCHES:
    case GTG_MUT_WRONG_GEN:
        return edit_batch(t, c, kind, (size_t)i, desc, desclen);
    case GTG_MUT_NEWER_EVENT:
        return newer_event(t, (size_t)i, desc, desclen);
    default:
        return edit_arg(t, c, kind, (size_t)i, arg, desc, desclen);
    }
}
