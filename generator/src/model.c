/* model.c: the scheduler model's bookkeeping and the one path every event
 * takes into a generation.
 *
 * The runtime writes a P's or goroutine's status lazily: the first time a
 * generation touches it, just before the event that touches it, on the M
 * that owns it when it is bound to one (a running or syscalling goroutine,
 * a running P). gtg_ctx/gtg_touch_* do the same, so every event finds the
 * reader's context (M, P, G) established, and the sequence counters reset,
 * exactly as the reader's ordering expects. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtg_internal.h"

gtg_err_t gtg_fail(gtg_gen_t *g, gtg_err_t err, const char *fmt, ...)
{
    if (g->msg != NULL && g->msglen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(g->msg, g->msglen, fmt, ap);
        va_end(ap);
    }
    return err;
}

uint64_t gtg_wire_gstatus(gtg_gs_t st)
{
    switch (st) {
    case GTG_GS_RUNNABLE: return GTR_WIRE_G_RUNNABLE;
    case GTG_GS_RUNNING: return GTR_WIRE_G_RUNNING;
    case GTG_GS_SYSCALL: return GTR_WIRE_G_SYSCALL;
    case GTG_GS_WAITING: return GTR_WIRE_G_WAITING;
    default: return GTR_WIRE_G_BAD;
    }
}

uint64_t gtg_wire_pstatus(gtg_ps_t st)
{
    switch (st) {
    case GTG_PS_IDLE: return GTR_WIRE_P_IDLE;
    case GTG_PS_RUNNING: return GTR_WIRE_P_RUNNING;
    case GTG_PS_SYSCALL: return GTR_WIRE_P_SYSCALL;
    case GTG_PS_ABANDONED: return GTR_WIRE_P_SYSCALL_ABANDONED;
    default: return GTR_WIRE_P_BAD;
    }
}

bool gtg_has_event(const gtg_gen_t *g, unsigned type)
{
    return gtr_spec(g->v, type) != NULL;
}

/* The goroutine the reader believes runs on M: the model's, except in the
 * first generation before that goroutine's status has bound it. */
static int reader_ctx_g(const gtg_gen_t *g, int m)
{
    if (m < 0 || g->ms[m].g < 0) {
        return -1;
    }
    int gi = g->ms[m].g;
    return (g->gi > 0 || g->gs[gi].traced) ? gi : -1;
}

gtg_err_t gtg_emit(gtg_gen_t *g, int m, uint8_t type, const uint64_t *args, size_t nargs)
{
    if (g->npend == g->cappend) {
        size_t ncap = g->cappend ? g->cappend * 2 : 1024;
        gtg_pending_t *np = realloc(g->pend, ncap * sizeof *np);
        if (np == NULL) {
            return gtg_fail(g, GTG_ERR_NOMEM, "out of memory buffering events");
        }
        g->pend = np;
        g->cappend = ncap;
    }
    /* Strictly increasing times keep the reader's merge of the per-M
     * batches in exactly the model's order. */
    g->now += 1 + (g->events * 7) % 13;
    gtg_pending_t *p = &g->pend[g->npend++];
    memset(p, 0, sizeof *p);
    p->m = m;
    p->it.kind = GTG_ITEM_EVENT;
    p->it.type = type;
    p->it.ts = g->now;
    p->it.nargs = (uint8_t)nargs;
    p->it.gen_index = (uint16_t)g->gi;
    if (nargs) {
        memcpy(p->it.args, args, nargs * sizeof *args);
    }
    g->events++;
    int cg = reader_ctx_g(g, m);
    if (cg >= 0) {
        gtg_truth_ctx(g, cg);
    }
    return GTG_OK;
}

gtg_err_t gtg_touch_p(gtg_gen_t *g, int m, int pi)
{
    gtg_p_t *p = &g->ps[pi];
    if (p->traced) {
        return GTG_OK;
    }
    p->traced = true;
    p->seq = 0;
    /* A running or syscalling P's status binds it to the M that writes it. */
    int on = (p->st == GTG_PS_RUNNING || p->st == GTG_PS_SYSCALL) ? p->m : m;
    gtg_err_t err = gtg_emit(g, on, GTR_EV_PROC_STATUS,
                             (uint64_t[]){p->id, gtg_wire_pstatus(p->st)}, 2);
    if (err == GTG_OK && p->sweep) {
        err = gtg_emit(g, on, GTR_EV_GC_SWEEP_ACTIVE, (uint64_t[]){p->id}, 1);
    }
    return err;
}

gtg_err_t gtg_touch_g(gtg_gen_t *g, int m, int gi)
{
    gtg_g_t *gr = &g->gs[gi];
    if (gr->traced || gr->st == GTG_GS_DEAD) {
        return GTG_OK;
    }
    bool bound = gr->st == GTG_GS_RUNNING || gr->st == GTG_GS_SYSCALL;
    int on = bound ? gr->m : m;
    uint64_t mid = bound ? g->ms[gr->m].id : GTG_NO_ID;
    gtg_err_t err = gtg_emit(g, on, GTR_EV_GO_STATUS,
                             (uint64_t[]){gr->id, mid, gtg_wire_gstatus(gr->st)}, 3);
    gr->traced = true;
    gr->seq = 0;
    gtg_truth_trans(g, gi, gr->st, gr->st, true, false);
    if (err == GTG_OK && gr->mark_assist) {
        err = gtg_emit(g, on, GTR_EV_GC_MARK_ASSIST_ACTIVE, (uint64_t[]){gr->id}, 1);
    }
    return err;
}

