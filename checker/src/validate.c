/* validate.c: the checks Go's trace tests run on every event they read
 * (x/exp's trace/internal/testtrace/validation.go), written again over the
 * checker's records: time order, stack frames, Sync numbers and clocks,
 * metrics, labels, ranges and tasks. State transitions are in
 * validate_sched.c. The rules and their order follow the Go oracle's
 * validate.go, so both flag the same events with the same sentences.
 *
 * Where this differs from Go's validator, by design (docs/invariants.md):
 * state of a goroutine or proc that died is dropped at the next Sync and a
 * thread's context when it runs nothing, so memory stays bounded by live
 * resources. Go's answers differ only for events about resources dead since
 * an earlier generation, which Go's reader never delivers. */
#include <string.h>

#include "gtc_internal.h"

/* Seconds between year 1 and 1970, as Go's time package keeps wall time. */
#define UNIX_TO_INTERNAL 62135596800ull

int gtc_validator_init(gtc_validator_t *v, gtc_mem_t *mem)
{
    memset(v, 0, sizeof *v);
    gtc_map_init(&v->gs, mem, sizeof(gtc_vres_t));
    gtc_map_init(&v->ps, mem, sizeof(gtc_vres_t));
    gtc_map_init(&v->ms, mem, sizeof(gtc_vthread_t));
    for (int i = 0; i < 4; i++) {
        gtc_map_init(&v->ranges[i], mem, sizeof(gtc_ranges_t));
    }
    gtc_map_init(&v->tasks, mem, sizeof(gtc_bytes_t));
    return GTC_OK;
}

static void free_ranges(gtc_ranges_t *rs, gtc_mem_t *mem)
{
    for (size_t i = 0; i < rs->n; i++) {
        gtc_mem_free(mem, rs->names[i].p, rs->names[i].len + 1);
    }
    gtc_mem_free(mem, rs->names, rs->cap * sizeof *rs->names);
    memset(rs, 0, sizeof *rs);
}

void gtc_validator_free(gtc_validator_t *v, gtc_mem_t *mem)
{
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < v->ranges[k].cap; i++) {
            gtc_ranges_t *rs = gtc_map_slot(&v->ranges[k], i, NULL);
            if (rs != NULL) {
                free_ranges(rs, mem);
            }
        }
        gtc_map_free(&v->ranges[k]);
    }
    for (size_t i = 0; i < v->tasks.cap; i++) {
        gtc_bytes_t *t = gtc_map_slot(&v->tasks, i, NULL);
        if (t != NULL) {
            gtc_mem_free(mem, t->p, t->len + 1);
        }
    }
    gtc_map_free(&v->tasks);
    for (int i = 0; i < 2; i++) {
        gtc_mem_free(mem, v->dead[i].v, v->dead[i].cap * sizeof *v->dead[i].v);
    }
    gtc_map_free(&v->gs);
    gtc_map_free(&v->ps);
    gtc_map_free(&v->ms);
}

/* Dead goroutines and procs are forgotten at a generation boundary; the
 * lists of those that died make that cost what the generation did, not
 * what is alive. An ID that came back to life since is kept. */
static void prune_dead(gtc_map_t *m, gtc_ids_t *dead)
{
    for (size_t i = 0; i < dead->n; i++) {
        const gtc_vres_t *st = gtc_map_get(m, (uint64_t)dead->v[i]);
        if (st != NULL && st->state == GTR_GO_NOT_EXIST) {
            gtc_map_del(m, (uint64_t)dead->v[i]);
        }
    }
    dead->n = 0;
}

void gtc_validator_prune(gtc_validator_t *v, gtc_mem_t *mem)
{
    prune_dead(&v->gs, &v->dead[0]);
    prune_dead(&v->ps, &v->dead[1]);
    for (int i = 0; i < 2; i++) {
        /* A burst of deaths does not keep its list's memory forever. */
        if (v->dead[i].cap > 1024) {
            gtc_mem_free(mem, v->dead[i].v, v->dead[i].cap * sizeof *v->dead[i].v);
            memset(&v->dead[i], 0, sizeof v->dead[i]);
        }
    }
}

bool gtc_ids_push(gtc_ids_t *ids, gtc_mem_t *mem, int64_t id)
{
    if (ids->n == ids->cap) {
        size_t ncap = ids->cap == 0 ? 16 : ids->cap * 2;
        int64_t *nv = gtc_mem_realloc(mem, ids->v, ids->cap * sizeof *nv, ncap * sizeof *nv);
        if (nv == NULL) {
            return false;
        }
        ids->v = nv;
        ids->cap = ncap;
    }
    ids->v[ids->n++] = id;
    return true;
}

