/* classify.c: per generation, how each goroutine spent it, with the
 * definitions of the Go oracle's stats mode (reference/oracle/stats.go,
 * docs/oracle.md), and the whole-generation stack invariants that need
 * those classes. A goroutine's class is known only when the generation
 * closes (at the next Sync, or at the end of the stream), so tracking is
 * per generation and the invariants are checked at its close.
 *
 * One difference from the oracle: a status event is recognised by its wire
 * type (GoStatus, GoStatusStack) rather than by its states (from
 * Undetermined, or from == to). For every trace Go's reader accepts the
 * two agree, since no other goroutine transition has those states. */
#include <stdlib.h>
#include <string.h>

#include "gtc_internal.h"

static bool is_status(unsigned wire)
{
    return wire == GTR_EV_GO_STATUS || wire == GTR_EV_GO_STATUS_STACK;
}

void gtc_gen_open(gtc_checker_t *c, const gtc_record_t *sync)
{
    gtc_gen_t *g = &c->gen;
    memset(&g->sum, 0, sizeof g->sum);
    g->open = true;
    g->sum.generation = sync != NULL ? c->syncs : 0;
    g->sum.sync_n = sync != NULL ? sync->sync.n : 0;
    g->sum.first_event = c->index;
    gtc_map_clear(&g->gs);
    gtc_map_clear(&g->stacks);
}

static gtc_gotrack_t *track(gtc_checker_t *c, int64_t id)
{
    return gtc_map_put(&c->gen.gs, (uint64_t)id, NULL);
}

static void transition(gtc_checker_t *c, const gtc_record_t *r)
{
    gtc_gotrack_t *t = track(c, r->transition.resource.id);
    if (t == NULL) {
        return;
    }
    unsigned from = r->transition.from, to = r->transition.to;
    t->transitions++;
    if (t->transitions == 1 && is_status(r->wire_type)) {
        t->start_status = true;
        t->start_state = (uint8_t)(to < 255 ? to : 255);
        t->start_stack = !r->transition.stack.none;
        t->status_wire = (uint16_t)r->wire_type;
        t->status_index = c->index;
    }
    bool own_status = t->start_status && t->transitions == 1;
    switch (to) {
    case GTR_GO_RUNNING: t->ran = true; break;
    case GTR_GO_WAITING:
    case GTR_GO_SYSCALL:
    case GTR_GO_NOT_EXIST: t->stopped |= !own_status; break;
    case GTR_GO_RUNNABLE: t->unblocked |= from == GTR_GO_WAITING; break;
    default: break;
    }
}

void gtc_gen_event(gtc_checker_t *c, const gtc_record_t *r)
{
    c->gen.sum.nevents++;
    if (r->kind == GTR_KIND_SYNC) {
        return;
    }
    if (r->goroutine != GTR_NO_GOROUTINE) {
        /* The goroutine executing an event is running (or in a syscall). */
        gtc_gotrack_t *t = track(c, r->goroutine);
        if (t != NULL) {
            t->ran = true;
        }
    }
    if (is_status(r->wire_type)) {
        c->gen.sum.status_events++;
        c->gen.sum.status_stack_events += r->wire_type == GTR_EV_GO_STATUS_STACK;
    }
    if (r->kind == GTR_KIND_STATE_TRANSITION && r->transition.resource.kind == GTR_RESOURCE_GOROUTINE) {
        transition(c, r);
    }
}

static gtc_class_t classify(const gtc_gotrack_t *t)
{
    bool whole = t->start_status && t->transitions == 1;
    if (whole && t->start_state == GTR_GO_WAITING) {
        return GTC_CLASS_BLOCKED;
    }
    if (whole && t->start_state == GTR_GO_SYSCALL) {
        return GTC_CLASS_SYSCALL;
    }
    if (t->ran) {
        return t->stopped ? GTC_CLASS_RAN : GTC_CLASS_RAN_WITHOUT_BLOCKING;
    }
    return t->unblocked ? GTC_CLASS_UNBLOCKED_NEVER_RAN : GTC_CLASS_OTHER;
}

/* A goroutine blocked or in a syscall all generation, whose status event
 * had no stack, in a version that has GoStatusStack. */
typedef struct missing {
    uint64_t index;
    int64_t id;
    gtc_class_t cls;
    unsigned wire;
} missing_t;

