/* slurp.h: a whole file into memory, for the benchmarks that read their
 * inputs from memory. */
#ifndef TRACEFUZZ_BENCH_SLURP_H
#define TRACEFUZZ_BENCH_SLURP_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of path (free with free()), their count in *len; NULL if the
 * file cannot be opened or read, or memory runs out. */
uint8_t *bench_slurp(const char *path, size_t *len);

#endif
