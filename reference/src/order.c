/* order.c: the ordering state machine's core: scheduler state (goroutines,
 * procs, threads), the queue of completed events, context checks, range
 * bookkeeping, the dispatch table, and Advance itself. The handlers live in
 * order_sched.c (procs, goroutines, syscalls) and order_misc.c (GC, ranges,
 * annotations, tasks, regions).
 *
 * This emulates Go's ordering (x/exp/trace order.go) to the letter: the
 * events an M may advance, the state each leaves behind, the events queued
 * and the error for each broken precondition. Where Go iterates a map and
 * the result can depend on the order (the proc search of a stolen
 * ProcStatus, the state dump of "failed to advance"), this code uses
 * insertion or ID order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "order_int.h"

/* ---------------------------------------------------------------- state */

static void *ptr_of(uint64_t v) { return (void *)(uintptr_t)v; }

int gtr_og_new(gtr_order_t *o, int64_t id, uint8_t status, gtr_seq_t seq)
{
    gtr_gstate_t *g = gtr_mem_calloc(o->mem, 1, sizeof *g);
    if (g == NULL || gtr_hmap_put(&o->gmap, o->mem, (uint64_t)id, (uintptr_t)g) != GTR_OK) {
        gtr_mem_free(o->mem, g);
        return gtr_err_mem(o->err, o->mem, "goroutine state");
    }
    g->id = id;
    g->status = status;
    g->seq = seq;
    size_t i = (size_t)id & (GTR_GCACHE_SIZE - 1);
    o->gcache[i].id = id;
    o->gcache[i].g = g;
    return GTR_OK;
}

static void free_gstate(gtr_order_t *o, gtr_gstate_t *g)
{
    for (size_t i = 0; i < g->nregions; i++) {
        gtr_mem_free(o->mem, g->regions[i].name);
    }
    gtr_mem_free(o->mem, g->regions);
    gtr_mem_free(o->mem, g->ranges.v);
    gtr_mem_free(o->mem, g);
}

void gtr_og_del(gtr_order_t *o, int64_t id)
{
    gtr_gstate_t *g = gtr_og_get(o, id);
    if (g != NULL) {
        /* gtr_og_get has just put g in its cache slot. */
        o->gcache[(size_t)id & (GTR_GCACHE_SIZE - 1)].g = NULL;
        gtr_hmap_del(&o->gmap, (uint64_t)id);
        free_gstate(o, g);
    }
}

int gtr_op_new(gtr_order_t *o, int64_t id, uint8_t status, gtr_seq_t seq)
{
    gtr_pstate_t *p = gtr_mem_calloc(o->mem, 1, sizeof *p);
    if (p == NULL || gtr_hmap_put(&o->pmap, o->mem, (uint64_t)id, (uintptr_t)p) != GTR_OK) {
        gtr_mem_free(o->mem, p);
        return gtr_err_mem(o->err, o->mem, "proc state");
    }
    p->id = id;
    p->status = status;
    p->seq = seq;
    return GTR_OK;
}

long gtr_om_find(gtr_order_t *o, int64_t id)
{
    uint64_t v;
    return gtr_hmap_get(&o->m_index, (uint64_t)id, &v) ? (long)v : -1;
}

int gtr_om_add(gtr_order_t *o, int64_t id, int64_t g, int64_t p, long *idx)
{
    if (gtr_mem_grow(o->mem, (void **)&o->ms, &o->ms_cap, o->nms + 1, sizeof *o->ms) != GTR_OK ||
        gtr_hmap_put(&o->m_index, o->mem, (uint64_t)id, o->nms) != GTR_OK) {
        return gtr_err_mem(o->err, o->mem, "thread state");
    }
    o->ms[o->nms] = (gtr_mstate_t){id, g, p};
    *idx = (long)o->nms++;
    return GTR_OK;
}

void gtr_order_init(gtr_order_t *o, gtr_version_t v, gtr_mem_t *m, gtr_err_t *e)
{
    memset(o, 0, sizeof *o);
    o->ver = v;
    o->mem = m;
    o->err = e;
}

/* Calls fn on every value of a map of pointers. */
static void each_ptr(gtr_hmap_t *h, void (*fn)(gtr_order_t *, void *), gtr_order_t *o)
{
    for (size_t i = 0; i < h->cap; i++) {
        if (h->slot[i].used) {
            fn(o, ptr_of(h->slot[i].val));
        }
    }
}

