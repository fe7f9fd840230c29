/* event_details.c: the kind-specific accessors of an event (Metric, Label,
 * Range, Task, Region, Log, StateTransition, Sync, Experimental), reading
 * the same argument slots Go's Event methods read. Where Go would panic on
 * a lookup (an ID from another generation's table, say), these return an
 * empty string instead. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static gtr_str_t cstr(const char *s)
{
    gtr_str_t r = {(const uint8_t *)s, strlen(s)};
    return r;
}

static gtr_str_t table_str(const gtr_event_t *ev, uint64_t id)
{
    gtr_str_t s = {(const uint8_t *)"", 0};
    if (ev->table != NULL) {
        gtr_tables_string(&ev->table->t, id, &s);
    }
    return s;
}

static gtr_value_t u64_value(uint64_t v)
{
    gtr_value_t x;
    memset(&x, 0, sizeof x);
    x.kind = GTR_VALUE_UINT64;
    x.u64 = v;
    return x;
}

static gtr_resource_t resource(gtr_resource_kind_t k, int64_t id)
{
    gtr_resource_t r = {k, id};
    return r;
}

bool gtr_event_metric(const gtr_event_t *ev, gtr_metric_t *out)
{
    memset(out, 0, sizeof *out);
    switch (ev->base.typ) {
    case GTR_EV_PROCS_CHANGE: out->name = cstr("/sched/gomaxprocs:threads"); break;
    case GTR_EV_HEAP_ALLOC: out->name = cstr("/memory/classes/heap/objects:bytes"); break;
    case GTR_EV_HEAP_GOAL: out->name = cstr("/gc/heap/goal:bytes"); break;
    default: return false;
    }
    out->value = u64_value(ev->base.args[0]);
    return true;
}

bool gtr_event_label(const gtr_event_t *ev, gtr_label_t *out)
{
    memset(out, 0, sizeof *out);
    if (ev->base.typ != GTR_EV_GO_LABEL) {
        return false;
    }
    out->label = table_str(ev, ev->base.args[0]);
    out->resource = resource(GTR_RESOURCE_GOROUTINE, ev->ctx.g);
    return true;
}

/* "stop-the-world (<kind>)", built in the reader's scratch space. */
static gtr_str_t stw_name(const gtr_event_t *ev)
{
    gtr_str_t kind = table_str(ev, ev->base.args[0]);
    char *buf = ev->r != NULL ? ev->r->scratch : NULL;
    if (buf == NULL || kind.len > sizeof ev->r->scratch - 20) {
        return cstr("stop-the-world ()");
    }
    size_t n = 0;
    memcpy(buf, "stop-the-world (", 16);
    n = 16;
    memcpy(buf + n, kind.ptr, kind.len);
    n += kind.len;
    buf[n++] = ')';
    gtr_str_t s = {(const uint8_t *)buf, n};
    return s;
}

bool gtr_event_range(const gtr_event_t *ev, gtr_range_t *out)
{
    memset(out, 0, sizeof *out);
    uint8_t t = ev->base.typ;
    switch (t) {
    case GTR_EV_STW_BEGIN: case GTR_EV_STW_END:
        out->name = stw_name(ev);
        out->scope = resource(GTR_RESOURCE_GOROUTINE, ev->ctx.g);
        break;
    case GTR_EV_GC_BEGIN: case GTR_EV_GC_ACTIVE: case GTR_EV_GC_END:
        out->name = cstr("GC concurrent mark phase");
        out->scope = resource(GTR_RESOURCE_NONE, 0);
        break;
    case GTR_EV_GC_SWEEP_BEGIN: case GTR_EV_GC_SWEEP_ACTIVE: case GTR_EV_GC_SWEEP_END:
        out->name = cstr("GC incremental sweep");
        out->scope = resource(GTR_RESOURCE_PROC, t == GTR_EV_GC_SWEEP_ACTIVE
                                                     ? (int64_t)ev->base.args[0] : ev->ctx.p);
        break;
    case GTR_EV_GC_MARK_ASSIST_BEGIN: case GTR_EV_GC_MARK_ASSIST_ACTIVE:
    case GTR_EV_GC_MARK_ASSIST_END:
        out->name = cstr("GC mark assist");
        out->scope = resource(GTR_RESOURCE_GOROUTINE, t == GTR_EV_GC_MARK_ASSIST_ACTIVE
                                                          ? (int64_t)ev->base.args[0] : ev->ctx.g);
        break;
    default:
        return false;
    }
    if (t == GTR_EV_GC_SWEEP_END) {
        out->nattrs = 2;
        out->attrs[0].name = cstr("bytes swept");
        out->attrs[0].value = u64_value(ev->base.args[0]);
        out->attrs[1].name = cstr("bytes reclaimed");
        out->attrs[1].value = u64_value(ev->base.args[1]);
    }
    return true;
}

