/* boundary.c: the end of a generation, as the runtime's traceAdvance
 * writes it, and the generation's layout on the wire.
 *
 * At the end of a generation the runtime (1) goes over every P with
 * forEachP, taking back Ps left in syscalls and writing the status of
 * every P not yet traced, and (2) writes the status of every goroutine not
 * yet traced, with the stack it sits at (GoStatusStack, go1.23+) from a
 * thread-less batch: these are the goroutines that were blocked, runnable
 * or in a syscall for the whole generation. Goroutines traced earlier got
 * their status lazily, without a stack: the two stackless cases
 * (unblocked but never ran; ran from start to end without blocking).
 *
 * Then the generation is laid out: the sync batch, each M's events cut
 * into batches, the thread-less batch, CPU samples, stack and string
 * tables, and for go1.26 the end-of-generation marker. */
#include <string.h>

#include "gtg_actions.h"

/* The function pool stack frames draw from; PCs derive from (func, line)
 * so a PC always names the same frame. */
static const char *const funcs[8] = {
    "main.main", "main.worker", "net/http.(*conn).serve", "runtime.gopark",
    "sync.(*Mutex).Lock", "main.(*server).handle", "encoding/json.Unmarshal", "runtime.goexit",
};
static const char *const files[8] = {
    "/app/main.go", "/app/worker.go", "/usr/local/go/src/net/http/server.go",
    "/usr/local/go/src/runtime/proc.go", "/usr/local/go/src/sync/mutex.go", "/app/server.go",
    "/usr/local/go/src/encoding/json/decode.go", "/usr/local/go/src/runtime/asm_amd64.s",
};

/* Step (1): Ps left in a syscall are taken back or kept, as the grammar's
 * `boundary` says; then every P not yet traced gets its status. */
static gtg_err_t boundary_procs(gtg_gen_t *g)
{
    gtg_err_t err = GTG_OK;
    for (size_t p = 0; p < g->np && err == GTG_OK; p++) {
        if (g->ps[p].st != GTG_PS_SYSCALL) {
            continue;
        }
        err = gtg_expand_nt(g, GTG_NT_BOUNDARY);
        if (err != GTG_OK || !g->cur.boundary_steal) {
            continue;
        }
        int thief = -1;
        for (size_t m = 0; m < g->nm && thief < 0; m++) {
            thief = (int)m != g->ps[p].m && g->ms[m].g < 0 ? (int)m : -1;
        }
        if (thief < 0) {
            thief = gtg_new_m(g);
        }
        if (thief >= 0) {
            err = gtg_steal(g, thief, (int)p, false);
        }
    }
    for (size_t p = 0; p < g->gomaxprocs && err == GTG_OK; p++) {
        err = gtg_touch_p(g, -1, (int)p);
    }
    return err;
}

/* The status of a goroutine nobody touched this generation. */
static gtg_err_t untraced_status(gtg_gen_t *g, int gi)
{
    gtg_g_t *gr = &g->gs[gi];
    if (gr->st == GTG_GS_RUNNING) {
        return gtg_touch_g(g, gr->m, gi); /* stackless: it ran throughout */
    }
    bool syscall = gr->st == GTG_GS_SYSCALL;
    /* In the first generation a syscalling goroutine's M may be known to
     * the reader without it (its P's status came first): announce it on
     * its own M, which binds it there. Later the M already carries it. */
    int on = syscall && g->gi == 0 ? gr->m : -1;
    uint8_t type = gtg_has_event(g, GTR_EV_GO_STATUS_STACK) ? GTR_EV_GO_STATUS_STACK
                                                            : GTR_EV_GO_STATUS;
    uint64_t args[4] = {gr->id, syscall ? g->ms[gr->m].id : GTG_NO_ID, gtg_wire_gstatus(gr->st),
                        gtg_stack(g, gr->stack)};
    size_t nargs = type == GTR_EV_GO_STATUS_STACK ? 4 : 3;
    if (g->opt.bug != GTG_BUG_NONE && !g->cur.bug_done) {
        g->cur.bug_done = gtg_bug_status(g, gi, &type, args, &nargs);
    }
    gtg_err_t err = gtg_emit(g, on, type, args, nargs);
    gr->traced = true;
    gr->seq = 0;
    gtg_truth_trans(g, gi, gr->st, gr->st, true, nargs == 4 && args[3] != 0);
    if (err == GTG_OK && gr->mark_assist) {
        err = gtg_emit(g, on, GTR_EV_GC_MARK_ASSIST_ACTIVE, (uint64_t[]){gr->id}, 1);
    }
    return err;
}

