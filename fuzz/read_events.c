/* read_events.c: fuzz target — raw bytes into the reader, nothing else.
 *
 * Property: for any bytes, opening a reader on them and pulling every event
 * through the public API until the end or the first error does not crash
 * or hang, and never ends in an internal error (the reader's "impossible
 * state", where Go's reader would panic).
 *
 * This is exactly the property that Go's own fuzzing of x/exp/trace checks
 * (bench/gofuzz: NewReader, ReadEvent until an error, no panic), so that
 * bench/fuzz_speed.sh can set the two fuzzers side by side on equal terms:
 * built with coverage instrumentation only (-fsanitize=fuzzer, -O2, as
 * `go test -fuzz` instruments for coverage alone), it measures the engine
 * plus the reader and nothing more. read_raw checks far more on the same
 * inputs (accessors, dumps, memory accounting) and is the target to run for
 * finding bugs; in a sanitizer build this one is a cheap subset of it.
 * The limits are read_raw's (fuzz_trace.h), so a hostile length cannot make
 * one input slow or large. Memory comes from the libc allocator under
 * AddressSanitizer, and otherwise from a pool (fuzz_pool.h) that the next
 * input reuses, as a program reading many small traces would set it up.
 * Time is bounded by the engine's timeout (fuzz/read_events.options). */
#include <stddef.h>
#include <stdint.h>

#include "common/fuzz_helpers.h"
#include "common/fuzz_pool.h"
#include "common/fuzz_trace.h"
#include "gotrace.h"

/* Twice the reader's limit: blocks freed while an input is read are not
 * reused before the next one. Pages never touched cost nothing. */
#define POOL_BYTES (2 * FUZZ_MAX_MEMORY)

static fuzz_pool_t pool; /* one input at a time */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gtr_options_t opts = gtr_options_default();
    opts.max_table_entries = FUZZ_MAX_TABLE_ENTRIES;
    opts.max_total_memory = FUZZ_MAX_MEMORY;
    if (fuzz_pool_wanted()) {
        opts.allocator = fuzz_pool_hook(&pool, POOL_BYTES);
    }

    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, data, size, &opts);
    const gtr_event_t *ev;
    while (rc == GTR_OK) {
        rc = gtr_reader_next(r, &ev);
    }
    FUZZ_ASSERT_MSG(rc != GTR_ERR_INTERNAL, "internal error: %s",
                    r != NULL ? gtr_reader_error(r) : "(no reader)");
    gtr_reader_free(r);
    fuzz_pool_reset(&pool);
    return 0;
}
