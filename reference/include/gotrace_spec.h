/* gotrace_spec.h: the event specifications of the Go execution trace v2
 * format (go1.22, go1.23, go1.25, go1.26), as data.
 *
 * This is the one place that knows the wire events. The reader, the writer,
 * the text format, the generator, the grammar loader and the fuzzing
 * dictionaries all read these tables; none of them lists events again. */
#ifndef GOTRACE_SPEC_H
#define GOTRACE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Trace format versions, numbered as in the header "go 1.NN trace". */
typedef enum gtr_version {
    GTR_GO111 = 11, /* v1 format: recognised, not read by this library */
    GTR_GO119 = 19, /* v1 */
    GTR_GO121 = 21, /* v1 */
    GTR_GO122 = 22,
    GTR_GO123 = 23,
    GTR_GO125 = 25,
    GTR_GO126 = 26,
    GTR_VERSION_CURRENT = GTR_GO126
} gtr_version_t;

/* Wire event types. The numbering is the wire format's; gaps are invalid. */
typedef enum gtr_ev {
    GTR_EV_NONE = 0,
    /* Structural events. */
    GTR_EV_EVENT_BATCH = 1,
    GTR_EV_STACKS = 2,
    GTR_EV_STACK = 3,
    GTR_EV_STRINGS = 4,
    GTR_EV_STRING = 5,
    GTR_EV_CPU_SAMPLES = 6,
    GTR_EV_CPU_SAMPLE = 7,
    GTR_EV_FREQUENCY = 8,
    /* Procs. */
    GTR_EV_PROCS_CHANGE = 9,
    GTR_EV_PROC_START = 10,
    GTR_EV_PROC_STOP = 11,
    GTR_EV_PROC_STEAL = 12,
    GTR_EV_PROC_STATUS = 13,
    /* Goroutines. */
    GTR_EV_GO_CREATE = 14,
    GTR_EV_GO_CREATE_SYSCALL = 15,
    GTR_EV_GO_START = 16,
    GTR_EV_GO_DESTROY = 17,
    GTR_EV_GO_DESTROY_SYSCALL = 18,
    GTR_EV_GO_STOP = 19,
    GTR_EV_GO_BLOCK = 20,
    GTR_EV_GO_UNBLOCK = 21,
    GTR_EV_GO_SYSCALL_BEGIN = 22,
    GTR_EV_GO_SYSCALL_END = 23,
    GTR_EV_GO_SYSCALL_END_BLOCKED = 24,
    GTR_EV_GO_STATUS = 25,
    /* STW and GC. */
    GTR_EV_STW_BEGIN = 26,
    GTR_EV_STW_END = 27,
    GTR_EV_GC_ACTIVE = 28,
    GTR_EV_GC_BEGIN = 29,
    GTR_EV_GC_END = 30,
    GTR_EV_GC_SWEEP_ACTIVE = 31,
    GTR_EV_GC_SWEEP_BEGIN = 32,
    GTR_EV_GC_SWEEP_END = 33,
    GTR_EV_GC_MARK_ASSIST_ACTIVE = 34,
    GTR_EV_GC_MARK_ASSIST_BEGIN = 35,
    GTR_EV_GC_MARK_ASSIST_END = 36,
    GTR_EV_HEAP_ALLOC = 37,
    GTR_EV_HEAP_GOAL = 38,
    /* Annotations. */
    GTR_EV_GO_LABEL = 39,
    GTR_EV_USER_TASK_BEGIN = 40,
    GTR_EV_USER_TASK_END = 41,
    GTR_EV_USER_REGION_BEGIN = 42,
    GTR_EV_USER_REGION_END = 43,
    GTR_EV_USER_LOG = 44, /* last event of go1.22 */
    /* go1.23. */
    GTR_EV_GO_SWITCH = 45,
    GTR_EV_GO_SWITCH_DESTROY = 46,
    GTR_EV_GO_CREATE_BLOCKED = 47,
    GTR_EV_GO_STATUS_STACK = 48,
    GTR_EV_EXPERIMENTAL_BATCH = 49, /* last event of go1.23 */
    /* go1.25. */
    GTR_EV_SYNC = 50,
    GTR_EV_CLOCK_SNAPSHOT = 51, /* last event of go1.25 */
    /* go1.26. */
    GTR_EV_END_OF_GENERATION = 52,
    GTR_EV_NUM_BASE = 53,

    /* Experimental events live above GTR_EV_MAX_BASE. */
    GTR_EV_MAX_BASE = 127,
    GTR_EV_SPAN = 128,
    GTR_EV_SPAN_ALLOC = 129,
    GTR_EV_SPAN_FREE = 130,
    GTR_EV_HEAP_OBJECT = 131,
    GTR_EV_HEAP_OBJECT_ALLOC = 132,
    GTR_EV_HEAP_OBJECT_FREE = 133,
    GTR_EV_GOROUTINE_STACK = 134,
    GTR_EV_GOROUTINE_STACK_ALLOC = 135,
    GTR_EV_GOROUTINE_STACK_FREE = 136,
    GTR_EV_MAX_EXPERIMENTAL = 137
} gtr_ev_t;

