/* read_stream.c: fuzz target — a chunked streaming read equals the
 * one-shot read.
 *
 * Property: for any bytes and any way of handing them over (the chunk sizes
 * the read callback returns, taken from the end of the input), the dump of
 * gtr_reader_open_stream is byte for byte the dump of
 * gtr_reader_open_buffer on the same bytes — same events, same final line,
 * same message — unless either side declined (the stream's window counts
 * against the memory limit, so a trace at the limit may fit one way only).
 * Both reads leave no memory behind.
 *
 * The chunk sizes come in scales (up to 16 bytes, 256, 4 KiB, 128 KiB) so
 * that both "one byte at a time" and "across the 64 KiB window" are common.
 * One input in two (a chunk count byte of 8..15 mod 16) reads the stream as
 * seekable (gtr_reader_open_seekable: event batches read again by offset
 * when the ordering reaches them); its dump must be the same too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/fuzz_dump.h"
#include "common/fuzz_helpers.h"
#include "common/fuzz_trace.h"
#include "gotrace_dumpcmp.h"

#define MAX_CHUNKS 8

static size_t take_chunk(fuzz_producer_t *p)
{
    static const uint32_t scale[] = {16, 256, 4096, 128u << 10};
    uint32_t max = scale[fuzz_producer_range(p, 0, 3)];
    return fuzz_producer_range(p, 1, max);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer_t p = fuzz_producer(data, size);
    size_t chunk[MAX_CHUNKS];
    /* One parameter byte says both how many chunk sizes follow and whether
     * the stream is seekable, so inputs written before the seekable mode
     * (count 1..8) keep their meaning. */
    size_t count = fuzz_producer_range(&p, 1, 2 * MAX_CHUNKS);
    bool seekable = count > MAX_CHUNKS;
    size_t nchunk = (count - 1) % MAX_CHUNKS + 1;
    for (size_t i = 0; i < nchunk; i++) {
        chunk[i] = take_chunk(&p);
    }
    size_t len = fuzz_producer_remaining(&p);

    fuzz_alloc_t mem_once, mem_stream;
    gtr_options_t once_opts = fuzz_tight_options(&mem_once);
    gtr_options_t stream_opts = fuzz_tight_options(&mem_stream);
    fuzz_dump_t once, stream;
    fuzz_dump_buffer(data, len, &once_opts, &once);
    fuzz_dump_stream(data, len, chunk, nchunk, seekable, &stream_opts, &stream);
    FUZZ_ASSERT_MSG(mem_once.live == 0 && mem_stream.live == 0,
                    "leaked %zu bytes one-shot, %zu streaming", mem_once.live,
                    mem_stream.live);

    bool declined = strcmp(fuzz_dump_verdict(once.text, once.len), "declined") == 0 ||
                    strcmp(fuzz_dump_verdict(stream.text, stream.len), "declined") == 0;
    bool same = once.len == stream.len && memcmp(once.text, stream.text, once.len) == 0;
    if (!declined && !same) {
        gtr_dumpcmp_result_t res;
        (void)gtr_dump_compare(once.text, once.len, stream.text, stream.len, NULL, &res);
        fprintf(stderr, "%s read of %zu bytes in %zu chunk size(s):",
                seekable ? "seekable stream" : "stream", len, nchunk);
        for (size_t i = 0; i < nchunk; i++) {
            fprintf(stderr, " %zu", chunk[i]);
        }
        fputc('\n', stderr);
        fuzz_dump_print_diff(stderr, "one-shot", once.text, once.len, "stream", stream.text,
                             stream.len, res.line);
        FUZZ_ASSERT_MSG(same, "streaming dump differs from one-shot dump");
    }
    fuzz_dump_free(&once);
    fuzz_dump_free(&stream);
    return 0;
}