bool gtr_event_task(const gtr_event_t *ev, gtr_task_t *out)
{
    memset(out, 0, sizeof *out);
    out->id = ev->base.args[0];
    if (ev->base.typ == GTR_EV_USER_TASK_BEGIN) {
        out->parent = ev->base.args[1];
        out->type = table_str(ev, ev->base.args[2]);
    } else if (ev->base.typ == GTR_EV_USER_TASK_END) {
        out->parent = ev->base.args[2];
        out->type = ev->table != NULL ? gtr_tables_extra(&ev->table->t, ev->base.args[3])
                                      : cstr("");
    } else {
        memset(out, 0, sizeof *out);
        return false;
    }
    return true;
}

bool gtr_event_region(const gtr_event_t *ev, gtr_region_t *out)
{
    memset(out, 0, sizeof *out);
    if (ev->base.typ != GTR_EV_USER_REGION_BEGIN && ev->base.typ != GTR_EV_USER_REGION_END) {
        return false;
    }
    out->task = ev->base.args[0];
    out->type = table_str(ev, ev->base.args[1]);
    return true;
}

bool gtr_event_log(const gtr_event_t *ev, gtr_log_t *out)
{
    memset(out, 0, sizeof *out);
    if (ev->base.typ != GTR_EV_USER_LOG) {
        return false;
    }
    out->task = ev->base.args[0];
    out->category = table_str(ev, ev->base.args[1]);
    out->message = table_str(ev, ev->base.args[2]);
    return true;
}

static void go_tr(gtr_transition_t *o, int64_t id, unsigned from, unsigned to)
{
    o->resource = resource(GTR_RESOURCE_GOROUTINE, id);
    o->from = from;
    o->to = to;
}

static void proc_tr(gtr_transition_t *o, int64_t id, unsigned from, unsigned to)
{
    o->resource = resource(GTR_RESOURCE_PROC, id);
    o->from = from;
    o->to = to;
}

/* tracev2 status -> API state; out of range gives a state Go would panic
 * on, shown here as an out-of-range value ("Bad"). */
static unsigned pstate_of(uint64_t s)
{
    static const uint8_t m[5] = {GTR_PROC_UNDETERMINED, GTR_PROC_RUNNING, GTR_PROC_IDLE,
                                 GTR_PROC_RUNNING, GTR_PROC_IDLE};
    return s < 5 ? m[s] : 255;
}

static unsigned gstate_of(uint64_t s)
{
    static const uint8_t m[5] = {GTR_GO_UNDETERMINED, GTR_GO_RUNNABLE, GTR_GO_RUNNING,
                                 GTR_GO_SYSCALL, GTR_GO_WAITING};
    return s < 5 ? m[s] : 255;
}

static bool proc_transition(const gtr_event_t *ev, gtr_transition_t *o)
{
    const uint64_t *a = ev->base.args;
    switch (ev->base.typ) {
    case GTR_EV_PROC_START: proc_tr(o, (int64_t)a[0], GTR_PROC_IDLE, GTR_PROC_RUNNING); break;
    case GTR_EV_PROC_STOP: proc_tr(o, ev->ctx.p, GTR_PROC_RUNNING, GTR_PROC_IDLE); break;
    case GTR_EV_PROC_STEAL:
        /* Stolen from SyscallAbandoned: Idle to Idle, nothing was bound. */
        proc_tr(o, (int64_t)a[0], a[3] == 4 ? GTR_PROC_IDLE : GTR_PROC_RUNNING, GTR_PROC_IDLE);
        break;
    case GTR_EV_PROC_STATUS: proc_tr(o, (int64_t)a[0], (unsigned)a[2], pstate_of(a[1])); break;
    default: return false;
    }
    return true;
}

