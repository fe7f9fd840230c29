/* order_sched.c: ordering handlers for the scheduler: proc status, start,
 * stop and steal; goroutine status, creation, start, stop, block, unblock,
 * switch; syscalls and cgo-callback goroutines. Each mirrors the handler of
 * the same event in Go's order.go: same preconditions in the same order,
 * same state changes, same queued events, same messages. */
#include "order_int.h"

/* tracev2 status -> API state, as Go's tables map them. */
static const uint8_t pstatus_state[5] = {GTR_PROC_UNDETERMINED, GTR_PROC_RUNNING, GTR_PROC_IDLE,
                                         GTR_PROC_RUNNING, GTR_PROC_IDLE};
static const uint8_t gstatus_state[5] = {GTR_GO_UNDETERMINED, GTR_GO_RUNNABLE, GTR_GO_RUNNING,
                                         GTR_GO_SYSCALL, GTR_GO_WAITING};

/* A ProcStatus promoted from SyscallAbandoned is emitted in the context of
 * the thread the proc is bound to. Go takes the last match of a map walk,
 * so with several matches (a hostile trace: several threads claim the
 * proc, or the proc is NoProc) its choice is random; this takes the last
 * in the order the threads were first seen and counts the matches in
 * *choices (gtr_event_ctx_choices). */
static int find_bound_ctx(adv_t *a, int64_t pid, gtr_ctx_t *cur, uint64_t *choices)
{
    *choices = 0;
    for (size_t i = 0; i < a->o->nms; i++) {
        if (a->o->ms[i].p == pid) {
            cur->m = a->o->ms[i].id;
            cur->p = pid;
            cur->g = a->o->ms[i].g;
            (*choices)++;
        }
    }
    if (*choices == 0) {
        return ORDER_ERR(a, "failed to find sched context for proc %lld that's about to be stolen",
                         LL(pid));
    }
    return GTR_OK;
}

int gtr_adv_proc_status(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    gtr_base_t *ev = a->ev;
    int64_t pid = (int64_t)ev->args[0];
    uint8_t status = (uint8_t)ev->args[1];
    if (status >= 5) {
        return ORDER_ERR(a, "invalid status for proc %lld: %u", LL(pid), status);
    }
    uint8_t old = pstatus_state[status];
    gtr_pstate_t *s = gtr_op_get(a->o, pid);
    if (s != NULL) {
        if (status == P_ABANDONED && s->status == P_SYSCALL) {
            /* Nothing was lost: the proc is still in its syscall. */
            old = GTR_PROC_RUNNING;
            ev->args[1] = P_SYSCALL;
        } else if (status == P_ABANDONED && s->status == P_ABANDONED) {
            old = GTR_PROC_IDLE;
            ev->args[1] = P_ABANDONED;
        } else if (s->status != status) {
            return ORDER_ERR(a, "inconsistent status for proc %lld: old %s vs. new %s", LL(pid),
                             gtr_pstatus_str(s->status), gtr_pstatus_str(status));
        }
        s->seq = gtr_mkseq(a->gen, 0);
    } else {
        FORWARD_IF_ERROR(gtr_op_new(a->o, pid, status, gtr_mkseq(a->gen, 0)));
        old = a->gen == a->o->initial_gen ? GTR_PROC_UNDETERMINED : GTR_PROC_NOT_EXIST;
    }
    ev->args[2] = old; /* the transition's "from" */
    ev->args[3] = 1;   /* threads the context could come from */
    if (status == P_RUNNING || status == P_SYSCALL) {
        next->p = pid;
    }
    if (status == P_ABANDONED && old == GTR_PROC_RUNNING) {
        FORWARD_IF_ERROR(find_bound_ctx(a, pid, &cur, &ev->args[3]));
    }
    *ok = true;
    return gtr_oq_push(a, cur, ev);
}

