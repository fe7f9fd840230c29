/* gotrace.h: libgotrace, a reader and orderer for Go execution traces
 * (format v2: go1.22, go1.23, go1.25, go1.26).
 *
 * The reader agrees with Go's own reader (golang.org/x/exp/trace) event for
 * event and error for error: it yields the same ordered events, with the
 * same times and resources, and fails at the same event with a message that
 * carries Go's key phrase. It never aborts, never reads out of bounds, keeps
 * every allocation under the limits in gtr_options_t and frees everything.
 *
 * Use:
 *
 *     gtr_reader_t *r;
 *     int rc = gtr_reader_open_buffer(&r, data, len, NULL);
 *     const gtr_event_t *ev;
 *     while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
 *         ... gtr_event_kind(ev), gtr_event_time(ev), ...
 *     }
 *     if (rc != GTR_EOF) fprintf(stderr, "%s\n", gtr_reader_error(r));
 *     gtr_reader_free(r);
 *
 * Threading: a reader is used by one thread at a time; there is no global
 * mutable state, so distinct readers may run in parallel.
 *
 * Where Go's own output depends on its map iteration order, this library
 * picks a fixed order and the messages may differ in the values they
 * quote (gtr_error_class groups them):
 *  - "broken trace: failed to advance": the scheduler state after the
 *    frontier is listed by ID (threads in order of first appearance);
 *  - stack validation errors name the lowest failing stack ID;
 *  - a ProcStatus promoted from SyscallAbandoned is attributed to the
 *    last thread (in order of first appearance) bound to the proc.
 * Where Go's event accessors panic (a CPU sample whose stack is not in its
 * table, a Sync with an experiment Go does not know, a stop-the-world end
 * whose kind string is missing from its generation), the accessors here
 * return empty values instead. */
#ifndef GOTRACE_H
#define GOTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gotrace_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- status */

/* Result codes. GTR_OK and GTR_EOF are not errors; every other code is, and
 * an error is final: later calls return the same code and message. */
typedef enum gtr_status {
    GTR_OK = 0,
    GTR_EOF = 1,          /* end of trace: no more events */
    GTR_ERR_HEADER,       /* not a Go execution trace (bad header) */
    GTR_ERR_VERSION,      /* header names a version Go does not know */
    GTR_ERR_DECLINED,     /* a version Go knows but this library does not
                           * read (pre-Go 1.22, v1 format) */
    GTR_ERR_MALFORMED,    /* bad bytes: batches, varints, tables, events */
    GTR_ERR_GENERATION,   /* generation structure: order, frequency, clock */
    GTR_ERR_ORDER,        /* the ordering state machine rejected an event */
    GTR_ERR_STUCK,        /* no event can advance ("failed to advance") */
    GTR_ERR_LIMIT,        /* a resource limit of gtr_options_t beyond the
                           * format's own limits (memory, table entries) */
    GTR_ERR_NOMEM,        /* the allocator returned NULL */
    GTR_ERR_IO,           /* the stream's read callback failed */
    GTR_ERR_ARG,          /* bad argument to an API function */
    GTR_ERR_INTERNAL,     /* an impossible state; please report */
    GTR_STATUS_COUNT
} gtr_status_t;

/* Short stable name of a status ("ok", "eof", "malformed", ...). */
const char *gtr_status_name(int status);

/* True for statuses that mean "this side does not handle this input":
 * GTR_ERR_DECLINED, GTR_ERR_LIMIT and GTR_ERR_NOMEM. Dumps print these as
 * "declined: ..." and differential checks do not count them. */
bool gtr_status_is_declined(int status);

/* The error class of a message: the key phrase of Go's message that the
 * message contains ("failed to advance", "inconsistent status for proc",
 * ...), or NULL if no class matches. Two error lines whose messages differ
 * only in values Go picks from map iteration order have the same class. */
const char *gtr_error_class(const char *message);

/* --------------------------------------------------------------- options */

/* Allocator hook. All three functions or none (NULL = libc). The reader
 * passes `user` back unchanged. realloc_fn may be NULL if malloc_fn and
 * free_fn are given (the reader then copies). */
typedef struct gtr_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void (*free_fn)(void *user, void *ptr);
    void *user;
} gtr_allocator_t;

/* Limits. Each is checked before the allocation it guards. The first three
 * are the format's own limits, which Go's reader enforces with the same
 * messages; lowering them makes the reader stricter than Go. The last two
 * are this library's: exceeding them gives GTR_ERR_LIMIT ("declined"). */
