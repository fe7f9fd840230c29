/* validate_sched.c: Go's per-event validation of state transitions. Every
 * goroutine's and proc's old state must be the state its previous
 * transition left, and one that starts executing is bound to the event's
 * thread (which runs at most one goroutine and one proc at a time) and
 * unbound when it stops. Goroutines and procs follow the same rules, so one
 * function serves both, parameterised by the table below. */
#include <string.h>

#include "gtc_internal.h"

typedef struct res_rules {
    const char *word;  /* "goroutine", "proc" in sentences */
    unsigned executing[2]; /* states that run on a thread (repeat if one) */
    const char *(*state_name)(unsigned);
} res_rules_t;

static const res_rules_t go_rules = {"goroutine", {GTR_GO_RUNNING, GTR_GO_SYSCALL}, gtr_go_state_name};
static const res_rules_t proc_rules = {"proc", {GTR_PROC_RUNNING, GTR_PROC_RUNNING}, gtr_proc_state_name};

/* Undetermined and NotExist have the same numbers for both resources. */
#define ST_UNDETERMINED 0u
#define ST_NOT_EXIST 1u

static bool executing(const res_rules_t *k, unsigned s)
{
    return s == k->executing[0] || s == k->executing[1];
}

/* The context of the event's thread, made on first use. An event that
 * starts executing something needs a thread, except a goroutine found in a
 * syscall in a pre-go1.22 trace, whose format did not record it. */
static gtc_vthread_t *thread_ctx(gtc_checker_t *c, const gtc_record_t *r, int64_t m)
{
    bool lenient = c->version < GTR_GO122 && r->transition.resource.kind == GTR_RESOURCE_GOROUTINE &&
                   r->transition.from == GTR_GO_UNDETERMINED && r->transition.to == GTR_GO_SYSCALL;
    if (m == GTR_NO_THREAD && !lenient) {
        gtc_report(c, r->transition.resource, c->index, M_NO_THREAD);
        return NULL;
    }
    bool created;
    gtc_vthread_t *ctx = gtc_map_put(&c->v.ms, (uint64_t)m, &created);
    if (ctx != NULL && created) {
        ctx->p = GTR_NO_PROC;
        ctx->g = GTR_NO_GOROUTINE;
    }
    return ctx;
}

/* A context that runs nothing is forgotten: looking it up again makes an
 * identical one, so Go's answers do not change. */
static void thread_release(gtc_checker_t *c, int64_t m)
{
    gtc_vthread_t *ctx = gtc_map_get(&c->v.ms, (uint64_t)m);
    if (ctx != NULL && ctx->p == GTR_NO_PROC && ctx->g == GTR_NO_GOROUTINE) {
        gtc_map_del(&c->v.ms, (uint64_t)m);
    }
}

static int64_t *ctx_slot(gtc_vthread_t *ctx, const res_rules_t *k)
{
    return k == &go_rules ? &ctx->g : &ctx->p;
}

static void start_executing(gtc_checker_t *c, const gtc_record_t *r, const res_rules_t *k,
                            gtc_vres_t *st)
{
    int64_t id = r->transition.resource.id;
    gtc_vthread_t *ctx = thread_ctx(c, r, r->thread);
    if (ctx == NULL) {
        return;
    }
    int64_t *cur = ctx_slot(ctx, k);
    if (*cur != -1 && *cur != id) {
        gtc_report(c, r->transition.resource, c->index, M_RUN_BUSY, k->word, (long long)id,
                   (long long)*cur, (long long)r->thread);
    }
    *cur = id;
    st->bound = true;
    st->thread = r->thread;
}

static bool same_stack(const gtc_stackref_t *a, const gtc_stackref_t *b)
{
    if (a->none || b->none) {
        return a->none == b->none;
    }
    return a->table == b->table && a->id == b->id;
}