int gtr_adv_proc_start(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    int64_t pid = (int64_t)a->ev->args[0];
    gtr_seq_t seq = gtr_mkseq(a->gen, a->ev->args[1]);
    gtr_pstate_t *s = gtr_op_get(a->o, pid);
    /* Not yet: the status, the sequence or this thread's proc may come
     * later on another M. */
    if (s == NULL || s->status != P_IDLE || !gtr_seq_succeeds(seq, s->seq) ||
        cur.p != GTR_NO_PROC) {
        return GTR_OK;
    }
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MUST_NOT, MAY));
    s->status = P_RUNNING;
    s->seq = seq;
    next->p = pid;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_proc_stop(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    gtr_pstate_t *s = gtr_op_get(a->o, cur.p);
    if (s == NULL) {
        return ORDER_ERR(a, "event %s for proc (%lld) that doesn't exist",
                         gtr_oev_name(a, a->ev->typ), LL(cur.p));
    }
    if (s->status != P_RUNNING && s->status != P_SYSCALL) {
        return ORDER_ERR(a, "%s event for proc that's not %s or %s", gtr_oev_name(a, a->ev->typ),
                         "Running", "Syscall");
    }
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MUST, MAY));
    s->status = P_IDLE;
    next->p = GTR_NO_PROC;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

/* The part of ProcSteal that concerns the thread the proc is taken from. */
static int steal_from(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, int64_t pid)
{
    int64_t mid = (int64_t)a->ev->args[2];
    if (mid == cur.m) {
        if (cur.p != pid) {
            return ORDER_ERR(a, "tried to self-steal proc %lld (thread %lld), but got proc %lld "
                                "instead", LL(pid), LL(mid), LL(cur.p));
        }
        next->p = GTR_NO_PROC;
        return gtr_oq_push(a, cur, a->ev);
    }
    long mi = gtr_om_find(a->o, mid);
    if (mi < 0) {
        return ORDER_ERR(a, "stole proc from non-existent thread %lld", LL(mid));
    }
    if (a->o->ms[mi].p != pid) {
        return ORDER_ERR(a, "tried to steal proc %lld from thread %lld, but got proc %lld instead",
                         LL(pid), LL(mid), LL(a->o->ms[mi].p));
    }
    /* The victim is leaving its syscall; it may now go on without a P. */
    a->o->ms[mi].p = GTR_NO_PROC;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_proc_steal(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    int64_t pid = (int64_t)a->ev->args[0];
    gtr_seq_t seq = gtr_mkseq(a->gen, a->ev->args[1]);
    gtr_pstate_t *s = gtr_op_get(a->o, pid);
    if (s == NULL || (s->status != P_SYSCALL && s->status != P_ABANDONED) ||
        !gtr_seq_succeeds(seq, s->seq)) {
        return GTR_OK;
    }
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MAY, MAY));
    uint8_t old = s->status;
    a->ev->args[3] = old; /* read back by the transition: Running or Idle before */
    s->status = P_IDLE;
    s->seq = seq;
    *ok = true;
    if (old == P_ABANDONED) {
        return gtr_oq_push(a, cur, a->ev);
    }
    return steal_from(a, cur, next, pid);
}

/* The Syscall case of GoStatus: the goroutine sits on thread mid. */
static int go_status_syscall(adv_t *a, gtr_ctx_t *cur, gtr_ctx_t *next, int64_t gid,
                             int64_t mid)
{
    if (mid == GTR_NO_THREAD) {
        return ORDER_ERR(a, "found goroutine %lld in syscall without a thread", LL(gid));
    }
    if (mid == cur->m) {
        if (a->gen != a->o->initial_gen && cur->g != gid) {
            return ORDER_ERR(a, "inconsistent thread for syscalling goroutine %lld: thread has "
                                "goroutine %lld", LL(gid), LL(cur->g));
        }
        next->g = gid;
        return GTR_OK;
    }
    long mi = gtr_om_find(a->o, mid);
    if (mi >= 0) {
        if (a->o->ms[mi].g != gid) {
            return ORDER_ERR(a, "inconsistent thread for syscalling goroutine %lld: thread has "
                                "goroutine %lld", LL(gid), LL(a->o->ms[mi].g));
        }
        cur->g = a->o->ms[mi].g;
    } else {
        /* First sight of this thread: this event binds the goroutine. */
        FORWARD_IF_ERROR(gtr_om_add(a->o, mid, gid, GTR_NO_PROC, &mi));
    }
    cur->m = mid;
    return GTR_OK;
}

