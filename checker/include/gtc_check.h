/* gtc_check.h: the invariant checker. It takes the ordered event stream of
 * the C reader one event at a time and reports, with names and positions,
 * where a trace breaks the rules Go's own trace tests check on every event
 * (the "validate." family, which agrees with `gotrace-oracle dump
 * -validate`) and where it breaks the runtime's promises about stacks (the
 * "stack.", "status." and "status-stack." families). docs/invariants.md
 * describes every invariant.
 *
 * Use:
 *
 *     gtc_checker_t *c = gtc_checker_new(gtr_reader_version(r), NULL);
 *     while ((rc = gtr_reader_next(r, &ev)) == GTR_OK)
 *         gtc_checker_event(c, ev);
 *     gtc_checker_end(c);
 *     for (size_t i = 0; i < gtc_checker_nviolations(c); i++)
 *         puts(gtc_checker_violation(c, i)->sentence);
 *     gtc_checker_free(c);
 *
 * Verdicts are data: violations and per-generation summaries are read back
 * with the accessors below; nothing is printed and nothing aborts. Memory
 * is bounded by the resources live at once (goroutines, procs, threads,
 * tasks, ranges) plus the goroutines and stacks of the current generation;
 * state of a dead resource is freed at the next generation boundary. */
#ifndef GTC_CHECK_H
#define GTC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotrace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtc_status {
    GTC_OK = 0,
    GTC_ERR_ARG,   /* NULL checker or event, or an event after gtc_checker_end */
    GTC_ERR_NOMEM, /* the allocator returned NULL: later events are ignored */
    GTC_ERR_LIMIT  /* opts.max_memory reached: later events are ignored */
} gtc_status_t;

const char *gtc_status_name(int status);

/* ------------------------------------------------------------ invariants */

/* Families, as a bit mask for gtc_options_t.families. */
enum {
    GTC_FAMILY_VALIDATE = 1u << 0, /* Go's per-event test validation */
    GTC_FAMILY_STACK = 1u << 1,    /* the stack-emission invariants */
    GTC_FAMILY_ALL = GTC_FAMILY_VALIDATE | GTC_FAMILY_STACK
};

typedef enum gtc_invariant {
    GTC_INV_TIME_ORDER = 0,
    GTC_INV_STACK_FRAMES,
    GTC_INV_SYNC_SEQUENCE,
    GTC_INV_SYNC_CLOCK,
    GTC_INV_METRIC,
    GTC_INV_LABEL,
    GTC_INV_STATE_TRANSITION,
    GTC_INV_SCHED_CONTEXT,
    GTC_INV_STOP_STACK,
    GTC_INV_RANGE_PAIRING,
    GTC_INV_RANGE_ON_DEATH,
    GTC_INV_TASK,
    GTC_INV_BLOCKED_HAS_STACK,
    GTC_INV_SYSCALL_HAS_STACK,
    GTC_INV_STACK_ID_RESOLVES,
    GTC_INV_STACK_FRAMES_COMPLETE,
    GTC_INV_STATUS_STATE_RULES,
    GTC_INV_STATUS_STACK_STATE_RULES,
    GTC_INV_STATUS_STACK_NOT_IN_GO122,
    GTC_INV_LIVE_GOROUTINE_ANNOUNCED,
    GTC_INV_COUNT
} gtc_invariant_t;

/* Stable name ("stack.blocked-whole-gen-has-stack"), NULL if out of range. */
const char *gtc_invariant_name(gtc_invariant_t inv);
/* One sentence stating the rule. */
const char *gtc_invariant_rule(gtc_invariant_t inv);
/* GTC_FAMILY_VALIDATE or GTC_FAMILY_STACK (0 if out of range). */
unsigned gtc_invariant_family(gtc_invariant_t inv);
/* The invariant with this name; false if none. */
bool gtc_invariant_lookup(const char *name, gtc_invariant_t *out);

/* ------------------------------------------------------------ violations */

#define GTC_SENTENCE_MAX 256

typedef struct gtc_violation {
    gtc_invariant_t invariant;
    const char *name;         /* gtc_invariant_name(invariant) */
    uint64_t generation;      /* 1 for the events after the first Sync, ... */
    gtr_resource_t resource;  /* what the violation is about (may be None) */
    uint64_t event_index;     /* 0-based position in the event stream, Syncs
                               * included: the N-th event line of a dump */
    char sentence[GTC_SENTENCE_MAX]; /* one line, NUL-terminated */
} gtc_violation_t;

typedef void (*gtc_violation_fn)(void *user, const gtc_violation_t *v);

