/* gen_accept.c: fuzz target — every generated trace is accepted, clean and
 * classified as the generator says.
 *
 * Property: for any bytes, taken as the generator's choices (the version
 * first, then the world, generations and steps, as gtg_trace_from_bytes
 * draws them, inside a budget of GEN_ACCEPT_MAX_EVENTS events):
 *   - the generator succeeds (a valid trace exists for every choice
 *     sequence: running out of bytes means the cheapest completion);
 *   - the C reader reads the wire bytes to the end: the final line is `ok`;
 *   - the checker (every family) reports no violation;
 *   - the checker's classification equals the ground truth: as many
 *     generations, and per generation and per goroutine class the same
 *     number of goroutines, and of those, the same number whose status
 *     event carried a stack;
 *   - for one input in two (by a hash of the bytes), memory runs out at
 *     the N-th allocation of a second read, or at the N-th of one size
 *     class (both from the same hash; read_out_of_memory): the reader ends
 *     with GTR_ERR_NOMEM (or at the end of the trace if it needed fewer),
 *     never with an error about the trace, holds nothing afterwards and
 *     never crashes. A valid trace
 *     walks every allocation of the reader's accepting path (the orderer's
 *     goroutine, P and thread tables, ranges, regions, task names), which
 *     no bytes alone can make fail.
 * A failure prints the trace's generation, class and both counts, then
 * aborts with the stable signature GEN-ACCEPT:<what>[:<class or invariant>].
 * The choice bytes are mutated structurally by fuzz/common/gen_mutator.c. */
#define _GNU_SOURCE /* memmem, for the planted bug */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fuzz_helpers.h"
#include "common/fuzz_trace.h"
#include "common/gen_mutator.h"
#include "gtc_check.h"
#include "gtg_gen.h"

/* The two class enums are one list in one order (docs/grammar.md,
 * "Ground truth"; gtc_check.h), so a class index means the same on both
 * sides. */
_Static_assert((int)GTC_CLASS_COUNT == (int)GTG_CLASS_COUNT, "class lists differ");

static void mismatch(const char *what, uint32_t gen, int cls, uint64_t truth, uint64_t seen)
{
    fprintf(stderr,
            "generated trace, generation %u, class %s: %s count differs (generator %llu, "
            "checker %llu)\nGEN-ACCEPT:%s:%s\n",
            (unsigned)gen, gtg_class_name((gtg_class_t)cls), what, (unsigned long long)truth,
            (unsigned long long)seen, what, gtg_class_name((gtg_class_t)cls));
    abort();
}

static void compare_truth(const gtc_checker_t *c, const gtg_truth_t *t)
{
    size_t ngen = gtc_checker_nsummaries(c);
    if (ngen != gtg_truth_generations(t)) {
        fprintf(stderr, "generated trace: %u generation(s), the checker saw %zu\n",
                (unsigned)gtg_truth_generations(t), ngen);
        fprintf(stderr, "GEN-ACCEPT:generations\n");
        abort();
    }
    for (uint32_t g = 0; g < ngen; g++) {
        const gtc_gen_summary_t *s = gtc_checker_summary(c, g);
        uint64_t cls[GTG_CLASS_COUNT] = {0}, stk[GTG_CLASS_COUNT] = {0};
        for (size_t i = 0; i < gtg_truth_count(t); i++) {
            const gtg_truth_row_t *r = gtg_truth_row(t, i);
            if (r->gen_index == g) {
                cls[r->cls]++;
                stk[r->cls] += r->has_stack;
            }
        }
        for (int k = 0; k < GTG_CLASS_COUNT; k++) {
            if (cls[k] != s->classes[k]) {
                mismatch("class", g, k, cls[k], s->classes[k]);
            }
            if (stk[k] != s->with_stack[k]) {
                mismatch("stack", g, k, stk[k], s->with_stack[k]);
            }
        }
    }
}

/* An allocator over the counting hook of fuzz_trace.h (which checks that
 * nothing is left) that fails from the `fail_at`-th call counted on: all
 * calls, or only those asking for a size in [2^size_class, 2^(size_class
 * + 1)). The size class reaches allocations made rarely (a hash table
 * growing, a thread table's first entry) that a count over all calls
 * would seldom land on. */
typedef struct failing {
    gtr_allocator_t inner;
    uint64_t calls, fail_at;
    int size_class; /* -1: count every call */
    bool failed;
} failing_t;

static void *failing_malloc(void *user, size_t n)
{
    failing_t *f = user;
    bool counted = f->size_class < 0 || (n >> f->size_class) == 1;
    f->failed |= counted && ++f->calls >= f->fail_at;
    return f->failed ? NULL : f->inner.malloc_fn(f->inner.user, n);
}

static void failing_free(void *user, void *ptr)
{
    failing_t *f = user;
    f->inner.free_fn(f->inner.user, ptr);
}