int gtr_adv_go_status(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    gtr_base_t *ev = a->ev;
    int64_t gid = (int64_t)ev->args[0], mid = (int64_t)ev->args[1];
    uint8_t status = (uint8_t)ev->args[2];
    if (status >= 5) {
        return ORDER_ERR(a, "invalid status for goroutine %lld: %u", LL(gid), status);
    }
    uint64_t old = gstatus_state[status];
    gtr_gstate_t *s = gtr_og_get(a->o, gid);
    if (s != NULL) {
        if (s->status != status) {
            return ORDER_ERR(a, "inconsistent status for goroutine %lld: old %s vs. new %s",
                             LL(gid), gtr_gstatus_str(s->status), gtr_gstatus_str(status));
        }
        s->seq = gtr_mkseq(a->gen, 0);
    } else if (a->gen == a->o->initial_gen) {
        FORWARD_IF_ERROR(gtr_og_new(a->o, gid, status, gtr_mkseq(a->gen, 0)));
        old = GTR_GO_UNDETERMINED;
    } else {
        return ORDER_ERR(a, "found goroutine status for new goroutine after the first "
                            "generation: id=%lld status=%s", LL(gid), gtr_gstatus_str(status));
    }
    ev->args[2] = old << 32 | status;
    if (status == G_RUNNING) {
        next->g = gid;
    } else if (status == G_SYSCALL) {
        FORWARD_IF_ERROR(go_status_syscall(a, &cur, next, gid, mid));
    }
    *ok = true;
    return gtr_oq_push(a, cur, ev);
}

int gtr_adv_go_create(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MUST, MAY));
    gtr_gstate_t *s = gtr_og_get(a->o, cur.g);
    if (s != NULL && s->status != G_RUNNING) {
        return ORDER_ERR(a, "%s event for goroutine that's not %s", gtr_oev_name(a, a->ev->typ),
                         "Running");
    }
    int64_t newg = (int64_t)a->ev->args[0];
    if (gtr_og_get(a->o, newg) != NULL) {
        return ORDER_ERR(a, "tried to create goroutine (%lld) that already exists", LL(newg));
    }
    uint8_t status = a->ev->typ == GTR_EV_GO_CREATE_BLOCKED ? G_WAITING : G_RUNNABLE;
    FORWARD_IF_ERROR(gtr_og_new(a->o, newg, status, gtr_mkseq(a->gen, 0)));
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

/* current_g's failure: the goroutine is unknown or not in the state. */
static int current_g_err(adv_t *a, const gtr_gstate_t *s, int64_t gid, const char *want_name)
{
    if (s == NULL) {
        return ORDER_ERR(a, "event %s for goroutine (%lld) that doesn't exist",
                         gtr_oev_name(a, a->ev->typ), LL(gid));
    }
    return ORDER_ERR(a, "%s event for goroutine that's not %s", gtr_oev_name(a, a->ev->typ),
                     want_name);
}

/* The running goroutine of the context, which must be in `want`. Inline:
 * GoStop, GoBlock and the syscall events call it for nearly every event
 * they advance; only a failure goes out of line. */
static inline int current_g(adv_t *a, gtr_ctx_t cur, uint8_t want, const char *want_name,
                            gtr_gstate_t **out)
{
    gtr_gstate_t *s = gtr_og_get(a->o, cur.g);
    if (s == NULL || s->status != want) {
        return current_g_err(a, s, cur.g, want_name);
    }
    *out = s;
    return GTR_OK;
}

