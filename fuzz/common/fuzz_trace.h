/* fuzz_trace.h: reading traces inside fuzz targets — a counting allocator
 * that sees every byte the reader holds, tight limits for hostile input, and
 * a walk that calls every accessor of an event. */
#ifndef FUZZ_TRACE_H
#define FUZZ_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gotrace.h"

/* Counts what passes through an allocator hook, independently of the
 * reader's own accounting, so "bounded memory" and "frees everything" are
 * checked from outside the library (and in builds without ASan). */
typedef struct fuzz_alloc {
    size_t live;
    size_t peak;
    size_t calls;
} fuzz_alloc_t;

gtr_allocator_t fuzz_alloc_hook(fuzz_alloc_t *a);

/* Limits far below the defaults, so a fuzzer finds the limit checks and no
 * input can make one run slow or large: every table and the whole reader
 * must fit in FUZZ_MAX_MEMORY. */
#define FUZZ_MAX_MEMORY ((size_t)32 << 20)
#define FUZZ_MAX_TABLE_ENTRIES ((size_t)1 << 16)
gtr_options_t fuzz_tight_options(fuzz_alloc_t *a);

/* Calls every accessor of the event and asserts the answers agree with its
 * kind (exactly the kind's own accessor succeeds; indices past the end
 * fail); touches the first and last byte of every string so ASan checks
 * the views. */
void fuzz_touch_event(const gtr_event_t *ev);

/* Reads a whole trace with fuzz_tight_options, touching every event, and
 * checks the memory rules of read_raw (peak under the limit, nothing left
 * behind). Returns the end status (GTR_EOF or an error). */
int fuzz_read_touch(const uint8_t *data, size_t len);

#endif /* FUZZ_TRACE_H */