/* ------------------------------------------------------------ per event */

/* An out-of-order time does not become the new reference, as in Go. */
static void check_time(gtc_checker_t *c, const gtc_record_t *r)
{
    gtc_validator_t *v = &c->v;
    if (v->last_ts != 0 && r->time <= v->last_ts) {
        gtc_report(c, gtc_event_res(r), c->index, M_TIME_ORDER, (long long)v->last_ts,
                   gtr_kind_name(r->kind), (long long)r->time);
        return;
    }
    v->last_ts = r->time;
}

static bool frame_incomplete(const gtr_frame_t *f)
{
    return f->func.len == 0 || f->file.len == 0 || f->pc == 0 || f->line == 0;
}

/* Every frame but the first is complete. A stack already seen in this
 * generation with no bad frame is not walked again. */
void gtc_validate_check_stack(gtc_checker_t *c, const gtc_record_t *r, const gtc_stackref_t *s)
{
    if (s->none) {
        return;
    }
    const gtc_stackseen_t *seen = gtc_stack_seen(c, r, s);
    if (seen != NULL && !seen->validate_bad) {
        return;
    }
    size_t n = gtc_stack_nframes(s);
    for (size_t i = 1; i < n; i++) {
        gtr_frame_t f;
        if (!gtc_stack_frame(s, i, &f) || !frame_incomplete(&f)) {
            continue;
        }
        char fn[96], file[96];
        gtc_report(c, gtc_event_res(r), c->index, M_STACK_FRAME, (unsigned long long)f.pc,
                   gtc_quote(fn, sizeof fn, f.func.ptr, f.func.len),
                   gtc_quote(file, sizeof file, f.file.ptr, f.file.len),
                   (unsigned long long)f.line);
    }
}

/* Go's time.Time keeps seconds since year 1; After compares those (with
 * int64 wraparound), and UnixNano multiplies with wraparound too. */
static int64_t internal_sec(int64_t unix_sec) { return (int64_t)((uint64_t)unix_sec + UNIX_TO_INTERNAL); }

static int64_t unix_nano(int64_t sec, int32_t nsec)
{
    return (int64_t)((uint64_t)sec * 1000000000ull + (uint64_t)(int64_t)nsec);
}

static bool wall_after(const gtc_syncinfo_t *a, const gtc_syncinfo_t *b)
{
    int64_t as = internal_sec(a->wall_sec), bs = internal_sec(b->wall_sec);
    return as > bs || (as == bs && a->wall_nsec > b->wall_nsec);
}

static void check_clock(gtc_checker_t *c, const gtc_syncinfo_t *s)
{
    gtr_resource_t none = gtc_res(GTR_RESOURCE_NONE, 0);
    unsigned long long n = s->n;
    if (!s->has_clock) {
        gtc_report(c, none, c->index, M_SYNC_NO_CLOCK, n);
        return;
    }
    if (internal_sec(s->wall_sec) == 0 && s->wall_nsec == 0) {
        gtc_report(c, none, c->index, M_SYNC_ZERO_WALL, n);
    }
    if (s->mono == 0) {
        gtc_report(c, none, c->index, M_SYNC_ZERO_MONO, n);
    }
    if (s->trace == 0) {
        gtc_report(c, none, c->index, M_SYNC_ZERO_TRACE, n);
    }
    const gtc_syncinfo_t *prev = &c->v.last_sync;
    /* Go's validator would dereference a missing previous snapshot; the
     * oracle skips, and so do we. */
    if (s->n < 2 || !prev->has_clock) {
        return;
    }
    if (!wall_after(s, prev)) {
        gtc_report(c, none, c->index, M_SYNC_WALL_NONINC, n,
                   (long long)unix_nano(s->wall_sec, s->wall_nsec),
                   (long long)unix_nano(prev->wall_sec, prev->wall_nsec));
    }
    if (s->mono <= prev->mono) {
        gtc_report(c, none, c->index, M_SYNC_MONO_NONINC, n, (unsigned long long)s->mono,
                   (unsigned long long)prev->mono);
    }
    if (s->trace <= prev->trace) {
        gtc_report(c, none, c->index, M_SYNC_TRACE_NONINC, n, (long long)s->trace,
                   (long long)prev->trace);
    }
}

/* The reader's synthetic last Sync (N > 1, no snapshot) has no clock to
 * check. */