gtg_err_t gtg_ctx(gtg_gen_t *g, int m)
{
    if (m < 0) {
        return GTG_OK;
    }
    gtg_err_t err = GTG_OK;
    if (g->ms[m].p >= 0) {
        err = gtg_touch_p(g, m, g->ms[m].p);
    }
    if (err == GTG_OK && g->ms[m].g >= 0) {
        err = gtg_touch_g(g, m, g->ms[m].g);
    }
    return err;
}

uint64_t gtg_string(gtg_gen_t *g, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    /* Strings come from the grammar and static tables, so the pointer
     * usually matches; compare contents only when it does not. */
    for (size_t i = 0; i < g->cur.nstrs; i++) {
        if (g->cur.strs[i] == s) {
            return i + 1;
        }
    }
    for (size_t i = 0; i < g->cur.nstrs; i++) {
        if (strcmp(g->cur.strs[i], s) == 0) {
            return i + 1;
        }
    }
    if (g->cur.nstrs == GTG_MAX_STRINGS) {
        return 0; /* the empty string: still a valid reference */
    }
    g->cur.strs[g->cur.nstrs++] = s;
    return g->cur.nstrs;
}

uint64_t gtg_stack(gtg_gen_t *g, unsigned tpl)
{
    tpl %= GTG_NSTACKS;
    if (g->cur.stack_id[tpl] == 0) {
        g->cur.stack_id[tpl] = ++g->cur.nstack_ids;
    }
    return g->cur.stack_id[tpl];
}

uint64_t gtg_any_stack(gtg_gen_t *g)
{
    return gtg_stack(g, (unsigned)gtg_choose(g->c, GTG_NSTACKS));
}

/* Picks an M for which ok() holds, preferring the M the production's
 * previous action used, so "syscall_begin syscall_end" stays on one M. */
int gtg_pick_m(gtg_gen_t *g, bool (*ok)(gtg_gen_t *, int))
{
    int cand[GTG_MAX_M];
    size_t n = 0;
    for (size_t i = 0; i < g->nm; i++) {
        if (ok(g, (int)i)) {
            if ((int)i == g->focus_m) {
                return (int)i;
            }
            cand[n++] = (int)i;
        }
    }
    if (n == 0) {
        return -1;
    }
    return cand[gtg_choose(g->c, n)];
}

/* Picks a goroutine in state st (sticky ones only if asked); n-th match
 * by a choice, two passes so no candidate array is needed. */
int gtg_pick_g(gtg_gen_t *g, gtg_gs_t st, bool sticky_too)
{
    size_t n = 0;
    for (size_t i = 0; i < g->ng; i++) {
        n += g->gs[i].st == st && (sticky_too || !g->gs[i].sticky);
    }
    if (n == 0) {
        return -1;
    }
    size_t k = gtg_choose(g->c, n);
    for (size_t i = 0; i < g->ng; i++) {
        if (g->gs[i].st == st && (sticky_too || !g->gs[i].sticky) && k-- == 0) {
            return (int)i;
        }
    }
    return -1;
}

void gtg_census(gtg_gen_t *g)
{
    memset(&g->census, 0, sizeof g->census);
    for (size_t i = 0; i < g->ng; i++) {
        const gtg_g_t *gr = &g->gs[i];
        g->census.live += gr->st != GTG_GS_DEAD;
        if (gr->sticky) {
            g->census.sticky++;
        } else {
            g->census.free[gr->st]++;
        }
    }
}

int gtg_new_m(gtg_gen_t *g)
{
    if (g->nm >= g->threads_cap || g->nm >= GTG_MAX_M) {
        return -1;
    }
    gtg_m_t *m = &g->ms[g->nm];
    /* Thread IDs look like the OS's: sparse, not 0..n. */
    m->id = g->nm == 0 ? 0 : 1000 + g->nm * 17;
    m->p = -1;
    m->g = -1;
    return (int)g->nm++;
}

int gtg_new_g(gtg_gen_t *g, gtg_gs_t st)
{
    if (g->ng >= GTG_MAX_G) {
        return -1;
    }
    if (g->ng == g->capg) {
        size_t ncap = g->capg ? g->capg * 2 : 64;
        gtg_g_t *np = realloc(g->gs, ncap * sizeof *np);
        if (np == NULL) {
            return -1;
        }
        g->gs = np;
        g->capg = ncap;
    }
    gtg_g_t *gr = &g->gs[g->ng];
    memset(gr, 0, sizeof *gr);
    gr->id = g->next_goid++;
    gr->st = st;
    gr->m = -1;
    gr->stack = (uint8_t)(gr->id % GTG_NSTACKS);
    g->created++;
    return (int)g->ng++;
}