int gtr_adv_go_stop_exec(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    gtr_gstate_t *s = NULL; /* set by current_g when it succeeds */
    FORWARD_IF_ERROR(USER_GO(a, cur));
    FORWARD_IF_ERROR(current_g(a, cur, G_RUNNING, "Running", &s));
    switch (a->ev->typ) {
    case GTR_EV_GO_DESTROY:
        gtr_og_del(a->o, cur.g);
        break;
    case GTR_EV_GO_STOP:
        s->status = G_RUNNABLE;
        break;
    case GTR_EV_GO_BLOCK:
        s->status = G_WAITING;
        break;
    default:
        break;
    }
    next->g = GTR_NO_GOROUTINE;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_go_start(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    int64_t gid = (int64_t)a->ev->args[0];
    gtr_seq_t seq = gtr_mkseq(a->gen, a->ev->args[1]);
    gtr_gstate_t *s = gtr_og_get(a->o, gid);
    if (s == NULL || s->status != G_RUNNABLE || !gtr_seq_succeeds(seq, s->seq)) {
        return GTR_OK;
    }
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MUST, MUST_NOT));
    s->status = G_RUNNING;
    s->seq = seq;
    next->g = gid;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_go_unblock(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    int64_t gid = (int64_t)a->ev->args[0];
    gtr_seq_t seq = gtr_mkseq(a->gen, a->ev->args[1]);
    gtr_gstate_t *s = gtr_og_get(a->o, gid);
    if (s == NULL || s->status != G_WAITING || !gtr_seq_succeeds(seq, s->seq)) {
        return GTR_OK;
    }
    /* Anything may unblock a goroutine (sysmon, for one): no context. */
    s->status = G_RUNNABLE;
    s->seq = seq;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

/* GoSwitch and GoSwitchDestroy: unblock the next goroutine, block or end
 * the current one, start the next, as three queued events. */
int gtr_adv_go_switch(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    gtr_gstate_t *s = NULL; /* set by current_g when it succeeds */
    FORWARD_IF_ERROR(USER_GO(a, cur));
    FORWARD_IF_ERROR(current_g(a, cur, G_RUNNING, "Running", &s));
    int64_t nextg = (int64_t)a->ev->args[0];
    gtr_seq_t seq = gtr_mkseq(a->gen, a->ev->args[1]);
    gtr_gstate_t *ns = gtr_og_get(a->o, nextg);
    if (ns == NULL || ns->status != G_WAITING || !gtr_seq_succeeds(seq, ns->seq)) {
        return GTR_OK;
    }
    FORWARD_IF_ERROR(gtr_oq_push(a, cur, a->ev));
    if (a->ev->typ == GTR_EV_GO_SWITCH) {
        s->status = G_WAITING;
        FORWARD_IF_ERROR(gtr_oq_make(a, cur, GTR_EV_GO_BLOCK, 0, 0));
    } else {
        gtr_og_del(a->o, cur.g);
        FORWARD_IF_ERROR(gtr_oq_make(a, cur, GTR_EV_GO_DESTROY, 0, 0));
    }
    ns->status = G_RUNNING;
    ns->seq = seq;
    next->g = nextg;
    gtr_ctx_t start = cur;
    start.g = GTR_NO_GOROUTINE;
    *ok = true;
    return gtr_oq_make(a, start, GTR_EV_GO_START, (uint64_t)nextg, a->ev->args[1]);
}

int gtr_adv_syscall_begin(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_gstate_t *s = NULL; /* set by current_g when it succeeds */
    FORWARD_IF_ERROR(USER_GO(a, cur));
    FORWARD_IF_ERROR(current_g(a, cur, G_RUNNING, "Running", &s));
    s->status = G_SYSCALL;
    gtr_pstate_t *p = gtr_op_get(a->o, cur.p);
    if (p == NULL) {
        return ORDER_ERR(a, "uninitialized proc %lld found during %s", LL(cur.p),
                         gtr_oev_name(a, a->ev->typ));
    }
    p->status = P_SYSCALL;
    /* The P sequence only disambiguates steals; on a running P it must
     * simply be next. */
    gtr_seq_t pseq = gtr_mkseq(a->gen, a->ev->args[0]);
    if (!gtr_seq_succeeds(pseq, p->seq)) {
        return ORDER_ERR(a, "failed to advance %s: can't make sequence: %llu (gen=%llu) -> %llu "
                            "(gen=%llu)", gtr_oev_name(a, a->ev->typ), ULL(p->seq.seq),
                         ULL(p->seq.gen), ULL(pseq.seq), ULL(pseq.gen));
    }
    p->seq = pseq;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_syscall_end(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    (void)next;
    gtr_gstate_t *s = NULL; /* set by current_g when it succeeds */
    FORWARD_IF_ERROR(USER_GO(a, cur));
    /* Go names Running here although the check is for Syscall. */
    FORWARD_IF_ERROR(current_g(a, cur, G_SYSCALL, "Running", &s));
    s->status = G_RUNNING;
    gtr_pstate_t *p = gtr_op_get(a->o, cur.p);
    if (p == NULL) {
        return ORDER_ERR(a, "uninitialized proc %lld found during %s", LL(cur.p),
                         gtr_oev_name(a, a->ev->typ));
    }
    if (p->status != P_SYSCALL) {
        return ORDER_ERR(a, "expected proc %lld in state %s, but got %s instead", LL(cur.p),
                         "Syscall", gtr_pstatus_str(p->status));
    }
    p->status = P_RUNNING;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_syscall_end_blocked(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    /* Wait while the thread still holds a P in a syscall: it is known to
     * lose it (ProcStop or ProcSteal) before this event. */
    if (cur.p != GTR_NO_PROC) {
        gtr_pstate_t *p = gtr_op_get(a->o, cur.p);
        if (p == NULL) {
            return ORDER_ERR(a, "uninitialized proc %lld found during %s", LL(cur.p),
                             gtr_oev_name(a, a->ev->typ));
        }
        if (p->status == P_SYSCALL) {
            return GTR_OK;
        }
    }
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MAY, MUST));
    gtr_gstate_t *s = NULL; /* set by current_g when it succeeds */
    FORWARD_IF_ERROR(current_g(a, cur, G_SYSCALL, "Running", &s));
    next->g = GTR_NO_GOROUTINE;
    s->status = G_RUNNABLE;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

int gtr_adv_go_create_syscall(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MAY, MUST_NOT));
    int64_t newg = (int64_t)a->ev->args[0];
    if (gtr_og_get(a->o, newg) != NULL) {
        return ORDER_ERR(a, "tried to create goroutine (%lld) in syscall that already exists",
                         LL(newg));
    }
    FORWARD_IF_ERROR(gtr_og_new(a->o, newg, G_SYSCALL, gtr_mkseq(a->gen, 0)));
    next->g = newg;
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}

