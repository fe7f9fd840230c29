/* act_sched.c: the scheduler actions of the grammar: Ps started, stopped
 * and stolen; goroutines created, started, stopped, blocked, unblocked,
 * switched and destroyed; syscalls entered and left with and without
 * their P.
 *
 * Each action is a precondition (can_*) and a move (run_*). The
 * precondition is the reader's: the context requirements and state checks
 * of the matching handler in x/exp/trace's order.go, plus what the runtime
 * never does (a sweeping P does not stop, a goroutine in a mark assist does
 * not enter a syscall). A move picks its participants with the choice
 * source, establishes the context with gtg_ctx (lazy statuses) and emits. */
#include "gtg_actions.h"

#include <string.h>

/* ---------------------------------------------------------- M predicates */

bool gtg_m_running(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    return m->p >= 0 && m->g >= 0 && g->ps[m->p].st == GTG_PS_RUNNING &&
           g->gs[m->g].st == GTG_GS_RUNNING;
}

static bool m_p_no_g(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    return m->p >= 0 && m->g < 0 && g->ps[m->p].st == GTG_PS_RUNNING;
}

static bool m_has_run_p(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    return m->p >= 0 && g->ps[m->p].st == GTG_PS_RUNNING &&
           (m->g < 0 || g->gs[m->g].st == GTG_GS_RUNNING);
}

bool gtg_any_m(gtg_gen_t *g, bool (*ok)(gtg_gen_t *, int))
{
    for (size_t i = 0; i < g->nm; i++) {
        if (ok(g, (int)i)) {
            return true;
        }
    }
    return false;
}

bool gtg_m_free(gtg_gen_t *g, int i)
{
    return g->ms[i].p < 0 && g->ms[i].g < 0;
}

bool gtg_m_syscall_with_p(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    return m->g >= 0 && g->gs[m->g].st == GTG_GS_SYSCALL && m->p >= 0 &&
           g->ps[m->p].st == GTG_PS_SYSCALL;
}

/* Only a free M starts a P here: an M in a syscall is blocked in the
 * kernel, and reacquires a P only on its way out (syscall_reacquire). */
static bool m_can_acquire(gtg_gen_t *g, int i)
{
    return g->ms[i].p < 0 && g->ms[i].g < 0;
}

/* A thief runs: it is not blocked in a syscall itself. */
static bool m_can_steal(const gtg_gen_t *g, int i)
{
    return g->ms[i].g < 0 || g->gs[g->ms[i].g].st != GTG_GS_SYSCALL;
}

/* Goroutines in state st that actions may pick (sticky ones excepted),
 * as of the last census. */
static int count_g(const gtg_gen_t *g, gtg_gs_t st)
{
    return (int)g->census.free[st];
}

static int pick_idle_p(gtg_gen_t *g)
{
    int cand[GTG_MAX_P];
    size_t n = 0;
    for (size_t i = 0; i < g->gomaxprocs; i++) {
        if (g->ps[i].st == GTG_PS_IDLE) {
            cand[n++] = (int)i;
        }
    }
    return n ? cand[gtg_choose(g->c, n)] : -1;
}

bool gtg_room_g(const gtg_gen_t *g)
{
    return g->created < g->max_goroutines && g->ng < GTG_MAX_G;
}

/* Moves the running goroutine of M off it, into state `to`. */
static void unbind_g(gtg_gen_t *g, int m, gtg_gs_t to)
{
    int gi = g->ms[m].g;
    gtg_truth_trans(g, gi, g->gs[gi].st, to, false, false);
    g->gs[gi].st = to;
    g->gs[gi].m = -1;
    g->ms[m].g = -1;
}

/* ------------------------------------------------------------------ Ps */

bool gtg_can_proc_start(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    bool idle = false;
    for (size_t i = 0; i < g->gomaxprocs && !idle; i++) {
        idle = g->ps[i].st == GTG_PS_IDLE;
    }
    if (!idle) {
        return false;
    }
    for (size_t i = 0; i < g->nm; i++) {
        if (m_can_acquire(g, (int)i)) {
            return true;
        }
    }
    return g->nm < g->threads_cap;
}

/* M acquires idle P: ProcStart with the P's next sequence number. Shared by
 * the plain start and the return from a syscall on a new P. */
gtg_err_t gtg_start_p(gtg_gen_t *g, int m, int p)
{
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_touch_p(g, m, p);
    }
    if (err != GTG_OK) {
        return err;
    }
    g->ps[p].seq++;
    err = gtg_emit(g, m, GTR_EV_PROC_START, (uint64_t[]){g->ps[p].id, g->ps[p].seq}, 2);
    g->ps[p].st = GTG_PS_RUNNING;
    g->ps[p].m = m;
    g->ms[m].p = p;
    g->focus_m = m;
    return err;
}