typedef struct gtr_options {
    size_t max_batch_size;       /* bytes of one batch; default 64 KiB */
    size_t max_string_size;      /* bytes of one string; default 1 KiB */
    size_t max_frames_per_stack; /* default 128 */
    size_t max_table_entries;    /* strings + stacks + frames held for one
                                  * generation; default 16 Mi */
    size_t max_total_memory;     /* bytes live at once; default 1 GiB */
    gtr_allocator_t allocator;   /* default: malloc/realloc/free */
} gtr_options_t;

/* The safe defaults described above. A zero field in options passed to an
 * open function also means its default. */
gtr_options_t gtr_options_default(void);

/* ---------------------------------------------------------------- reader */

typedef struct gtr_reader gtr_reader_t;
typedef struct gtr_event gtr_event_t;

/* Read callback of a stream: copy up to `cap` bytes into buf and return the
 * count; 0 means end of input; a negative value is a read error. */
typedef long (*gtr_read_fn)(void *user, uint8_t *buf, size_t cap);

/* Open a reader on `len` bytes at `data` (the caller keeps them alive and
 * unchanged until gtr_reader_free) or on a stream. `opts` may be NULL for
 * the defaults. On success *out is the reader and GTR_OK is returned. On a
 * header error *out is still a reader (so gtr_reader_error gives the
 * message) and the code is returned; free it as usual. Only GTR_ERR_ARG and
 * GTR_ERR_NOMEM during the reader's own allocation leave *out NULL. From a
 * buffer, event batches are decoded where they lie in `data`, not copied,
 * so they do not count towards max_total_memory. */
int gtr_reader_open_buffer(gtr_reader_t **out, const uint8_t *data, size_t len,
                           const gtr_options_t *opts);
int gtr_reader_open_stream(gtr_reader_t **out, gtr_read_fn read, void *user,
                           const gtr_options_t *opts);

/* Positional read callback: copy exactly n bytes from input offset `off`
 * (counted from the first byte `read` returned) into buf and return n; any
 * other value is a read error. */
typedef long (*gtr_read_at_fn)(void *user, uint64_t off, uint8_t *buf, size_t n);

/* Open a reader on a stream that can also be read at any offset (a file:
 * `read` with read(2), `read_at` with pread(2)). The reader goes through
 * the input once with `read` as gtr_reader_open_stream does, but keeps
 * only the framing, tables and samples of a generation; the bytes of its
 * event batches stay in the input and are read again with `read_at`, one
 * batch per thread at a time, as the ordering reaches them. Memory then
 * grows with a generation's tables and threads, not with its events.
 * Events, errors and messages are those of gtr_reader_open_stream, except
 * that event batches no longer count towards max_total_memory while they
 * wait, and an input that changes between the two reads is a read error. */
int gtr_reader_open_seekable(gtr_reader_t **out, gtr_read_fn read, gtr_read_at_fn read_at,
                             void *user, const gtr_options_t *opts);

/* Pull the next ordered event. Returns GTR_OK with *ev set, GTR_EOF at the
 * end, or an error code (final). The event is a borrowed view owned by the
 * reader, valid until the next gtr_reader_next or gtr_reader_free call on
 * the same reader; so are all strings, stacks and batches reached from it. */
int gtr_reader_next(gtr_reader_t *r, const gtr_event_t **ev);

/* The message of the last error ("" if none). Valid until the reader is
 * freed. */
const char *gtr_reader_error(const gtr_reader_t *r);

/* The status of the last call (GTR_OK before the first). */
int gtr_reader_status(const gtr_reader_t *r);

/* The trace version from the header (0 if the header was bad). */
gtr_version_t gtr_reader_version(const gtr_reader_t *r);

/* Peak of bytes allocated at once so far (for limit tests). */
size_t gtr_reader_peak_memory(const gtr_reader_t *r);

/* Free everything. NULL is fine. */
void gtr_reader_free(gtr_reader_t *r);

/* ---------------------------------------------------------------- events */

/* Event kinds; names as EventKind.String() prints them (gtr_kind_name). */
typedef enum gtr_kind {
    GTR_KIND_BAD = 0,
    GTR_KIND_SYNC,
    GTR_KIND_METRIC,
    GTR_KIND_LABEL,
    GTR_KIND_STACK_SAMPLE,
    GTR_KIND_RANGE_BEGIN,
    GTR_KIND_RANGE_ACTIVE,
    GTR_KIND_RANGE_END,
    GTR_KIND_TASK_BEGIN,
    GTR_KIND_TASK_END,
    GTR_KIND_REGION_BEGIN,
    GTR_KIND_REGION_END,
    GTR_KIND_LOG,
    GTR_KIND_STATE_TRANSITION,
    GTR_KIND_EXPERIMENTAL,
    GTR_KIND_COUNT
} gtr_kind_t;