static void free_g(gtr_order_t *o, void *p) { free_gstate(o, p); }

static void free_p(gtr_order_t *o, void *p)
{
    gtr_pstate_t *ps = p;
    gtr_mem_free(o->mem, ps->ranges.v);
    gtr_mem_free(o->mem, ps);
}

static void free_t(gtr_order_t *o, void *p)
{
    gtr_task_rec_t *t = p;
    gtr_mem_free(o->mem, t->name);
    gtr_mem_free(o->mem, t);
}

void gtr_order_free(gtr_order_t *o)
{
    if (o->mem == NULL) {
        return;
    }
    each_ptr(&o->gmap, free_g, o);
    each_ptr(&o->pmap, free_p, o);
    each_ptr(&o->tmap, free_t, o);
    gtr_hmap_free(&o->gmap, o->mem);
    gtr_hmap_free(&o->pmap, o->mem);
    gtr_hmap_free(&o->tmap, o->mem);
    gtr_hmap_free(&o->m_index, o->mem);
    gtr_mem_free(o->mem, o->ms);
    gtr_mem_free(o->mem, o->q);
    o->mem = NULL;
}

/* ---------------------------------------------------------------- queue */

int gtr_oq_grow(gtr_order_t *o)
{
    size_t ncap = o->q_cap == 0 ? 4 : o->q_cap * 2;
    gtr_event_t *nq = gtr_mem_calloc(o->mem, ncap, sizeof *nq);
    if (nq == NULL) {
        return gtr_err_mem(o->err, o->mem, "event queue");
    }
    for (size_t i = 0; i < o->q_len; i++) {
        nq[i] = o->q[(o->q_start + i) & (o->q_cap - 1)];
    }
    gtr_mem_free(o->mem, o->q);
    o->q = nq;
    o->q_cap = ncap;
    o->q_start = 0;
    return GTR_OK;
}

int gtr_oq_make(adv_t *a, gtr_ctx_t ctx, uint8_t typ, uint64_t a0, uint64_t a1)
{
    gtr_base_t b;
    memset(&b, 0, sizeof b);
    b.typ = typ;
    b.time = a->ev->time;
    b.args[0] = a0;
    b.args[1] = a1;
    return gtr_oq_push(a, ctx, &b);
}

/* --------------------------------------------------------------- checks */

int gtr_validate_ctx_err(adv_t *a, gtr_ctx_t ctx, int m, int p, int g)
{
    if (m == MUST && ctx.m == GTR_NO_THREAD) {
        return ORDER_ERR(a, "expected a thread but didn't have one");
    } else if (m == MUST_NOT && ctx.m != GTR_NO_THREAD) {
        return ORDER_ERR(a, "expected no thread but had one");
    }
    if (p == MUST && ctx.p == GTR_NO_PROC) {
        return ORDER_ERR(a, "expected a proc but didn't have one");
    } else if (p == MUST_NOT && ctx.p != GTR_NO_PROC) {
        return ORDER_ERR(a, "expected no proc but had one");
    }
    if (g == MUST && ctx.g == GTR_NO_GOROUTINE) {
        return ORDER_ERR(a, "expected a goroutine but didn't have one");
    } else if (g == MUST_NOT && ctx.g != GTR_NO_GOROUTINE) {
        return ORDER_ERR(a, "expected no goroutine but had one");
    }
    return GTR_OK;
}

const char *gtr_gstatus_str(unsigned s)
{
    switch (s) {
    case G_RUNNABLE: return "Runnable";
    case G_RUNNING: return "Running";
    case G_SYSCALL: return "Syscall";
    case G_WAITING: return "Waiting";
    default: return "Bad";
    }
}

/* Go's ProcStatus.String has no case for SyscallAbandoned: "Bad". */
const char *gtr_pstatus_str(unsigned s)
{
    switch (s) {
    case P_RUNNING: return "Running";
    case P_IDLE: return "Idle";
    case P_SYSCALL: return "Syscall";
    default: return "Bad";
    }
}

const char *gtr_oev_name(adv_t *a, unsigned typ)
{
    return gtr_ev_name(a->o->ver, typ, a->o->namebuf, sizeof a->o->namebuf);
}

/* --------------------------------------------------------------- ranges */

