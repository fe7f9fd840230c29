/* fuzz_dump.h: canonical dumps (docs/dump-format.md) captured in memory,
 * and a report of where two dumps part, for the targets that compare
 * readers or reading modes. The comparison itself is gotrace_dumpcmp.h,
 * shared with `tracefuzz diff`. */
#ifndef FUZZ_DUMP_H
#define FUZZ_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gotrace.h"

/* A dump written to memory. status is what gtr_dump_* returned. */
typedef struct fuzz_dump {
    char *text;
    size_t len;
    int status;
} fuzz_dump_t;

void fuzz_dump_buffer(const uint8_t *data, size_t len, const gtr_options_t *opts,
                      fuzz_dump_t *out);
/* The same bytes through gtr_reader_open_stream, handed over in chunks of
 * chunk[0], chunk[1], ... bytes, cycling (a size of 0 counts as 1: the
 * callback's 0 means end of input); with `seekable`, through
 * gtr_reader_open_seekable, whose positional reads are served from data. */
void fuzz_dump_stream(const uint8_t *data, size_t len, const size_t *chunk, size_t nchunk,
                      bool seekable, const gtr_options_t *opts, fuzz_dump_t *out);
void fuzz_dump_free(fuzz_dump_t *d);

/* The final line of a dump (without its newline) and its verdict:
 * "ok", "error", "panic", "declined", or "none" if the dump has no final
 * line. */
const char *fuzz_dump_final(const char *text, size_t len, size_t *line_len);
const char *fuzz_dump_verdict(const char *text, size_t len);

/* Prints the lines around 1-based line `line` of both dumps, labelled. */
void fuzz_dump_print_diff(FILE *f, const char *aname, const char *a, size_t alen,
                          const char *bname, const char *b, size_t blen, size_t line);

#endif /* FUZZ_DUMP_H */
