/* gtg_trace.h: a generated trace held as structured items, before bytes.
 *
 * The generator lays down batches and events here; the structured
 * mutations edit the items (drop, duplicate, swap, rewrite arguments)
 * while they still know what each byte means; only then is the trace
 * serialised, to wire bytes (through the reference wire writer) or to Go's
 * text format ("Trace Go1.23", one event per line). Timed events carry an
 * absolute timestamp; the time delta on the wire is computed at
 * serialisation from the previous event of the same batch. */
#ifndef GTG_TRACE_H
#define GTG_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotrace_spec.h"
#include "gtg_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gtg_trace gtg_trace_t;

typedef enum gtg_item_kind {
    GTG_ITEM_BATCH,  /* EventBatch gen m time (size computed) */
    GTG_ITEM_EVENT,  /* an event of the batch opened last */
    GTG_ITEM_END_GEN /* go1.26 EndOfGeneration, outside any batch */
} gtg_item_kind_t;

/* One item. For a batch: args = {gen, m}, ts = batch time. For an event:
 * type, the arguments after the time delta (a timed event's delta comes
 * from ts), and for String/Stack events a slice of the trace's data pool
 * (bytes of the string, or 4 values per frame). */
typedef struct gtg_item {
    gtg_item_kind_t kind;
    uint8_t type;
    uint8_t nargs;
    uint16_t gen_index; /* which generated generation (0-based) it belongs to */
    uint64_t ts;
    uint64_t args[GTR_SPEC_MAX_ARGS];
    uint32_t data_off;
    uint32_t data_len; /* bytes for strings, values for stack frames */
} gtg_item_t;

gtg_err_t gtg_trace_new(gtg_trace_t **out, gtr_version_t version);
void gtg_trace_free(gtg_trace_t *t);

gtr_version_t gtg_trace_version(const gtg_trace_t *t);
/* Rewrites the header version only (for mutations); events stay as they are. */
void gtg_trace_set_version(gtg_trace_t *t, unsigned version);

size_t gtg_trace_count(const gtg_trace_t *t);
const gtg_item_t *gtg_trace_item(const gtg_trace_t *t, size_t i);
gtg_item_t *gtg_trace_item_mut(gtg_trace_t *t, size_t i);

/* Appends a batch header, an event (args exclude the time delta), a String
 * or a Stack table entry, or an end-of-generation marker. */
gtg_err_t gtg_trace_batch(gtg_trace_t *t, uint16_t gen_index, uint64_t gen, uint64_t m,
                          uint64_t time);
gtg_err_t gtg_trace_event(gtg_trace_t *t, uint8_t type, uint64_t ts, const uint64_t *args,
                          size_t nargs);
gtg_err_t gtg_trace_string(gtg_trace_t *t, uint64_t id, const char *s, size_t len);
gtg_err_t gtg_trace_stack(gtg_trace_t *t, uint64_t id, const uint64_t *frames,
                          size_t nframes);
gtg_err_t gtg_trace_end_gen(gtg_trace_t *t, uint16_t gen_index);

/* Editing, for the mutations: insert a copy of item `src` before `at`,
 * remove item `at`, swap items, keep only the first n items. */
gtg_err_t gtg_trace_insert_copy(gtg_trace_t *t, size_t at, size_t src);
void gtg_trace_remove(gtg_trace_t *t, size_t at);
void gtg_trace_swap(gtg_trace_t *t, size_t a, size_t b);
void gtg_trace_truncate(gtg_trace_t *t, size_t n);
/* Stack frames of a Stack item, 4 values each (pc, func, file, line). */
uint64_t *gtg_trace_frames(gtg_trace_t *t, const gtg_item_t *it);

/* Serialisation. Both return a malloc'd buffer the caller frees with
 * free(). `cut` drops that many bytes from the end of the wire form, for
 * the truncation mutation (0 keeps everything). The text of a trace Go's
 * converter cannot wholly print (cut short, an event its version lacks)
 * is what that converter writes before it stops. */
gtg_err_t gtg_trace_to_wire(const gtg_trace_t *t, size_t cut, uint8_t **out, size_t *len);
gtg_err_t gtg_trace_to_text(const gtg_trace_t *t, size_t cut, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* GTG_TRACE_H */
