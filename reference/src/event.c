/* event.c: the public view of an event, as x/exp/trace's Event methods
 * present it: the kind of each wire type, stacks and frames, and the
 * details of each kind, with the values the ordering smuggled into unused
 * argument slots read back out. Also the last check Go makes on every
 * event it returns: that its stack and string IDs resolve. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const kind_names[GTR_KIND_COUNT] = {
    "Bad", "Sync", "Metric", "Label", "StackSample", "RangeBegin", "RangeActive", "RangeEnd",
    "TaskBegin", "TaskEnd", "RegionBegin", "RegionEnd", "Log", "StateTransition",
    "Experimental",
};

const char *gtr_kind_name(gtr_kind_t k)
{
    return (unsigned)k < GTR_KIND_COUNT ? kind_names[k] : kind_names[0];
}

const char *gtr_go_state_name(unsigned s)
{
    static const char *const n[] = {"Undetermined", "NotExist", "Runnable",
                                    "Running", "Waiting", "Syscall"};
    return s < 6 ? n[s] : "Bad";
}

const char *gtr_proc_state_name(unsigned s)
{
    static const char *const n[] = {"Undetermined", "NotExist", "Running", "Idle"};
    return s < 4 ? n[s] : "Bad";
}

gtr_kind_t gtr_kind_of(unsigned typ)
{
    switch (typ) {
    case GTR_TYP_SYNC: return GTR_KIND_SYNC;
    case GTR_EV_CPU_SAMPLE: return GTR_KIND_STACK_SAMPLE;
    case GTR_EV_PROCS_CHANGE: case GTR_EV_HEAP_ALLOC: case GTR_EV_HEAP_GOAL:
        return GTR_KIND_METRIC;
    case GTR_EV_PROC_START: case GTR_EV_PROC_STOP: case GTR_EV_PROC_STEAL:
    case GTR_EV_PROC_STATUS: case GTR_EV_GO_CREATE: case GTR_EV_GO_CREATE_SYSCALL:
    case GTR_EV_GO_START: case GTR_EV_GO_DESTROY: case GTR_EV_GO_DESTROY_SYSCALL:
    case GTR_EV_GO_STOP: case GTR_EV_GO_BLOCK: case GTR_EV_GO_UNBLOCK:
    case GTR_EV_GO_SYSCALL_BEGIN: case GTR_EV_GO_SYSCALL_END:
    case GTR_EV_GO_SYSCALL_END_BLOCKED: case GTR_EV_GO_STATUS: case GTR_EV_GO_SWITCH:
    case GTR_EV_GO_SWITCH_DESTROY: case GTR_EV_GO_CREATE_BLOCKED: case GTR_EV_GO_STATUS_STACK:
        return GTR_KIND_STATE_TRANSITION;
    case GTR_EV_STW_BEGIN: case GTR_EV_GC_BEGIN: case GTR_EV_GC_SWEEP_BEGIN:
    case GTR_EV_GC_MARK_ASSIST_BEGIN:
        return GTR_KIND_RANGE_BEGIN;
    case GTR_EV_GC_ACTIVE: case GTR_EV_GC_SWEEP_ACTIVE: case GTR_EV_GC_MARK_ASSIST_ACTIVE:
        return GTR_KIND_RANGE_ACTIVE;
    case GTR_EV_STW_END: case GTR_EV_GC_END: case GTR_EV_GC_SWEEP_END:
    case GTR_EV_GC_MARK_ASSIST_END:
        return GTR_KIND_RANGE_END;
    case GTR_EV_GO_LABEL: return GTR_KIND_LABEL;
    case GTR_EV_USER_TASK_BEGIN: return GTR_KIND_TASK_BEGIN;
    case GTR_EV_USER_TASK_END: return GTR_KIND_TASK_END;
    case GTR_EV_USER_REGION_BEGIN: return GTR_KIND_REGION_BEGIN;
    case GTR_EV_USER_REGION_END: return GTR_KIND_REGION_END;
    case GTR_EV_USER_LOG: return GTR_KIND_LOG;
    default:
        return gtr_ev_is_experimental(typ) ? GTR_KIND_EXPERIMENTAL : GTR_KIND_BAD;
    }
}

const char *gtr_ev_name(gtr_version_t v, unsigned typ, char *buf, size_t cap)
{
    const gtr_event_spec_t *s = gtr_spec(v, typ);
    if (s != NULL) {
        return s->name;
    }
    snprintf(buf, cap, "Invalid(%u)", typ);
    return buf;
}

/* s is gtr_spec_any of the event's type, which the caller has at hand. */
int gtr_event_validate(const gtr_event_t *ev, const gtr_event_spec_t *s, gtr_err_t *e)
{
    if (ev->base.typ == GTR_TYP_SYNC) {
        return GTR_OK;
    }
    if (s == NULL || ev->table == NULL) {
        return GTR_OK;
    }
    for (unsigned i = 0; i < s->n_stack_ids; i++) {
        uint64_t id = ev->base.args[s->stack_ids[i] - 1];
        RETURN_ERROR_IF(!gtr_tables_has_stack(&ev->table->t, id), e, GTR_ERR_MALFORMED,
                        "found invalid stack ID %llu for event %s", (unsigned long long)id,
                        s->name);
    }
    for (unsigned i = 0; i < s->n_string_ids; i++) {
        uint64_t id = ev->base.args[s->string_ids[i] - 1];
        RETURN_ERROR_IF(!gtr_tables_has_string(&ev->table->t, id), e, GTR_ERR_MALFORMED,
                        "found invalid string ID %llu for event %s", (unsigned long long)id,
                        s->name);
    }
    return GTR_OK;
}

