/* actions.c: the action table the grammar's names resolve to, and the
 * actions that set up the world before the first event (how each initial
 * goroutine starts out, whether a GC is running) and decide the shape of a
 * generation (sync batch placement, batch cutting, CPU samples, what
 * happens to a P left in a syscall at a boundary).
 *
 * The world actions lay down no event: the first generation's statuses,
 * written lazily like everything else, are what tells a reader the world
 * it starts in. */
#include <string.h>

#include "gtg_actions.h"

/* ---------------------------------------------------------------- world */

static int idle_p(gtg_gen_t *g)
{
    for (size_t i = 0; i < g->gomaxprocs; i++) {
        if (g->ps[i].st == GTG_PS_IDLE && g->ps[i].m < 0) {
            return (int)i;
        }
    }
    return -1;
}

/* An initial goroutine on its own M; with a P in state `pst` if pst is
 * not idle (falls back to runnable when no P is left). */
static gtg_err_t world_bound(gtg_gen_t *g, gtg_gs_t st, gtg_ps_t pst)
{
    int p = pst == GTG_PS_IDLE ? -1 : idle_p(g);
    int m = (pst == GTG_PS_IDLE || p >= 0) ? gtg_new_m(g) : -1;
    if (m < 0 || (pst != GTG_PS_IDLE && p < 0)) {
        st = GTG_GS_RUNNABLE;
    }
    int gi = gtg_new_g(g, st);
    if (gi < 0) {
        return gtg_fail(g, GTG_ERR_NOMEM, "out of memory for goroutines");
    }
    if (st == GTG_GS_RUNNABLE) {
        return GTG_OK;
    }
    g->gs[gi].m = m;
    g->ms[m].g = gi;
    if (p >= 0) {
        g->ps[p].st = pst;
        g->ps[p].m = m;
        g->ms[m].p = p;
    }
    return GTG_OK;
}

static gtg_err_t world_g(gtg_gen_t *g, gtg_gs_t st)
{
    return gtg_new_g(g, st) < 0 ? gtg_fail(g, GTG_ERR_NOMEM, "out of memory") : GTG_OK;
}

static gtg_err_t run_g_running(gtg_gen_t *g, const char *a)
{
    (void)a;
    return world_bound(g, GTG_GS_RUNNING, GTG_PS_RUNNING);
}

static gtg_err_t run_g_runnable(gtg_gen_t *g, const char *a)
{
    (void)a;
    return world_g(g, GTG_GS_RUNNABLE);
}

static gtg_err_t run_g_waiting(gtg_gen_t *g, const char *a)
{
    (void)a;
    return world_g(g, GTG_GS_WAITING);
}

static gtg_err_t run_g_waiting_assist(gtg_gen_t *g, const char *a)
{
    (void)a;
    gtg_err_t err = world_g(g, GTG_GS_WAITING);
    if (err == GTG_OK) {
        g->gs[g->ng - 1].mark_assist = true;
    }
    return err;
}

static gtg_err_t run_g_parked(gtg_gen_t *g, const char *a)
{
    (void)a;
    gtg_err_t err = world_g(g, GTG_GS_WAITING);
    if (err == GTG_OK) {
        g->gs[g->ng - 1].sticky = true;
    }
    return err;
}

static gtg_err_t run_g_syscall_long(gtg_gen_t *g, const char *a)
{
    (void)a;
    gtg_err_t err = world_bound(g, GTG_GS_SYSCALL, GTG_PS_IDLE);
    if (err == GTG_OK && g->gs[g->ng - 1].st == GTG_GS_SYSCALL) {
        g->gs[g->ng - 1].sticky = true;
    }
    return err;
}

static gtg_err_t run_g_syscall(gtg_gen_t *g, const char *a)
{
    (void)a;
    return world_bound(g, GTG_GS_SYSCALL, GTG_PS_IDLE);
}

static gtg_err_t run_g_syscall_p(gtg_gen_t *g, const char *a)
{
    (void)a;
    return world_bound(g, GTG_GS_SYSCALL, GTG_PS_SYSCALL);
}

/* An M holding a P with no goroutine: spinning, looking for work. */
static gtg_err_t run_m_spinning(gtg_gen_t *g, const char *a)
{
    (void)a;
    int p = idle_p(g);
    int m = p >= 0 ? gtg_new_m(g) : -1;
    if (m >= 0) {
        g->ps[p].st = GTG_PS_RUNNING;
        g->ps[p].m = m;
        g->ms[m].p = p;
    }
    return GTG_OK;
}

