/* gen_mutate.c: fuzz target — a generated trace with one structured
 * mutation (sometimes two), into the reader (and, with an oracle, into
 * Go's reader too).
 *
 * Input: the generator's choice bytes (a budget of GEN_MUTATE_MAX_EVENTS
 * events), then GEN_MUTATOR_TAIL parameter bytes at the end
 * (fuzz_producer): which gtg_mutation (one byte; the value GTG_MUT_COUNT
 * lets the mutation's own choices pick one) and a 32-bit seed for the
 * mutation's choices (which add a second, random mutation one time in
 * three); gen_mutator_wire turns them into wire bytes. A mutation that
 * finds nothing to act on leaves the trace valid.
 *
 * Property: for any bytes,
 *   - reading the mutated wire bytes with tight limits does not crash, leak
 *     or hit undefined behaviour, stays under the memory limit and never
 *     ends in an internal error (fuzz_read_touch);
 *   - if the Go oracle is available ($TRACEFUZZ_ORACLE, else
 *     gotrace-oracle next to this binary), the C dump agrees with Go's by
 *     the rules of gotrace_dumpcmp.h, as in diff_oracle: a declined side
 *     never counts, a difference asks Go again (map order), and a
 *     mismatch prints both dumps and aborts with
 *     DIVERGENCE:<go verdict>-<c verdict>-<mutation name>. A Go panic is
 *     left to diff_oracle, which keeps the list of known ones. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fuzz_dump.h"
#include "common/fuzz_helpers.h"
#include "common/fuzz_trace.h"
#include "common/gen_mutator.h"
#include "common/oracle_client.h"
#include "common/oracle_compare.h"
#include "gotrace_dumpcmp.h"

static fuzz_oracle_t *get_oracle(void)
{
    static fuzz_oracle_t *oracle;
    static bool tried;
    if (!tried) {
        char path[4096];
        tried = true;
        if (fuzz_oracle_default_path(path, sizeof path) != NULL) {
            oracle = fuzz_oracle_start(path, NULL);
        }
        if (oracle == NULL) {
            fprintf(stderr, "gen_mutate: no Go oracle; C side only\n");
        }
    }
    return oracle;
}

static void compare_with_go(const uint8_t *wire, size_t len, const char *mutation,
                            const char *desc)
{
    fuzz_oracle_t *o = get_oracle();
    if (o == NULL) {
        return;
    }
    fuzz_oracle_send(o, wire, len); /* Go reads while C does */
    fuzz_dump_t c;
    fuzz_dump_buffer(wire, len, NULL, &c);
    const char *go = NULL;
    size_t golen = 0;
    gtr_dumpcmp_result_t res;
    if (fuzz_oracle_compare_sent(o, wire, len, c.text, c.len, &go, &golen, &res) != 0) {
        fprintf(stderr, "ORACLE-FAILED: no dump for a %zu-byte input\n", len);
        abort();
    }
    gtr_dumpcmp_verdict_t v = res.verdict;
    if (v == GTR_DUMPCMP_DIFFERENT || v == GTR_DUMPCMP_MALFORMED) {
        const char *gv = fuzz_dump_verdict(go, golen), *cv = fuzz_dump_verdict(c.text, c.len);
        fprintf(stderr, "mutated trace: %zu bytes, mutation %s (%s); Go says %s, C says %s (%s)\n",
                len, mutation, desc, gv, cv, res.reason);
        fuzz_dump_print_diff(stderr, "Go", go, golen, "C", c.text, c.len, res.line);
        fprintf(stderr, "DIVERGENCE:%s-%s-%s\n", gv, cv, mutation);
        abort();
    }
    fuzz_dump_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *wire = NULL;
    size_t len = 0;
    const char *mutation = "none";
    char desc[256] = "";
    gtg_err_t err = gen_mutator_wire("gen_mutate", data, size, &wire, &len, &mutation, desc,
                                     sizeof desc);
    FUZZ_ASSERT_MSG(err == GTG_OK, "generator %s: %s", gtg_err_name(err), desc);
    (void)fuzz_read_touch(wire, len);
    compare_with_go(wire, len, mutation, desc);
    free(wire);
    return 0;
}
