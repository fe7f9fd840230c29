/* act_syscall.c: syscall actions: entering one with the P (which goes to
 * the syscall state with the goroutine), leaving it with the P still held,
 * handing the P off while blocked (entersyscallblock), leaving after the P
 * was stolen (GoSyscallEndBlocked, with or without reacquiring a P), and
 * cgo callbacks, whose goroutines are born and may die in a syscall.
 *
 * These are the moves behind "in a syscall for the whole generation": a
 * goroutine that entered a syscall, lost its P and is not touched again
 * gets its status (with a stack, go1.23+) only at the generation's end. */
#include "gtg_actions.h"

static bool m_can_enter(gtg_gen_t *g, int i)
{
    if (!gtg_m_running(g, i)) {
        return false;
    }
    const gtg_m_t *m = &g->ms[i];
    return !g->ps[m->p].sweep && !g->gs[m->g].mark_assist;
}

/* Syscalls that may end now: not a long one. */
static bool m_syscall_ends(gtg_gen_t *g, int i)
{
    return gtg_m_syscall_with_p(g, i) && !g->gs[g->ms[i].g].sticky;
}

static bool m_syscall_lost_p(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    return m->g >= 0 && g->gs[m->g].st == GTG_GS_SYSCALL && !g->gs[m->g].sticky &&
           (m->p < 0 || g->ps[m->p].st == GTG_PS_RUNNING);
}

static bool m_syscall_no_p(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    return m->p < 0 && m->g >= 0 && g->gs[m->g].st == GTG_GS_SYSCALL && !g->gs[m->g].sticky;
}

bool gtg_can_syscall_begin(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_can_enter);
}

/* A syscall that outlives generations (a blocking read, a cgo call): it
 * only ends after go_wake. */
gtg_err_t gtg_run_syscall_long(gtg_gen_t *g, const char *arg)
{
    int m = gtg_pick_m(g, m_can_enter);
    if (m < 0) {
        return GTG_OK;
    }
    g->focus_m = m;
    gtg_err_t err = gtg_run_syscall_begin(g, arg);
    g->gs[g->ms[m].g].sticky = true;
    return err;
}

gtg_err_t gtg_run_syscall_begin(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_can_enter);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err != GTG_OK) {
        return err;
    }
    gtg_p_t *p = &g->ps[g->ms[m].p];
    int gi = g->ms[m].g;
    p->seq++;
    err = gtg_emit(g, m, GTR_EV_GO_SYSCALL_BEGIN, (uint64_t[]){p->seq, gtg_any_stack(g)}, 2);
    gtg_truth_trans(g, gi, GTG_GS_RUNNING, GTG_GS_SYSCALL, false, false);
    g->gs[gi].st = GTG_GS_SYSCALL;
    p->st = GTG_PS_SYSCALL;
    g->focus_m = m;
    return err;
}

bool gtg_can_syscall_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_syscall_ends);
}

gtg_err_t gtg_run_syscall_end(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_syscall_ends);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_emit(g, m, GTR_EV_GO_SYSCALL_END, NULL, 0);
    }
    int gi = g->ms[m].g;
    gtg_truth_trans(g, gi, GTG_GS_SYSCALL, GTG_GS_RUNNING, false, false);
    g->gs[gi].st = GTG_GS_RUNNING;
    g->ps[g->ms[m].p].st = GTG_PS_RUNNING;
    g->focus_m = m;
    return err;
}

/* entersyscallblock: the M gives its P away itself (ProcStop) and keeps
 * the goroutine, which stays in the syscall without a P. Only right after
 * the goroutine was traced this generation (its GoSyscallBegin): an M
 * blocked in the kernel writes nothing, so a lazy status written here
 * would make a stackless "syscall for the whole generation". */
static bool m_handoff(gtg_gen_t *g, int i)
{
    return gtg_m_syscall_with_p(g, i) && g->gs[g->ms[i].g].traced && !g->ps[g->ms[i].p].sweep;
}

bool gtg_can_syscall_handoff(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_handoff);
}

gtg_err_t gtg_run_syscall_handoff(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_handoff);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_emit(g, m, GTR_EV_PROC_STOP, NULL, 0);
    }
    gtg_p_t *p = &g->ps[g->ms[m].p];
    p->st = GTG_PS_IDLE;
    p->m = -1;
    g->ms[m].p = -1;
    g->focus_m = m;
    return err;
}

bool gtg_can_syscall_end_blocked(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_syscall_lost_p);
}

