/* decode_only.h: the reader's work on a trace without its ordering: every
 * generation read from a stream and every event batch decoded, nothing
 * ordered (readbench's ceiling row). */
#ifndef TRACEFUZZ_BENCH_DECODE_ONLY_H
#define TRACEFUZZ_BENCH_DECODE_ONLY_H

#include <stddef.h>

#include "gotrace.h"

/* Reads the trace that read() yields; *events counts the timed events
 * decoded. Returns GTR_OK at its clean end, else the error code with its
 * message in msg (cap bytes). */
int bench_decode_only(gtr_read_fn read, void *user, long long *events, char *msg, size_t cap);

#endif
