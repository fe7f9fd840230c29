/* gtc_internal.h: what the checker's modules share. Nothing here is
 * public; gtc_check.h and gtc_record.h are the API. Sections in data-flow
 * order: memory, maps, messages, validator state, generation state, the
 * checker object. */
#ifndef GTC_INTERNAL_H
#define GTC_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtc_check.h"
#include "gtc_record.h"

/* ------------------------------------------------------------- memory */

/* Every allocation passes here so the total stays under max_memory. Sizes
 * are passed back on free, so no header is needed. */
typedef struct gtc_mem {
    gtr_allocator_t a;
    size_t limit, live, peak;
    int failed; /* GTC_OK, or why the last allocation was refused */
} gtc_mem_t;

void *gtc_mem_alloc(gtc_mem_t *m, size_t n);
void *gtc_mem_realloc(gtc_mem_t *m, void *p, size_t old_n, size_t new_n);
void gtc_mem_free(gtc_mem_t *m, void *p, size_t n);

/* --------------------------------------------------------------- maps */

/* Open addressing from uint64 keys to fixed-size values, linear probing
 * with backward-shift deletion (no tombstones, so a map that sees many
 * resources come and go does not degrade). */
typedef struct gtc_map {
    uint8_t *slots;
    size_t cap; /* power of two, or 0 */
    size_t len;
    size_t vsize, stride;
    gtc_mem_t *mem;
    /* The last key put, and its value: events come in runs about one
     * goroutine or stack, so this saves most probes. Any change of the
     * table's layout (grow, delete, clear) forgets it. */
    void *hit;
    uint64_t hit_key;
} gtc_map_t;

void gtc_map_init(gtc_map_t *m, gtc_mem_t *mem, size_t vsize);
void gtc_map_free(gtc_map_t *m);
void *gtc_map_get(const gtc_map_t *m, uint64_t key);
/* The value of key, created zeroed if absent (*created says which); NULL
 * when memory is refused. */
void *gtc_map_put(gtc_map_t *m, uint64_t key, bool *created);
void gtc_map_del(gtc_map_t *m, uint64_t key);
/* Slot i's value and key, or NULL for an empty slot (i < m->cap). Deleting
 * while iterating is not allowed. */
void *gtc_map_slot(const gtc_map_t *m, size_t i, uint64_t *key);
/* Empty the map; a large one gives its memory back. */
void gtc_map_clear(gtc_map_t *m);

/* ----------------------------------------------------------- messages */

/* Every sentence the checker writes, with its invariant: messages.c holds
 * the table. Formats take only long long, unsigned long long and C
 * strings (Go's %q is pre-quoted by gtc_quote). */
typedef enum gtc_msg {
    M_TIME_ORDER,
    M_STACK_FRAME,
    M_SYNC_SEQ,
    M_SYNC_NO_CLOCK,
    M_SYNC_ZERO_WALL,
    M_SYNC_ZERO_MONO,
    M_SYNC_ZERO_TRACE,
    M_SYNC_WALL_NONINC,
    M_SYNC_MONO_NONINC,
    M_SYNC_TRACE_NONINC,
    M_METRIC_NAME,
    M_METRIC_VALUE,
    M_LABEL_EMPTY,
    M_LABEL_NONE,
    M_LABEL_UNKNOWN,
    M_TO_UNDETERMINED,
    M_UNDETERMINED_AFTER_SYNC,
    M_DIED_WITH_RANGES,
    M_BAD_OLD_STATE,
    M_BAD_OLD_STATE_UNREG,
    M_RUN_BUSY,
    M_STOP_UNBOUND,
    M_STOP_OTHER,
    M_NO_THREAD,
    M_STOP_STACK,
    M_RANGE_BEGUN,
    M_RANGE_INACTIVE,
    M_TASK_ID,
    M_TASK_PARENT,
    M_TASK_END_TYPE,
    M_BLOCKED_NO_STACK,
    M_SYSCALL_NO_STACK,
    M_STACK_UNRESOLVED,
    M_FRAME_INCOMPLETE,
    M_FIRST_FRAME_PARTIAL,
    M_STATUS_NOT_GOROUTINE,
    M_STATUS_BAD_TO,
    M_STATUS_BAD_FROM_FIRST,
    M_STATUS_BAD_FROM_LATER,
    M_STATUS_STACK_IN_GO122,
    M_GOROUTINE_ABSENT,
    M_COUNT
} gtc_msg_t;

typedef struct gtc_msg_spec {
    gtc_invariant_t inv;
    const char *fmt;
} gtc_msg_spec_t;

extern const gtc_msg_spec_t gtc_msgs[M_COUNT];

/* Go's strconv.Quote of bytes, for ASCII exactly; other bytes become \xHH
 * (Go keeps printable UTF-8 as is: messages may differ there). Always
 * NUL-terminates; truncates to cap. Returns buf. */
char *gtc_quote(char *buf, size_t cap, const uint8_t *s, size_t len);
/* ResourceID.String: "Goroutine(5)", "None". */
char *gtc_resource_str(char *buf, size_t cap, gtr_resource_t r);

/* ----------------------------------------------------- validator state */

/* The goroutine or proc state Go's validator keeps. `bound` and `thread`
 * stand for Go's binding pointer: the thread's context is looked up again
 * when needed, which gives the same answers because an empty context is
 * indistinguishable from a fresh one. */
typedef struct gtc_vres {
    uint8_t state;
    bool bound;
    int64_t thread;
} gtc_vres_t;

