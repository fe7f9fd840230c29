/* internal.h: the types the reader's modules share. Nothing here is public;
 * gotrace.h is the API. One section per module, in data-flow order:
 * memory, errors, maps, byte source, tables, generation, cursors, ordering,
 * reader, events. */
#ifndef GOTRACE_INTERNAL_H
#define GOTRACE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotrace.h"
#include "gotrace_spec.h"
#include "varint.h"

/* ------------------------------------------------------------- alloc.c */

/* Every allocation goes through one of these so that the total stays under
 * max_total_memory; a refusal says whether the limit or the allocator
 * failed, so the caller can report GTR_ERR_LIMIT or GTR_ERR_NOMEM. */
typedef struct gtr_mem {
    gtr_allocator_t a;
    size_t limit;
    size_t live;
    size_t peak;
    bool limit_hit; /* the last refusal was the limit, not the allocator */
} gtr_mem_t;

void gtr_mem_init(gtr_mem_t *m, const gtr_allocator_t *a, size_t limit);
void *gtr_mem_alloc(gtr_mem_t *m, size_t n);
void *gtr_mem_calloc(gtr_mem_t *m, size_t count, size_t size);
void *gtr_mem_realloc(gtr_mem_t *m, void *p, size_t n);
void gtr_mem_free(gtr_mem_t *m, void *p);
/* Grow an array to hold at least `need` elements (doubling). Inline: the
 * tables call it for every entry they add, and it rarely has work. */
int gtr_mem_grow_to(gtr_mem_t *m, void **arr, size_t *cap, size_t need, size_t elem);
static inline int gtr_mem_grow(gtr_mem_t *m, void **arr, size_t *cap, size_t need, size_t elem)
{
    return need <= *cap ? GTR_OK : gtr_mem_grow_to(m, arr, cap, need, elem);
}

/* ------------------------------------------------------------ errors.c */

#define GTR_ERR_MSG_MAX 16384

typedef struct gtr_err {
    int code;
    size_t len; /* messages may quote trace strings, NULs included */
    char msg[GTR_ERR_MSG_MAX];
} gtr_err_t;

