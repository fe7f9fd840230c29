/* act_misc.c: the actions around the scheduler: GC cycles, sweeps, mark
 * assists, heap metrics, stop-the-world ranges, GOMAXPROCS changes, user
 * tasks, regions, logs and goroutine labels, and new threads.
 *
 * Ranges bound to a goroutine or a P (mark assist, sweep, regions) may stay
 * open across generation boundaries; the boundary code re-announces the
 * ones the runtime re-announces (GCMarkAssistActive, GCSweepActive) right
 * after the owner's status. A stop-the-world never crosses a boundary (the
 * runtime holds worldsema while it advances), so an STW action emits its
 * begin and end together. */
#include "gtg_actions.h"

/* Runs the common prologue of an action by a running goroutine: pick its
 * M, establish the context; returns the M or -1 (nothing to do). */
static int running_m(gtg_gen_t *g, bool (*ok)(gtg_gen_t *, int), gtg_err_t *err)
{
    int m = gtg_pick_m(g, ok);
    *err = GTG_OK;
    if (m >= 0) {
        *err = gtg_ctx(g, m);
        g->focus_m = m;
    }
    return *err == GTG_OK ? m : -1;
}

static int cur_g(const gtg_gen_t *g, int m)
{
    return g->ms[m].g;
}

/* ------------------------------------------------------------------ GC */

bool gtg_can_gc_begin(gtg_gen_t *g, const char *arg)
{
    return g->gc == GTG_GC_OFF && gtg_can_running(g, arg);
}

gtg_err_t gtg_run_gc_begin(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0) {
        return err;
    }
    g->gc_seq++;
    g->gc = GTG_GC_ON;
    g->gc_active_due = false;
    return gtg_emit(g, m, GTR_EV_GC_BEGIN, (uint64_t[]){g->gc_seq, gtg_any_stack(g)}, 2);
}

bool gtg_can_gc_end(gtg_gen_t *g, const char *arg)
{
    return g->gc == GTG_GC_ON && !g->gc_active_due && gtg_can_running(g, arg);
}

gtg_err_t gtg_run_gc_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0) {
        return err;
    }
    g->gc_seq++;
    g->gc = GTG_GC_OFF;
    return gtg_emit(g, m, GTR_EV_GC_END, (uint64_t[]){g->gc_seq}, 1);
}

static bool m_p_running(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    return m->p >= 0 && g->ps[m->p].st == GTG_PS_RUNNING &&
           (m->g < 0 || g->gs[m->g].st == GTG_GS_RUNNING);
}

static bool m_can_sweep(gtg_gen_t *g, int i)
{
    return m_p_running(g, i) && !g->ps[g->ms[i].p].sweep;
}

static bool m_sweeping(gtg_gen_t *g, int i)
{
    return m_p_running(g, i) && g->ps[g->ms[i].p].sweep;
}

bool gtg_can_sweep_begin(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_can_sweep);
}

gtg_err_t gtg_run_sweep_begin(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, m_can_sweep, &err);
    if (m < 0) {
        return err;
    }
    g->ps[g->ms[m].p].sweep = true;
    return gtg_emit(g, m, GTR_EV_GC_SWEEP_BEGIN, (uint64_t[]){gtg_any_stack(g)}, 1);
}

bool gtg_can_sweep_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_sweeping);
}

gtg_err_t gtg_run_sweep_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, m_sweeping, &err);
    if (m < 0) {
        return err;
    }
    g->ps[g->ms[m].p].sweep = false;
    uint64_t swept = 1 + gtg_choose(g->c, 64);
    return gtg_emit(g, m, GTR_EV_GC_SWEEP_END, (uint64_t[]){swept * 8192, swept * 4096}, 2);
}

static bool m_can_assist(gtg_gen_t *g, int i)
{
    return gtg_m_running(g, i) && !g->gs[g->ms[i].g].mark_assist;
}

static bool m_assisting(gtg_gen_t *g, int i)
{
    return gtg_m_running(g, i) && g->gs[g->ms[i].g].mark_assist;
}

bool gtg_can_mark_assist_begin(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_can_assist);
}