const char *gtr_kind_name(gtr_kind_t k);

/* Go's sentinels for absent resources. */
#define GTR_NO_GOROUTINE ((int64_t)-1)
#define GTR_NO_PROC ((int64_t)-1)
#define GTR_NO_THREAD ((int64_t)-1)
#define GTR_NO_TASK UINT64_MAX
#define GTR_BACKGROUND_TASK ((uint64_t)0)

/* A byte string (not NUL-terminated; may contain any byte). */
typedef struct gtr_str {
    const uint8_t *ptr;
    size_t len;
} gtr_str_t;

/* A stack handle. `none` is Go's NoStack. A stack that is not none may
 * still have zero frames. */
typedef struct gtr_stack {
    const void *table; /* internal */
    uint64_t id;       /* internal */
    bool none;
} gtr_stack_t;

typedef struct gtr_frame {
    uint64_t pc;
    gtr_str_t func;
    gtr_str_t file;
    uint64_t line;
} gtr_frame_t;

/* Frames of a stack, in the order Go's Stack.Frames yields them. */
size_t gtr_stack_nframes(gtr_stack_t s);
bool gtr_stack_frame(gtr_stack_t s, size_t i, gtr_frame_t *out);

/* Common accessors. */
gtr_kind_t gtr_event_kind(const gtr_event_t *ev);
int64_t gtr_event_time(const gtr_event_t *ev); /* nanoseconds */
int64_t gtr_event_goroutine(const gtr_event_t *ev);
int64_t gtr_event_proc(const gtr_event_t *ev);
int64_t gtr_event_thread(const gtr_event_t *ev);
gtr_stack_t gtr_event_stack(const gtr_event_t *ev);
/* Wire type the event came from (GTR_EV_NONE for Sync). For diagnostics. */
unsigned gtr_event_wire_type(const gtr_event_t *ev);
/* How many threads the event's context (thread and goroutine) could have
 * been taken from: 1 for every event but one case, a ProcStatus promoted
 * from SyscallAbandoned to Syscall (Running -> Running), which is emitted
 * in the context of the thread bound to the proc. If a (hostile) trace has
 * several threads bound to it, Go's reader picks one at random (the last
 * of a map walk) and this reader the last it first saw; this returns how
 * many there were. Not in x/exp/trace. */
size_t gtr_event_ctx_choices(const gtr_event_t *ev);

/* trace.Value. */
typedef enum gtr_value_kind {
    GTR_VALUE_BAD = 0,
    GTR_VALUE_UINT64,
    GTR_VALUE_STRING
} gtr_value_kind_t;

typedef struct gtr_value {
    gtr_value_kind_t kind;
    uint64_t u64;
    gtr_str_t str;
} gtr_value_t;

/* Resources as ResourceID. */
typedef enum gtr_resource_kind {
    GTR_RESOURCE_NONE = 0,
    GTR_RESOURCE_GOROUTINE,
    GTR_RESOURCE_PROC,
    GTR_RESOURCE_THREAD
} gtr_resource_kind_t;

typedef struct gtr_resource {
    gtr_resource_kind_t kind;
    int64_t id;
} gtr_resource_t;

/* Goroutine and proc states (GoState, ProcState). */
typedef enum gtr_go_state {
    GTR_GO_UNDETERMINED = 0,
    GTR_GO_NOT_EXIST,
    GTR_GO_RUNNABLE,
    GTR_GO_RUNNING,
    GTR_GO_WAITING,
    GTR_GO_SYSCALL
} gtr_go_state_t;

typedef enum gtr_proc_state {
    GTR_PROC_UNDETERMINED = 0,
    GTR_PROC_NOT_EXIST,
    GTR_PROC_RUNNING,
    GTR_PROC_IDLE
} gtr_proc_state_t;

const char *gtr_go_state_name(unsigned s);   /* "Bad" if out of range */
const char *gtr_proc_state_name(unsigned s); /* "Bad" if out of range */

/* Kind-specific accessors. Each returns false (and leaves *out zeroed) when
 * the event is not of the right kind; Go's API panics there instead. */
typedef struct gtr_metric {
    gtr_str_t name;
    gtr_value_t value;
} gtr_metric_t;
bool gtr_event_metric(const gtr_event_t *ev, gtr_metric_t *out);

typedef struct gtr_label {
    gtr_str_t label;
    gtr_resource_t resource;
} gtr_label_t;
bool gtr_event_label(const gtr_event_t *ev, gtr_label_t *out);

#define GTR_MAX_RANGE_ATTRS 2
typedef struct gtr_range_attr {
    gtr_str_t name;
    gtr_value_t value;
} gtr_range_attr_t;