gtg_err_t gtg_run_proc_start(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_can_acquire);
    if (m < 0 && (m = gtg_new_m(g)) < 0) {
        return GTG_OK;
    }
    int p = pick_idle_p(g);
    if (p < 0) {
        return GTG_OK;
    }
    return gtg_start_p(g, m, p);
}

static bool m_can_stop(gtg_gen_t *g, int i)
{
    return m_p_no_g(g, i) && !g->ps[g->ms[i].p].sweep;
}

bool gtg_can_proc_stop(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_can_stop);
}

gtg_err_t gtg_run_proc_stop(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_can_stop);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_emit(g, m, GTR_EV_PROC_STOP, NULL, 0);
    }
    int p = g->ms[m].p;
    g->ps[p].st = GTG_PS_IDLE;
    g->ps[p].m = -1;
    g->ms[m].p = -1;
    g->focus_m = m;
    return err;
}

/* A P another M may steal: in a syscall on some other M, or abandoned. */
static bool stealable(const gtg_gen_t *g, int p, int thief)
{
    const gtg_p_t *pp = &g->ps[p];
    return (pp->st == GTG_PS_SYSCALL && pp->m != thief) || pp->st == GTG_PS_ABANDONED;
}

bool gtg_can_proc_steal(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    for (size_t p = 0; p < g->np; p++) {
        if (stealable(g, (int)p, -1)) {
            return true;
        }
    }
    return false;
}

/* The variant "abandoned" announces a syscalling P, untraced so far in
 * this generation, as ProcStatus SyscallAbandoned from the thief, as the
 * runtime does when it catches a P in a syscall from another thread. */
static gtg_err_t announce_victim(gtg_gen_t *g, int thief, int p, bool abandoned)
{
    gtg_p_t *pp = &g->ps[p];
    if (!abandoned || pp->traced || pp->st != GTG_PS_SYSCALL || pp->sweep) {
        return gtg_touch_p(g, thief, p);
    }
    pp->traced = true;
    pp->seq = 0;
    gtg_err_t err = gtg_emit(g, thief, GTR_EV_PROC_STATUS,
                             (uint64_t[]){pp->id, GTR_WIRE_P_SYSCALL_ABANDONED}, 2);
    /* Later generations: the reader files this status under the victim's
     * context, so its goroutine counts as the event's. */
    if (g->gi > 0 && g->ms[pp->m].g >= 0) {
        gtg_truth_ctx(g, g->ms[pp->m].g);
    }
    return err;
}

gtg_err_t gtg_steal(gtg_gen_t *g, int thief, int p, bool abandoned)
{
    gtg_err_t err = gtg_ctx(g, thief);
    if (err == GTG_OK) {
        err = announce_victim(g, thief, p, abandoned);
    }
    if (err != GTG_OK) {
        return err;
    }
    gtg_p_t *pp = &g->ps[p];
    uint64_t victim = pp->st == GTG_PS_ABANDONED ? pp->last_m : g->ms[pp->m].id;
    pp->seq++;
    err = gtg_emit(g, thief, GTR_EV_PROC_STEAL, (uint64_t[]){pp->id, pp->seq, victim}, 3);
    if (pp->m >= 0) {
        g->ms[pp->m].p = -1;
    }
    pp->st = GTG_PS_IDLE;
    pp->m = -1;
    return err;
}

gtg_err_t gtg_run_proc_steal(gtg_gen_t *g, const char *arg)
{
    int cand[GTG_MAX_P];
    size_t n = 0;
    for (size_t p = 0; p < g->np; p++) {
        if (stealable(g, (int)p, -1)) {
            cand[n++] = (int)p;
        }
    }
    if (n == 0) {
        return GTG_OK;
    }
    int p = cand[gtg_choose(g->c, n)];
    /* The thief is any other M: a spinning one, or a new thread. */
    int thief = -1;
    for (size_t tries = 0; tries < 4 && thief < 0; tries++) {
        int m = (int)gtg_choose(g->c, g->nm);
        if (m != g->ps[p].m && m_can_steal(g, m)) {
            thief = m;
        }
    }
    if (thief < 0 && (thief = gtg_new_m(g)) < 0) {
        return GTG_OK;
    }
    g->focus_m = thief;
    return gtg_steal(g, thief, p, arg != NULL && strcmp(arg, "abandoned") == 0);
}

/* exitsyscall on the slow path: the M takes its own P out of the syscall
 * state (a self-steal) and the goroutine leaves without a P. */