gtg_err_t gtg_run_syscall_end_blocked(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_syscall_lost_p);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_emit(g, m, GTR_EV_GO_SYSCALL_END_BLOCKED, NULL, 0);
    }
    int gi = g->ms[m].g;
    gtg_truth_trans(g, gi, GTG_GS_SYSCALL, GTG_GS_RUNNABLE, false, false);
    g->gs[gi].st = GTG_GS_RUNNABLE;
    g->gs[gi].m = -1;
    g->ms[m].g = -1;
    g->focus_m = m;
    return err;
}

bool gtg_can_syscall_reacquire(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    bool idle = false;
    for (size_t i = 0; i < g->gomaxprocs && !idle; i++) {
        idle = g->ps[i].st == GTG_PS_IDLE;
    }
    return idle && gtg_any_m(g, m_syscall_no_p);
}

/* exitsyscall after losing the P: the M grabs an idle P (ProcStart) and
 * the goroutine leaves the syscall runnable (GoSyscallEndBlocked). */
gtg_err_t gtg_run_syscall_reacquire(gtg_gen_t *g, const char *arg)
{
    int m = gtg_pick_m(g, m_syscall_no_p);
    int cand[GTG_MAX_P];
    size_t n = 0;
    for (size_t i = 0; i < g->gomaxprocs; i++) {
        if (g->ps[i].st == GTG_PS_IDLE) {
            cand[n++] = (int)i;
        }
    }
    if (m < 0 || n == 0) {
        return GTG_OK;
    }
    int p = cand[gtg_choose(g->c, n)];
    gtg_err_t err = gtg_start_p(g, m, p);
    return err != GTG_OK ? err : gtg_run_syscall_end_blocked(g, arg);
}

bool gtg_can_go_create_syscall(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_room_g(g) && (gtg_any_m(g, gtg_m_free) || g->nm < g->threads_cap);
}

/* A cgo callback on a thread the runtime did not start: the goroutine
 * comes into being already in a syscall, bound to that thread. */
gtg_err_t gtg_run_go_create_syscall(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, gtg_m_free);
    if (m < 0 && (m = gtg_new_m(g)) < 0) {
        return GTG_OK;
    }
    int gi = gtg_new_g(g, GTG_GS_SYSCALL);
    if (gi < 0) {
        return gtg_fail(g, GTG_ERR_NOMEM, "out of memory for goroutines");
    }
    gtg_g_t *gr = &g->gs[gi];
    gr->traced = true;
    gr->cgo = true;
    gr->m = m;
    gtg_err_t err = gtg_emit(g, m, GTR_EV_GO_CREATE_SYSCALL, (uint64_t[]){gr->id}, 1);
    gtg_truth_trans(g, gi, GTG_GS_DEAD, GTG_GS_SYSCALL, false, false);
    g->ms[m].g = gi;
    g->focus_m = m;
    return err;
}

static bool m_cgo_exit(gtg_gen_t *g, int i)
{
    const gtg_m_t *m = &g->ms[i];
    if (m->g < 0 || !g->gs[m->g].cgo || g->gs[m->g].st != GTG_GS_SYSCALL) {
        return false;
    }
    return m->p < 0 || (g->ps[m->p].st == GTG_PS_SYSCALL && !g->ps[m->p].sweep);
}

bool gtg_can_go_destroy_syscall(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    return gtg_any_m(g, m_cgo_exit);
}

/* The callback returns to C: the goroutine vanishes, and a P still held
 * in the syscall is abandoned until some M steals it. */
gtg_err_t gtg_run_go_destroy_syscall(gtg_gen_t *g, const char *arg)
{
    (void)arg;
    int m = gtg_pick_m(g, m_cgo_exit);
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_ctx(g, m);
    if (err == GTG_OK) {
        err = gtg_emit(g, m, GTR_EV_GO_DESTROY_SYSCALL, NULL, 0);
    }
    int gi = g->ms[m].g;
    gtg_truth_trans(g, gi, GTG_GS_SYSCALL, GTG_GS_DEAD, false, false);
    g->gs[gi].st = GTG_GS_DEAD;
    g->gs[gi].m = -1;
    g->ms[m].g = -1;
    if (g->ms[m].p >= 0) {
        gtg_p_t *p = &g->ps[g->ms[m].p];
        p->st = GTG_PS_ABANDONED;
        p->last_m = g->ms[m].id;
        p->m = -1;
        g->ms[m].p = -1;
    }
    g->focus_m = m;
    return err;
}
