/* order_misc.c: ordering handlers for everything that is not scheduling:
 * the GC cycle (with its global sequence number), sweep and mark-assist
 * ranges, stop-the-world ranges, metrics, labels and logs, tasks and
 * regions, and the experimental alloc/free events. Mirrors Go's order.go
 * handler for handler. */
#include <string.h>

#include "order_int.h"

static void *ptr_of(uint64_t v) { return (void *)(uintptr_t)v; }

/* Tasks may begin and end in different generations, so their names are
 * copied out of the generation's table. */
static int copy_bytes(gtr_order_t *o, gtr_str_t s, uint8_t **out)
{
    *out = NULL;
    if (s.len == 0) {
        return GTR_OK;
    }
    *out = gtr_mem_alloc(o->mem, s.len);
    if (*out == NULL) {
        return gtr_err_mem(o->err, o->mem, "names");
    }
    memcpy(*out, s.ptr, s.len);
    return GTR_OK;
}

static int lookup_name(adv_t *a, uint64_t id, gtr_str_t *out)
{
    if (!gtr_tables_string(&a->evt->t, id, out)) {
        return ORDER_ERR(a, "invalid string ID %llu for %u event", ULL(id), a->ev->typ);
    }
    return GTR_OK;
}

int gtr_adv_task_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_base_t *ev = a->ev;
    uint64_t id = ev->args[0], v;
    if (gtr_hmap_get(&a->o->tmap, id, &v)) {
        return ORDER_ERR(a, "task ID conflict: %llu", ULL(id));
    }
    /* Parent 0 means "no parent" here, not the background task. */
    uint64_t parent = ev->args[1];
    if (parent == GTR_BACKGROUND_TASK) {
        parent = GTR_NO_TASK;
        ev->args[1] = GTR_NO_TASK;
    }
    gtr_str_t name;
    FORWARD_IF_ERROR(lookup_name(a, ev->args[2], &name));
    gtr_task_rec_t *t = gtr_mem_calloc(a->o->mem, 1, sizeof *t);
    if (t == NULL || gtr_hmap_put(&a->o->tmap, a->o->mem, id, (uintptr_t)t) != GTR_OK) {
        gtr_mem_free(a->o->mem, t);
        return gtr_err_mem(a->o->err, a->o->mem, "tasks");
    }
    t->id = id;
    t->parent = parent;
    t->len = name.len;
    FORWARD_IF_ERROR(copy_bytes(a->o, name, &t->name));
    FORWARD_IF_ERROR(USER_GO(a, cur));
    *ok = true;
    return gtr_oq_push(a, cur, ev);
}

int gtr_adv_task_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_base_t *ev = a->ev;
    uint64_t id = ev->args[0], v;
    if (gtr_hmap_get(&a->o->tmap, id, &v)) {
        /* Carry the task's parent and type into this generation. */
        gtr_task_rec_t *t = ptr_of(v);
        uint64_t xid;
        int rc = gtr_tables_add_extra(&a->evt->t, a->o->mem, t->name, t->len, &xid);
        if (rc != GTR_OK) {
            return gtr_err_mem(a->o->err, a->o->mem, "task names");
        }
        ev->args[2] = t->parent;
        ev->args[3] = xid;
        gtr_hmap_del(&a->o->tmap, id);
        gtr_mem_free(a->o->mem, t->name);
        gtr_mem_free(a->o->mem, t);
    } else {
        ev->args[2] = GTR_NO_TASK;
        ev->args[3] = 0;
    }
    FORWARD_IF_ERROR(USER_GO(a, cur));
    *ok = true;
    return gtr_oq_push(a, cur, ev);
}