static uint64_t fnv1a(const uint8_t *data, size_t size)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < size; i++) {
        h = (h ^ data[i]) * 1099511628211ull;
    }
    return h;
}

static void read_out_of_memory(const uint8_t *data, size_t size, const uint8_t *wire, size_t len)
{
    uint64_t h = fnv1a(data, size);
    if (h % 2 != 0) {
        return;
    }
    fuzz_alloc_t mem;
    gtr_options_t opts = fuzz_tight_options(&mem);
    /* Every call: the N-th, uniform in 1..2^e for e uniform in 0..16, so
     * early and late allocations alike; or one of the first four of a size
     * class of 1 B..1 MiB. */
    failing_t f = {.inner = opts.allocator, .size_class = -1};
    if ((h >> 1) % 2 == 0) {
        f.fail_at = 1 + (h >> 16) % (1ull << ((h >> 8) % 17));
    } else {
        f.size_class = (int)((h >> 8) % 21);
        f.fail_at = 1 + (h >> 16) % 4;
    }
    opts.allocator = (gtr_allocator_t){failing_malloc, NULL, failing_free, &f};
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, wire, len, &opts);
    const gtr_event_t *ev;
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
    }
    /* The trace is valid: the read either ends as usual, or, if an
     * allocation failed, with an out-of-memory error, never with a claim
     * about the trace. */
    FUZZ_ASSERT_MSG(f.failed ? (rc == GTR_ERR_NOMEM || rc == GTR_EOF) : rc == GTR_EOF,
                    "allocation %llu failed: %s (%s)", (unsigned long long)f.fail_at,
                    gtr_status_name(rc), r != NULL ? gtr_reader_error(r) : "no reader");
    gtr_reader_free(r);
    FUZZ_ASSERT_MSG(mem.live == 0, "after allocation %llu failed the reader leaked %zu bytes",
                    (unsigned long long)f.fail_at, mem.live);
}

#ifdef TRACEFUZZ_PLANTED_BUG
/* A deliberate bug (cmake -DTRACEFUZZ_PLANTED_BUG=ON), to test that
 * `tracefuzz repro` reports and minimizes a crash: any input containing
 * "BUG!" reads past a heap buffer (ASan reports it), then aborts. */
static void planted_bug(const uint8_t *data, size_t size)
{
    if (memmem(data, size, "BUG!", 4) != NULL) {
        volatile char *p = malloc(4);
        fprintf(stderr, "planted bug: %d\n", p != NULL ? p[4] : 0);
        abort();
    }
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef TRACEFUZZ_PLANTED_BUG
    planted_bug(data, size);
#endif
    const gtg_grammar_t *gr = gen_mutator_grammar();
    gtg_trace_t *trace = NULL;
    gtg_truth_t *truth = NULL;
    char msg[256] = "";
    gtg_err_t err = gen_mutator_generate(gr, data, size, GEN_ACCEPT_MAX_EVENTS, &trace, &truth,
                                         msg, sizeof msg);
    if (err != GTG_OK) {
        fprintf(stderr, "the generator fails: %s\nGEN-ACCEPT:generator-%s\n", msg,
                gtg_err_name(err));
        abort();
    }
    uint8_t *wire = NULL;
    size_t len = 0;
    FUZZ_ASSERT(gtg_trace_to_wire(trace, 0, &wire, &len) == GTG_OK);

    fuzz_alloc_t mem;
    gtr_options_t opts = fuzz_tight_options(&mem);
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, wire, len, &opts);
    gtc_checker_t *c = r != NULL ? gtc_checker_new(gtr_reader_version(r), NULL) : NULL;
    FUZZ_ASSERT(r == NULL || c != NULL);
    const gtr_event_t *ev;
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        FUZZ_ASSERT(gtc_checker_event(c, ev) == GTC_OK);
    }
    if (rc != GTR_EOF) {
        fprintf(stderr, "generated trace rejected: %s\n",
                r != NULL ? gtr_reader_error(r) : "cannot open a reader");
        fprintf(stderr, "GEN-ACCEPT:reader-%s\n", gtr_status_name(rc));
        abort();
    }
    FUZZ_ASSERT(gtc_checker_end(c) == GTC_OK);
    if (gtc_checker_nviolations(c) > 0) {
        char line[GTC_SENTENCE_MAX + 128];
        const gtc_violation_t *v = gtc_checker_violation(c, 0);
        gtc_violation_format(v, line, sizeof line);
        fprintf(stderr, "generated trace breaks an invariant: %s\nGEN-ACCEPT:violation:%s\n",
                line, v->name);
        abort();
    }
    compare_truth(c, truth);
    gtc_checker_free(c);
    gtr_reader_free(r);
    FUZZ_ASSERT_MSG(mem.live == 0, "reader leaked %zu bytes", mem.live);
    read_out_of_memory(data, size, wire, len);
    free(wire);
    gtg_trace_free(trace);
    gtg_truth_free(truth);
    return 0;
}