gtg_err_t gtg_boundary_end(gtg_gen_t *g)
{
    gtg_err_t err = boundary_procs(g);
    for (size_t i = 0; i < g->ng && err == GTG_OK; i++) {
        if (g->gs[i].st != GTG_GS_DEAD && !g->gs[i].traced) {
            err = untraced_status(g, (int)i);
        }
    }
    return err;
}

/* ---------------------------------------------------------------- layout */

static gtg_err_t sync_batch(gtg_gen_t *g, uint64_t time)
{
    gtg_err_t err = gtg_trace_batch(g->out, (uint16_t)g->gi, g->gen_no, GTG_NO_ID, time);
    if (err != GTG_OK) {
        return err;
    }
    if (!gtg_has_event(g, GTR_EV_SYNC)) {
        return gtg_trace_event(g->out, GTR_EV_FREQUENCY, 0, (uint64_t[]){g->freq}, 1);
    }
    err = gtg_trace_event(g->out, GTR_EV_SYNC, 0, NULL, 0);
    if (err == GTG_OK) {
        err = gtg_trace_event(g->out, GTR_EV_FREQUENCY, 0, (uint64_t[]){g->freq}, 1);
    }
    uint64_t wall = 1767225600 + g->gen_no; /* seconds: 2026-01-01 plus the generation */
    uint64_t snap[3] = {time * 3 + 1, wall, (g->gen_no * 7919) % 1000000000};
    return err != GTG_OK ? err : gtg_trace_event(g->out, GTR_EV_CLOCK_SNAPSHOT, time + 1, snap, 3);
}

/* One M's events, cut into batches; `m` < 0 is the thread-less batch. */
static gtg_err_t m_batches(gtg_gen_t *g, int m)
{
    size_t n = 0, cuts = g->cur.split_batches ? gtg_choose(g->c, 4) : 0;
    gtg_err_t err = GTG_OK;
    for (size_t i = 0; i < g->npend && err == GTG_OK; i++) {
        const gtg_pending_t *p = &g->pend[i];
        if (p->m != m) {
            continue;
        }
        /* A new batch at the start, on a cut, and well before 64 KiB. */
        bool cut = cuts > 0 && n > 0 && gtg_chance(g->c, 1, 8);
        if (n == 0 || cut || n % 1000 == 0) {
            cuts -= cut;
            uint64_t id = m < 0 ? GTG_NO_ID : g->ms[m].id;
            err = gtg_trace_batch(g->out, (uint16_t)g->gi, g->gen_no, id, p->it.ts - 1);
        }
        if (err == GTG_OK) {
            err = gtg_trace_event(g->out, p->it.type, p->it.ts, p->it.args, p->it.nargs);
        }
        n++;
    }
    return err;
}

static gtg_err_t cpu_batch(gtg_gen_t *g)
{
    if (!g->cur.cpu_samples || g->npend == 0) {
        return GTG_OK;
    }
    gtg_err_t err = gtg_trace_batch(g->out, (uint16_t)g->gi, g->gen_no, GTG_NO_ID, g->pend[0].it.ts);
    if (err == GTG_OK) {
        err = gtg_trace_event(g->out, GTR_EV_CPU_SAMPLES, 0, NULL, 0);
    }
    size_t n = 1 + gtg_choose(g->c, 4);
    for (size_t k = 0; k < n && err == GTG_OK; k++) {
        const gtg_pending_t *p = &g->pend[gtg_choose(g->c, g->npend)];
        int m = p->m;
        uint64_t mid = m < 0 ? GTG_NO_ID : g->ms[m].id;
        uint64_t pid = m >= 0 && g->ms[m].p >= 0 ? g->ps[g->ms[m].p].id : GTG_NO_ID;
        int gi = m >= 0 ? g->ms[m].g : -1;
        uint64_t goid = gi >= 0 ? g->gs[gi].id : 0;
        if (gi >= 0) {
            gtg_truth_ctx(g, gi); /* a sample's goroutine counts as running */
        }
        uint64_t args[5] = {p->it.ts, mid, pid, goid, gtg_any_stack(g)};
        err = gtg_trace_event(g->out, GTR_EV_CPU_SAMPLE, 0, args, 5);
    }
    return err;
}

