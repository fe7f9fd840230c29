/* gtg_mutate.h: structured mutations of a generated trace.
 *
 * Unlike the byte mutations (gtg_bytemut.h) these work on the structured
 * items, before serialisation, so each one breaks exactly one thing and
 * says which: an event or batch dropped, duplicated or moved, a sequence
 * number or a status made wrong, a stack or string reference left
 * dangling, a batch filed under the wrong generation, an event from a
 * newer version slipped into an older trace, the file cut short; or, at
 * the level of meaning, an event turned into a look-alike of another
 * type, pointed at another goroutine/P/thread/task/string, moved or
 * copied to another M (mutate_event.c). Most
 * make the trace invalid (Go's reader must reject it, and the C reader
 * must reject it the same way); some leave it valid but unusual. */
#ifndef GTG_MUTATE_H
#define GTG_MUTATE_H

#include <stddef.h>

#include "gtg_choice.h"
#include "gtg_error.h"
#include "gtg_trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtg_mutation {
    GTG_MUT_DROP_EVENT,
    GTG_MUT_DUP_EVENT,
    GTG_MUT_SWAP_EVENTS,
    GTG_MUT_DROP_BATCH,
    GTG_MUT_DUP_BATCH,
    GTG_MUT_SWAP_BATCHES,
    GTG_MUT_BAD_SEQ,
    GTG_MUT_WRONG_STATUS,
    GTG_MUT_DANGLING_STACK,
    GTG_MUT_DANGLING_STRING,
    GTG_MUT_WRONG_GEN,
    GTG_MUT_NEWER_EVENT,
    GTG_MUT_TRUNCATE,
    GTG_MUT_CHANGE_TYPE, /* an event becomes another of the same shape */
    GTG_MUT_RETARGET,    /* an event names another goroutine, P, thread, task or string */
    GTG_MUT_MOVE_EVENT,  /* an event moves to another M's batch, same time */
    GTG_MUT_COPY_EVENT,  /* ... or is copied there, the original kept */
    GTG_MUT_COUNT /* as a kind: pick one with the choice source */
} gtg_mutation_t;

const char *gtg_mutation_name(gtg_mutation_t m);
/* GTG_MUT_COUNT if unknown; "random" also gives GTG_MUT_COUNT. */
gtg_mutation_t gtg_mutation_lookup(const char *name);

/* Applies one mutation to t. *cut receives the number of bytes to cut from
 * the end of the wire form (non-zero only for truncation; pass it to
 * gtg_trace_to_wire). desc receives one sentence: what was changed and
 * what it breaks. GTG_ERR_ARG if the trace has nothing the mutation can
 * act on (no batch to swap, ...). */
gtg_err_t gtg_mutate(gtg_trace_t *t, gtg_choice_t *c, gtg_mutation_t kind, size_t *cut,
                     char *desc, size_t desclen);

#ifdef __cplusplus
}
#endif
#endif /* GTG_MUTATE_H */