static void stop_executing(gtc_checker_t *c, const gtc_record_t *r, const res_rules_t *k,
                           gtc_vres_t *st)
{
    int64_t id = r->transition.resource.id;
    /* The goroutine that stops is the one executing the event, so both
     * stacks describe the same moment. */
    if (k == &go_rules && !same_stack(&r->transition.stack, &r->stack)) {
        gtc_report(c, r->transition.resource, c->index, M_STOP_STACK);
    }
    if (!st->bound) {
        gtc_report(c, r->transition.resource, c->index, M_STOP_UNBOUND, k->word, (long long)id);
        return;
    }
    int64_t m = st->thread;
    bool created;
    gtc_vthread_t *ctx = gtc_map_put(&c->v.ms, (uint64_t)m, &created);
    if (ctx == NULL) {
        return;
    }
    if (created) {
        ctx->p = GTR_NO_PROC;
        ctx->g = GTR_NO_GOROUTINE;
    }
    int64_t *cur = ctx_slot(ctx, k);
    if (*cur != id) {
        /* Go names the event's thread for goroutines, the context's for procs. */
        gtc_report(c, r->transition.resource, c->index, M_STOP_OTHER, k->word, (long long)id,
                   (long long)*cur, (long long)(k == &go_rules ? r->thread : m));
    }
    *cur = -1;
    st->bound = false;
    thread_release(c, m);
}

/* The old state must be the one last seen; a resource never seen must come
 * from Undetermined or NotExist. Also lists the dead, for the pruning at
 * each Sync. */
static gtc_vres_t *advance_state(gtc_checker_t *c, const gtc_record_t *r, const res_rules_t *k,
                                 gtc_map_t *states)
{
    int64_t id = r->transition.resource.id;
    unsigned from = r->transition.from, to = r->transition.to;
    bool created;
    gtc_vres_t *st = gtc_map_put(states, (uint64_t)id, &created);
    if (st == NULL) {
        return NULL;
    }
    if (!created && from != st->state) {
        gtc_report(c, r->transition.resource, c->index, M_BAD_OLD_STATE, k->word, (long long)id,
                   k->state_name(from), k->state_name(st->state));
    } else if (created && from != ST_UNDETERMINED && from != ST_NOT_EXIST) {
        gtc_report(c, r->transition.resource, c->index, M_BAD_OLD_STATE_UNREG, k->word, (long long)id,
                   k->state_name(from));
    }
    st->state = (uint8_t)(to < 255 ? to : 255);
    if (to == ST_NOT_EXIST) {
        gtc_ids_push(&c->v.dead[k == &go_rules ? 0 : 1], &c->mem, id);
    }
    return st;
}

void gtc_validate_transition(gtc_checker_t *c, const gtc_record_t *r)
{
    const res_rules_t *k;
    gtc_map_t *states;
    switch (r->transition.resource.kind) {
    case GTR_RESOURCE_GOROUTINE: k = &go_rules, states = &c->v.gs; break;
    case GTR_RESOURCE_PROC: k = &proc_rules, states = &c->v.ps; break;
    default: return;
    }
    int64_t id = r->transition.resource.id;
    unsigned from = r->transition.from, to = r->transition.to;
    if (to == ST_UNDETERMINED) {
        gtc_report(c, r->transition.resource, c->index, M_TO_UNDETERMINED, k->word, (long long)id);
    }
    if (c->v.last_sync.n > 1 && from == ST_UNDETERMINED) {
        gtc_report(c, r->transition.resource, c->index, M_UNDETERMINED_AFTER_SYNC, k->word, (long long)id);
    }
    if (to == ST_NOT_EXIST && gtc_validate_has_ranges(&c->v, r->transition.resource)) {
        gtc_report(c, r->transition.resource, c->index, M_DIED_WITH_RANGES, k->word, (long long)id);
    }
    gtc_vres_t *st = advance_state(c, r, k, states);
    if (st == NULL) {
        return;
    }
    if (executing(k, to)) {
        start_executing(c, r, k, st);
    } else if (executing(k, from)) {
        stop_executing(c, r, k, st);
    }
}