/* ---------------------------------------------------------------- basics */

gtr_kind_t gtr_event_kind(const gtr_event_t *ev) { return gtr_kind_of(ev->base.typ); }
int64_t gtr_event_time(const gtr_event_t *ev) { return ev->base.time; }
int64_t gtr_event_goroutine(const gtr_event_t *ev) { return ev->ctx.g; }
int64_t gtr_event_proc(const gtr_event_t *ev) { return ev->ctx.p; }
int64_t gtr_event_thread(const gtr_event_t *ev) { return ev->ctx.m; }

unsigned gtr_event_wire_type(const gtr_event_t *ev)
{
    return ev->base.typ == GTR_TYP_SYNC ? GTR_EV_NONE : ev->base.typ;
}

size_t gtr_event_ctx_choices(const gtr_event_t *ev)
{
    /* The ProcStatus handler sets args[3] of every ProcStatus it queues. */
    return ev->base.typ == GTR_EV_PROC_STATUS && ev->base.args[3] > 1 ? (size_t)ev->base.args[3]
                                                                       : 1;
}

static gtr_stack_t no_stack(void)
{
    gtr_stack_t s = {NULL, 0, true};
    return s;
}

static gtr_stack_t stack_of(const gtr_event_t *ev, uint64_t id)
{
    gtr_stack_t s = {ev->table, id, false};
    return s;
}

gtr_stack_t gtr_event_stack(const gtr_event_t *ev)
{
    if (ev->base.typ == GTR_TYP_SYNC) {
        return no_stack();
    }
    if (ev->base.typ == GTR_EV_CPU_SAMPLE) {
        return stack_of(ev, ev->base.args[0]); /* even ID 0: not NoStack */
    }
    const gtr_event_spec_t *s = gtr_spec_any(ev->base.typ);
    if (s == NULL || s->n_stack_ids == 0) {
        return no_stack();
    }
    uint64_t id = ev->base.args[s->stack_ids[0] - 1];
    return id == 0 ? no_stack() : stack_of(ev, id);
}

/* The stack's PCs, or none (ID 0, or an ID Go would panic on). */
static const uint64_t *stack_pcs(gtr_stack_t st, size_t *n)
{
    const gtr_gen_t *g = st.table;
    uint64_t i;
    *n = 0;
    if (st.none || g == NULL || st.id == 0 || !gtr_idmap_get(&g->t.stacks, st.id, &i)) {
        return NULL;
    }
    *n = (size_t)g->t.stk[i].len;
    return *n == 0 ? NULL : g->t.pcs + g->t.stk[i].off;
}

size_t gtr_stack_nframes(gtr_stack_t s)
{
    size_t n;
    stack_pcs(s, &n);
    return n;
}

bool gtr_stack_frame(gtr_stack_t s, size_t i, gtr_frame_t *out)
{
    size_t n;
    const uint64_t *pcs = stack_pcs(s, &n);
    memset(out, 0, sizeof *out);
    out->func.ptr = out->file.ptr = (const uint8_t *)"";
    if (i >= n) {
        return false;
    }
    const gtr_gen_t *g = s.table;
    uint64_t fi;
    out->pc = pcs[i];
    if (gtr_hmap_get(&g->t.frames, pcs[i], &fi)) {
        const gtr_frame_rec_t *f = &g->t.frame[fi];
        out->pc = f->pc;
        out->line = f->line;
        gtr_tables_string(&g->t, f->func_id, &out->func);
        gtr_tables_string(&g->t, f->file_id, &out->file);
    }
    return true;
}