static gtg_err_t run_gc_off(gtg_gen_t *g, const char *a)
{
    (void)a;
    g->gc = GTG_GC_OFF;
    return GTG_OK;
}

static gtg_err_t run_gc_on(gtg_gen_t *g, const char *a)
{
    (void)a;
    g->gc = GTG_GC_ON;
    g->gc_active_due = true;
    return GTG_OK;
}

/* ---------------------------------------------------------------- shape */

#define SHAPE(fn, field, value)                              \
    static gtg_err_t fn(gtg_gen_t *g, const char *a)         \
    {                                                        \
        (void)a;                                             \
        g->cur.field = (value);                              \
        return GTG_OK;                                       \
    }
SHAPE(run_sync_first, sync_first, true)
SHAPE(run_sync_last, sync_first, false)
SHAPE(run_batch_whole, split_batches, false)
SHAPE(run_batch_split, split_batches, true)
SHAPE(run_cpu_none, cpu_samples, false)
SHAPE(run_cpu_samples, cpu_samples, true)
SHAPE(run_keep_syscall_p, boundary_steal, false)
SHAPE(run_steal_syscall_p, boundary_steal, true)
#undef SHAPE

static gtg_err_t run_nop(gtg_gen_t *g, const char *a)
{
    (void)g;
    (void)a;
    return GTG_OK;
}

/* ---------------------------------------------------------------- table */