/* RangeBegin, RangeActive, RangeEnd. attrs are RangeAttributes (only for
 * RangeEnd). The name of an STW range is built per event. */
typedef struct gtr_range {
    gtr_str_t name;
    gtr_resource_t scope;
    size_t nattrs;
    gtr_range_attr_t attrs[GTR_MAX_RANGE_ATTRS];
} gtr_range_t;
bool gtr_event_range(const gtr_event_t *ev, gtr_range_t *out);

typedef struct gtr_task {
    uint64_t id;
    uint64_t parent;
    gtr_str_t type;
} gtr_task_t;
bool gtr_event_task(const gtr_event_t *ev, gtr_task_t *out);

typedef struct gtr_region {
    uint64_t task;
    gtr_str_t type;
} gtr_region_t;
bool gtr_event_region(const gtr_event_t *ev, gtr_region_t *out);

typedef struct gtr_log {
    uint64_t task;
    gtr_str_t category;
    gtr_str_t message;
} gtr_log_t;
bool gtr_event_log(const gtr_event_t *ev, gtr_log_t *out);

/* StateTransition: from/to are gtr_go_state_t for goroutines and
 * gtr_proc_state_t for procs. */
typedef struct gtr_transition {
    gtr_resource_t resource;
    unsigned from;
    unsigned to;
    gtr_str_t reason;
    gtr_stack_t stack;
} gtr_transition_t;
bool gtr_event_transition(const gtr_event_t *ev, gtr_transition_t *out);

/* Sync. The clock snapshot exists from go1.25 on (has_clock). wall_sec and
 * wall_nsec are time.Time's Unix() and Nanosecond(). */
typedef struct gtr_sync {
    uint64_t n;
    bool has_clock;
    int64_t clock_trace; /* trace clock, nanoseconds */
    int64_t wall_sec;
    int32_t wall_nsec;
    uint64_t mono;
    size_t nbatches;     /* experimental batches, see gtr_event_sync_batch */
} gtr_sync_t;
bool gtr_event_sync(const gtr_event_t *ev, gtr_sync_t *out);

/* The i-th experimental batch of a Sync event, experiments sorted by name,
 * batches of one experiment in reader order. */
typedef struct gtr_exp_batch {
    gtr_str_t experiment; /* name ("AllocFree"); a number if unknown */
    int64_t thread;
    gtr_str_t data;
} gtr_exp_batch_t;
bool gtr_event_sync_batch(const gtr_event_t *ev, size_t i, gtr_exp_batch_t *out);

/* Experimental events. */
typedef struct gtr_experimental {
    gtr_str_t name;
    gtr_str_t experiment;
    size_t nargs;
} gtr_experimental_t;
bool gtr_event_experimental(const gtr_event_t *ev, gtr_experimental_t *out);
bool gtr_event_experimental_arg(const gtr_event_t *ev, size_t i, gtr_str_t *name,
                                gtr_value_t *value);

/* ------------------------------------------------------------------ dump */

/* Read a whole trace and write its canonical dump (docs/dump-format.md),
 * final line included ("ok", "error: ...", "declined: ..."). `opts` may be
 * NULL. Returns 0 after "ok", 1 after an error or declined line, 2 if
 * writing to `out` failed. */
int gtr_dump_buffer(const uint8_t *data, size_t len, const gtr_options_t *opts, FILE *out);

/* The same for an open reader (reads it to the end). */
int gtr_dump_reader(gtr_reader_t *r, FILE *out);

/* Streaming dump: one dumper per event stream; it remembers which stacks
 * it has numbered (and, within a generation, the number of each stack ID,
 * so give it every event of the stream, Syncs included, in order). Write
 * each event with gtr_dumper_event, then the final
 * line with gtr_dumper_end(status, message) where status is what
 * gtr_reader_next returned (GTR_EOF prints "ok"). Both return 0, or 2 if
 * writing failed (1 from gtr_dumper_end for an error/declined line). */
typedef struct gtr_dumper gtr_dumper_t;
gtr_dumper_t *gtr_dumper_new(FILE *out, const gtr_allocator_t *alloc);
int gtr_dumper_event(gtr_dumper_t *d, const gtr_event_t *ev);
int gtr_dumper_end(gtr_dumper_t *d, int status, const char *message);
void gtr_dumper_free(gtr_dumper_t *d);

/* Writers of the dump's value rules, for other tools that print the same
 * format: a quoted string, and a message kept on one line. */
int gtr_dump_quoted(FILE *out, const uint8_t *s, size_t len);
int gtr_dump_message(FILE *out, const char *msg);

#ifdef __cplusplus
}
#endif
#endif /* GOTRACE_H */