static void check_sync(gtc_checker_t *c, const gtc_record_t *r)
{
    gtc_syncinfo_t s;
    memset(&s, 0, sizeof s);
    s.n = r->sync.n;
    s.has_clock = r->sync.has_clock;
    s.trace = r->sync.clock_trace;
    s.wall_sec = r->sync.wall_sec;
    s.wall_nsec = r->sync.wall_nsec;
    s.mono = r->sync.mono;
    if (s.n != c->v.last_sync.n + 1) {
        gtc_report(c, gtc_res(GTR_RESOURCE_NONE, 0), c->index, M_SYNC_SEQ,
                   (unsigned long long)(c->v.last_sync.n + 1), (unsigned long long)s.n);
    }
    if (c->version >= GTR_GO125 && !(s.n > 1 && !s.has_clock)) {
        check_clock(c, &s);
    }
    c->v.last_sync = s;
}

static void check_metric(gtc_checker_t *c, const gtc_record_t *r)
{
    const gtr_metric_t *m = &r->metric;
    if (m->name.len == 0 || memchr(m->name.ptr, ':', m->name.len) == NULL) {
        /* runtime/metrics names carry their unit after a colon. */
        char q[128];
        gtc_report(c, gtc_event_res(r), c->index, M_METRIC_NAME,
                   gtc_quote(q, sizeof q, m->name.ptr, m->name.len));
    }
    if (m->value.kind == GTR_VALUE_BAD) {
        gtc_report(c, gtc_event_res(r), c->index, M_METRIC_VALUE);
    }
}

static void check_label(gtc_checker_t *c, const gtc_record_t *r)
{
    const gtr_label_t *l = &r->label;
    char buf[128];
    if (l->label.len == 0) {
        gtc_report(c, l->resource, c->index, M_LABEL_EMPTY, gtc_quote(buf, sizeof buf, l->label.ptr, 0));
    }
    bool known = true;
    uint64_t id = (uint64_t)l->resource.id;
    switch (l->resource.kind) {
    case GTR_RESOURCE_NONE: gtc_report(c, l->resource, c->index, M_LABEL_NONE); break;
    case GTR_RESOURCE_GOROUTINE: known = gtc_map_get(&c->v.gs, id) != NULL; break;
    case GTR_RESOURCE_PROC: known = gtc_map_get(&c->v.ps, id) != NULL; break;
    case GTR_RESOURCE_THREAD: known = gtc_map_get(&c->v.ms, id) != NULL; break;
    }
    if (!known) {
        gtc_report(c, l->resource, c->index, M_LABEL_UNKNOWN,
                   gtc_resource_str(buf, sizeof buf, l->resource));
    }
}

/* ---------------------------------------------------------------- ranges */

static gtc_map_t *range_map(gtc_validator_t *v, gtr_resource_t res)
{
    return &v->ranges[(unsigned)res.kind < 4 ? (unsigned)res.kind : 0];
}

/* Byte strings may be (NULL, 0) in a hand-made record; memcmp and memcpy
 * must not see NULL even for zero bytes. */
static bool bytes_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static void bytes_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
    if (n > 0) {
        memcpy(dst, src, n);
    }
}

static long range_index(const gtc_ranges_t *rs, gtr_str_t name)
{
    for (size_t i = 0; rs != NULL && i < rs->n; i++) {
        if (bytes_eq(rs->names[i].p, rs->names[i].len, name.ptr, name.len)) {
            return (long)i;
        }
    }
    return -1;
}

bool gtc_validate_has_ranges(const gtc_validator_t *v, gtr_resource_t res)
{
    const gtc_ranges_t *rs = gtc_map_get(range_map((gtc_validator_t *)v, res), (uint64_t)res.id);
    return rs != NULL && rs->n > 0;
}

static void range_add(gtc_checker_t *c, gtr_resource_t res, gtr_str_t name)
{
    gtc_ranges_t *rs = gtc_map_put(range_map(&c->v, res), (uint64_t)res.id, NULL);
    if (rs == NULL) {
        return;
    }
    if (rs->n == rs->cap) {
        size_t ncap = rs->cap == 0 ? 2 : rs->cap * 2;
        gtc_bytes_t *nn = gtc_mem_realloc(&c->mem, rs->names, rs->cap * sizeof *nn, ncap * sizeof *nn);
        if (nn == NULL) {
            return;
        }
        rs->names = nn;
        rs->cap = ncap;
    }
    uint8_t *p = gtc_mem_alloc(&c->mem, name.len + 1);
    if (p == NULL) {
        return;
    }
    bytes_copy(p, name.ptr, name.len);
    rs->names[rs->n].p = p;
    rs->names[rs->n].len = name.len;
    rs->n++;
}

