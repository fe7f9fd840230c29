/* gtg_bytemut.h: byte-level mutations of trace files that know the batch
 * framing (header, then batches of `EventBatch gen m time size` + payload).
 *
 * These make the "mutated copies of the seeds" that the differential suite
 * feeds to both readers: plain byte edits, plus edits that keep the file
 * parseable far enough to reach the generation and ordering logic (whole
 * batches swapped, dropped or duplicated; a varint inside a batch replaced
 * with the batch size fixed up). */
#ifndef GTG_BYTEMUT_H
#define GTG_BYTEMUT_H

#include <stddef.h>
#include <stdint.h>

#include "gtg_choice.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtg_bytemut {
    GTG_BM_BIT_FLIP,    /* flip one to four bits */
    GTG_BM_BYTE_SET,    /* set a byte to an interesting value */
    GTG_BM_INSERT,      /* insert one to eight random bytes */
    GTG_BM_ERASE,       /* erase one to sixteen bytes */
    GTG_BM_TRUNCATE,    /* cut the file short */
    GTG_BM_BATCH_SWAP,  /* swap two whole batches */
    GTG_BM_BATCH_DROP,  /* drop a whole batch */
    GTG_BM_BATCH_DUP,   /* duplicate a whole batch right after itself */
    GTG_BM_VARINT_EDIT, /* replace a varint in a batch, fixing the batch size */
    GTG_BM_HEADER_EDIT, /* change a batch's gen, M, time or size field */
    GTG_BM_COUNT        /* as a kind: pick one at random */
} gtg_bytemut_t;

/* Short stable name of a mutation ("bit-flip", "batch-swap", ...). */
const char *gtg_bytemut_name(gtg_bytemut_t kind);

/* Applies one mutation of `kind` (or a random kind for GTG_BM_COUNT) to
 * in[0..n) and returns a new malloc'd buffer in *out (free with free()).
 * A kind that cannot apply (no batches to swap) falls back to a bit flip.
 * *applied, if not NULL, receives the kind actually applied.
 * Returns 0, or -1 if memory ran out. */
int gtg_bytemut_apply(const uint8_t *in, size_t n, gtg_choice_t *c, gtg_bytemut_t kind,
                      uint8_t **out, size_t *out_len, gtg_bytemut_t *applied);

#ifdef __cplusplus
}
#endif
#endif /* GTG_BYTEMUT_H */