static bool go_transition(const gtr_event_t *ev, gtr_transition_t *o)
{
    const uint64_t *a = ev->base.args;
    int64_t g = ev->ctx.g;
    switch (ev->base.typ) {
    case GTR_EV_GO_CREATE: case GTR_EV_GO_CREATE_BLOCKED:
        go_tr(o, (int64_t)a[0], GTR_GO_NOT_EXIST,
              ev->base.typ == GTR_EV_GO_CREATE ? GTR_GO_RUNNABLE : GTR_GO_WAITING);
        o->stack = (gtr_stack_t){ev->table, a[1], false}; /* ID 0 included */
        break;
    case GTR_EV_GO_CREATE_SYSCALL: go_tr(o, (int64_t)a[0], GTR_GO_NOT_EXIST, GTR_GO_SYSCALL); break;
    case GTR_EV_GO_START: go_tr(o, (int64_t)a[0], GTR_GO_RUNNABLE, GTR_GO_RUNNING); break;
    case GTR_EV_GO_DESTROY: go_tr(o, g, GTR_GO_RUNNING, GTR_GO_NOT_EXIST); break;
    case GTR_EV_GO_DESTROY_SYSCALL: go_tr(o, g, GTR_GO_SYSCALL, GTR_GO_NOT_EXIST); break;
    case GTR_EV_GO_STOP: case GTR_EV_GO_BLOCK:
        go_tr(o, g, GTR_GO_RUNNING,
              ev->base.typ == GTR_EV_GO_STOP ? GTR_GO_RUNNABLE : GTR_GO_WAITING);
        o->reason = table_str(ev, a[0]);
        o->stack = gtr_event_stack(ev);
        break;
    case GTR_EV_GO_UNBLOCK: case GTR_EV_GO_SWITCH: case GTR_EV_GO_SWITCH_DESTROY:
        go_tr(o, (int64_t)a[0], GTR_GO_WAITING, GTR_GO_RUNNABLE);
        break;
    case GTR_EV_GO_SYSCALL_BEGIN:
        go_tr(o, g, GTR_GO_RUNNING, GTR_GO_SYSCALL);
        o->stack = gtr_event_stack(ev);
        break;
    case GTR_EV_GO_SYSCALL_END: go_tr(o, g, GTR_GO_SYSCALL, GTR_GO_RUNNING); break;
    case GTR_EV_GO_SYSCALL_END_BLOCKED: go_tr(o, g, GTR_GO_SYSCALL, GTR_GO_RUNNABLE); break;
    case GTR_EV_GO_STATUS: case GTR_EV_GO_STATUS_STACK:
        go_tr(o, (int64_t)a[0], (unsigned)(a[2] >> 32), gstate_of(a[2] & 0xffffffffu));
        o->stack = gtr_event_stack(ev);
        break;
    default: return false;
    }
    return true;
}

bool gtr_event_transition(const gtr_event_t *ev, gtr_transition_t *out)
{
    memset(out, 0, sizeof *out);
    out->reason = cstr("");
    out->stack.none = true;
    if (proc_transition(ev, out) || go_transition(ev, out)) {
        return true;
    }
    memset(out, 0, sizeof *out);
    return false;
}

bool gtr_event_sync(const gtr_event_t *ev, gtr_sync_t *out)
{
    memset(out, 0, sizeof *out);
    if (ev->base.typ != GTR_TYP_SYNC) {
        return false;
    }
    out->n = ev->base.args[0];
    const gtr_gen_t *g = ev->table;
    if (g != NULL) {
        out->nbatches = g->nexps;
        if (g->has_clock) {
            out->has_clock = true;
            out->clock_trace = gtr_ticks_to_ns(g->freq, g->snap_time);
            out->wall_sec = g->snap_sec;
            out->wall_nsec = g->snap_nsec;
            out->mono = g->snap_mono;
        }
    }
    return true;
}

bool gtr_event_sync_batch(const gtr_event_t *ev, size_t i, gtr_exp_batch_t *out)
{
    memset(out, 0, sizeof *out);
    const gtr_gen_t *g = ev->table;
    if (ev->base.typ != GTR_TYP_SYNC || g == NULL || i >= g->nexps) {
        return false;
    }
    const gtr_exp_rec_t *x = &g->exps[g->exp_sorted[i]];
    out->experiment = cstr(x->name);
    out->thread = x->m;
    out->data.ptr = x->len != 0 ? x->data : (const uint8_t *)"";
    out->data.len = x->len;
    return true;
}

bool gtr_event_experimental(const gtr_event_t *ev, gtr_experimental_t *out)
{
    memset(out, 0, sizeof *out);
    const gtr_event_spec_t *s = gtr_spec_any(ev->base.typ);
    if (!gtr_ev_is_experimental(ev->base.typ) || s == NULL) {
        return false;
    }
    out->name = cstr(s->name);
    const char *exp = gtr_experiment_name(s->experiment);
    out->experiment = cstr(exp != NULL ? exp : "");
    out->nargs = s->nargs - 1u;
    return true;
}

bool gtr_event_experimental_arg(const gtr_event_t *ev, size_t i, gtr_str_t *name,
                                gtr_value_t *value)
{
    const gtr_event_spec_t *s = gtr_spec_any(ev->base.typ);
    memset(value, 0, sizeof *value);
    if (!gtr_ev_is_experimental(ev->base.typ) || s == NULL || i + 1 >= s->nargs ||
        i >= GTR_NARGS) {
        return false;
    }
    const char *an = s->args[i + 1];
    *name = cstr(an);
    size_t n = strlen(an);
    if (n >= 6 && strcmp(an + n - 6, "string") == 0) {
        value->kind = GTR_VALUE_STRING;
        value->str = table_str(ev, ev->base.args[i]);
    } else {
        *value = u64_value(ev->base.args[i]);
    }
    return true;
}
