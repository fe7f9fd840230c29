/* gtg_internal.h: what the generator's source files share and nobody else
 * sees: the grammar's compiled form, the scheduler model, the per-
 * generation event buffer and the action table.
 *
 * The model mirrors the state the reader's ordering keeps (order.go in
 * golang.org/x/exp/trace): per M its P and goroutine, per P and goroutine
 * a status and a sequence counter, the GC cycle, active tasks and regions.
 * An action may only be offered when the reader would accept its events in
 * the state the model is in; that is what makes every trace valid. */
#ifndef GTG_INTERNAL_H
#define GTG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtg_gen.h"

#define GTG_NO_ID UINT64_MAX /* NoThread/NoProc/NoGoroutine on the wire */

/* Hard ceilings of the model's fixed arrays; grammar limits sit below. */
#ifndef GTG_MAX_M
#define GTG_MAX_M 64
#endif
#ifndef GTG_MAX_P
#define GTG_MAX_P 64
#endif
#ifndef GTG_MAX_G
#define GTG_MAX_G 100000
#endif
#define GTG_MAX_ACTS 6      /* actions in one production */
#define GTG_MAX_REGIONS 8   /* nested user regions per goroutine */
#define GTG_MAX_TASKS 32    /* tasks active at once */
#define GTG_NSTACKS 24      /* stack templates per trace */
#define GTG_MAX_STRINGS 512 /* strings one generation may intern */

/* ------------------------------------------------------------ grammar */

typedef enum gtg_guard {
    GTG_GUARD_GC_ON,
    GTG_GUARD_GC_OFF,
    GTG_GUARD_ROOM_G,     /* the goroutine budget allows another */
    GTG_GUARD_FIRST_GEN,  /* the trace's first generation */
    GTG_GUARD_LATER_GEN,  /* any generation but the first */
    GTG_GUARD_HAS_TASK,   /* some task is active */
    GTG_GUARD_COUNT
} gtg_guard_t;

typedef struct gtg_prod_act {
    uint16_t act; /* index into gtg_actions */
    char *arg;    /* the text in parentheses, or NULL */
} gtg_prod_act_t;

typedef struct gtg_prod {
    gtg_nt_t nt;
    uint32_t weight;
    unsigned since, until; /* version gate: since <= v <= until */
    uint32_t guards;       /* bit set of gtg_guard_t */
    uint32_t cost;         /* most events the actions emit */
    uint32_t line;
    uint16_t can_slot; /* first action sharing act[0]'s precondition */
    uint8_t nact;
    gtg_prod_act_t act[GTG_MAX_ACTS];
} gtg_prod_t;

struct gtg_grammar {
    gtg_prod_t *prods;
    size_t n, cap;
    uint64_t limits[GTG_LIMIT_COUNT];
    /* Per nonterminal, its minimum-cost completion: a production without
     * guards, gate or preconditions, taken when nothing else may be. */
    int completion[GTG_NT_COUNT];
    /* Production indices grouped by nonterminal, in file order: those of
     * nt are by_nt[nt_start[nt] .. nt_start[nt + 1]). */
    uint32_t *by_nt;
    size_t nt_start[GTG_NT_COUNT + 1];
};

const char *gtg_guard_name(gtg_guard_t g);

/* -------------------------------------------------------------- model */

typedef enum gtg_gs {
    GTG_GS_DEAD = 0,
    GTG_GS_RUNNABLE,
    GTG_GS_RUNNING,
    GTG_GS_SYSCALL,
    GTG_GS_WAITING
} gtg_gs_t;

typedef enum gtg_ps {
    GTG_PS_IDLE = 0,
    GTG_PS_RUNNING,
    GTG_PS_SYSCALL,
    GTG_PS_ABANDONED /* its syscalling goroutine exited with it (cgo) */
} gtg_ps_t;

/* What one generation saw of a goroutine, as a reader would (truth.c). */
typedef struct gtg_gtrack {
    uint16_t transitions;
    bool seen, start_status, start_stack, ran, stopped, unblocked;
    gtg_gs_t start_state;
    const char *bug;
} gtg_gtrack_t;

typedef struct gtg_region {
    uint64_t task;
    const char *name;
} gtg_region_t;