static bool m_self_steal(gtg_gen_t *g, int i)
{
    return gtg_m_syscall_with_p(g, i) && !g->gs[g->ms[i].g].cgo && !g->gs[g->ms[i].g].sticky;
}

bool gtg_can_proc_steal_self(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_self_steal);
}

gtg_err_t gtg_run_proc_steal_self(gtg_gen_t *g, const char *arg)
{
    int m = gtg_pick_m(g, m_self_steal);
    if (m < 0) {
        return GTG_OK;
    }
    g->focus_m = m;
    gtg_err_t err = gtg_steal(g, m, g->ms[m].p, false);
    return err != GTG_OK ? err : gtg_run_syscall_end_blocked(g, arg);
}

/* ---------------------------------------------------------- goroutines */

static gtg_err_t create(gtg_gen_t *g, gtg_gs_t st, uint8_t type)
{
    int m = gtg_pick_m(g, m_has_run_p);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    int ng = gtg_new_g(g, st);
    if (err != GTG_OK || ng < 0) {
        return err != GTG_OK ? err : gtg_fail(g, GTG_ERR_NOMEM, "out of memory for goroutines");
    }
    g->gs[ng].traced = true; /* creation is its status in this generation */
    gtg_truth_trans(g, ng, GTG_GS_DEAD, st, false, false);
    uint64_t args[3] = {g->gs[ng].id, gtg_stack(g, g->gs[ng].stack), gtg_any_stack(g)};
    g->focus_m = m;
    return gtg_emit(g, m, type, args, 3);
}

bool gtg_can_go_create(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    if (!gtg_room_g(g)) {
        return false;
    }
    return gtg_any_m(g, m_has_run_p);
}

gtg_err_t gtg_run_go_create(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return create(g, GTG_GS_RUNNABLE, GTR_EV_GO_CREATE);
}

gtg_err_t gtg_run_go_create_blocked(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return create(g, GTG_GS_WAITING, GTR_EV_GO_CREATE_BLOCKED);
}

bool gtg_can_go_start(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    if (count_g(g, GTG_GS_RUNNABLE) == 0) {
        return false;
    }
    return gtg_any_m(g, m_p_no_g);
}

gtg_err_t gtg_run_go_start(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_p_no_g);
    int gi = gtg_pick_g(g, GTG_GS_RUNNABLE, false);
    if (m < 0 || gi < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_touch_g(g, m, gi);
    }
    if (err != GTG_OK) {
        return err;
    }
    gtg_g_t *gr = &g->gs[gi];
    gr->seq++;
    err = gtg_emit(g, m, GTR_EV_GO_START, (uint64_t[]){gr->id, gr->seq}, 2);
    gtg_truth_trans(g, gi, GTG_GS_RUNNABLE, GTG_GS_RUNNING, false, false);
    gr->st = GTG_GS_RUNNING;
    gr->m = m;
    g->ms[m].g = gi;
    g->focus_m = m;
    return err;
}

bool gtg_can_running(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, gtg_m_running);
}

/* GoStop and GoBlock: the running goroutine leaves its M. */
static gtg_err_t stop_running(gtg_gen_t *g, const char *reason, uint8_t type, gtg_gs_t to)
{
    int m = gtg_pick_m(g, gtg_m_running);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err != GTG_OK) {
        return err;
    }
    uint64_t args[2] = {gtg_string(g, reason), gtg_stack(g, g->gs[g->ms[m].g].stack)};
    err = gtg_emit(g, m, type, args, 2);
    unbind_g(g, m, to);
    g->focus_m = m;
    return err;
}

gtg_err_t gtg_run_go_stop(gtg_gen_t *g, const char *arg)
{
    return stop_running(g, arg != NULL ? arg : "preempted", GTR_EV_GO_STOP, GTG_GS_RUNNABLE);
}

/* go_park: block and stay blocked (a leaked goroutine, a long select)
 * until go_wake, so generations pass without an event for it. */
gtg_err_t gtg_run_go_park(gtg_gen_t *g, const char *arg)
{
    int m = gtg_pick_m(g, gtg_m_running);
    if (m < 0) {
        return GTG_OK;
    }
    g->gs[g->ms[m].g].sticky = true;
    g->focus_m = m;
    return gtg_run_go_block(g, arg != NULL ? arg : "forever");
}

bool gtg_can_go_wake(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return g->census.sticky > 0;
}