static int region_state(adv_t *a, gtr_ctx_t cur, const char *which, gtr_str_t *name,
                        gtr_gstate_t **g)
{
    FORWARD_IF_ERROR(USER_GO(a, cur));
    FORWARD_IF_ERROR(lookup_name(a, a->ev->args[1], name));
    *g = gtr_og_get(a->o, cur.g);
    if (*g == NULL) {
        return ORDER_ERR(a, "encountered %s without known state for current goroutine %lld",
                         which, LL(cur.g));
    }
    return GTR_OK;
}

int gtr_adv_region_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_str_t name;
    gtr_gstate_t *g;
    FORWARD_IF_ERROR(region_state(a, cur, "EvUserRegionBegin", &name, &g));
    if (gtr_mem_grow(a->o->mem, (void **)&g->regions, &g->regions_cap, g->nregions + 1,
                     sizeof *g->regions) != GTR_OK) {
        return gtr_err_mem(a->o->err, a->o->mem, "regions");
    }
    gtr_region_rec_t *r = &g->regions[g->nregions];
    r->task = a->ev->args[0];
    r->len = name.len;
    FORWARD_IF_ERROR(copy_bytes(a->o, name, &r->name));
    g->nregions++;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_region_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_str_t name;
    gtr_gstate_t *g;
    FORWARD_IF_ERROR(region_state(a, cur, "EvUserRegionEnd", &name, &g));
    uint64_t tid = a->ev->args[0];
    /* Regions begun before the trace started are unknown: no check. */
    if (g->nregions != 0) {
        gtr_region_rec_t *top = &g->regions[g->nregions - 1];
        if (top->task != tid || top->len != name.len ||
            (name.len != 0 && memcmp(top->name, name.ptr, name.len) != 0)) {
            gtr_err_t *e = a->o->err;
            ORDER_ERR(a, "misuse of region in goroutine %lld: region end {%llu ", LL(g->id),
                      ULL(tid));
            gtr_err_append(e, name.ptr, name.len);
            gtr_err_appendf(e, "} when the inner-most active region start event is {%llu ",
                            ULL(top->task));
            gtr_err_append(e, top->name, top->len);
            gtr_err_append(e, "}", 1);
            return GTR_ERR_ORDER;
        }
        gtr_mem_free(a->o->mem, top->name);
        g->nregions--;
    }
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

/* GC mark phase: begin and end carry a global sequence number because they
 * may happen on different threads. */