/* Sets the error (overwriting any earlier one) and returns its code. */
int gtr_err_set(gtr_err_t *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends bytes to the message (truncating at the buffer's end). */
void gtr_err_append(gtr_err_t *e, const void *p, size_t n);
void gtr_err_appendf(gtr_err_t *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* *dst = *src, copying only the message's bytes (not the whole buffer). */
void gtr_err_copy(gtr_err_t *dst, const gtr_err_t *src);
/* The error the allocator just refused with: LIMIT or NOMEM. */
int gtr_err_mem(gtr_err_t *e, const gtr_mem_t *m, const char *what);

#define RETURN_ERROR_IF(cond, errp, code, ...)                                 \
    do {                                                                       \
        if (cond) {                                                            \
            return gtr_err_set((errp), (code), __VA_ARGS__);                   \
        }                                                                      \
    } while (0)

#define FORWARD_IF_ERROR(expr)                                                 \
    do {                                                                       \
        int fwd_rc_ = (expr);                                                  \
        if (fwd_rc_ != GTR_OK) {                                               \
            return fwd_rc_;                                                    \
        }                                                                      \
    } while (0)

/* -------------------------------------------------------------- hmap.c */

/* Open-addressing map from uint64 keys to uint64 values. Iteration order is
 * never used for anything observable. A slot holds key, value and its
 * used flag together, so a lookup touches one cache line. */
typedef struct gtr_hslot {
    uint64_t key;
    uint64_t val;
    uint64_t used;
} gtr_hslot_t;

typedef struct gtr_hmap {
    gtr_hslot_t *slot;
    size_t cap; /* power of two or 0 */
    size_t len;
} gtr_hmap_t;

/* Fibonacci hashing with the high half folded in: IDs are often small and
 * dense, and this spreads them over the table at the cost of a multiply. */
static inline size_t gtr_hmap_slot_of(uint64_t key, size_t cap)
{
    key *= 0x9e3779b97f4a7c15ull;
    key ^= key >> 32;
    return (size_t)key & (cap - 1);
}

/* Lookups are on every event's path (scheduler state, table IDs): inline. */
static inline bool gtr_hmap_get(const gtr_hmap_t *h, uint64_t key, uint64_t *val)
{
    if (h->cap == 0) {
        return false;
    }
    size_t mask = h->cap - 1;
    for (size_t i = gtr_hmap_slot_of(key, h->cap);; i = (i + 1) & mask) {
        const gtr_hslot_t *s = &h->slot[i];
        if (!s->used) {
            return false;
        }
        if (s->key == key) {
            if (val != NULL) {
                *val = s->val;
            }
            return true;
        }
    }
}

int gtr_hmap_put(gtr_hmap_t *h, gtr_mem_t *m, uint64_t key, uint64_t val);
/* Puts key with val only if key is absent; *added says whether it was. */
int gtr_hmap_put_new(gtr_hmap_t *h, gtr_mem_t *m, uint64_t key, uint64_t val, bool *added);
bool gtr_hmap_del(gtr_hmap_t *h, uint64_t key);
void gtr_hmap_free(gtr_hmap_t *h, gtr_mem_t *m);
/* Empties the map, keeping its slots for reuse. */
void gtr_hmap_clear(gtr_hmap_t *h);

/* ------------------------------------------------------------- idmap.c */

/* Table ID -> entry index: an array indexed by ID while the IDs are dense
 * (the runtime numbers them 1..n), a hash map once one is not. An ID is
 * dense while it is at most SPREAD times the entries so far plus SLACK
 * (the slack lets a table written out of ID order, as the runtime writes
 * its stacks, start anywhere in its first thousand IDs). */
#define GTR_IDMAP_SPREAD 4
#define GTR_IDMAP_SLACK 1024
typedef struct gtr_idmap {
    uint32_t *dir; /* dir[id] = index + 1, 0 when absent; NULL once hashed */
    size_t cap;    /* length of dir */
    size_t len;    /* entries */
    bool hashed;
    gtr_hmap_t h;
} gtr_idmap_t;

static inline bool gtr_idmap_get(const gtr_idmap_t *im, uint64_t id, uint64_t *val)
{
    if (im->hashed) {
        return gtr_hmap_get(&im->h, id, val);
    }
    if (id >= im->cap || im->dir[id] == 0) {
        return false;
    }
    if (val != NULL) {
        *val = im->dir[id] - 1;
    }
    return true;
}

int gtr_idmap_put(gtr_idmap_t *im, gtr_mem_t *m, uint64_t id, uint64_t val);
void gtr_idmap_free(gtr_idmap_t *im, gtr_mem_t *m);

/* --------------------------------------------------------------- src.c */

/* A byte source over a buffer or a read callback, with enough pushback
 * for the header's rune-level scanning. */
typedef struct gtr_src {
    const uint8_t *data; /* buffer mode: the caller's bytes */
    size_t len;
    size_t pos;
    uint64_t base;    /* input offset of data[0] (stream mode) */
    gtr_read_fn read; /* stream mode */
    /* Seekable stream mode: event batches are skipped on the first read
     * and read again from here when the ordering reaches them. */
    gtr_read_at_fn read_at;
    void *user;
    uint8_t *buf;
    size_t buf_cap;
    bool eof;
    bool io_error;
} gtr_src_t;

/* Result of a read: like Go's io errors. */
enum { GTR_SRC_OK = 0, GTR_SRC_EOF = 1, GTR_SRC_UNEXPECTED_EOF = 2,
       GTR_SRC_OVERFLOW = 3, GTR_SRC_IO = 4 };

int gtr_src_init_stream(gtr_src_t *s, gtr_mem_t *m, gtr_read_fn read, void *user);
void gtr_src_init_buffer(gtr_src_t *s, const uint8_t *data, size_t len);
void gtr_src_free(gtr_src_t *s, gtr_mem_t *m);
int gtr_src_byte(gtr_src_t *s, uint8_t *b);
/* encoding/binary.ReadUvarint over the source. */
int gtr_src_uvarint(gtr_src_t *s, uint64_t *v);
/* Copies up to n bytes; *got is how many arrived before EOF. */
int gtr_src_read(gtr_src_t *s, uint8_t *dst, size_t n, size_t *got);
/* Consumes up to n bytes like gtr_src_read, copying none (dst NULL there
 * does the same). */
int gtr_src_skip(gtr_src_t *s, size_t n, size_t *got);
/* The input offset of the next unread byte. */
static inline uint64_t gtr_src_offset(const gtr_src_t *s)
{
    return s->base + s->pos;
}
/* Whether the whole input is the caller's buffer (buffer mode). */
static inline bool gtr_src_in_memory(const gtr_src_t *s)
{
    return s->read == NULL;
}
/* Whether event batches can be left in the input and found again by
 * offset: in the caller's buffer, or through read_at. */
static inline bool gtr_src_revisitable(const gtr_src_t *s)
{
    return gtr_src_in_memory(s) || s->read_at != NULL;
}
/* Header scanning: decode one UTF-8 rune (Go's rules) or -1 at EOF. */
int32_t gtr_src_rune(gtr_src_t *s, size_t *width);
void gtr_src_unread(gtr_src_t *s, size_t width);
/* Text of a src error for messages ("EOF", "unexpected EOF", ...). */
const char *gtr_src_errstr(int rc);

/* ------------------------------------------------------------ header.c */

/* Parses "go 1.NN trace\0\0\0" exactly as Go's fmt.Fscanf does. */
int gtr_read_header(gtr_src_t *s, gtr_err_t *e, gtr_version_t *v);

/* ------------------------------------------------------------- table.c */

typedef struct gtr_frame_rec {
    uint64_t pc;
    uint64_t func_id;
    uint64_t file_id;
    uint64_t line;
} gtr_frame_rec_t;

/* A run [off, off+len) of an arena, with the ID it was defined under. */
typedef struct gtr_span {
    uint64_t off;
    uint64_t len;
    uint64_t id;
} gtr_span_t;

/* A generation's strings, stacks and frames (Go's evTable without the
 * sync data). Strings live in one byte arena; a stack is a run of PCs in
 * one PC array; frames are keyed by PC, first definition wins. */
typedef struct gtr_tables {
    gtr_idmap_t strings; /* id -> index into str */
    gtr_span_t *str;
    size_t nstr, str_cap;
    uint8_t *bytes;
    size_t nbytes, bytes_cap;

    uint64_t str_max_id; /* largest string ID (see has_string) */

    gtr_idmap_t stacks; /* id -> index into stk */
    uint64_t stk_max_id; /* largest stack ID */
    gtr_span_t *stk; /* runs of pcs; id kept for validation in id order */
    size_t nstk, stk_cap;
    uint64_t *pcs;
    size_t npcs, pcs_cap;

    gtr_hmap_t frames; /* pc -> index into frame */
    gtr_frame_rec_t *frame;
    size_t nframe, frame_cap;

    /* Strings made while ordering (task names carried to TaskEnd). */
    gtr_hmap_t extra_ids; /* content hash -> index */
    gtr_span_t *extra;
    size_t nextra, extra_cap;
} gtr_tables_t;

typedef struct gtr_limits {
    size_t max_batch_size;
    size_t max_string_size;
    size_t max_frames_per_stack;
    size_t max_table_entries;
} gtr_limits_t;

void gtr_tables_free(gtr_tables_t *t, gtr_mem_t *m);
bool gtr_tables_string(const gtr_tables_t *t, uint64_t id, gtr_str_t *out);
/* IDs are distinct and nonzero, so when there are as many as the largest
 * ID they are exactly 1..max (the runtime numbers them so) and membership
 * is a comparison; otherwise ask the map. Inline: every event with a stack
 * or string argument asks. */
static inline bool gtr_tables_has_stack(const gtr_tables_t *t, uint64_t id)
{
    if (id == 0 || (t->stacks.len == t->stk_max_id && id <= t->stk_max_id)) {
        return true;
    }
    return gtr_idmap_get(&t->stacks, id, NULL);
}

static inline bool gtr_tables_has_string(const gtr_tables_t *t, uint64_t id)
{
    if (id == 0 || (t->strings.len == t->str_max_id && id <= t->str_max_id)) {
        return true;
    }
    return gtr_idmap_get(&t->strings, id, NULL);
}
int gtr_tables_add_string(gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e,
                          const gtr_limits_t *lim, uint64_t id,
                          const uint8_t *p, size_t n);
/* Adds a stack whose PCs and frames are given; frames already known by PC
 * keep their first definition. */
int gtr_tables_add_stack(gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e,
                         const gtr_limits_t *lim, uint64_t id,
                         const gtr_frame_rec_t *frames, size_t n);
int gtr_tables_validate(const gtr_tables_t *t, gtr_mem_t *m, gtr_err_t *e);
/* Extra strings: id 0 is "", others are 1-based. Deduplicated like Go. */
int gtr_tables_add_extra(gtr_tables_t *t, gtr_mem_t *m, const uint8_t *p,
                         size_t n, uint64_t *id);
gtr_str_t gtr_tables_extra(const gtr_tables_t *t, uint64_t id);
size_t gtr_tables_entries(const gtr_tables_t *t);

/* -------------------------------------------------------- generation.c */

typedef struct gtr_batch {
    int64_t m;
    uint64_t time;
    uint64_t exp;
    uint8_t *data; /* NULL for an empty batch, or one left in the input */
    size_t len;
    uint64_t off;  /* input offset of the data, for a batch left there */
    uint8_t first; /* the first data byte (0 if empty): the batch's kind */
} gtr_batch_t;

typedef struct gtr_cpu_sample {
    int64_t m, p, g;
    int64_t time;
    uint64_t stack;
} gtr_cpu_sample_t;

/* All batches of one M, in trace order. */
typedef struct gtr_mbatches {
    int64_t m;
    gtr_batch_t *b;
    size_t n, cap;
} gtr_mbatches_t;

typedef struct gtr_exp_rec {
    uint64_t exp;
    int64_t m;
    uint8_t *data;
    size_t len;
    char name[32]; /* experiment name; Go has none for unknown IDs */
} gtr_exp_rec_t;

typedef struct gtr_gen {
    uint64_t gen;
    uint64_t min_ts;
    gtr_mbatches_t *ms; /* in order of each M's first batch */
    size_t nms, ms_cap;
    gtr_hmap_t m_index; /* M -> index into ms */
    gtr_cpu_sample_t *cpu;
    size_t ncpu, cpu_cap;
    gtr_exp_rec_t *exps; /* in reader order */
    size_t nexps, exps_cap;
    size_t *exp_sorted; /* indices of exps sorted by experiment name */
    /* Sync data. */
    double freq; /* nanoseconds per tick; 0 = none seen */
    bool has_clock;
    uint64_t snap_time;
    uint64_t snap_mono;
    int64_t snap_sec;
    int32_t snap_nsec;
    gtr_tables_t t;
} gtr_gen_t;

/* A batch read for the next generation while reading this one (pre-1.26). */
typedef struct gtr_spill {
    bool present;
    uint64_t gen;
    gtr_batch_t b;
} gtr_spill_t;

typedef struct gtr_genctx {
    gtr_src_t *src;
    gtr_mem_t *mem;
    gtr_err_t *err;
    gtr_limits_t lim;
    gtr_version_t ver;
} gtr_genctx_t;

void gtr_gen_free(gtr_gen_t *g, gtr_mem_t *m);
/* go1.26+: reads one generation. *out is NULL at a clean end. */
int gtr_gen_read(gtr_genctx_t *c, gtr_gen_t **out);
/* Pre-1.26: reads one generation starting with the spilled batch (taken;
 * the next generation's first batch is put back there). An error return
 * means no generation. On GTR_OK, *spill_err may still be an error code
 * (message in c->err): the generation is good and the error belongs to
 * reading the next one. */
int gtr_gen_read_spill(gtr_genctx_t *c, gtr_spill_t *spill, gtr_gen_t **out,
                       int *spill_err);

/* amd64 CVTTSD2SQ: NaN and out-of-range values give the "integer
 * indefinite" value, which is INT64_MIN. Inline: it runs once per event. */
static inline int64_t gtr_f64_to_i64(double x)
{
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) {
        return INT64_MIN;
    }
    return (int64_t)x;
}

/* Go's frequency.mul: float64 product, converted like amd64 CVTTSD2SQ. */
static inline int64_t gtr_ticks_to_ns(double freq, uint64_t ticks)
{
    return gtr_f64_to_i64((double)ticks * freq);
}

/* -------------------------------------------------------------- sort.c */

/* Go's slices.SortFunc (pdqsort), step for step, so that ties end up in
 * the same order as in Go. Elements are at most 64 bytes (larger ones are
 * left unsorted: the reader sorts only cursor pointers and CPU samples). */
void gtr_sort(void *base, size_t n, size_t size,
              int (*cmp)(const void *, const void *));

/* ------------------------------------------------------------ cursor.c */

/* An event as read from a batch, before and after ordering. args holds the
 * arguments after the timestamp; the ordering smuggles values into unused
 * slots as Go does. typ GTR_TYP_SYNC (Go's evSync) marks Sync events. */
#define GTR_TYP_SYNC 255u
#define GTR_NARGS 4

typedef struct gtr_base {
    uint8_t typ;
    int64_t time;
    uint64_t args[GTR_NARGS];
} gtr_base_t;

typedef struct gtr_cursor {
    int64_t m;
    int64_t last_ts;
    const uint8_t *p, *end;       /* unread bytes of batch *b */
    const gtr_batch_t *b, *b_end; /* current batch; one past the M's last */
    gtr_base_t ev;
    long order_mi; /* the M's index in the ordering's threads (-1: unknown) */
    bool loaded;   /* p..end are *b's bytes */
    /* Batches left in the input (data NULL, len > 0) are read in place
     * from a buffer, or into buf through src->read_at. */
    const gtr_src_t *src;
    gtr_mem_t *mem;
    uint8_t *buf;
    size_t buf_cap;
} gtr_cursor_t;

/* Points a cursor at the first batch of mb; the batch is loaded by the
 * first gtr_cursor_next. */
void gtr_cursor_init(gtr_cursor_t *c, int64_t m, const gtr_mbatches_t *mb, const gtr_src_t *src,
                     gtr_mem_t *mem);
/* Frees the cursor's batch buffer. */
void gtr_cursor_release(gtr_cursor_t *c);

/* gtr_cursor_next's other cases: a new batch to load, a base time to
 * read, a varint longer than three bytes, the end of a batch near. */
int gtr_cursor_next_slow(gtr_cursor_t *c, double freq, gtr_err_t *e, bool *ok);
void gtr_heap_insert(gtr_cursor_t **heap, size_t *n, gtr_cursor_t *c);
void gtr_heap_update(gtr_cursor_t **heap, size_t n, size_t i);
/* Whether the top cursor, whose time has just grown, is still no later
 * than its children: then gtr_heap_update(heap, n, 0) moves nothing. Most
 * consecutive events come from one M, so this is the common case. */
static inline bool gtr_heap_top_stays(gtr_cursor_t *const *heap, size_t n)
{
    int64_t t = heap[0]->ev.time;
    return (n < 2 || heap[1]->ev.time >= t) && (n < 3 || heap[2]->ev.time >= t);
}
void gtr_heap_remove(gtr_cursor_t **heap, size_t *n, size_t i);

/* ------------------------------------------------------------- order.c */

typedef struct gtr_seq {
    uint64_t gen;
    uint64_t seq;
} gtr_seq_t;

typedef struct gtr_range_type {
    uint8_t typ;
    uint64_t desc;
} gtr_range_type_t;

typedef struct gtr_ranges {
    gtr_range_type_t *v;
    size_t n, cap;
} gtr_ranges_t;

typedef struct gtr_region_rec {
    uint64_t task;
    uint8_t *name;
    size_t len;
} gtr_region_rec_t;

typedef struct gtr_gstate {
    int64_t id;
    uint8_t status;
    gtr_seq_t seq;
    gtr_region_rec_t *regions;
    size_t nregions, regions_cap;
    gtr_ranges_t ranges;
} gtr_gstate_t;

typedef struct gtr_pstate {
    int64_t id;
    uint8_t status;
    gtr_seq_t seq;
    gtr_ranges_t ranges;
} gtr_pstate_t;

typedef struct gtr_mstate {
    int64_t id;
    int64_t g;
    int64_t p;
} gtr_mstate_t;

typedef struct gtr_task_rec {
    uint64_t id;
    uint64_t parent;
    uint8_t *name;
    size_t len;
    bool live;
} gtr_task_rec_t;

typedef struct gtr_ctx {
    int64_t g, p, m;
} gtr_ctx_t;

struct gtr_event {
    gtr_base_t base;
    gtr_ctx_t ctx;
    gtr_gen_t *table; /* NULL for Syncs without a generation */
    struct gtr_reader *r;
};

#ifndef GTR_GCACHE_SIZE
#define GTR_GCACHE_SIZE 64 /* power of two; entries of gtr_order's gcache */
#endif

typedef struct gtr_order {
    gtr_version_t ver;
    gtr_hmap_t gmap; /* GoID -> gtr_gstate_t* */
    /* Direct-mapped cache in front of gmap, by the low bits of the ID:
     * most events look up a goroutine touched moments before. Entries are
     * set on a hit or a new goroutine and cleared when one is deleted, so
     * a cached pointer is always the map's current value. */
    struct {
        int64_t id;
        struct gtr_gstate *g; /* NULL: empty */
    } gcache[GTR_GCACHE_SIZE];
    gtr_hmap_t pmap; /* ProcID -> gtr_pstate_t* */
    gtr_hmap_t m_index; /* ThreadID -> index in ms (insertion order) */
    gtr_mstate_t *ms;
    size_t nms, ms_cap;
    gtr_hmap_t tmap; /* TaskID -> gtr_task_rec_t* */
    uint64_t gc_seq;
    uint8_t gc_state;
    uint64_t initial_gen;
    /* Ring buffer of completed events. */
    gtr_event_t *q;
    size_t q_start, q_len, q_cap;
    gtr_mem_t *mem;
    gtr_err_t *err;
    char namebuf[32];
} gtr_order_t;

void gtr_order_init(gtr_order_t *o, gtr_version_t v, gtr_mem_t *m, gtr_err_t *e);
void gtr_order_free(gtr_order_t *o);
/* Tries to advance ev (read on thread m). *ok false: try another M.
 * *mi caches m's index in o->ms for the caller (-1: not looked up yet);
 * threads are never removed, so an index once found stays valid. It
 * does by itself all that gtr_order_advance_quick (order_int.h), which
 * the pull loop tries first where it can, does. */
int gtr_order_advance(gtr_order_t *o, gtr_base_t *ev, gtr_gen_t *gen, int64_t m, long *mi,
                      bool *ok);
/* The oldest completed event, or NULL. The slot stays valid until the
 * next gtr_order_advance (which may overwrite or move the queue). */
static inline gtr_event_t *gtr_order_pop(gtr_order_t *o)
{
    if (o->q_len == 0) {
        return NULL;
    }
    gtr_event_t *ev = &o->q[o->q_start];
    o->q_start = (o->q_start + 1) & (o->q_cap - 1);
    o->q_len--;
    return ev;
}
/* Go's dumpOrdering, deterministic (sorted by ID). */
void gtr_order_dump(const gtr_order_t *o, char *buf, size_t cap);

/* -------------------------------------------------------------- spec.c */

/* The spec of every wire type below GTR_EV_MAX_EXPERIMENTAL, gaps
 * included (name NULL); gtr_spec_any hands out its entries. */
extern const gtr_event_spec_t gtr_spec_table[GTR_EV_MAX_EXPERIMENTAL];

/* The argument count of a timed event type, delta included; 0 for every
 * other byte, which the batch decoder rejects. Inline: once per event. */
static inline unsigned gtr_timed_nargs(unsigned typ)
{
    return typ < GTR_EV_MAX_EXPERIMENTAL && gtr_spec_table[typ].is_timed
               ? gtr_spec_table[typ].nargs
               : 0;
}

/* Whether an event of type typ names stack or string IDs to validate
 * (typ may be a synthesized type such as GTR_TYP_SYNC: none). */
static inline bool gtr_has_ids(unsigned typ)
{
    return typ < GTR_EV_MAX_EXPERIMENTAL &&
           (gtr_spec_table[typ].n_stack_ids | gtr_spec_table[typ].n_string_ids) != 0;
}

/* ---------------------------------------- cursor.c: the inline common case */

/* Ends the decoding of the cursor's event: its time from the delta dt
 * (Go's arithmetic), and the cursor moved on to next, past its bytes. */
static inline void gtr_cursor_take(gtr_cursor_t *c, double freq, uint64_t dt,
                                   const uint8_t *next)
{
    c->ev.time = (int64_t)((uint64_t)gtr_ticks_to_ns(freq, dt) + (uint64_t)c->last_ts);
    c->last_ts = c->ev.time;
    c->p = next;
}

/* gtr_cursor_next's common case: the next event lies in the batch being
 * read, with room for every varint at three bytes, and each is at most
 * three bytes long. Then it is decoded and this returns true. Otherwise
 * the cursor still points at the event (some of its arguments may be
 * written already, with the values they will get) and
 * gtr_cursor_next_slow decodes it from its start. */
static inline bool gtr_cursor_next_short(gtr_cursor_t *c, double freq)
{
    const uint8_t *p = c->p;
    if (p == c->end || c->last_ts == 0) {
        return false;
    }
    unsigned nargs = gtr_timed_nargs(p[0]);
    if (nargs == 0 || (size_t)(c->end - p) < 1 + 3 * (size_t)nargs) {
        return false;
    }
    uint64_t dt;
    size_t off = 1;
    int k = gtr_short_uvarint(p + off, &dt);
    for (unsigned i = 0; k > 0 && i + 1 < nargs; i++) {
        off += (size_t)k;
        k = gtr_short_uvarint(p + off, &c->ev.args[i]);
    }
    if (k <= 0) {
        return false;
    }
    c->ev.typ = p[0];
    gtr_cursor_take(c, freq, dt, p + off + (size_t)k);
    return true;
}

/* Reads the cursor's next event; *ok false at the end of its batches.
 * Inline: the pull loop calls it for every event. */
static inline int gtr_cursor_next(gtr_cursor_t *c, double freq, gtr_err_t *e, bool *ok)
{
    if (gtr_cursor_next_short(c, freq)) {
        *ok = true;
        return GTR_OK;
    }
    return gtr_cursor_next_slow(c, freq, e, ok);
}

/* ------------------------------------------------------------ reader.c */

struct gtr_reader {
    gtr_mem_t mem;
    gtr_options_t opts;
    gtr_src_t src;
    gtr_version_t ver;
    int status;
    bool done;
    int64_t last_ts;
    gtr_gen_t *gen;
    gtr_cursor_t **frontier;
    gtr_cursor_t *cursors;
    size_t ncursors;
    size_t nfrontier;
    size_t cpu_next; /* next CPU sample of gen */
    int64_t cpu_due; /* its time; INT64_MAX when none is left */
    gtr_order_t order;
    uint64_t syncs;
    /* Errors queued behind a Sync event. */
    int gen_err;
    gtr_spill_t spill;
    bool spill_err_sync;
    gtr_event_t ev;       /* Sync and CPU-sample events are built here */
    gtr_event_t *cur;     /* the event handed out: &ev or a queue slot */
    /* Last: a new reader zeroes everything before these. scratch is
     * written before it is read, and of the 16 KiB message buffers only
     * the headers are set. */
    char scratch[1200];   /* built strings (STW range names) */
    gtr_err_t err;
    gtr_err_t gen_err_msg; /* the message of gen_err */
};

/* ------------------------------------------------------------- event.c */

/* Go's tracev2Type2Kind. */
gtr_kind_t gtr_kind_of(unsigned typ);
/* Validates that the event's stack and string IDs resolve (validateTableIDs). */
int gtr_event_validate(const gtr_event_t *ev, const gtr_event_spec_t *s, gtr_err_t *e);
/* Name of a version's event type as Go's EventName prints it. */
const char *gtr_ev_name(gtr_version_t v, unsigned typ, char *buf, size_t cap);

#endif /* GOTRACE_INTERNAL_H */
