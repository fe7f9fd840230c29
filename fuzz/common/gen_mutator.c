/* gen_mutator.c: choice-stream mutations for the generator-driven targets
 * (see gen_mutator.h), and their libFuzzer hooks.
 *
 * Every edit is drawn from a PRNG seeded by the engine's seed, so a run
 * stays reproducible. The hooks LLVMFuzzerCustomMutator and
 * LLVMFuzzerCustomCrossOver, and the generator entry points, are compiled
 * in unless GEN_MUTATOR_ONLY_EDITS is defined: the AFL++ library
 * (fuzz/afl_gen_mutator.c) defines it and needs only choice.c besides.
 * GEN_MUTATOR_NO_HOOKS leaves out only the hooks (`tracefuzz repro`).
 * Under AFL++ and the replay driver nobody calls the hooks, and
 * LLVMFuzzerMutate is weak. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_mutator.h"
#ifndef GEN_MUTATOR_ONLY_EDITS
#include "fuzz_helpers.h"
#include "gtg_mutate.h"
#endif

#ifndef GEN_MUTATOR_ONLY_EDITS
const gtg_grammar_t *gen_mutator_grammar(void)
{
    static gtg_grammar_t *g;
    if (g == NULL) {
        char err[256];
        if (gtg_grammar_default(&g, err, sizeof err) != GTG_OK) {
            fprintf(stderr, "default grammar does not load: %s\n", err);
            abort();
        }
    }
    return g;
}

gtg_err_t gen_mutator_generate(const gtg_grammar_t *g, const uint8_t *data, size_t size,
                               uint64_t max_events, gtg_trace_t **trace, gtg_truth_t **truth,
                               char *msg, size_t msglen)
{
    static const gtr_version_t versions[4] = {GTR_GO122, GTR_GO123, GTR_GO125, GTR_GO126};
    gtg_choice_t c;
    gtg_choice_bytes(&c, data, size);
    gtg_options_t o = {.version = versions[gtg_choose(&c, 4)], .max_events = max_events};
    return gtg_generate(g, &c, &o, trace, truth, msg, msglen);
}

/* One time in three a second mutation, drawn by the same seed, on top of
 * the first: some refusals need two edits (an event moved to another M,
 * then pointed at another goroutine). Its sentence is appended to desc;
 * the signature keeps the first mutation's name. */
static void second_mutation(gtg_trace_t *trace, gtg_choice_t *mc, size_t *cut, char *desc,
                            size_t desclen)
{
    if (!gtg_chance(mc, 1, 3)) {
        return;
    }
    char more[256];
    size_t cut2 = 0;
    if (gtg_mutate(trace, mc, GTG_MUT_COUNT, &cut2, more, sizeof more) == GTG_OK) {
        size_t used = strlen(desc);
        snprintf(desc + used, desclen - used, "; then %s", more);
        *cut += cut2;
    }
}

gtg_err_t gen_mutator_wire(const char *target, const uint8_t *data, size_t size,
                           uint8_t **wire, size_t *len, const char **mutation, char *desc,
                           size_t desclen)
{
    bool mutate = strcmp(target, "gen_mutate") == 0;
    if (!mutate && strcmp(target, "gen_accept") != 0) {
        return GTG_ERR_ARG;
    }
    fuzz_producer_t p = fuzz_producer(data, size);
    gtg_mutation_t kind = GTG_MUT_COUNT;
    uint32_t mseed = 0;
    if (mutate) {
        kind = (gtg_mutation_t)fuzz_producer_range(&p, 0, GTG_MUT_COUNT);
        mseed = fuzz_producer_range(&p, 0, UINT32_MAX);
    }
    gtg_trace_t *trace = NULL;
    gtg_err_t err = gen_mutator_generate(gen_mutator_grammar(), data, fuzz_producer_remaining(&p),
                                         mutate ? GEN_MUTATE_MAX_EVENTS : GEN_ACCEPT_MAX_EVENTS,
                                         &trace, NULL, desc, desclen);
    size_t cut = 0;
    *mutation = "none";
    if (err == GTG_OK && mutate) {
        gtg_choice_t mc;
        gtg_choice_seed(&mc, mseed);
        if (gtg_mutate(trace, &mc, kind, &cut, desc, desclen) == GTG_OK) {
            *mutation = kind == GTG_MUT_COUNT ? "random" : gtg_mutation_name(kind);
            second_mutation(trace, &mc, &cut, desc, desclen);
        }
    }
    if (err == GTG_OK) {
        err = gtg_trace_to_wire(trace, cut, wire, len);
    }
    gtg_trace_free(trace);
    return err;
}
#endif

/* A choice stream being edited: the body (choices) and the parameter tail. */
typedef struct edit {
    uint8_t *body;
    size_t n, cap;
    uint8_t tail[GEN_MUTATOR_TAIL];
    size_t ntail;
    gtg_choice_t rng;
} edit_t;

static size_t pick(edit_t *e, size_t n)
{
    return (size_t)gtg_choose(&e->rng, n);
}