int gtr_adv_gc_active(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_order_t *o = a->o;
    uint64_t seq = a->ev->args[0];
    if (a->gen == o->initial_gen) {
        if (o->gc_state != GC_UNDETERMINED) {
            return ORDER_ERR(a, "GCActive in the first generation isn't first GC event");
        }
        o->gc_seq = seq;
        o->gc_state = GC_RUNNING;
        *ok = true;
        return gtr_oq_push(a, cur, a->ev);
    }
    if (seq != o->gc_seq + 1) {
        return GTR_OK;
    }
    if (o->gc_state != GC_RUNNING) {
        return ORDER_ERR(a, "encountered GCActive while GC was not in progress");
    }
    o->gc_seq = seq;
    FORWARD_IF_ERROR(USER_GO(a, cur));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_gc_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_order_t *o = a->o;
    uint64_t seq = a->ev->args[0];
    if (o->gc_state == GC_UNDETERMINED) {
        o->gc_seq = seq;
        o->gc_state = GC_RUNNING;
        *ok = true;
        return gtr_oq_push(a, cur, a->ev);
    }
    if (seq != o->gc_seq + 1) {
        return GTR_OK;
    }
    if (o->gc_state == GC_RUNNING) {
        return ORDER_ERR(a, "encountered GCBegin while GC was already in progress");
    }
    o->gc_seq = seq;
    o->gc_state = GC_RUNNING;
    FORWARD_IF_ERROR(USER_GO(a, cur));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_gc_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_order_t *o = a->o;
    uint64_t seq = a->ev->args[0];
    if (seq != o->gc_seq + 1) {
        return GTR_OK;
    }
    if (o->gc_state == GC_NOT_RUNNING) {
        return ORDER_ERR(a, "encountered GCEnd when GC was not in progress");
    }
    if (o->gc_state == GC_UNDETERMINED) {
        return ORDER_ERR(a, "encountered GCEnd when GC was in an undetermined state");
    }
    o->gc_seq = seq;
    o->gc_state = GC_NOT_RUNNING;
    FORWARD_IF_ERROR(USER_GO(a, cur));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_annotation(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    FORWARD_IF_ERROR(USER_GO(a, cur));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_heap_metric(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MUST, MAY));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

/* The current P's state: Go indexes its map directly here, trusting that
 * a P bound to a thread always has a state. */
static int cur_proc(adv_t *a, gtr_ctx_t cur, gtr_pstate_t **p)
{
    *p = gtr_op_get(a->o, cur.p);
    if (*p == NULL) {
        return gtr_err_set(a->o->err, GTR_ERR_INTERNAL,
                           "internal error: no state for current proc %lld", LL(cur.p));
    }
    return GTR_OK;
}

int gtr_adv_sweep_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_pstate_t *p;
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MUST, MAY));
    FORWARD_IF_ERROR(cur_proc(a, cur, &p));
    FORWARD_IF_ERROR(gtr_range_begin(a, &p->ranges, gtr_range_type(a->ev->typ, 0)));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_sweep_active(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    int64_t pid = (int64_t)a->ev->args[0];
    gtr_pstate_t *p = gtr_op_get(a->o, pid);
    if (p == NULL) {
        return ORDER_ERR(a, "encountered GCSweepActive for unknown proc %lld", LL(pid));
    }
    FORWARD_IF_ERROR(gtr_range_active(a, &p->ranges, gtr_range_type(a->ev->typ, 0),
                                      a->gen == a->o->initial_gen));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_sweep_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_pstate_t *p;
    uint64_t desc;
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MUST, MAY));
    FORWARD_IF_ERROR(cur_proc(a, cur, &p));
    FORWARD_IF_ERROR(gtr_range_end(a, &p->ranges, a->ev->typ, &desc));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_go_range_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    FORWARD_IF_ERROR(USER_GO(a, cur));
    uint64_t desc = a->ev->typ == GTR_EV_STW_BEGIN ? a->ev->args[0] : 0;
    gtr_gstate_t *g = gtr_og_get(a->o, cur.g);
    if (g == NULL) {
        return ORDER_ERR(a, "encountered event of type %u without known state for current "
                            "goroutine %lld", a->ev->typ, LL(cur.g));
    }
    FORWARD_IF_ERROR(gtr_range_begin(a, &g->ranges, gtr_range_type(a->ev->typ, desc)));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_go_range_active(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    /* Like GoStatus, this may name a goroutine that is not running. */
    int64_t gid = (int64_t)a->ev->args[0];
    gtr_gstate_t *g = gtr_og_get(a->o, gid);
    if (g == NULL) {
        return ORDER_ERR(a, "uninitialized goroutine %lld found during %s", LL(gid),
                         gtr_oev_name(a, a->ev->typ));
    }
    FORWARD_IF_ERROR(gtr_range_active(a, &g->ranges, gtr_range_type(a->ev->typ, 0),
                                      a->gen == a->o->initial_gen));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_go_range_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    FORWARD_IF_ERROR(USER_GO(a, cur));
    gtr_gstate_t *g = gtr_og_get(a->o, cur.g);
    if (g == NULL) {
        return ORDER_ERR(a, "encountered event of type %u without known state for current "
                            "goroutine %lld", a->ev->typ, LL(cur.g));
    }
    uint64_t desc;
    FORWARD_IF_ERROR(gtr_range_end(a, &g->ranges, a->ev->typ, &desc));
    if (a->ev->typ == GTR_EV_STW_END) {
        a->ev->args[0] = desc; /* the STW kind, for the range's name */
    }
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_alloc_free(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MAY, MAY));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}