gtr_range_type_t gtr_range_type(uint8_t typ, uint64_t desc)
{
    const gtr_event_spec_t *s = gtr_spec_any(typ);
    if (s != NULL && s->start_ev != GTR_EV_NONE) {
        typ = s->start_ev;
    }
    return (gtr_range_type_t){typ, desc};
}

static bool has_range(const gtr_ranges_t *r, gtr_range_type_t t)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->v[i].typ == t.typ && r->v[i].desc == t.desc) {
            return true;
        }
    }
    return false;
}

static const char *spec_name(unsigned typ)
{
    const gtr_event_spec_t *s = gtr_spec_any(typ);
    return s != NULL ? s->name : "";
}

static int range_add(adv_t *a, gtr_ranges_t *r, gtr_range_type_t t)
{
    if (gtr_mem_grow(a->o->mem, (void **)&r->v, &r->cap, r->n + 1, sizeof *r->v) != GTR_OK) {
        return gtr_err_mem(a->o->err, a->o->mem, "ranges");
    }
    r->v[r->n++] = t;
    return GTR_OK;
}

int gtr_range_begin(adv_t *a, gtr_ranges_t *r, gtr_range_type_t t)
{
    if (has_range(r, t)) {
        return ORDER_ERR(a, "discovered event already in-flight for when starting event %s",
                         spec_name(t.typ));
    }
    return range_add(a, r, t);
}

int gtr_range_active(adv_t *a, gtr_ranges_t *r, gtr_range_type_t t, bool initial)
{
    if (initial) {
        if (has_range(r, t)) {
            return ORDER_ERR(a, "found named active range already in first gen: {%u %llu}", t.typ,
                             ULL(t.desc));
        }
        return range_add(a, r, t);
    }
    if (!has_range(r, t)) {
        /* Go prints the in-flight slice with %v: [{typ desc} ...]. */
        gtr_err_t *e = a->o->err;
        ORDER_ERR(a, "resource is missing active range: %s [", spec_name(t.typ));
        for (size_t i = 0; i < r->n; i++) {
            gtr_err_appendf(e, "%s{%u %llu}", i == 0 ? "" : " ", r->v[i].typ, ULL(r->v[i].desc));
        }
        gtr_err_append(e, "]", 1);
        return GTR_ERR_ORDER;
    }
    return GTR_OK;
}

int gtr_range_end(adv_t *a, gtr_ranges_t *r, uint8_t typ, uint64_t *desc)
{
    const gtr_event_spec_t *s = gtr_spec_any(typ);
    uint8_t st = s != NULL ? s->start_ev : 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->v[i].typ == st) {
            *desc = r->v[i].desc;
            r->v[i] = r->v[r->n - 1];
            r->n--;
            return GTR_OK;
        }
    }
    return ORDER_ERR(a, "tried to end event %s, but not in-flight", spec_name(st));
}

/* ------------------------------------------------------------- dispatch */

