/* oracle_compare.h: the C reader's dump against Go's, with Go asked again.
 *
 * Go's reader walks maps in a few places, so for some inputs its answer
 * changes from run to run. Where the C reader can tell, the dump says so
 * and gtr_dump_compare allows for it (the thread of a promoted ProcStatus
 * that several threads claim: " ctx-choices=N", docs/dump-format.md).
 * Where it cannot, as for which of several errors Go reports (it checks
 * the strings of every stack in map order), the C reader always gives one
 * of Go's possible answers, and any answer Go can give is an agreeing one:
 * so a dump that differs from Go's is compared again with fresh answers
 * of Go's before it counts as a divergence. Only disagreements pay for
 * this: a deterministic divergence costs FUZZ_ORACLE_RETRIES more queries. */
#ifndef FUZZ_ORACLE_COMPARE_H
#define FUZZ_ORACLE_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "gotrace_dumpcmp.h"
#include "oracle_client.h"

/* Further answers asked of Go before a difference stands. If Go picks C's
 * answer with probability p, a false divergence has probability
 * (1 - p)^(FUZZ_ORACLE_RETRIES + 1). */
#define FUZZ_ORACLE_RETRIES 16

/* Asks the oracle for its dump of data and compares the C dump c with it
 * (gtr_dump_compare, default classifier), asking again while the verdict
 * is GTR_DUMPCMP_DIFFERENT. *res is the last comparison; *go and *go_len
 * are Go's last dump (the client's buffer: valid until its next query).
 * Returns 0, or -1 if the oracle failed (see fuzz_oracle_query). */
int fuzz_oracle_compare(fuzz_oracle_t *o, const uint8_t *data, size_t len, const char *c,
                        size_t c_len, const char **go, size_t *go_len,
                        gtr_dumpcmp_result_t *res);

/* The same after fuzz_oracle_send(o, data, len): Go's first answer is the
 * one already asked for (the caller made its C dump meanwhile). */
int fuzz_oracle_compare_sent(fuzz_oracle_t *o, const uint8_t *data, size_t len, const char *c,
                             size_t c_len, const char **go, size_t *go_len,
                             gtr_dumpcmp_result_t *res);

#endif /* FUZZ_ORACLE_COMPARE_H */