static int by_index(const void *a, const void *b)
{
    const missing_t *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void report_missing(gtc_checker_t *c, missing_t *ms, size_t n)
{
    if (n == 0) {
        return;
    }
    qsort(ms, n, sizeof *ms, by_index);
    for (size_t i = 0; i < n; i++) {
        const gtr_event_spec_t *s = gtr_spec_any(ms[i].wire);
        gtc_report(c, gtc_res(GTR_RESOURCE_GOROUTINE, ms[i].id), ms[i].index,
                   ms[i].cls == GTC_CLASS_BLOCKED ? M_BLOCKED_NO_STACK : M_SYSCALL_NO_STACK,
                   (long long)ms[i].id, (unsigned long long)c->gen.sum.generation,
                   s != NULL ? s->name : "status event");
    }
}

/* Classify every goroutine seen; collect the ones that break the
 * whole-generation invariants (when `check`). Returns how many. */
static size_t classify_all(gtc_checker_t *c, bool check, missing_t *ms)
{
    gtc_gen_summary_t *sum = &c->gen.sum;
    size_t nm = 0;
    for (size_t i = 0; i < c->gen.gs.cap; i++) {
        uint64_t key;
        const gtc_gotrack_t *t = gtc_map_slot(&c->gen.gs, i, &key);
        if (t == NULL) {
            continue;
        }
        gtc_class_t cls = classify(t);
        sum->classes[cls]++;
        sum->with_stack[cls] += t->start_stack;
        if (check && !t->start_stack && (cls == GTC_CLASS_BLOCKED || cls == GTC_CLASS_SYSCALL)) {
            missing_t m = {t->status_index, (int64_t)key, cls, t->status_wire};
            ms[nm++] = m;
        }
    }
    return nm;
}

static int by_id(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

/* Goroutines the validator knows alive that this generation never saw. The
 * runtime writes a status for every live goroutine in every generation, so
 * there should be none from the second generation on. Every goroutine alive
 * at a generation's start was seen in the one before (or, missing there,
 * was reported then), so the candidates are the previous generation's
 * goroutines: the cost is what that generation held, never the number of
 * live goroutines, and a goroutine gone for good is reported once. A
 * complete generation reports each (by ID, at the event that closes it). */
static void absent_goroutines(gtc_checker_t *c, bool complete)
{
    gtc_gen_t *g = &c->gen;
    size_t cap = g->prev.len;
    int64_t *ids = g->sum.generation > 1 && cap > 0 ? gtc_mem_alloc(&c->mem, cap * sizeof *ids) : NULL;
    size_t n = 0;
    for (size_t i = 0; ids != NULL && i < g->prev.cap; i++) {
        uint64_t key;
        if (gtc_map_slot(&g->prev, i, &key) == NULL || gtc_map_get(&g->gs, key) != NULL) {
            continue;
        }
        const gtc_vres_t *st = gtc_map_get(&c->v.gs, key);
        if (st != NULL && st->state != GTR_GO_NOT_EXIST) {
            ids[n++] = (int64_t)key;
        }
    }
    g->sum.absent = n;
    if (complete && n > 0) {
        qsort(ids, n, sizeof *ids, by_id);
    }
    for (size_t i = 0; complete && i < n; i++) {
        const gtc_vres_t *st = gtc_map_get(&c->v.gs, (uint64_t)ids[i]);
        gtc_report(c, gtc_res(GTR_RESOURCE_GOROUTINE, ids[i]), c->index, M_GOROUTINE_ABSENT,
                   (long long)ids[i], gtr_go_state_name(st->state),
                   (unsigned long long)(g->sum.generation - 1), (unsigned long long)g->sum.generation);
    }
    gtc_mem_free(&c->mem, ids, cap * sizeof *ids);
}

static void add_summary(gtc_checker_t *c)
{
    const gtc_gen_summary_t *s = &c->gen.sum;
    gtc_gen_summary_t *t = &c->totals;
    t->generation++;
    t->nevents += s->nevents;
    for (int i = 0; i < GTC_CLASS_COUNT; i++) {
        t->classes[i] += s->classes[i];
        t->with_stack[i] += s->with_stack[i];
    }
    t->status_events += s->status_events;
    t->status_stack_events += s->status_stack_events;
    t->absent += s->absent;
    t->violations += s->violations;
    if (c->nsums >= c->opts.max_summaries) {
        return;
    }
    if (c->nsums == c->capsums) {
        size_t ncap = c->capsums == 0 ? 16 : c->capsums * 2;
        gtc_gen_summary_t *ns = gtc_mem_realloc(&c->mem, c->sums, c->capsums * sizeof *ns, ncap * sizeof *ns);
        if (ns == NULL) {
            return;
        }
        c->sums = ns;
        c->capsums = ncap;
    }
    c->sums[c->nsums++] = *s;
}

void gtc_gen_close(gtc_checker_t *c, bool complete)
{
    gtc_gen_t *g = &c->gen;
    if (!g->open) {
        return;
    }
    g->sum.complete = complete;
    /* Whole-generation promises hold only for generations that ended, and
     * only from go1.23, which has GoStatusStack. */
    bool check = complete && c->version >= GTR_GO123;
    missing_t *ms = NULL;
    size_t cap = g->gs.len;
    if (check && cap > 0) {
        ms = gtc_mem_alloc(&c->mem, cap * sizeof *ms);
        check = ms != NULL;
    }
    size_t nm = classify_all(c, check, ms);
    report_missing(c, ms, nm);
    absent_goroutines(c, complete);
    gtc_mem_free(&c->mem, ms, cap * sizeof *ms);
    add_summary(c);
    /* This generation's goroutines are whom the next one must mention. */
    gtc_map_t tmp = g->prev;
    g->prev = g->gs;
    g->gs = tmp;
    g->open = false;
}