static const gtr_handler_t dispatch[256] = {
    [GTR_EV_PROCS_CHANGE] = gtr_adv_annotation,
    [GTR_EV_PROC_START] = gtr_adv_proc_start,
    [GTR_EV_PROC_STOP] = gtr_adv_proc_stop,
    [GTR_EV_PROC_STEAL] = gtr_adv_proc_steal,
    [GTR_EV_PROC_STATUS] = gtr_adv_proc_status,
    [GTR_EV_GO_CREATE] = gtr_adv_go_create,
    [GTR_EV_GO_CREATE_SYSCALL] = gtr_adv_go_create_syscall,
    [GTR_EV_GO_START] = gtr_adv_go_start,
    [GTR_EV_GO_DESTROY] = gtr_adv_go_stop_exec,
    [GTR_EV_GO_DESTROY_SYSCALL] = gtr_adv_go_destroy_syscall,
    [GTR_EV_GO_STOP] = gtr_adv_go_stop_exec,
    [GTR_EV_GO_BLOCK] = gtr_adv_go_stop_exec,
    [GTR_EV_GO_UNBLOCK] = gtr_adv_go_unblock,
    [GTR_EV_GO_SYSCALL_BEGIN] = gtr_adv_syscall_begin,
    [GTR_EV_GO_SYSCALL_END] = gtr_adv_syscall_end,
    [GTR_EV_GO_SYSCALL_END_BLOCKED] = gtr_adv_syscall_end_blocked,
    [GTR_EV_GO_STATUS] = gtr_adv_go_status,
    [GTR_EV_STW_BEGIN] = gtr_adv_go_range_begin,
    [GTR_EV_STW_END] = gtr_adv_go_range_end,
    [GTR_EV_GC_ACTIVE] = gtr_adv_gc_active,
    [GTR_EV_GC_BEGIN] = gtr_adv_gc_begin,
    [GTR_EV_GC_END] = gtr_adv_gc_end,
    [GTR_EV_GC_SWEEP_ACTIVE] = gtr_adv_sweep_active,
    [GTR_EV_GC_SWEEP_BEGIN] = gtr_adv_sweep_begin,
    [GTR_EV_GC_SWEEP_END] = gtr_adv_sweep_end,
    [GTR_EV_GC_MARK_ASSIST_ACTIVE] = gtr_adv_go_range_active,
    [GTR_EV_GC_MARK_ASSIST_BEGIN] = gtr_adv_go_range_begin,
    [GTR_EV_GC_MARK_ASSIST_END] = gtr_adv_go_range_end,
    [GTR_EV_HEAP_ALLOC] = gtr_adv_heap_metric,
    [GTR_EV_HEAP_GOAL] = gtr_adv_heap_metric,
    [GTR_EV_GO_LABEL] = gtr_adv_annotation,
    [GTR_EV_USER_TASK_BEGIN] = gtr_adv_task_begin,
    [GTR_EV_USER_TASK_END] = gtr_adv_task_end,
    [GTR_EV_USER_REGION_BEGIN] = gtr_adv_region_begin,
    [GTR_EV_USER_REGION_END] = gtr_adv_region_end,
    [GTR_EV_USER_LOG] = gtr_adv_annotation,
    [GTR_EV_GO_SWITCH] = gtr_adv_go_switch,
    [GTR_EV_GO_SWITCH_DESTROY] = gtr_adv_go_switch,
    [GTR_EV_GO_CREATE_BLOCKED] = gtr_adv_go_create,
    [GTR_EV_GO_STATUS_STACK] = gtr_adv_go_status,
    [GTR_EV_SPAN] = gtr_adv_alloc_free,
    [GTR_EV_SPAN_ALLOC] = gtr_adv_alloc_free,
    [GTR_EV_SPAN_FREE] = gtr_adv_alloc_free,
    [GTR_EV_HEAP_OBJECT] = gtr_adv_alloc_free,
    [GTR_EV_HEAP_OBJECT_ALLOC] = gtr_adv_alloc_free,
    [GTR_EV_HEAP_OBJECT_FREE] = gtr_adv_alloc_free,
    [GTR_EV_GOROUTINE_STACK] = gtr_adv_alloc_free,
    [GTR_EV_GOROUTINE_STACK_ALLOC] = gtr_adv_alloc_free,
    [GTR_EV_GOROUTINE_STACK_FREE] = gtr_adv_alloc_free,
};

int gtr_order_advance(gtr_order_t *o, gtr_base_t *ev, gtr_gen_t *gen, int64_t m, long *mi_cache,
                      bool *ok)
{
    adv_t a = {o, ev, gen, m, gen->gen};
    *ok = false;
    if (o->initial_gen == 0) {
        o->initial_gen = gen->gen;
    }
    gtr_ctx_t cur = {GTR_NO_GOROUTINE, GTR_NO_PROC, m};
    long mi = -1;
    if (m != GTR_NO_THREAD) {
        /* Go creates the thread's state even if the event cannot advance. */
        mi = *mi_cache;
        if (mi < 0) {
            mi = gtr_om_find(o, m);
            if (mi < 0) {
                FORWARD_IF_ERROR(gtr_om_add(o, m, GTR_NO_GOROUTINE, GTR_NO_PROC, &mi));
            }
            *mi_cache = mi;
        }
        cur.p = o->ms[mi].p;
        cur.g = o->ms[mi].g;
    }
    gtr_handler_t f = dispatch[ev->typ];
    if (f == NULL) {
        return ORDER_ERR(&a, "bad event type found while ordering: %u", ev->typ);
    }
    gtr_ctx_t next = cur;
    FORWARD_IF_ERROR(f(&a, cur, &next, ok));
    if (*ok && mi >= 0) {
        /* By index: a handler may have grown o->ms. Field by field and only
         * when changed: a handler has just stored one 8-byte field of
         * `next`, and a 16-byte copy of both would wait for that store
         * (a failed store-to-load forward, some 7 % of the reader's time). */
        gtr_mstate_t *ms = &o->ms[mi];
        if (next.g != cur.g) {
            ms->g = next.g;
        }
        if (next.p != cur.p) {
            ms->p = next.p;
        }
    }
    return GTR_OK;
}