/* Experiments that experimental events and batches belong to. */
typedef enum gtr_experiment {
    GTR_EXP_NONE = 0,
    GTR_EXP_ALLOC_FREE = 1,
    GTR_EXP_COUNT = 2
} gtr_experiment_t;

/* Goroutine and proc statuses as they appear on the wire. */
typedef enum gtr_wire_gstatus {
    GTR_WIRE_G_BAD = 0,
    GTR_WIRE_G_RUNNABLE = 1,
    GTR_WIRE_G_RUNNING = 2,
    GTR_WIRE_G_SYSCALL = 3,
    GTR_WIRE_G_WAITING = 4
} gtr_wire_gstatus_t;

typedef enum gtr_wire_pstatus {
    GTR_WIRE_P_BAD = 0,
    GTR_WIRE_P_RUNNING = 1,
    GTR_WIRE_P_IDLE = 2,
    GTR_WIRE_P_SYSCALL = 3,
    GTR_WIRE_P_SYSCALL_ABANDONED = 4
} gtr_wire_pstatus_t;

/* What an argument means, from the suffix of its name ("reason_string"). */
typedef enum gtr_arg_type {
    GTR_ARG_RAW = 0, /* no suffix: a plain unsigned integer */
    GTR_ARG_SEQ,
    GTR_ARG_PSTATUS,
    GTR_ARG_GSTATUS,
    GTR_ARG_G,
    GTR_ARG_M,
    GTR_ARG_P,
    GTR_ARG_STRING,
    GTR_ARG_STACK,
    GTR_ARG_VALUE,
    GTR_ARG_TASK
} gtr_arg_type_t;

#define GTR_SPEC_MAX_ARGS 5  /* the most arguments any event carries */
#define GTR_MAX_TIMED_ARGS 5 /* timed events: timestamp delta included */

/* Limits the runtime promises and Go's reader enforces. */
#define GTR_MAX_BATCH_SIZE (64u << 10)
#define GTR_MAX_FRAMES_PER_STACK 128u
#define GTR_MAX_EVENT_DATA_SIZE (1u << 10)

/* The small fields come first: the reader reads nargs, is_timed and the
 * ID counts of every event it decodes, and finds them in one cache line. */
typedef struct gtr_event_spec {
    const char *name;          /* NULL: not an event */
    uint8_t nargs;             /* number of varint arguments */
    bool is_timed;             /* surfaced by the reader, first arg is a delta */
    /* Indices into args of string-ID and stack-ID arguments (as on the wire,
     * timestamp delta included). For stacks the first is the event's own. */
    uint8_t n_string_ids;
    uint8_t string_ids[2];
    uint8_t n_stack_ids;
    uint8_t stack_ids[2];
    uint8_t start_ev;        /* for an "end" event, its begin event; else 0 */
    bool has_data;           /* trailer: varint length then that many bytes */
    bool is_stack;           /* trailer: varint n then n*4 varint frames */
    uint8_t experiment;      /* gtr_experiment_t */
    const char *args[GTR_SPEC_MAX_ARGS];
} gtr_event_spec_t;

/* The spec of wire type `type` in version `v`, or NULL when the type is not
 * an event of that version (unknown, a gap, or from a newer version). */
const gtr_event_spec_t *gtr_spec(gtr_version_t v, unsigned type);

/* The spec of `type` in the newest version, ignoring version gates. */
const gtr_event_spec_t *gtr_spec_any(unsigned type);

/* Number of base (non-experimental) wire types defined in version `v`,
 * i.e. one more than its highest base event type; 0 if `v` is not a v2
 * version. */
unsigned gtr_spec_count(gtr_version_t v);

/* True for the v2 versions this library reads. */
bool gtr_version_supported(gtr_version_t v);
/* True for every version Go recognises in a header (v1 included). */
bool gtr_version_known(unsigned v);

/* True for experimental event types (above GTR_EV_MAX_BASE). */
bool gtr_ev_is_experimental(unsigned type);

/* Name of an experiment ("None", "AllocFree"), or NULL if out of range. */
const char *gtr_experiment_name(unsigned exp);

/* Look an event up by name in version `v`; returns the type or -1. */
int gtr_spec_lookup(gtr_version_t v, const char *name, size_t len);

/* Type of an argument from its name's suffix. */
gtr_arg_type_t gtr_arg_type(const char *arg_name);

/* Names of wire statuses ("Running", "Bad" for anything unknown). */
const char *gtr_wire_gstatus_name(uint64_t s);
const char *gtr_wire_pstatus_name(uint64_t s);

#ifdef __cplusplus
}
#endif
#endif /* GOTRACE_SPEC_H */