typedef struct gtg_g {
    uint64_t id;
    gtg_gs_t st;
    int m; /* the M it runs or syscalls on, else -1 */
    uint64_t seq;
    bool traced; /* its status was written in this generation */
    bool mark_assist;
    bool cgo;    /* created by GoCreateSyscall: may exit inside the syscall */
    bool sticky; /* parked or in a long syscall: left alone until woken, so
                    it can sit a whole generation without an event */
    uint8_t stack; /* its stack template, for status stacks */
    uint8_t nreg;
    gtg_region_t reg[GTG_MAX_REGIONS];
    gtg_gtrack_t tr;
} gtg_g_t;

typedef struct gtg_p {
    uint64_t id;
    gtg_ps_t st;
    int m;
    uint64_t last_m; /* the M it was abandoned by, for ProcSteal's argument */
    uint64_t seq;
    bool traced;
    bool sweep;
} gtg_p_t;

typedef struct gtg_m {
    uint64_t id;
    int p, g;
} gtg_m_t;

typedef enum gtg_gc {
    GTG_GC_OFF,
    GTG_GC_ON
} gtg_gc_t;

/* An event of the generation being built, with the M it happened on. */
typedef struct gtg_pending {
    int m; /* index into ms, or -1 for the thread-less batch */
    gtg_item_t it;
} gtg_pending_t;

typedef struct gtg_frame_tpl {
    uint16_t func; /* index into the function pool */
    uint16_t line;
} gtg_frame_tpl_t;

typedef struct gtg_stack_tpl {
    uint8_t depth;
    gtg_frame_tpl_t f[32];
} gtg_stack_tpl_t;

/* What belongs to one generation only (tables are per generation on the
 * wire); begin_generation clears it in one go. */
typedef struct gtg_gen_state {
    const char *strs[GTG_MAX_STRINGS];
    size_t nstrs;
    uint32_t stack_id[GTG_NSTACKS]; /* 0: not in this generation's table */
    uint32_t nstack_ids;
    bool bug_done;         /* a bug imitation fired in this generation */
    uint32_t bug_stack_id; /* missing-frames: the broken stack's ID, or 0 */
    uint8_t bug_stack_tpl;
    /* Shape decisions the grammar made for this generation. */
    bool sync_first, split_batches, cpu_samples, boundary_steal;
} gtg_gen_state_t;

typedef struct gtg_gen {
    const gtg_grammar_t *gr;
    gtg_choice_t *c;
    gtg_options_t opt;
    gtr_version_t v;
    char *msg;
    size_t msglen;

    /* Budgets. */
    uint64_t max_events, max_goroutines, procs_cap, threads_cap, depth_cap;
    uint32_t ngens, gi; /* generations to make; the current one (0-based) */
    uint64_t gen_no;    /* its number on the wire */
    uint64_t events, gen_events_end, created;
    uint64_t now;

    /* Model. */
    gtg_m_t ms[GTG_MAX_M];
    size_t nm;
    gtg_p_t ps[GTG_MAX_P];
    size_t np, gomaxprocs;
    gtg_g_t *gs;
    size_t ng, capg;
    uint64_t next_goid;
    int focus_m; /* the M the last action used; later actions prefer it */
    gtg_gc_t gc;
    uint64_t gc_seq;
    bool gc_active_due, procs_due;
    /* Goroutines per state (parked/long-syscall ones apart), recounted
     * after every action so preconditions need not walk all goroutines. */
    struct {
        uint32_t free[GTG_GS_WAITING + 1]; /* not sticky, by state */
        uint32_t sticky, live;
    } census;
    uint64_t tasks[GTG_MAX_TASKS];
    size_t ntasks;
    uint64_t next_task;
    uint64_t heap;

    /* The generation being built: its events, and the per-generation state
     * that is cleared as a whole when the next one begins. */
    gtg_pending_t *pend;
    size_t npend, cappend;
    gtg_gen_state_t cur;
    gtg_stack_tpl_t tpl[GTG_NSTACKS];
    uint64_t freq;

    gtg_trace_t *out;
    gtg_truth_t *truth;
} gtg_gen_t;

/* ------------------------------------------------------------ actions */

/* A precondition depends on the model's state only, never on the action's
 * argument: the generator asks each one once per draw (gen.c). */
typedef bool (*gtg_can_fn)(gtg_gen_t *g, const char *arg);
typedef gtg_err_t (*gtg_run_fn)(gtg_gen_t *g, const char *arg);

