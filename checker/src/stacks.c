/* stacks.c: the per-event stack-emission invariants. Each stack referenced
 * in a generation is checked once, on first sight: its ID resolves (to a
 * stack with frames, since the runtime registers no empty stack under a
 * non-zero ID) and its frames are complete. Status events are checked for
 * GoStatus's state rules, and GoStatusStack for its version. The
 * whole-generation invariants need the generation's end: classify.c. */
#include <string.h>

#include "gtc_internal.h"

static const char *event_name(const gtc_record_t *r)
{
    const gtr_event_spec_t *s = r->wire_type != GTR_EV_NONE ? gtr_spec_any(r->wire_type) : NULL;
    return s != NULL ? s->name : gtr_kind_name(r->kind);
}

static bool incomplete(const gtr_frame_t *f)
{
    return f->func.len == 0 || f->file.len == 0 || f->pc == 0 || f->line == 0;
}

static bool all_zero(const gtr_frame_t *f)
{
    return f->func.len == 0 && f->file.len == 0 && f->pc == 0 && f->line == 0;
}

static void report_frame(gtc_checker_t *c, const gtc_record_t *r, const gtc_stackref_t *s, size_t i,
                         size_t n, const gtr_frame_t *f)
{
    char fn[80], file[80];
    gtc_quote(fn, sizeof fn, f->func.ptr, f->func.len);
    gtc_quote(file, sizeof file, f->file.ptr, f->file.len);
    if (i == 0) {
        gtc_report(c, gtc_event_res(r), c->index, M_FIRST_FRAME_PARTIAL, (unsigned long long)s->id,
                   (unsigned long long)f->pc, fn, file, (unsigned long long)f->line);
    } else {
        gtc_report(c, gtc_event_res(r), c->index, M_FRAME_INCOMPLETE, (unsigned long long)s->id,
                   (unsigned long long)i, (unsigned long long)n, (unsigned long long)f->pc, fn, file,
                   (unsigned long long)f->line);
    }
}

/* The one-time checks of a stack; returns whether a frame after the first
 * is incomplete (what Go's validation flags on every event using it). */
static bool first_sight(gtc_checker_t *c, const gtc_record_t *r, const gtc_stackref_t *s)
{
    size_t n = gtc_stack_nframes(s);
    if (n == 0) {
        gtc_report(c, gtc_event_res(r), c->index, M_STACK_UNRESOLVED, (unsigned long long)s->id,
                   event_name(r), (unsigned long long)c->syncs);
        return false;
    }
    bool bad_after_first = false;
    for (size_t i = 0; i < n; i++) {
        gtr_frame_t f;
        if (!gtc_stack_frame(s, i, &f) || !incomplete(&f) || (i == 0 && all_zero(&f))) {
            continue;
        }
        bad_after_first |= i > 0;
        report_frame(c, r, s, i, n, &f);
    }
    return bad_after_first;
}

const gtc_stackseen_t *gtc_stack_seen(gtc_checker_t *c, const gtc_record_t *r, const gtc_stackref_t *s)
{
    if (s->none || s->id == 0) {
        return NULL; /* ID 0 (a CPU sample's) is no stack: Go yields no frames */
    }
    bool created;
    gtc_stackseen_t *seen = gtc_map_put(&c->gen.stacks, s->id, &created);
    if (seen == NULL) {
        return NULL;
    }
    if (created) {
        bool bad = first_sight(c, r, s);
        /* first_sight does not touch the map, so `seen` is still valid. */
        seen->validate_bad = bad;
    }
    return seen;
}

static bool live_state(unsigned s)
{
    return s == GTR_GO_RUNNABLE || s == GTR_GO_RUNNING || s == GTR_GO_WAITING || s == GTR_GO_SYSCALL;
}

/* GoStatus's rules, as Go's API shows a status event: a goroutine
 * transition to a live state, from Undetermined (or, for a goroutine the
 * first generation already knew, its own state) in the first generation,
 * and from its own state later. */
static void status_rules(gtc_checker_t *c, const gtc_record_t *r, gtc_invariant_t inv)
{
    const char *name = event_name(r);
    char res[64];
    gtr_resource_t g = r->transition.resource;
    if (r->kind != GTR_KIND_STATE_TRANSITION || g.kind != GTR_RESOURCE_GOROUTINE) {
        gtc_report_as(c, inv, g, c->index, M_STATUS_NOT_GOROUTINE, name,
                      gtc_resource_str(res, sizeof res, g));
        return;
    }
    unsigned from = r->transition.from, to = r->transition.to;
    if (!live_state(to)) {
        gtc_report_as(c, inv, g, c->index, M_STATUS_BAD_TO, name, (long long)g.id, gtr_go_state_name(to));
    }
    if (c->syncs <= 1) {
        if (from != GTR_GO_UNDETERMINED && from != to) {
            gtc_report_as(c, inv, g, c->index, M_STATUS_BAD_FROM_FIRST, name, (long long)g.id,
                          gtr_go_state_name(from));
        }
    } else if (from != to) {
        gtc_report_as(c, inv, g, c->index, M_STATUS_BAD_FROM_LATER, name, (long long)g.id,
                      (unsigned long long)c->syncs, gtr_go_state_name(from), gtr_go_state_name(to));
    }
}

void gtc_stacks_event(gtc_checker_t *c, const gtc_record_t *r)
{
    if (r->wire_type == GTR_EV_GO_STATUS) {
        status_rules(c, r, GTC_INV_STATUS_STATE_RULES);
    } else if (r->wire_type == GTR_EV_GO_STATUS_STACK) {
        if (c->version == GTR_GO122) {
            gtc_report(c, r->transition.resource, c->index, M_STATUS_STACK_IN_GO122,
                       (long long)r->transition.resource.id);
        }
        status_rules(c, r, GTC_INV_STATUS_STACK_STATE_RULES);
    }
}