static gtg_err_t stack_entry(gtg_gen_t *g, unsigned tpl, uint32_t id, bool broken)
{
    const gtg_stack_tpl_t *t = &g->tpl[tpl];
    uint64_t fr[32 * 4];
    for (size_t k = 0; k < t->depth; k++) {
        unsigned fi = t->f[k].func;
        bool blank = broken && k > 0; /* missing-frames: only the PC is left */
        fr[4 * k] = 0x401000 + fi * 0x1000 + t->f[k].line * 4u;
        fr[4 * k + 1] = blank ? 0 : gtg_string(g, funcs[fi % 8]);
        fr[4 * k + 2] = blank ? 0 : gtg_string(g, files[fi % 8]);
        fr[4 * k + 3] = blank ? 0 : t->f[k].line;
    }
    if (broken && t->depth == 1) {
        fr[1] = fr[2] = fr[3] = 0;
    }
    /* A broken stack's PCs are shifted so they do not alias sound ones. */
    for (size_t k = 0; broken && k < t->depth; k++) {
        fr[4 * k] += 0x800000;
    }
    return gtg_trace_stack(g->out, id, fr, t->depth);
}

static gtg_err_t table_batches(gtg_gen_t *g)
{
    gtg_err_t err = gtg_trace_batch(g->out, (uint16_t)g->gi, g->gen_no, GTG_NO_ID, g->now + 1);
    if (err == GTG_OK) {
        err = gtg_trace_event(g->out, GTR_EV_STACKS, 0, NULL, 0);
    }
    for (unsigned t = 0; t < GTG_NSTACKS && err == GTG_OK; t++) {
        if (g->cur.stack_id[t] != 0) {
            err = stack_entry(g, t, g->cur.stack_id[t], false);
        }
    }
    if (err == GTG_OK && g->cur.bug_stack_id != 0) {
        err = stack_entry(g, g->cur.bug_stack_tpl, g->cur.bug_stack_id, true);
    }
    for (size_t i = 0; i < g->cur.nstrs && err == GTG_OK; i++) {
        if (i % 200 == 0) {
            err = gtg_trace_batch(g->out, (uint16_t)g->gi, g->gen_no, GTG_NO_ID, g->now + 2);
            if (err == GTG_OK) {
                err = gtg_trace_event(g->out, GTR_EV_STRINGS, 0, NULL, 0);
            }
        }
        if (err == GTG_OK) {
            err = gtg_trace_string(g->out, i + 1, g->cur.strs[i], strlen(g->cur.strs[i]));
        }
    }
    return err;
}

gtg_err_t gtg_flush_generation(gtg_gen_t *g)
{
    uint64_t first = g->npend ? g->pend[0].it.ts : g->now;
    gtg_err_t err = g->cur.sync_first ? sync_batch(g, first > 2 ? first - 2 : 1) : GTG_OK;
    size_t start = g->nm ? gtg_choose(g->c, g->nm) : 0;
    for (size_t k = 0; k < g->nm && err == GTG_OK; k++) {
        err = m_batches(g, (int)((start + k) % g->nm));
    }
    if (err == GTG_OK) {
        err = m_batches(g, -1);
    }
    if (err == GTG_OK) {
        err = cpu_batch(g);
    }
    if (err == GTG_OK) {
        err = table_batches(g);
    }
    if (err == GTG_OK && !g->cur.sync_first) {
        err = sync_batch(g, g->now + 3);
    }
    g->now += 8; /* the next generation starts after this one's tables */
    if (err == GTG_OK && gtg_has_event(g, GTR_EV_END_OF_GENERATION)) {
        err = gtg_trace_end_gen(g->out, (uint16_t)g->gi);
    }
    return err;
}
