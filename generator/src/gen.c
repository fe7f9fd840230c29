/* gen.c: the generator's driver: sets up the world, runs generations of
 * grammar-chosen steps inside the event budget, and closes each generation
 * the way the runtime does (boundary.c).
 *
 * Budget: a generation gets an equal share of what is left of the event
 * budget. A step is only offered if its cost, plus what the boundary will
 * need to announce every P and goroutine, still fits; when nothing fits,
 * or a fuzzer's bytes run out, the generation takes its minimum-cost
 * completion: it ends. So every trace terminates inside the budget. */
#include <stdlib.h>
#include <string.h>

#include "gtg_actions.h"

static const char *const bug_names[GTG_BUG_COUNT] = {
    [GTG_BUG_NONE] = "none",
    [GTG_BUG_NO_STACK] = "no-stack",
    [GTG_BUG_STALE_STACK] = "stale-stack",
    [GTG_BUG_STACK_IN_GO122] = "stack-in-go122",
    [GTG_BUG_MISSING_FRAMES] = "missing-frames",
    [GTG_BUG_CONTRADICTION] = "contradiction",
};

static const char *const bug_sentences[GTG_BUG_COUNT] = {
    [GTG_BUG_NONE] = "no bug: a valid trace",
    [GTG_BUG_NO_STACK] = ("a goroutine blocked for the whole generation is announced by "
                          "GoStatus without a stack"),
    [GTG_BUG_STALE_STACK] = "GoStatusStack names a stack ID the generation's table lacks",
    [GTG_BUG_STACK_IN_GO122] = "GoStatusStack appears in a go1.22 trace",
    [GTG_BUG_MISSING_FRAMES] = "a status stack's frames lack function, file and line",
    [GTG_BUG_CONTRADICTION] = "a goroutine's status contradicts the previous generation",
};

const char *gtg_bug_name(gtg_bug_t b) { return b < GTG_BUG_COUNT ? bug_names[b] : "?"; }
const char *gtg_bug_describe(gtg_bug_t b) { return b < GTG_BUG_COUNT ? bug_sentences[b] : "?"; }

gtg_bug_t gtg_bug_lookup(const char *name)
{
    for (int i = 0; i < GTG_BUG_COUNT; i++) {
        if (strcmp(bug_names[i], name) == 0) {
            return (gtg_bug_t)i;
        }
    }
    return GTG_BUG_COUNT;
}

const char *gtg_err_name(gtg_err_t err)
{
    static const char *const names[GTG_ERR_COUNT] = {
        [GTG_OK] = "ok",           [GTG_ERR_NOMEM] = "nomem", [GTG_ERR_ARG] = "arg",
        [GTG_ERR_GRAMMAR] = "grammar", [GTG_ERR_LIMIT] = "limit", [GTG_ERR_WRITE] = "write",
        [GTG_ERR_INTERNAL] = "internal",
    };
    return err < GTG_ERR_COUNT ? names[err] : "?";
}