gtg_err_t gtg_run_mark_assist_begin(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, m_can_assist, &err);
    if (m < 0) {
        return err;
    }
    g->gs[cur_g(g, m)].mark_assist = true;
    return gtg_emit(g, m, GTR_EV_GC_MARK_ASSIST_BEGIN, (uint64_t[]){gtg_any_stack(g)}, 1);
}

bool gtg_can_mark_assist_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_assisting);
}

gtg_err_t gtg_run_mark_assist_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, m_assisting, &err);
    if (m < 0) {
        return err;
    }
    g->gs[cur_g(g, m)].mark_assist = false;
    return gtg_emit(g, m, GTR_EV_GC_MARK_ASSIST_END, NULL, 0);
}

bool gtg_can_heap(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_p_running);
}

static gtg_err_t heap_metric(gtg_gen_t *g, uint8_t type, uint64_t value)
{
    gtg_err_t err;
    int m = running_m(g, m_p_running, &err);
    if (m < 0) {
        return err;
    }
    return gtg_emit(g, m, type, (uint64_t[]){value}, 1);
}

gtg_err_t gtg_run_heap_alloc(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    g->heap += 4096 * (1 + gtg_choose(g->c, 256));
    return heap_metric(g, GTR_EV_HEAP_ALLOC, g->heap);
}

gtg_err_t gtg_run_heap_goal(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return heap_metric(g, GTR_EV_HEAP_GOAL, g->heap * 2 + (4u << 20));
}

/* The AllocFree experiment (go1.26): heap spans, heap objects and
 * goroutine stacks that exist, are allocated or are freed. The runtime
 * writes them with the ordinary event writer, into the M's own batch, so
 * they need an M (and take the usual lazy statuses); the event types come
 * from the spec table's experimental range. */
gtg_err_t gtg_run_alloc_free(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, m_p_running, &err);
    if (m < 0) {
        return err;
    }
    unsigned type = GTR_EV_SPAN + (unsigned)gtg_choose(g->c, GTR_EV_MAX_EXPERIMENTAL - GTR_EV_SPAN);
    const gtr_event_spec_t *s = gtr_spec(g->v, type);
    if (s == NULL || s->nargs < 2) {
        return GTG_OK;
    }
    /* An address-like ID, then a size, class, type or order. */
    uint64_t args[3] = {0xc000000000 + 8192 * gtg_choose(g->c, 1u << 16),
                        1 + gtg_choose(g->c, 64), 2 * gtg_choose(g->c, 68)};
    return gtg_emit(g, m, (uint8_t)type, args, (size_t)s->nargs - 1);
}

/* ------------------------------------------------- STW and GOMAXPROCS */

static gtg_err_t stw(gtg_gen_t *g, int m, const char *kind, uint64_t procs)
{
    uint64_t stack = gtg_stack(g, g->gs[cur_g(g, m)].stack);
    gtg_err_t err = gtg_emit(g, m, GTR_EV_STW_BEGIN, (uint64_t[]){gtg_string(g, kind), stack}, 2);
    if (err == GTG_OK && procs != 0) {
        err = gtg_emit(g, m, GTR_EV_PROCS_CHANGE, (uint64_t[]){procs, stack}, 2);
    }
    return err != GTG_OK ? err : gtg_emit(g, m, GTR_EV_STW_END, NULL, 0);
}

gtg_err_t gtg_run_stw(gtg_gen_t *g, const char *arg)
{
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0) {
        return err;
    }
    return stw(g, m, arg != NULL ? arg : "read mem stats", 0);
}

/* Ps above the new GOMAXPROCS must be idle: they stop existing. */
static bool can_shrink_to(const gtg_gen_t *g, size_t n)
{
    for (size_t i = n; i < g->gomaxprocs; i++) {
        if (g->ps[i].st != GTG_PS_IDLE || g->ps[i].sweep) {
            return false;
        }
    }
    return true;
}

gtg_err_t gtg_run_gomaxprocs(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0) {
        return err;
    }
    size_t n = 1 + gtg_choose(g->c, g->procs_cap);
    if (!can_shrink_to(g, n)) {
        n = g->gomaxprocs;
    }
    for (size_t i = g->np; i < n; i++) {
        g->ps[i] = (gtg_p_t){.id = i, .st = GTG_PS_IDLE, .m = -1};
    }
    g->np = n > g->np ? n : g->np;
    g->gomaxprocs = n;
    g->procs_due = false;
    return stw(g, m, "GOMAXPROCS", n);
}

