/* afl_gen_mutator.c: the AFL++ custom mutator for the generator-driven
 * targets (gen_accept, gen_mutate): the choice-stream edits of
 * fuzz/common/gen_mutator.c behind AFL++'s custom-mutator interface.
 *
 * Built as libtracefuzz_aflmut.so with the host compiler (no AFL
 * instrumentation, no sanitizers: afl-fuzz itself loads it) and used as
 *
 *     AFL_CUSTOM_MUTATOR_LIBRARY=build/afl/bin/libtracefuzz_aflmut.so \
 *         afl-fuzz -i seeds/gen_accept -o out -- build/afl/bin/gen_accept
 *
 * AFL++ still runs its own mutations too unless AFL_CUSTOM_MUTATOR_ONLY=1.
 * One call in four splices with the second input AFL++ offers (its
 * `add_buf`), the rest edit choices. The Debian package ships no header,
 * so the prototypes of the interface (AFL++ 4.04c,
 * docs/custom_mutators.md) are declared here. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/gen_mutator.h"

typedef struct aflmut {
    uint64_t seed; /* advanced on every call */
    uint8_t *buf;  /* the output buffer AFL++ borrows until the next call */
    size_t cap;
} aflmut_t;

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
    (void)afl;
    aflmut_t *m = calloc(1, sizeof *m);
    if (m != NULL) {
        m->seed = seed;
    }
    return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
    aflmut_t *m = data;
    if (max_size == 0) {
        max_size = 1;
    }
    if (m->cap < max_size) {
        uint8_t *p = realloc(m->buf, max_size);
        if (p == NULL) {
            *out_buf = buf; /* AFL++ then runs the input unchanged */
            return buf_size;
        }
        m->buf = p;
        m->cap = max_size;
    }
    uint64_t seed = m->seed++ * 0x9e3779b97f4a7c15ull;
    size_t n = 0;
    if (add_buf != NULL && add_buf_size > 0 && seed % 4 == 0) {
        n = gen_mutator_crossover(buf, buf_size, add_buf, add_buf_size, m->buf, max_size, seed);
    }
    if (n == 0) {
        n = gen_mutator_mutate(buf, buf_size, m->buf, max_size, seed);
    }
    *out_buf = m->buf;
    return n;
}

void afl_custom_deinit(void *data)
{
    aflmut_t *m = data;
    if (m != NULL) {
        free(m->buf);
        free(m);
    }
}
