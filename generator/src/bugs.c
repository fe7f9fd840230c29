/* bugs.c: imitations of runtime bugs around the end-of-generation status
 * events, one switch each (gtg_options_t.bug), applied to the first
 * goroutine in each generation they fit.
 *
 * They exist to prove the checkers catch what a broken runtime would
 * write: a blocked goroutine without its stack, a stack ID that resolves
 * to nothing, GoStatusStack where the version has no such event, a stack
 * whose frames say nothing, a status that contradicts the last one. The
 * ground truth names the goroutine each one hit. */
#include "gtg_internal.h"

/* Applies the configured bug to the status about to be written for
 * goroutine gi (type and args as the boundary built them). Returns true
 * when it changed something. */
bool gtg_bug_status(gtg_gen_t *g, int gi, uint8_t *type, uint64_t *args, size_t *nargs)
{
    gtg_g_t *gr = &g->gs[gi];
    bool with_stack = *type == GTR_EV_GO_STATUS_STACK;
    switch (g->opt.bug) {
    case GTG_BUG_NO_STACK:
        if (!with_stack || gr->st != GTG_GS_WAITING) {
            return false;
        }
        *type = GTR_EV_GO_STATUS;
        *nargs = 3;
        break;
    case GTG_BUG_STALE_STACK:
        if (!with_stack) {
            return false;
        }
        /* Far above anything a generation's table holds. */
        args[3] = (1u << 20) + g->gen_no;
        break;
    case GTG_BUG_STACK_IN_GO122:
        if (with_stack || (gr->st != GTG_GS_WAITING && gr->st != GTG_GS_SYSCALL)) {
            return false;
        }
        *type = GTR_EV_GO_STATUS_STACK;
        args[3] = gtg_stack(g, gr->stack);
        *nargs = 4;
        break;
    case GTG_BUG_MISSING_FRAMES:
        if (!with_stack) {
            return false;
        }
        g->cur.bug_stack_id = ++g->cur.nstack_ids;
        g->cur.bug_stack_tpl = gr->stack;
        args[3] = g->cur.bug_stack_id;
        break;
    case GTG_BUG_CONTRADICTION:
        /* Only a later generation has a previous status to contradict. */
        if (g->gi == 0 || gr->st != GTG_GS_WAITING) {
            return false;
        }
        args[2] = GTR_WIRE_G_RUNNABLE;
        break;
    default:
        return false;
    }
    gr->tr.bug = gtg_bug_name(g->opt.bug);
    return true;
}