static bool guards_hold(const gtg_gen_t *g, uint32_t guards)
{
    if (guards == 0) {
        return true;
    }
    for (int k = 0; k < GTG_GUARD_COUNT; k++) {
        if (!(guards & (1u << k))) {
            continue;
        }
        bool ok = true;
        switch ((gtg_guard_t)k) {
        case GTG_GUARD_GC_ON: ok = g->gc == GTG_GC_ON; break;
        case GTG_GUARD_GC_OFF: ok = g->gc == GTG_GC_OFF; break;
        case GTG_GUARD_ROOM_G: ok = g->created < g->max_goroutines; break;
        case GTG_GUARD_FIRST_GEN: ok = g->gi == 0; break;
        case GTG_GUARD_LATER_GEN: ok = g->gi > 0; break;
        case GTG_GUARD_HAS_TASK: ok = g->ntasks > 0; break;
        case GTG_GUARD_COUNT: ok = false; break;
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Events the boundary may need: a status (and an active range) for every
 * live goroutine and every P, plus CPU samples. */
static uint64_t boundary_reserve(const gtg_gen_t *g)
{
    return 2 * (uint64_t)g->census.live + 3 * g->np + 8;
}

/* Preconditions answered once per draw: many rules share one (every
 * "running goroutine does X" asks gtg_can_running), and the state does not
 * change while a draw is being weighed. */
typedef enum memo_state { MEMO_UNKNOWN = 0, MEMO_NO, MEMO_YES } memo_state_t;

typedef struct can_memo {
    uint8_t state[128]; /* memo_state_t per can_slot */
} can_memo_t;

static bool memo_can(gtg_gen_t *g, can_memo_t *memo, const gtg_prod_t *pr)
{
    const gtg_action_def_t *a = &gtg_actions[pr->act[0].act];
    if (pr->can_slot >= sizeof memo->state) {
        return a->can(g, pr->act[0].arg);
    }
    if (memo->state[pr->can_slot] == MEMO_UNKNOWN) {
        memo->state[pr->can_slot] = a->can(g, pr->act[0].arg) ? MEMO_YES : MEMO_NO;
    }
    return memo->state[pr->can_slot] == MEMO_YES;
}

static bool offered(gtg_gen_t *g, const gtg_prod_t *pr, uint64_t room, can_memo_t *memo)
{
    if ((unsigned)g->v < pr->since || (unsigned)g->v > pr->until || pr->weight == 0) {
        return false;
    }
    if (pr->cost > room || !guards_hold(g, pr->guards)) {
        return false;
    }
    const gtg_action_def_t *a = &gtg_actions[pr->act[0].act];
    return a->can == NULL || memo_can(g, memo, pr);
}

static gtg_err_t run_prod(gtg_gen_t *g, const gtg_prod_t *pr)
{
    g->focus_m = -1;
    for (size_t k = 0; k < pr->nact; k++) {
        const gtg_action_def_t *a = &gtg_actions[pr->act[k].act];
        /* Later actions of a rule run only if they still may. */
        if (k > 0 && a->can != NULL && !a->can(g, pr->act[k].arg)) {
            break;
        }
        gtg_err_t err = a->run(g, pr->act[k].arg);
        if (err != GTG_OK) {
            return err;
        }
        gtg_census(g);
    }
    return GTG_OK;
}

/* Draws one production of `nt` among those offered; the completion when
 * none is. `room` is the event budget left for it. */
static gtg_err_t expand(gtg_gen_t *g, gtg_nt_t nt, uint64_t room, bool *ended)
{
    const gtg_grammar_t *gr = g->gr;
    const uint32_t *idx = gr->by_nt + gr->nt_start[nt];
    size_t n = gr->nt_start[nt + 1] - gr->nt_start[nt];
    uint32_t stackw[128] = {0};
    uint32_t *w = n <= 128 ? stackw : malloc(n * sizeof *w);
    if (w == NULL) {
        return gtg_fail(g, GTG_ERR_NOMEM, "out of memory drawing a production");
    }
    can_memo_t memo = {{MEMO_UNKNOWN}};
    for (size_t k = 0; k < n; k++) {
        const gtg_prod_t *pr = &gr->prods[idx[k]];
        w[k] = offered(g, pr, room, &memo) ? pr->weight : 0;
    }
    size_t pick = gtg_choose_weighted(g->c, w, n);
    if (w != stackw) {
        free(w);
    }
    if (ended != NULL) {
        *ended = pick >= n;
    }
    size_t prod = pick < n ? idx[pick] : (size_t)gr->completion[nt];
    return run_prod(g, &gr->prods[prod]);
}

gtg_err_t gtg_expand_nt(gtg_gen_t *g, gtg_nt_t nt)
{
    return expand(g, nt, 0, NULL);
}

/* Events the runtime writes early in every generation when it can: the
 * GC still running (GCActive) and GOMAXPROCS (ProcsChange), both from a
 * running goroutine. */
static gtg_err_t due_events(gtg_gen_t *g)
{
    if (!g->gc_active_due && !g->procs_due) {
        return GTG_OK;
    }
    int m = gtg_pick_m(g, gtg_m_running);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK && g->gc_active_due) {
        g->gc_active_due = false;
        g->gc_seq++;
        err = gtg_emit(g, m, GTR_EV_GC_ACTIVE, (uint64_t[]){g->gc_seq}, 1);
    }
    if (err == GTG_OK && g->procs_due) {
        g->procs_due = false;
        err = gtg_emit(g, m, GTR_EV_PROCS_CHANGE, (uint64_t[]){g->gomaxprocs, gtg_any_stack(g)}, 2);
    }
    return err;
}

/* With a bug imitation on, keep one waiting goroutine parked for the
 * generation, so the boundary has a blocked-throughout status to break. */
static void keep_bug_target(gtg_gen_t *g)
{
    int gi = gtg_pick_g(g, GTG_GS_WAITING, false);
    if (gi >= 0) {
        g->gs[gi].sticky = true;
    }
}

static gtg_err_t begin_generation(gtg_gen_t *g)
{
    for (size_t i = 0; i < g->np; i++) {
        g->ps[i].traced = false;
    }
    for (size_t i = 0; i < g->ng; i++) {
        g->gs[i].traced = false;
        memset(&g->gs[i].tr, 0, sizeof g->gs[i].tr);
    }
    memset(&g->cur, 0, sizeof g->cur);
    g->npend = 0;
    /* The boundaries may have spent more than the budget's share (a tiny
     * budget still announces every P and goroutine): then nothing is left. */
    uint64_t left = g->events < g->max_events ? g->max_events - g->events : 0;
    g->gen_events_end = g->events + left / (g->ngens - g->gi);
    g->procs_due = true;
    if (g->opt.bug != GTG_BUG_NONE) {
        keep_bug_target(g);
    }
    gtg_err_t err = GTG_OK;
    for (gtg_nt_t nt = GTG_NT_SYNC; nt <= GTG_NT_CPU && err == GTG_OK; nt++) {
        err = expand(g, nt, 0, NULL);
    }
    /* The first generation learns of a running GC from GCActive, which it
     * accepts in any context; later ones get it from a running goroutine. */
    if (err == GTG_OK && g->gi == 0 && g->gc_active_due) {
        g->gc_active_due = false;
        err = gtg_emit(g, -1, GTR_EV_GC_ACTIVE, (uint64_t[]){g->gc_seq}, 1);
    }
    if (g->gi > 0 && g->gc == GTG_GC_ON) {
        g->gc_active_due = true;
    }
    return err;
}

static gtg_err_t run_generation(gtg_gen_t *g)
{
    gtg_err_t err = begin_generation(g);
    uint64_t steps = 0, max_steps = 4 * (g->gen_events_end - g->events) + 16;
    bool ended = false;
    while (err == GTG_OK && !ended && steps++ < max_steps) {
        gtg_census(g);
        uint64_t need = g->events + boundary_reserve(g);
        if (need >= g->gen_events_end || gtg_choice_exhausted(g->c)) {
            break;
        }
        err = due_events(g);
        if (err == GTG_OK) {
            err = expand(g, GTG_NT_STEP, g->gen_events_end - need, &ended);
        }
    }
    if (err == GTG_OK) {
        err = gtg_boundary_end(g);
    }
    if (err == GTG_OK) {
        err = gtg_flush_generation(g);
    }
    if (err == GTG_OK) {
        err = gtg_truth_end_gen(g);
    }
    return err;
}

static void init_stacks(gtg_gen_t *g)
{
    for (size_t i = 0; i < GTG_NSTACKS; i++) {
        gtg_stack_tpl_t *t = &g->tpl[i];
        t->depth = (uint8_t)(1 + gtg_choose(g->c, g->depth_cap));
        for (size_t k = 0; k < t->depth; k++) {
            t->f[k].func = (uint16_t)gtg_choose(g->c, 64);
            t->f[k].line = (uint16_t)(10 + gtg_choose(g->c, 400));
        }
    }
}

static gtg_err_t init_world(gtg_gen_t *g)
{
    g->gomaxprocs = 1 + gtg_choose(g->c, g->procs_cap);
    g->np = g->gomaxprocs;
    for (size_t i = 0; i < g->np; i++) {
        g->ps[i] = (gtg_p_t){.id = i, .st = GTG_PS_IDLE, .m = -1};
    }
    uint64_t cap = g->max_goroutines < 16 ? g->max_goroutines : 16;
    uint64_t by_events = g->max_events / 16 > 0 ? g->max_events / 16 : 1;
    cap = cap < by_events ? cap : by_events;
    uint64_t n = 1 + gtg_choose(g->c, cap);
    gtg_err_t err = GTG_OK;
    for (uint64_t i = 0; i < n && err == GTG_OK; i++) {
        err = expand(g, GTG_NT_WORLD_G, 0, NULL);
    }
    if (err == GTG_OK) {
        err = expand(g, GTG_NT_WORLD_GC, 0, NULL);
    }
    g->gc_seq = 1 + gtg_choose(g->c, 100);
    return err;
}

static gtg_err_t setup(gtg_gen_t *g, const gtg_grammar_t *gr, gtg_choice_t *c,
                       const gtg_options_t *opts)
{
    g->gr = gr;
    g->c = c;
    g->opt = *opts;
    g->v = opts->bug == GTG_BUG_STACK_IN_GO122 ? GTR_GO122 : opts->version;
    if (!gtr_version_supported(g->v) || opts->bug >= GTG_BUG_COUNT) {
        return gtg_fail(g, GTG_ERR_ARG, "unsupported version go1.%u or bug %d", (unsigned)g->v,
                        (int)opts->bug);
    }
    g->max_events = opts->max_events ? opts->max_events : gr->limits[GTG_LIMIT_EVENTS];
    uint64_t maxgens = opts->max_generations ? opts->max_generations
                                             : gr->limits[GTG_LIMIT_GENERATIONS];
    g->max_goroutines = opts->max_goroutines ? opts->max_goroutines
                                             : gr->limits[GTG_LIMIT_GOROUTINES];
    g->max_goroutines = g->max_goroutines < GTG_MAX_G ? g->max_goroutines : GTG_MAX_G;
    g->procs_cap = gr->limits[GTG_LIMIT_PROCS];
    g->threads_cap = gr->limits[GTG_LIMIT_THREADS];
    g->depth_cap = gr->limits[GTG_LIMIT_STACK_DEPTH];
    g->ngens = (uint32_t)(1 + gtg_choose(c, maxgens > 1000 ? 1000 : maxgens));
    g->gen_no = 1 + gtg_choose(c, 4);
    g->next_goid = 1;
    g->next_task = 1;
    g->heap = 1u << 20;
    g->now = 1000 + gtg_choose(c, 1000);
    static const uint64_t freqs[3] = {1000000000, 15625000, 500000000};
    g->freq = freqs[gtg_choose(c, 3)];
    init_stacks(g);
    gtg_err_t err = gtg_trace_new(&g->out, g->v);
    if (err == GTG_OK) {
        err = gtg_truth_new(&g->truth, (unsigned)g->v);
    }
    return err != GTG_OK ? err : init_world(g);
}

gtg_err_t gtg_trace_from_bytes(const gtg_grammar_t *g, const uint8_t *data, size_t size,
                               uint64_t max_events, uint8_t **out, size_t *out_len)
{
    static const gtr_version_t versions[4] = {GTR_GO122, GTR_GO123, GTR_GO125, GTR_GO126};
    gtg_choice_t c;
    gtg_choice_bytes(&c, data, size);
    gtg_options_t o = {.version = versions[gtg_choose(&c, 4)], .max_events = max_events};
    gtg_trace_t *t = NULL;
    gtg_err_t err = gtg_generate(g, &c, &o, &t, NULL, NULL, 0);
    if (err == GTG_OK) {
        err = gtg_trace_to_wire(t, 0, out, out_len);
    }
    gtg_trace_free(t);
    return err;
}

gtg_err_t gtg_generate(const gtg_grammar_t *gr, gtg_choice_t *c, const gtg_options_t *opts,
                       gtg_trace_t **trace, gtg_truth_t **truth, char *msg, size_t msglen)
{
    gtg_gen_t *g = calloc(1, sizeof *g);
    if (g == NULL) {
        return GTG_ERR_NOMEM;
    }
    g->msg = msg;
    g->msglen = msglen;
    gtg_err_t err = setup(g, gr, c, opts);
    for (g->gi = 0; err == GTG_OK && g->gi < g->ngens; g->gi++, g->gen_no++) {
        err = run_generation(g);
    }
    if (err == GTG_OK) {
        *trace = g->out;
        g->out = NULL;
        if (truth != NULL) {
            *truth = g->truth;
            g->truth = NULL;
        }
    }
    gtg_trace_free(g->out);
    gtg_truth_free(g->truth);
    free(g->gs);
    free(g->pend);
    free(g);
    return err;
}