/* ---------------------------------------------------------- annotations */

static const char *const log_values[] = {"ok", "retry", "42", "cache miss", ""};

static uint64_t some_task(gtg_gen_t *g)
{
    size_t k = gtg_choose(g->c, g->ntasks + 1);
    return k == 0 ? 0 : g->tasks[k - 1];
}

bool gtg_can_has_task(gtg_gen_t *g, const char *arg)
{
    return g->ntasks > 0 && gtg_can_running(g, arg);
}

gtg_err_t gtg_run_task_begin(gtg_gen_t *g, const char *arg)
{
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0 || g->ntasks == GTG_MAX_TASKS) {
        return err;
    }
    uint64_t parent = some_task(g); /* 0: no parent */
    uint64_t id = g->next_task++;
    g->tasks[g->ntasks++] = id;
    uint64_t args[4] = {id, parent, gtg_string(g, arg != NULL ? arg : "task"), gtg_any_stack(g)};
    return gtg_emit(g, m, GTR_EV_USER_TASK_BEGIN, args, 4);
}

gtg_err_t gtg_run_task_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0 || g->ntasks == 0) {
        return err;
    }
    size_t k = gtg_choose(g->c, g->ntasks);
    uint64_t id = g->tasks[k];
    g->tasks[k] = g->tasks[--g->ntasks];
    return gtg_emit(g, m, GTR_EV_USER_TASK_END, (uint64_t[]){id, gtg_any_stack(g)}, 2);
}

static bool m_region_room(gtg_gen_t *g, int i)
{
    return gtg_m_running(g, i) && g->gs[g->ms[i].g].nreg < GTG_MAX_REGIONS;
}

static bool m_in_region(gtg_gen_t *g, int i)
{
    return gtg_m_running(g, i) && g->gs[g->ms[i].g].nreg > 0;
}

bool gtg_can_region_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_in_region);
}

gtg_err_t gtg_run_region_begin(gtg_gen_t *g, const char *arg)
{
    gtg_err_t err;
    int m = running_m(g, m_region_room, &err);
    if (m < 0) {
        return err;
    }
    gtg_g_t *gr = &g->gs[cur_g(g, m)];
    gtg_region_t r = {some_task(g), arg != NULL ? arg : "region"};
    gr->reg[gr->nreg++] = r;
    uint64_t args[3] = {r.task, gtg_string(g, r.name), gtg_any_stack(g)};
    return gtg_emit(g, m, GTR_EV_USER_REGION_BEGIN, args, 3);
}

gtg_err_t gtg_run_region_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    gtg_err_t err;
    int m = running_m(g, m_in_region, &err);
    if (m < 0) {
        return err;
    }
    gtg_g_t *gr = &g->gs[cur_g(g, m)];
    gtg_region_t r = gr->reg[--gr->nreg]; /* regions nest: end the innermost */
    uint64_t args[3] = {r.task, gtg_string(g, r.name), gtg_any_stack(g)};
    return gtg_emit(g, m, GTR_EV_USER_REGION_END, args, 3);
}

gtg_err_t gtg_run_log(gtg_gen_t *g, const char *arg)
{
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0) {
        return err;
    }
    const char *val = log_values[gtg_choose(g->c, sizeof log_values / sizeof *log_values)];
    uint64_t args[4] = {some_task(g), gtg_string(g, arg != NULL ? arg : "key"),
                        gtg_string(g, val), gtg_any_stack(g)};
    return gtg_emit(g, m, GTR_EV_USER_LOG, args, 4);
}

gtg_err_t gtg_run_label(gtg_gen_t *g, const char *arg)
{
    gtg_err_t err;
    int m = running_m(g, gtg_m_running, &err);
    if (m < 0) {
        return err;
    }
    return gtg_emit(g, m, GTR_EV_GO_LABEL, (uint64_t[]){gtg_string(g, arg ? arg : "label")}, 1);
}

bool gtg_can_thread_new(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return g->nm < g->threads_cap && g->nm < GTG_MAX_M;
}

gtg_err_t gtg_run_thread_new(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_new_m(g);
    g->focus_m = m;
    return GTG_OK;
}
