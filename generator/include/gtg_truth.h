/* gtg_truth.h: the generator's ground truth about each generation.
 *
 * For every generation and every goroutine the generated trace mentions,
 * the category of what the goroutine did, defined on the events a reader
 * sees exactly as the oracle's `stats` mode and the checker classify them
 * (docs/grammar.md, "Ground truth"), whether its status event carried a
 * stack, and whether the runtime's promise says it must. The checker's
 * classification of the parsed trace must equal this. */
#ifndef GTG_TRUTH_H
#define GTG_TRUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtg_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtg_class {
    GTG_CLASS_BLOCKED,              /* Waiting for the whole generation */
    GTG_CLASS_SYSCALL,              /* in a syscall for the whole generation */
    GTG_CLASS_UNBLOCKED_NEVER_RAN,  /* unblocked, never ran */
    GTG_CLASS_RAN_WITHOUT_BLOCKING, /* ran, never blocked, syscalled or exited */
    GTG_CLASS_RAN,                  /* ran and stopped at some point */
    GTG_CLASS_OTHER,                /* anything else (runnable throughout, ...) */
    GTG_CLASS_COUNT
} gtg_class_t;

typedef struct gtg_truth_row {
    uint32_t gen_index; /* 0-based generation of the trace */
    uint64_t gen;       /* the generation number on the wire */
    uint64_t goid;
    gtg_class_t cls;
    bool has_stack;  /* its status event carried a stack */
    bool must_stack; /* the runtime promises one (go1.23+, blocked/syscall) */
    const char *bug; /* the bug imitation applied to it, or NULL */
} gtg_truth_row_t;

typedef struct gtg_truth gtg_truth_t;

const char *gtg_class_name(gtg_class_t c);
size_t gtg_truth_count(const gtg_truth_t *t);
const gtg_truth_row_t *gtg_truth_row(const gtg_truth_t *t, size_t i);
/* Goroutines of class c in generation gen_index. */
size_t gtg_truth_class_count(const gtg_truth_t *t, uint32_t gen_index, gtg_class_t c);
uint32_t gtg_truth_generations(const gtg_truth_t *t);
/* JSON: {"version":..,"generations":[{"gen":..,"counts":{..},"goroutines":[..]}]}.
 * Malloc'd, NUL-terminated; free() it. */
gtg_err_t gtg_truth_json(const gtg_truth_t *t, char **out, size_t *len);
void gtg_truth_free(gtg_truth_t *t);

#ifdef __cplusplus
}
#endif
#endif /* GTG_TRUTH_H */