static void range_delete(gtc_checker_t *c, gtr_resource_t res, gtr_str_t name)
{
    gtc_map_t *m = range_map(&c->v, res);
    gtc_ranges_t *rs = gtc_map_get(m, (uint64_t)res.id);
    long i = range_index(rs, name);
    if (i < 0) {
        return;
    }
    gtc_mem_free(&c->mem, rs->names[i].p, rs->names[i].len + 1);
    memmove(&rs->names[i], &rs->names[i + 1], (rs->n - (size_t)i - 1) * sizeof *rs->names);
    if (--rs->n == 0) {
        free_ranges(rs, &c->mem);
        gtc_map_del(m, (uint64_t)res.id);
    }
}

static void check_range(gtc_checker_t *c, const gtc_record_t *r)
{
    const gtr_range_t *g = &r->range;
    gtr_str_t name = g->name;
    bool active = range_index(gtc_map_get(range_map(&c->v, g->scope), (uint64_t)g->scope.id), name) >= 0;
    char q[128], res[64];
    switch (r->kind) {
    case GTR_KIND_RANGE_BEGIN:
        if (active) {
            gtc_report(c, g->scope, c->index, M_RANGE_BEGUN, gtc_quote(q, sizeof q, name.ptr, name.len),
                       gtc_resource_str(res, sizeof res, g->scope));
        }
        range_add(c, g->scope, name);
        break;
    case GTR_KIND_RANGE_ACTIVE:
        if (!active) {
            range_add(c, g->scope, name);
        }
        break;
    default:
        if (!active) {
            gtc_report(c, g->scope, c->index, M_RANGE_INACTIVE, gtc_quote(q, sizeof q, name.ptr, name.len),
                       gtc_resource_str(res, sizeof res, g->scope));
            return;
        }
        range_delete(c, g->scope, name);
        break;
    }
}

/* ----------------------------------------------------------------- tasks */

static void task_begin(gtc_checker_t *c, const gtc_record_t *r)
{
    const gtr_task_t *t = &r->task;
    char q[128];
    if (t->id == GTR_NO_TASK || t->id == GTR_BACKGROUND_TASK) {
        gtc_report(c, gtc_event_res(r), c->index, M_TASK_ID, gtc_quote(q, sizeof q, t->type.ptr, t->type.len));
    }
    if (t->parent == GTR_BACKGROUND_TASK) {
        gtc_report(c, gtc_event_res(r), c->index, M_TASK_PARENT,
                   gtc_quote(q, sizeof q, t->type.ptr, t->type.len));
    }
    gtc_bytes_t *typ = gtc_map_put(&c->v.tasks, t->id, NULL);
    if (typ == NULL) {
        return;
    }
    gtc_mem_free(&c->mem, typ->p, typ->len + 1);
    typ->len = t->type.len;
    typ->p = gtc_mem_alloc(&c->mem, typ->len + 1);
    if (typ->p == NULL) {
        /* Out of memory: the checker stops at this event anyway. */
        gtc_map_del(&c->v.tasks, t->id);
        return;
    }
    bytes_copy(typ->p, t->type.ptr, t->type.len);
}

/* Only tasks whose begin was seen: a task may have begun before the trace. */
static void task_end(gtc_checker_t *c, const gtc_record_t *r)
{
    const gtr_task_t *t = &r->task;
    gtc_bytes_t *typ = gtc_map_get(&c->v.tasks, t->id);
    if (typ == NULL) {
        return;
    }
    size_t tlen = typ->len;
    if (!bytes_eq(typ->p, tlen, t->type.ptr, t->type.len)) {
        char q1[128], q2[128];
        gtc_report(c, gtc_event_res(r), c->index, M_TASK_END_TYPE,
                   gtc_quote(q1, sizeof q1, t->type.ptr, t->type.len), gtc_quote(q2, sizeof q2, typ->p, tlen),
                   (unsigned long long)t->id);
    }
    gtc_mem_free(&c->mem, typ->p, typ->len + 1);
    gtc_map_del(&c->v.tasks, t->id);
}

void gtc_validate(gtc_checker_t *c, const gtc_record_t *r)
{
    check_time(c, r);
    gtc_validate_check_stack(c, r, &r->stack);
    switch (r->kind) {
    case GTR_KIND_SYNC: check_sync(c, r); break;
    case GTR_KIND_METRIC: check_metric(c, r); break;
    case GTR_KIND_LABEL: check_label(c, r); break;
    case GTR_KIND_STATE_TRANSITION:
        gtc_validate_check_stack(c, r, &r->transition.stack);
        gtc_validate_transition(c, r);
        break;
    case GTR_KIND_RANGE_BEGIN:
    case GTR_KIND_RANGE_ACTIVE:
    case GTR_KIND_RANGE_END: check_range(c, r); break;
    case GTR_KIND_TASK_BEGIN: task_begin(c, r); break;
    case GTR_KIND_TASK_END: task_end(c, r); break;
    default: break;
    }
}