typedef struct gtg_action_def {
    const char *name;
    gtg_nt_t nt;         /* the nonterminal it may appear under */
    uint8_t cost;        /* most events it emits (statuses included) */
    gtr_version_t since; /* oldest version that has its events */
    gtg_can_fn can;      /* precondition; NULL: always */
    gtg_run_fn run;
} gtg_action_def_t;

extern const gtg_action_def_t gtg_actions[];
extern const size_t gtg_nactions;
int gtg_action_lookup(const char *name, size_t len);

/* model.c: emission with the runtime's lazy status discipline. */
gtg_err_t gtg_emit(gtg_gen_t *g, int m, uint8_t type, const uint64_t *args, size_t nargs);
gtg_err_t gtg_touch_p(gtg_gen_t *g, int m, int p);
/* M acquires idle P (ProcStart). */
gtg_err_t gtg_start_p(gtg_gen_t *g, int m, int p);
gtg_err_t gtg_touch_g(gtg_gen_t *g, int m, int gi);
gtg_err_t gtg_ctx(gtg_gen_t *g, int m); /* touch the M's own P and G */
gtg_err_t gtg_fail(gtg_gen_t *g, gtg_err_t err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t gtg_string(gtg_gen_t *g, const char *s);
uint64_t gtg_stack(gtg_gen_t *g, unsigned tpl);
uint64_t gtg_any_stack(gtg_gen_t *g);
int gtg_pick_m(gtg_gen_t *g, bool (*ok)(gtg_gen_t *, int));
int gtg_pick_g(gtg_gen_t *g, gtg_gs_t st, bool sticky_too);
int gtg_new_m(gtg_gen_t *g);
void gtg_census(gtg_gen_t *g);
int gtg_new_g(gtg_gen_t *g, gtg_gs_t st);
uint64_t gtg_wire_gstatus(gtg_gs_t st);
uint64_t gtg_wire_pstatus(gtg_ps_t st);
bool gtg_has_event(const gtg_gen_t *g, unsigned type);

/* gen.c: draw and run one production of a nonterminal (its completion if
 * none is offered). */
gtg_err_t gtg_expand_nt(gtg_gen_t *g, gtg_nt_t nt);

/* boundary.c: statuses and stacks at the end of a generation, layout. */
gtg_err_t gtg_boundary_end(gtg_gen_t *g);
gtg_err_t gtg_flush_generation(gtg_gen_t *g);

/* truth.c: tracking what a reader sees, per goroutine and generation. */
gtg_err_t gtg_truth_new(gtg_truth_t **out, unsigned version);
void gtg_truth_trans(gtg_gen_t *g, int gi, gtg_gs_t from, gtg_gs_t to, bool is_status,
                     bool stack);
void gtg_truth_ctx(gtg_gen_t *g, int gi);
gtg_err_t gtg_truth_end_gen(gtg_gen_t *g);

/* bugs.c: the runtime-bug imitations, applied to end-of-generation statuses. */
bool gtg_bug_status(gtg_gen_t *g, int gi, uint8_t *type, uint64_t *args, size_t *nargs);

/* ------------------------------------------------- event mutations */

/* Picks an item ok accepts: first a type, uniformly among the types of
 * the accepted items, then one of its occurrences, so a rare event (one
 * ProcSteal among thousands of GoStarts) is as likely a target as a common
 * one. -1 if ok accepts none. */
typedef bool (*gtg_item_pred_fn)(const gtg_trace_t *t, size_t i, void *ctx);
long gtg_pick_item(const gtg_trace_t *t, gtg_choice_t *c, gtg_item_pred_fn ok, void *ctx);

/* The mutations of mutate_event.c, each picking its own target with c;
 * GTG_ERR_ARG (and d says why) when the trace has none. */
gtg_err_t gtg_mut_change_type(gtg_trace_t *t, gtg_choice_t *c, char *d, size_t dl);
gtg_err_t gtg_mut_retarget(gtg_trace_t *t, gtg_choice_t *c, char *d, size_t dl);
/* copy: insert a copy on the other M and keep the original. */
gtg_err_t gtg_mut_move_event(gtg_trace_t *t, gtg_choice_t *c, bool copy, char *d, size_t dl);

#endif /* GTG_INTERNAL_H */
