/* read_raw.c: fuzz target — raw bytes into the reader.
 *
 * Property: for any bytes, reading them with tight limits (fuzz_trace.h)
 * until the end or the first error
 *   - does not crash, read out of bounds, leak or hit undefined behaviour;
 *   - keeps memory under the limit: the reader's own peak and the peak seen
 *     by the allocator hook both stay within max_total_memory, and every
 *     byte the hook handed out is back when the reader is freed;
 *   - yields only events whose accessors answer consistently with their
 *     kind (fuzz_touch_event), and whose dump lines can be written (to a
 *     null sink; the dumper's memory is counted and must come back too);
 *   - ends in GTR_EOF or a real error with a message — never an internal
 *     error, an I/O error or an argument error — and that end is final:
 *     the next call returns it again.
 * Time is bounded by the engine's timeout (fuzz/read_raw.options). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/fuzz_helpers.h"
#include "common/fuzz_trace.h"
#include "gotrace.h"

static FILE *null_sink(void)
{
    static FILE *f;
    if (f == NULL) {
        f = fopen("/dev/null", "w");
        FUZZ_ASSERT_MSG(f != NULL, "cannot open /dev/null");
    }
    return f;
}

static void check_end(gtr_reader_t *r, int rc)
{
    FUZZ_ASSERT_MSG(rc != GTR_OK, "loop left with GTR_OK");
    FUZZ_ASSERT_MSG(rc != GTR_ERR_INTERNAL, "internal error: %s", gtr_reader_error(r));
    FUZZ_ASSERT_MSG(rc != GTR_ERR_IO && rc != GTR_ERR_ARG, "%s on a buffer: %s",
                    gtr_status_name(rc), gtr_reader_error(r));
    FUZZ_ASSERT_MSG(rc > GTR_OK && rc < GTR_STATUS_COUNT, "status %d", rc);
    /* At the end the reader may still say GTR_OK (gtr_dump_reader relies on
     * that to dump a finished reader); after an error it must say it. */
    int st = gtr_reader_status(r);
    FUZZ_ASSERT_MSG(st == rc || (rc == GTR_EOF && st == GTR_OK), "status %d after returning %d",
                    st, rc);
    FUZZ_ASSERT_MSG(rc == GTR_EOF || gtr_reader_error(r)[0] != '\0',
                    "%s without a message", gtr_status_name(rc));
    const gtr_event_t *ev = NULL;
    FUZZ_ASSERT_MSG(gtr_reader_next(r, &ev) == rc, "end status %s is not final",
                    gtr_status_name(rc));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_alloc_t reader_mem, dumper_mem;
    gtr_options_t opts = fuzz_tight_options(&reader_mem);
    gtr_allocator_t dumper_alloc = fuzz_alloc_hook(&dumper_mem);

    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, data, size, &opts);
    FUZZ_ASSERT_MSG(r != NULL || rc == GTR_ERR_LIMIT || rc == GTR_ERR_NOMEM,
                    "no reader, status %s", gtr_status_name(rc));
    if (r != NULL) {
        gtr_dumper_t *d = gtr_dumper_new(null_sink(), &dumper_alloc);
        FUZZ_ASSERT(d != NULL);
        const gtr_event_t *ev;
        while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
            fuzz_touch_event(ev);
            FUZZ_ASSERT(gtr_dumper_event(d, ev) == 0);
        }
        check_end(r, rc);
        FUZZ_ASSERT(gtr_dumper_end(d, rc, gtr_reader_error(r)) != 2);
        gtr_dumper_free(d);
        size_t peak = gtr_reader_peak_memory(r);
        FUZZ_ASSERT_MSG(peak <= FUZZ_MAX_MEMORY, "reader peak %zu > limit %zu", peak,
                        FUZZ_MAX_MEMORY);
        gtr_reader_free(r);
    }
    FUZZ_ASSERT_MSG(reader_mem.peak <= FUZZ_MAX_MEMORY, "allocator saw peak %zu > limit %zu",
                    reader_mem.peak, FUZZ_MAX_MEMORY);
    FUZZ_ASSERT_MSG(reader_mem.live == 0, "reader leaked %zu bytes", reader_mem.live);
    FUZZ_ASSERT_MSG(dumper_mem.live == 0, "dumper leaked %zu bytes", dumper_mem.live);
    return 0;
}