#define W GTG_NT_WORLD_G
#define S GTG_NT_STEP
const gtg_action_def_t gtg_actions[] = {
    /* name, nonterminal, cost (events, statuses included), since, can, run */
    {"g_running", W, 0, GTR_GO122, NULL, run_g_running},
    {"g_runnable", W, 0, GTR_GO122, NULL, run_g_runnable},
    {"g_waiting", W, 0, GTR_GO122, NULL, run_g_waiting},
    {"g_waiting_assist", W, 0, GTR_GO122, NULL, run_g_waiting_assist},
    {"g_parked", W, 0, GTR_GO122, NULL, run_g_parked},
    {"g_syscall", W, 0, GTR_GO122, NULL, run_g_syscall},
    {"g_syscall_long", W, 0, GTR_GO122, NULL, run_g_syscall_long},
    {"g_syscall_p", W, 0, GTR_GO122, NULL, run_g_syscall_p},
    {"m_spinning", W, 0, GTR_GO122, NULL, run_m_spinning},
    {"gc_off", GTG_NT_WORLD_GC, 0, GTR_GO122, NULL, run_gc_off},
    {"gc_on", GTG_NT_WORLD_GC, 0, GTR_GO122, NULL, run_gc_on},
    {"keep_syscall_p", GTG_NT_BOUNDARY, 0, GTR_GO122, NULL, run_keep_syscall_p},
    {"steal_syscall_p", GTG_NT_BOUNDARY, 0, GTR_GO122, NULL, run_steal_syscall_p},
    {"sync_first", GTG_NT_SYNC, 0, GTR_GO122, NULL, run_sync_first},
    {"sync_last", GTG_NT_SYNC, 0, GTR_GO122, NULL, run_sync_last},
    {"batch_whole", GTG_NT_BATCHES, 0, GTR_GO122, NULL, run_batch_whole},
    {"batch_split", GTG_NT_BATCHES, 0, GTR_GO122, NULL, run_batch_split},
    {"cpu_none", GTG_NT_CPU, 0, GTR_GO122, NULL, run_cpu_none},
    {"cpu_samples", GTG_NT_CPU, 0, GTR_GO122, NULL, run_cpu_samples},
    {"nop", S, 0, GTR_GO122, NULL, run_nop},
    {"thread_new", S, 0, GTR_GO122, gtg_can_thread_new, gtg_run_thread_new},
    {"proc_start", S, 6, GTR_GO122, gtg_can_proc_start, gtg_run_proc_start},
    {"proc_stop", S, 4, GTR_GO122, gtg_can_proc_stop, gtg_run_proc_stop},
    {"proc_steal", S, 8, GTR_GO122, gtg_can_proc_steal, gtg_run_proc_steal},
    {"proc_steal_self", S, 8, GTR_GO122, gtg_can_proc_steal_self, gtg_run_proc_steal_self},
    {"go_create", S, 5, GTR_GO122, gtg_can_go_create, gtg_run_go_create},
    {"go_create_blocked", S, 5, GTR_GO123, gtg_can_go_create, gtg_run_go_create_blocked},
    {"go_create_syscall", S, 1, GTR_GO122, gtg_can_go_create_syscall, gtg_run_go_create_syscall},
    {"go_start", S, 7, GTR_GO122, gtg_can_go_start, gtg_run_go_start},
    {"go_stop", S, 5, GTR_GO122, gtg_can_running, gtg_run_go_stop},
    {"go_block", S, 5, GTR_GO122, gtg_can_running, gtg_run_go_block},
    {"go_destroy", S, 5, GTR_GO122, gtg_can_running_no_assist, gtg_run_go_destroy},
    {"go_unblock", S, 7, GTR_GO122, gtg_can_go_unblock, gtg_run_go_unblock},
    {"go_unblock_sysmon", S, 3, GTR_GO122, gtg_can_go_unblock_sysmon, gtg_run_go_unblock_sysmon},
    {"go_switch", S, 7, GTR_GO123, gtg_can_go_switch, gtg_run_go_switch},
    {"go_park", S, 5, GTR_GO122, gtg_can_running, gtg_run_go_park},
    {"go_wake", S, 0, GTR_GO122, gtg_can_go_wake, gtg_run_go_wake},
    {"syscall_long", S, 5, GTR_GO122, gtg_can_syscall_begin, gtg_run_syscall_long},
    {"syscall_begin", S, 5, GTR_GO122, gtg_can_syscall_begin, gtg_run_syscall_begin},
    {"syscall_end", S, 5, GTR_GO122, gtg_can_syscall_end, gtg_run_syscall_end},
    {"syscall_handoff", S, 5, GTR_GO122, gtg_can_syscall_handoff, gtg_run_syscall_handoff},
    {"syscall_end_blocked", S, 5, GTR_GO122, gtg_can_syscall_end_blocked,
     gtg_run_syscall_end_blocked},
    {"syscall_reacquire", S, 8, GTR_GO122, gtg_can_syscall_reacquire, gtg_run_syscall_reacquire},
    {"go_destroy_syscall", S, 5, GTR_GO122, gtg_can_go_destroy_syscall,
     gtg_run_go_destroy_syscall},
    {"gc_begin", S, 5, GTR_GO122, gtg_can_gc_begin, gtg_run_gc_begin},
    {"gc_end", S, 5, GTR_GO122, gtg_can_gc_end, gtg_run_gc_end},
    {"sweep_begin", S, 5, GTR_GO122, gtg_can_sweep_begin, gtg_run_sweep_begin},
    {"sweep_end", S, 5, GTR_GO122, gtg_can_sweep_end, gtg_run_sweep_end},
    {"mark_assist_begin", S, 5, GTR_GO122, gtg_can_mark_assist_begin, gtg_run_mark_assist_begin},
    {"mark_assist_end", S, 5, GTR_GO122, gtg_can_mark_assist_end, gtg_run_mark_assist_end},
    {"heap_alloc", S, 4, GTR_GO122, gtg_can_heap, gtg_run_heap_alloc},
    {"heap_goal", S, 4, GTR_GO122, gtg_can_heap, gtg_run_heap_goal},
    {"alloc_free", S, 4, GTR_GO126, gtg_can_heap, gtg_run_alloc_free},
    {"stw", S, 6, GTR_GO122, gtg_can_running, gtg_run_stw},
    {"gomaxprocs", S, 7, GTR_GO122, gtg_can_running, gtg_run_gomaxprocs},
    {"task_begin", S, 5, GTR_GO122, gtg_can_running, gtg_run_task_begin},
    {"task_end", S, 5, GTR_GO122, gtg_can_has_task, gtg_run_task_end},
    {"region_begin", S, 5, GTR_GO122, gtg_can_running, gtg_run_region_begin},
    {"region_end", S, 5, GTR_GO122, gtg_can_region_end, gtg_run_region_end},
    {"log", S, 5, GTR_GO122, gtg_can_running, gtg_run_log},
    {"label", S, 5, GTR_GO122, gtg_can_running, gtg_run_label},
};
#undef W
#undef S
const size_t gtg_nactions = sizeof gtg_actions / sizeof gtg_actions[0];

int gtg_action_lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < gtg_nactions; i++) {
        if (strlen(gtg_actions[i].name) == len && memcmp(gtg_actions[i].name, name, len) == 0) {
            return (int)i;
        }
    }
    return -1;
}