static uint8_t random_byte(edit_t *e)
{
    return (uint8_t)gtg_choose(&e->rng, 256);
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Keep the start, take a new course from a random choice on: about as
 * many fresh bytes as were there, plus a little room to grow. */
static void op_redraw_suffix(edit_t *e)
{
    size_t pos = pick(e, e->n + 1);
    size_t want = min_size(pick(e, e->n - pos + 33), e->cap - pos);
    for (size_t i = 0; i < want; i++) {
        e->body[pos + i] = random_byte(e);
    }
    e->n = pos + want;
}

static void op_insert(edit_t *e)
{
    size_t pos = pick(e, e->n + 1);
    size_t k = min_size(1 + pick(e, 4), e->cap - e->n);
    memmove(e->body + pos + k, e->body + pos, e->n - pos);
    for (size_t i = 0; i < k; i++) {
        e->body[pos + i] = random_byte(e);
    }
    e->n += k;
}

/* The next or previous production, one more or one fewer of something. */
static void op_nudge(edit_t *e)
{
    if (e->n == 0) {
        op_insert(e);
        return;
    }
    size_t pos = pick(e, e->n);
    uint8_t delta = (uint8_t)(1 + pick(e, 4));
    e->body[pos] = gtg_chance(&e->rng, 1, 2) ? (uint8_t)(e->body[pos] + delta)
                                             : (uint8_t)(e->body[pos] - delta);
}

/* 0 is the cheapest completion of a rule; the others are range edges. */
static void op_extreme(edit_t *e)
{
    static const uint8_t values[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
    if (e->n == 0) {
        op_insert(e);
        return;
    }
    e->body[pick(e, e->n)] = values[pick(e, sizeof values)];
}

static void op_erase(edit_t *e)
{
    if (e->n == 0) {
        return;
    }
    size_t pos = pick(e, e->n);
    size_t k = 1 + pick(e, min_size(16, e->n - pos));
    memmove(e->body + pos, e->body + pos + k, e->n - pos - k);
    e->n -= k;
}

/* A run of choices again somewhere else: a pattern of steps repeated. */
static void op_repeat(edit_t *e)
{
    if (e->n == 0) {
        return;
    }
    uint8_t run[64];
    size_t from = pick(e, e->n);
    size_t k = min_size(1 + pick(e, min_size(sizeof run, e->n - from)), e->cap - e->n);
    memcpy(run, e->body + from, k);
    size_t at = pick(e, e->n + 1);
    memmove(e->body + at + k, e->body + at, e->n - at);
    memcpy(e->body + at, run, k);
    e->n += k;
}

/* gen_mutate's parameters: one of them re-drawn. */
static void op_tail(edit_t *e)
{
    if (e->ntail == 0) {
        op_nudge(e);
        return;
    }
    e->tail[pick(e, e->ntail)] = random_byte(e);
}

typedef void (*op_fn)(edit_t *e);

static const struct {
    op_fn fn;
    uint32_t weight;
} ops[] = {
    {op_redraw_suffix, 3}, {op_nudge, 4}, {op_extreme, 2}, {op_insert, 2},
    {op_erase, 2},         {op_repeat, 2}, {op_tail, 1},
};

#define NOPS (sizeof ops / sizeof ops[0])

/* Splits in[0..size) into body and tail in e; false if out of memory. */
static bool edit_open(edit_t *e, const uint8_t *in, size_t size, size_t max, uint64_t seed)
{
    gtg_choice_seed(&e->rng, seed);
    e->ntail = size > GEN_MUTATOR_TAIL && max > GEN_MUTATOR_TAIL ? GEN_MUTATOR_TAIL : 0;
    e->n = size - e->ntail;
    e->cap = max - e->ntail;
    e->n = min_size(e->n, e->cap);
    e->body = malloc(e->cap + 1);
    if (e->body == NULL) {
        return false;
    }
    memcpy(e->body, in, e->n);
    memcpy(e->tail, in + size - e->ntail, e->ntail);
    return true;
}

static size_t edit_close(edit_t *e, uint8_t *out, size_t max)
{
    size_t len = e->n + e->ntail;
    memcpy(out, e->body, e->n);
    memcpy(out + e->n, e->tail, e->ntail);
    free(e->body);
    if (len == 0 && max > 0) {
        out[0] = 0;
        len = 1;
    }
    return len;
}

size_t gen_mutator_mutate(const uint8_t *in, size_t size, uint8_t *out, size_t max,
                          uint64_t seed)
{
    edit_t e;
    if (max == 0 || !edit_open(&e, in, min_size(size, max), max, seed)) {
        return min_size(size, max);
    }
    uint32_t w[NOPS];
    for (size_t i = 0; i < NOPS; i++) {
        w[i] = ops[i].weight;
    }
    for (size_t k = 1 + pick(&e, 4); k > 0; k--) {
        ops[gtg_choose_weighted(&e.rng, w, NOPS)].fn(&e);
    }
    return edit_close(&e, out, max);
}

size_t gen_mutator_crossover(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
                             uint8_t *out, size_t max, uint64_t seed)
{
    edit_t e;
    if (max == 0 || !edit_open(&e, a, min_size(asize, max), max, seed)) {
        return 0;
    }
    size_t btail = bsize > GEN_MUTATOR_TAIL ? GEN_MUTATOR_TAIL : 0;
    size_t bn = bsize - btail;
    e.n = pick(&e, e.n + 1);
    size_t from = pick(&e, bn + 1);
    size_t k = min_size(bn - from, e.cap - e.n);
    memcpy(e.body + e.n, b + from, k);
    e.n += k;
    if (btail == e.ntail && e.ntail > 0 && gtg_chance(&e.rng, 1, 2)) {
        memcpy(e.tail, b + bn, btail);
    }
    return edit_close(&e, out, max);
}

#if !defined GEN_MUTATOR_ONLY_EDITS && !defined GEN_MUTATOR_NO_HOOKS
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

/* One in five mutations is libFuzzer's own (its comparison-guided and
 * dictionary edits still find magic choice values); the rest edit choices. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (LLVMFuzzerMutate != NULL && seed % 5 == 0) {
        return LLVMFuzzerMutate(data, size, max_size);
    }
    return gen_mutator_mutate(data, size, data, max_size, seed);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    return gen_mutator_crossover(data1, size1, data2, size2, out, max_out_size, seed);
}
#endif
