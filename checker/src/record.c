/* record.c: reading a reader event into the checker's plain record, and
 * the frames of a stack reference. The record borrows the event's strings
 * and stack handles, so it lives no longer than the event. */
#include <string.h>

#include "gtc_internal.h"

static gtc_stackref_t stackref(gtr_stack_t s)
{
    gtc_stackref_t r;
    memset(&r, 0, sizeof r);
    r.none = s.none;
    r.id = s.none ? 0 : s.id;
    r.table = s.table;
    r.handle = s;
    return r;
}

gtc_record_t gtc_record_empty(gtr_kind_t kind, int64_t time)
{
    gtc_record_t r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    r.time = time;
    r.goroutine = GTR_NO_GOROUTINE;
    r.proc = GTR_NO_PROC;
    r.thread = GTR_NO_THREAD;
    r.stack.none = true;
    r.stack.handle.none = true;
    r.transition.stack = r.stack;
    return r;
}

static void kind_details(const gtr_event_t *ev, gtc_record_t *r)
{
    gtr_transition_t tr;
    switch (r->kind) {
    case GTR_KIND_SYNC: gtr_event_sync(ev, &r->sync); break;
    case GTR_KIND_METRIC: gtr_event_metric(ev, &r->metric); break;
    case GTR_KIND_LABEL: gtr_event_label(ev, &r->label); break;
    case GTR_KIND_RANGE_BEGIN:
    case GTR_KIND_RANGE_ACTIVE:
    case GTR_KIND_RANGE_END: gtr_event_range(ev, &r->range); break;
    case GTR_KIND_TASK_BEGIN:
    case GTR_KIND_TASK_END: gtr_event_task(ev, &r->task); break;
    case GTR_KIND_STATE_TRANSITION:
        if (gtr_event_transition(ev, &tr)) {
            r->transition.resource = tr.resource;
            r->transition.from = tr.from;
            r->transition.to = tr.to;
            r->transition.stack = stackref(tr.stack);
        }
        break;
    default: break;
    }
}

void gtc_record_from_event(const gtr_event_t *ev, gtc_record_t *out)
{
    *out = gtc_record_empty(gtr_event_kind(ev), gtr_event_time(ev));
    out->wire_type = gtr_event_wire_type(ev);
    out->goroutine = gtr_event_goroutine(ev);
    out->proc = gtr_event_proc(ev);
    out->thread = gtr_event_thread(ev);
    out->stack = stackref(gtr_event_stack(ev));
    kind_details(ev, out);
}

size_t gtc_stack_nframes(const gtc_stackref_t *s)
{
    if (s->none) {
        return 0;
    }
    return s->frames != NULL ? s->nframes : gtr_stack_nframes(s->handle);
}

bool gtc_stack_frame(const gtc_stackref_t *s, size_t i, gtr_frame_t *out)
{
    if (s->frames != NULL) {
        if (s->none || i >= s->nframes) {
            return false;
        }
        *out = s->frames[i];
        return true;
    }
    return !s->none && gtr_stack_frame(s->handle, i, out);
}