/* Ends a park or a long syscall: the goroutine is pickable again. */
gtg_err_t gtg_run_go_wake(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    size_t n = 0;
    for (size_t i = 0; i < g->ng; i++) {
        n += g->gs[i].sticky;
    }
    size_t k = gtg_choose(g->c, n);
    for (size_t i = 0; i < g->ng; i++) {
        if (g->gs[i].sticky && k-- == 0) {
            g->gs[i].sticky = false;
            break;
        }
    }
    return GTG_OK;
}

gtg_err_t gtg_run_go_block(gtg_gen_t *g, const char *arg)
{
    int m = gtg_pick_m(g, gtg_m_running);
    if (m >= 0) {
        /* Blocked goroutines report where they sit: move the stack. */
        g->gs[g->ms[m].g].stack = (uint8_t)gtg_choose(g->c, GTG_NSTACKS);
        g->focus_m = m;
    }
    return stop_running(g, arg != NULL ? arg : "chan receive", GTR_EV_GO_BLOCK, GTG_GS_WAITING);
}

static bool m_running_no_assist(gtg_gen_t *g, int i)
{
    return gtg_m_running(g, i) && !g->gs[g->ms[i].g].mark_assist;
}

bool gtg_can_running_no_assist(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_running_no_assist);
}

gtg_err_t gtg_run_go_destroy(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_running_no_assist);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_emit(g, m, GTR_EV_GO_DESTROY, NULL, 0);
    }
    unbind_g(g, m, GTG_GS_DEAD);
    g->focus_m = m;
    return err;
}

bool gtg_can_go_unblock(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    if (count_g(g, GTG_GS_WAITING) == 0) {
        return false;
    }
    return gtg_any_m(g, m_has_run_p);
}

/* Anything may unblock a goroutine: a running goroutine, a spinning M, or
 * a thread with neither P nor goroutine (sysmon, the netpoller). */
static gtg_err_t unblock_from(gtg_gen_t *g, int m)
{
    int gi = gtg_pick_g(g, GTG_GS_WAITING, false);
    if (m < 0 || gi < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_touch_g(g, m, gi);
    }
    if (err != GTG_OK) {
        return err;
    }
    gtg_g_t *gr = &g->gs[gi];
    gr->seq++;
    err = gtg_emit(g, m, GTR_EV_GO_UNBLOCK, (uint64_t[]){gr->id, gr->seq, gtg_any_stack(g)}, 3);
    gtg_truth_trans(g, gi, GTG_GS_WAITING, GTG_GS_RUNNABLE, false, false);
    gr->st = GTG_GS_RUNNABLE;
    g->focus_m = m;
    return err;
}

gtg_err_t gtg_run_go_unblock(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return unblock_from(g, gtg_pick_m(g, m_has_run_p));
}

bool gtg_can_go_unblock_sysmon(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return count_g(g, GTG_GS_WAITING) > 0;
}

gtg_err_t gtg_run_go_unblock_sysmon(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, gtg_m_free);
    if (m < 0 && (m = gtg_new_m(g)) < 0) {
        return GTG_OK;
    }
    return unblock_from(g, m);
}

static bool m_switchable(gtg_gen_t *g, int i)
{
    return gtg_m_running(g, i) && count_g(g, GTG_GS_WAITING) > 0;
}

bool gtg_can_go_switch(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return count_g(g, GTG_GS_WAITING) > 0 && gtg_can_running(g, NULL);
}

/* GoSwitch: the running goroutine hands its M to a waiting one (iter.Pull
 * coroutines) and blocks, or exits (GoSwitchDestroy). */
gtg_err_t gtg_run_go_switch(gtg_gen_t *g, const char *arg)
{
    bool destroy = arg != NULL && strcmp(arg, "destroy") == 0;
    int m = gtg_pick_m(g, m_switchable);
    int next = gtg_pick_g(g, GTG_GS_WAITING, false);
    if (m < 0 || next < 0 || (destroy && g->gs[g->ms[m].g].mark_assist)) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_touch_g(g, m, next);
    }
    if (err != GTG_OK) {
        return err;
    }
    gtg_g_t *nx = &g->gs[next];
    nx->seq++;
    err = gtg_emit(g, m, destroy ? GTR_EV_GO_SWITCH_DESTROY : GTR_EV_GO_SWITCH,
                   (uint64_t[]){nx->id, nx->seq}, 2);
    unbind_g(g, m, destroy ? GTG_GS_DEAD : GTG_GS_WAITING);
    gtg_truth_trans(g, next, GTG_GS_WAITING, GTG_GS_RUNNABLE, false, false);
    gtg_truth_trans(g, next, GTG_GS_RUNNABLE, GTG_GS_RUNNING, false, false);
    nx->st = GTG_GS_RUNNING;
    nx->m = m;
    g->ms[m].g = next;
    g->focus_m = m;
    return err;
}