/* ----------------------------------------------------------------- dump */

typedef struct dumpbuf {
    char *p;
    size_t cap, len;
} dumpbuf_t;

/* Appends up to what fits, keeping the text NUL-terminated: the dump is
 * the whole text cut at cap - 1 bytes. Formatted by hand: a stuck trace
 * prints a line per goroutine, and fuzzers make many. */
static void dput(dumpbuf_t *d, const char *s, size_t n)
{
    size_t room = d->cap - 1 - d->len;
    if (n > room) {
        n = room;
    }
    memcpy(d->p + d->len, s, n);
    d->len += n;
    d->p[d->len] = '\0';
}

static void dstr(dumpbuf_t *d, const char *s) { dput(d, s, strlen(s)); }

static void ddec(dumpbuf_t *d, uint64_t v)
{
    char b[GTR_DEC_MAX];
    size_t n = gtr_format_dec(b, v);
    dput(d, b + GTR_DEC_MAX - n, n);
}

static void di64(dumpbuf_t *d, int64_t v)
{
    if (v < 0) {
        dput(d, "-", 1);
    }
    ddec(d, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

/* "<kind> <id> [status=<s> seq=<n> (gen=<g>)]" of a goroutine or proc. */
static void dstate(dumpbuf_t *d, const char *kind, int64_t id, const char *status,
                   gtr_seq_t seq)
{
    dstr(d, kind);
    di64(d, id);
    dstr(d, " [status=");
    dstr(d, status);
    dstr(d, " seq=");
    ddec(d, seq.seq);
    dstr(d, " (gen=");
    ddec(d, seq.gen);
    dstr(d, ")]\n");
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* Keys of a map, sorted (NULL if there are none or memory is short). */
static int64_t *sorted_keys(gtr_mem_t *m, const gtr_hmap_t *h, size_t *n)
{
    *n = 0;
    if (h->len == 0) {
        return NULL;
    }
    int64_t *k = gtr_mem_calloc(m, h->len, sizeof *k);
    if (k == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < h->cap; i++) {
        if (h->slot[i].used) {
            k[(*n)++] = (int64_t)h->slot[i].key;
        }
    }
    qsort(k, *n, sizeof *k, cmp_i64);
    return k;
}

void gtr_order_dump(const gtr_order_t *o, char *buf, size_t cap)
{
    static const char *const gc[] = {"Undetermined", "NotRunning", "Running"};
    dumpbuf_t d = {buf, cap, 0};
    size_t n;
    buf[0] = '\0';
    int64_t *k = sorted_keys(o->mem, &o->gmap, &n);
    for (size_t i = 0; i < n; i++) {
        gtr_gstate_t *g = gtr_og_get((gtr_order_t *)o, k[i]);
        dstate(&d, "G ", k[i], gtr_gstatus_str(g->status), g->seq);
    }
    gtr_mem_free(o->mem, k);
    dstr(&d, "\n");
    k = sorted_keys(o->mem, &o->pmap, &n);
    for (size_t i = 0; i < n; i++) {
        gtr_pstate_t *p = gtr_op_get((gtr_order_t *)o, k[i]);
        dstate(&d, "P ", k[i], gtr_pstatus_str(p->status), p->seq);
    }
    gtr_mem_free(o->mem, k);
    dstr(&d, "\n");
    for (size_t i = 0; i < o->nms; i++) {
        dstr(&d, "M ");
        di64(&d, o->ms[i].id);
        dstr(&d, " [g=");
        di64(&d, o->ms[i].g);
        dstr(&d, " p=");
        di64(&d, o->ms[i].p);
        dstr(&d, "]\n");
    }
    dstr(&d, "\n");
    dstr(&d, "GC ");
    ddec(&d, o->gc_seq);
    dstr(&d, " ");
    dstr(&d, o->gc_state < 3 ? gc[o->gc_state] : "Bad");
    dstr(&d, "\n");
}
