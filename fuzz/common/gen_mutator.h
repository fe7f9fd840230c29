/* gen_mutator.h: structure-aware mutation for the generator-driven fuzz
 * targets (gen_accept, gen_mutate), shared by their libFuzzer hooks and the
 * AFL++ custom mutator library (fuzz/afl_gen_mutator.c).
 *
 * Those targets read their input as the generator's choice bytes (each
 * gtg_choose reads just enough bytes for its range), so the useful edits are
 * edits of decisions, not of trace bytes: re-draw every choice after some
 * point (the trace keeps its start and takes a new course), nudge one
 * choice to a nearby value (one more goroutine, the next production), set
 * one to an extreme (0 is the cheapest completion), insert, erase or repeat
 * a run of choices (shifts later decisions, repeats a pattern), and splice
 * the start of one choice stream onto the end of another. The last
 * GEN_MUTATOR_TAIL bytes are gen_mutate's parameters (which mutation, its
 * seed): they are kept in place and only re-drawn as a whole byte, so a
 * choice edit never changes the mutation and the other way round. For
 * gen_accept they are ordinary late choices. */
#ifndef GEN_MUTATOR_H
#define GEN_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

#include "gtg_choice.h"
#ifndef GEN_MUTATOR_ONLY_EDITS
#include "gtg_gen.h"
#endif

/* Trailing parameter bytes kept apart from the choice bytes. */
#define GEN_MUTATOR_TAIL 5

#ifndef GEN_MUTATOR_ONLY_EDITS
/* The default grammar, loaded once (aborts if it does not load: every
 * generator-driven input depends on it). */
const gtg_grammar_t *gen_mutator_grammar(void);

/* gtg_trace_from_bytes with the ground truth kept: the first choice picks
 * the version (go1.22/23/25/26), the rest drive gtg_generate. */
gtg_err_t gen_mutator_generate(const gtg_grammar_t *g, const uint8_t *data, size_t size,
                               uint64_t max_events, gtg_trace_t **trace, gtg_truth_t **truth,
                               char *msg, size_t msglen);

/* Event budgets of the two targets. */
#define GEN_ACCEPT_MAX_EVENTS 1500
#define GEN_MUTATE_MAX_EVENTS 1000

/* The wire bytes a gen_ target reads for an input, for the target itself
 * and for `tracefuzz repro`: gen_accept's generated trace, or gen_mutate's
 * generated trace with the mutation its parameter tail names (the last
 * byte picks the gtg_mutation, GTG_MUT_COUNT meaning "let the mutation's
 * choices pick"; the four before it seed those choices), and one time in
 * three a second, random mutation on top (drawn by the same seed).
 * *mutation gets the first mutation's name ("none" when it found nothing
 * to act on, or for gen_accept) and desc the sentences. *wire is malloc'd; free() it.
 * GTG_ERR_ARG for another target; msg says why the generator failed. */
gtg_err_t gen_mutator_wire(const char *target, const uint8_t *data, size_t size,
                           uint8_t **wire, size_t *len, const char **mutation, char *desc,
                           size_t desclen);
#endif

/* One to four choice edits of in[0..size), written to out (room for max
 * bytes; may alias in). Returns the new size (at least 1, at most max).
 * The same arguments always give the same output. */
size_t gen_mutator_mutate(const uint8_t *in, size_t size, uint8_t *out, size_t max,
                          uint64_t seed);

/* The choices of a up to a random point, then those of b from a random
 * point; the parameter tail of either. Returns the size written to out
 * (at most max). */
size_t gen_mutator_crossover(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
                             uint8_t *out, size_t max, uint64_t seed);

#endif /* GEN_MUTATOR_H */
