/* gtg_gen.h: the grammar-driven generator of valid Go execution traces.
 *
 * It runs a model of Go's scheduler (Ms, Ps, goroutines, GC, tasks and
 * regions) through many generations, drawing every decision from a choice
 * source (a seeded PRNG or a fuzzer's bytes) and the grammar's weighted
 * productions, and writes what happened as a structured trace: valid by
 * construction for golang.org/x/exp/trace, with the runtime's status and
 * stack emission at every generation boundary. Alongside it keeps the
 * ground truth: per generation, what each goroutine did and whether its
 * status had to carry a stack. Bug imitations switch on one runtime bug
 * each, on purpose. */
#ifndef GTG_GEN_H
#define GTG_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gotrace_spec.h"
#include "gtg_choice.h"
#include "gtg_error.h"
#include "gtg_grammar.h"
#include "gtg_trace.h"
#include "gtg_truth.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runtime-bug imitations: each breaks one promise the runtime makes. */
typedef enum gtg_bug {
    GTG_BUG_NONE = 0,
    GTG_BUG_NO_STACK,       /* blocked whole generation, GoStatus without stack */
    GTG_BUG_STALE_STACK,    /* GoStatusStack names a stack ID not in the table */
    GTG_BUG_STACK_IN_GO122, /* GoStatusStack in a go1.22 trace */
    GTG_BUG_MISSING_FRAMES, /* a status stack whose frames lack func/file/line */
    GTG_BUG_CONTRADICTION,  /* a status that contradicts the previous generation */
    GTG_BUG_COUNT
} gtg_bug_t;

const char *gtg_bug_name(gtg_bug_t b);
/* GTG_BUG_COUNT if the name is unknown. */
gtg_bug_t gtg_bug_lookup(const char *name);
/* One sentence: what the bug breaks. */
const char *gtg_bug_describe(gtg_bug_t b);

typedef struct gtg_options {
    gtr_version_t version; /* GTR_GO122 .. GTR_GO126 */
    /* Budgets; 0 takes the grammar's limit. */
    uint64_t max_events;
    uint64_t max_generations;
    uint64_t max_goroutines;
    gtg_bug_t bug; /* GTG_BUG_NONE for a valid trace */
} gtg_options_t;

/* Generates one trace. *trace and *truth are new objects the caller frees
 * (truth may be NULL if not wanted). On error, msg holds a sentence. */
gtg_err_t gtg_generate(const gtg_grammar_t *g, gtg_choice_t *c, const gtg_options_t *opts,
                       gtg_trace_t **trace, gtg_truth_t **truth, char *msg, size_t msglen);

/* For fuzz targets: a valid trace from a fuzzer's bytes, in one call. The
 * bytes drive every choice, the version first (go1.22/23/25/26), then the
 * world, generations and steps, inside a budget of `max_events` events
 * (0: the grammar's). *out is malloc'd wire bytes; free() it. */
gtg_err_t gtg_trace_from_bytes(const gtg_grammar_t *g, const uint8_t *data, size_t size,
                               uint64_t max_events, uint8_t **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* GTG_GEN_H */
