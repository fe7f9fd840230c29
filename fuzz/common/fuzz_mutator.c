/* fuzz_mutator.c: a libFuzzer custom mutator for the wire-format targets
 * that knows the batch framing.
 *
 * Plain byte mutations rarely get past the batch headers into the
 * generation and ordering logic, where the readers are most likely to
 * disagree. Half of the mutations here are libFuzzer's own; the other half
 * are one gtg_bytemut edit (whole batches swapped, dropped or duplicated, a
 * varint replaced with the batch size fixed up, a batch header field
 * changed), drawn from libFuzzer's seed so a run stays reproducible.
 *
 * Under AFL++ and the replay driver nobody calls it, and LLVMFuzzerMutate
 * does not exist there: it is declared weak and only used when present. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gtg_bytemut.h"
#include "gtg_choice.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    gtg_choice_t c;
    gtg_choice_seed(&c, seed);
    if (LLVMFuzzerMutate != NULL && gtg_chance(&c, 1, 2)) {
        return LLVMFuzzerMutate(data, size, max_size);
    }
    uint8_t *out = NULL;
    size_t n = 0;
    if (gtg_bytemut_apply(data, size, &c, GTG_BM_COUNT, &out, &n, NULL) != 0) {
        return LLVMFuzzerMutate != NULL ? LLVMFuzzerMutate(data, size, max_size) : size;
    }
    n = n < max_size ? n : max_size; /* a duplicated batch may not fit */
    memcpy(data, out, n);
    free(out);
    return n;
}