/* A cgo-callback goroutine ends; a P it still holds is given up (and a
 * self-steal queued) because the thread ID may be reused. */
int gtr_adv_go_destroy_syscall(adv_t *a, gtr_ctx_t cur, gtr_ctx_t *next, bool *ok)
{
    gtr_gstate_t *s = NULL; /* set by current_g when it succeeds */
    FORWARD_IF_ERROR(gtr_validate_ctx(a, cur, MUST, MAY, MUST));
    FORWARD_IF_ERROR(current_g(a, cur, G_SYSCALL, "Syscall", &s));
    gtr_og_del(a->o, cur.g);
    next->g = GTR_NO_GOROUTINE;
    if (cur.p != GTR_NO_PROC) {
        gtr_pstate_t *p = gtr_op_get(a->o, cur.p);
        if (p == NULL) {
            return ORDER_ERR(a, "found invalid proc %lld during %s", LL(cur.p),
                             gtr_oev_name(a, a->ev->typ));
        }
        if (p->status != P_SYSCALL) {
            return ORDER_ERR(a, "proc %lld in unexpected state %s during %s", LL(cur.p),
                             gtr_pstatus_str(p->status), gtr_oev_name(a, a->ev->typ));
        }
        p->status = P_ABANDONED;
        next->p = GTR_NO_PROC;
        gtr_base_t steal = {GTR_EV_PROC_STEAL, a->ev->time, {(uint64_t)cur.p, 0, 0, P_SYSCALL}};
        FORWARD_IF_ERROR(gtr_oq_push(a, cur, &steal));
    }
    *ok = true;
    return gtr_oq_push(a, cur, a->ev);
}