/* A growable list of IDs. */
typedef struct gtc_ids {
    int64_t *v;
    size_t n, cap;
} gtc_ids_t;

typedef struct gtc_vthread {
    int64_t p, g;
} gtc_vthread_t;

/* Range names active on one resource (owned copies). */
typedef struct gtc_bytes {
    uint8_t *p;
    size_t len;
} gtc_bytes_t;

typedef struct gtc_ranges {
    size_t n, cap;
    gtc_bytes_t *names;
} gtc_ranges_t;

typedef struct gtc_syncinfo {
    uint64_t n;
    bool has_clock;
    int64_t trace, wall_sec;
    int32_t wall_nsec;
    uint64_t mono;
} gtc_syncinfo_t;

typedef struct gtc_validator {
    int64_t last_ts;
    gtc_syncinfo_t last_sync;
    gtc_map_t gs;        /* GoID -> gtc_vres_t */
    gtc_map_t ps;        /* ProcID -> gtc_vres_t */
    gtc_map_t ms;        /* ThreadID -> gtc_vthread_t */
    gtc_map_t ranges[4]; /* per gtr_resource_kind_t: id -> gtc_ranges_t */
    gtc_map_t tasks;     /* TaskID -> gtc_bytes_t (type) */
    gtc_ids_t dead[2];   /* goroutines, procs that died since the last Sync */
} gtc_validator_t;

/* ---------------------------------------------------- generation state */

/* What one generation saw of one goroutine (oracle stats.go's goTrack). */
typedef struct gtc_gotrack {
    uint32_t transitions;
    uint8_t start_state;
    bool start_status, start_stack, ran, stopped, unblocked;
    uint16_t status_wire;   /* wire type of the starting status event */
    uint64_t status_index;  /* its event index */
} gtc_gotrack_t;

/* A stack referenced in this generation: checked once. */
typedef struct gtc_stackseen {
    bool validate_bad; /* some frame after the first is incomplete */
} gtc_stackseen_t;

typedef struct gtc_gen {
    bool open;
    gtc_gen_summary_t sum;
    gtc_map_t gs;     /* GoID -> gtc_gotrack_t */
    gtc_map_t prev;   /* the previous generation's gs: whom to expect */
    gtc_map_t stacks; /* stack ID -> gtc_stackseen_t */
} gtc_gen_t;

/* -------------------------------------------------------------- checker */

struct gtc_checker {
    gtc_options_t opts;
    gtr_version_t version;
    gtc_mem_t mem;
    int status;
    bool ended;
    uint64_t nevents;
    uint64_t index; /* of the event being checked */
    uint64_t syncs; /* Sync events so far */
    gtc_validator_t v;
    gtc_gen_t gen;
    gtc_violation_t *viol;
    size_t nviol, capviol;
    uint64_t viol_total;
    uint64_t viol_of[GTC_INV_COUNT];
    gtc_gen_summary_t *sums;
    size_t nsums, capsums;
    gtc_gen_summary_t totals;
};

/* Report a violation of message `msg` (checker.c); gtc_report_as charges
 * it to `inv` instead of the message's own invariant. */
void gtc_report(gtc_checker_t *c, gtr_resource_t res, uint64_t index, gtc_msg_t msg, ...);
void gtc_report_as(gtc_checker_t *c, gtc_invariant_t inv, gtr_resource_t res, uint64_t index,
                   gtc_msg_t msg, ...);

/* Resource constructors. */
gtr_resource_t gtc_res(gtr_resource_kind_t k, int64_t id);
/* The resource an event is about: its goroutine, else the resource of its
 * transition, else its proc, else its thread. */
gtr_resource_t gtc_event_res(const gtc_record_t *r);

/* Stack frames of a reference. */
size_t gtc_stack_nframes(const gtc_stackref_t *s);
bool gtc_stack_frame(const gtc_stackref_t *s, size_t i, gtr_frame_t *out);

/* validate.c / validate_sched.c */
int gtc_validator_init(gtc_validator_t *v, gtc_mem_t *mem);
void gtc_validator_free(gtc_validator_t *v, gtc_mem_t *mem);
void gtc_validate(gtc_checker_t *c, const gtc_record_t *r);
void gtc_validate_check_stack(gtc_checker_t *c, const gtc_record_t *r, const gtc_stackref_t *s);
void gtc_validate_transition(gtc_checker_t *c, const gtc_record_t *r);
bool gtc_validate_has_ranges(const gtc_validator_t *v, gtr_resource_t res);
/* At a generation boundary: forget dead goroutines and procs. */
void gtc_validator_prune(gtc_validator_t *v, gtc_mem_t *mem);
bool gtc_ids_push(gtc_ids_t *ids, gtc_mem_t *mem, int64_t id);

/* stacks.c */
/* The generation's record of stack s, made (and the stack's one-time
 * checks run) on first sight; NULL for stack ID 0 or when memory ran out. */
const gtc_stackseen_t *gtc_stack_seen(gtc_checker_t *c, const gtc_record_t *r,
                                      const gtc_stackref_t *s);
void gtc_stacks_event(gtc_checker_t *c, const gtc_record_t *r);

/* classify.c */
void gtc_gen_event(gtc_checker_t *c, const gtc_record_t *r);
void gtc_gen_close(gtc_checker_t *c, bool complete);
void gtc_gen_open(gtc_checker_t *c, const gtc_record_t *sync);

#endif /* GTC_INTERNAL_H */