/* One line for a crash report: "NAME gen=G event=E RESOURCE: SENTENCE"
 * (a fuzz target aborts with it; NAME alone is a stable signature). Always
 * NUL-terminates buf (if cap > 0); returns the length it wanted. */
size_t gtc_violation_format(const gtc_violation_t *v, char *buf, size_t cap);

/* --------------------------------------------------------------- classes */

/* How a goroutine spent one generation; the definitions are those of
 * `gotrace-oracle stats` (docs/oracle.md), checked in this order. */
typedef enum gtc_class {
    GTC_CLASS_BLOCKED = 0,           /* Waiting the whole generation */
    GTC_CLASS_SYSCALL,               /* in a syscall the whole generation */
    GTC_CLASS_UNBLOCKED_NEVER_RAN,
    GTC_CLASS_RAN_WITHOUT_BLOCKING,
    GTC_CLASS_RAN,
    GTC_CLASS_OTHER,
    GTC_CLASS_COUNT
} gtc_class_t;

const char *gtc_class_name(gtc_class_t c); /* "blocked", ..., NULL if out of range */

typedef struct gtc_gen_summary {
    uint64_t generation;     /* 1-based count of Sync events at its start */
    uint64_t sync_n;         /* Sync.N of the event that opened it */
    uint64_t first_event;    /* index of its first event (the Sync) */
    uint64_t nevents;        /* events in it, its Sync included */
    bool complete;           /* closed by the next Sync; false when the
                              * stream ended inside it (whole-generation
                              * invariants are then not checked) */
    uint64_t classes[GTC_CLASS_COUNT];    /* goroutines per class */
    uint64_t with_stack[GTC_CLASS_COUNT]; /* ...whose status event had a stack */
    uint64_t status_events;       /* GoStatus + GoStatusStack events */
    uint64_t status_stack_events; /* GoStatusStack events */
    uint64_t absent;         /* goroutines alive at the previous generation's
                              * end that have no event in this one (each
                              * a status.live-goroutine-announced violation
                              * when the generation is complete) */
    uint64_t violations;     /* violations attributed to this generation */
} gtc_gen_summary_t;

/* --------------------------------------------------------------- checker */

typedef struct gtc_options {
    size_t max_violations;  /* stored; later ones are only counted.
                             * Default 1000 */
    size_t max_summaries;   /* generation summaries stored; default 1 Mi */
    size_t max_memory;      /* bytes live at once; default 1 GiB */
    unsigned families;      /* GTC_FAMILY_* mask; default all */
    gtc_violation_fn on_violation; /* called for every violation of an
                                    * enabled family, stored or not */
    void *user;
    gtr_allocator_t allocator; /* default: malloc/realloc/free */
} gtc_options_t;

gtc_options_t gtc_options_default(void);

typedef struct gtc_checker gtc_checker_t;

/* A checker for a trace of `version` (gtr_reader_version). `opts` may be
 * NULL. Returns NULL only when the allocator fails. */
gtc_checker_t *gtc_checker_new(gtr_version_t version, const gtc_options_t *opts);

/* Check the next event of the stream. Returns GTC_OK, or an error (then
 * the checker ignores the rest of the stream; what it found stays). */
int gtc_checker_event(gtc_checker_t *c, const gtr_event_t *ev);

/* The stream ended (EOF or a reader error): closes the open generation.
 * Violations of whole-generation invariants are reported here for the
 * last generation, as they are at each Sync for the one it closes. */
int gtc_checker_end(gtc_checker_t *c);

/* Violations in the order they were found (a generation's whole-generation
 * violations come when it closes, ordered by event index). */
size_t gtc_checker_nviolations(const gtc_checker_t *c);
const gtc_violation_t *gtc_checker_violation(const gtc_checker_t *c, size_t i);
/* All violations found, stored or not. */
uint64_t gtc_checker_violations_total(const gtc_checker_t *c);
/* Per invariant. */
uint64_t gtc_checker_violations_of(const gtc_checker_t *c, gtc_invariant_t inv);

/* Summaries of closed generations, in order. */
size_t gtc_checker_nsummaries(const gtc_checker_t *c);
const gtc_gen_summary_t *gtc_checker_summary(const gtc_checker_t *c, size_t i);
/* The sum of all closed generations (generation = their count). */
gtc_gen_summary_t gtc_checker_totals(const gtc_checker_t *c);

/* Events seen so far; status of the checker (GTC_OK or its first error). */
uint64_t gtc_checker_nevents(const gtc_checker_t *c);
int gtc_checker_status(const gtc_checker_t *c);
size_t gtc_checker_peak_memory(const gtc_checker_t *c);

void gtc_checker_free(gtc_checker_t *c); /* NULL is fine */

#ifdef __cplusplus
}
#endif
#endif /* GTC_CHECK_H */
