/* diff_oracle.c: fuzz target — the C reader against Go's reader.
 *
 * Property: for any bytes, the canonical dump of the C reader (default
 * options) agrees with the dump of `gotrace-oracle serve` (Go's
 * golang.org/x/exp/trace), by the rules of docs/dump-format.md as
 * gotrace_dumpcmp.h implements them: every line before the last byte for
 * byte, the last by verdict and error class.
 *   - "declined:" on either side: not compared (that side does not handle
 *     the input; never a mismatch);
 *   - "panic:" from the oracle: a finding about Go's reader, reported as
 *     GO-PANIC:<message start> (unless listed in known_go_panics below);
 *   - dumps that differ: Go is asked again (some of its answers depend on
 *     map order, common/oracle_compare.h); any agreeing answer will do;
 *   - otherwise a mismatch (or a dump without a valid final line) prints
 *     the input size and both dumps around the first differing line, then
 *     aborts with the stable signature
 *     DIVERGENCE:<go verdict>-<c verdict>-<kind of the first differing line>
 *     so crash deduplication groups the same divergence.
 * The oracle is $TRACEFUZZ_ORACLE, else gotrace-oracle next to this binary;
 * without one the target only runs the C side and says so once. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fuzz_dump.h"
#include "common/fuzz_helpers.h"
#include "common/oracle_client.h"
#include "common/oracle_compare.h"
#include "gotrace_dumpcmp.h"

/* Go reader panics already known (docs/findings.md): a panic line that
 * contains `head` and, after it, `tail`. Fuzzing goes on past them instead
 * of stopping at the first one every run. Keep each entry specific, with
 * where it is written up. */
static const struct {
    const char *head, *tail;
} known_go_panics[] = {
    /* Event.StateTransition of a ProcStatus event with an out-of-range
     * status indexes Go's 5-entry status table (docs/oracle.md, "dump"). */
    {"runtime error: index out of range [", "] with length 5"},
    /* A CPU sample's stack ID escapes Go's table check; Stack.Frames then
     * panics (docs/findings.md). */
    {"expected id ", " in trace.stack table"},
    /* Event.Sync indexes the experiment names with an unchecked ID
     * (docs/findings.md). */
    {"runtime error: index out of range [", "] with length 2"},
};

static fuzz_oracle_t *oracle;
static bool oracle_missing;

static fuzz_oracle_t *get_oracle(void)
{
    if (oracle == NULL && !oracle_missing) {
        char path[4096];
        if (fuzz_oracle_default_path(path, sizeof path) != NULL) {
            oracle = fuzz_oracle_start(path, NULL);
        }
        oracle_missing = oracle == NULL;
        if (oracle_missing) {
            fprintf(stderr, "diff_oracle: no Go oracle (set TRACEFUZZ_ORACLE or put "
                            "gotrace-oracle next to this binary); C side only\n");
        }
    }
    return oracle;
}

static const char *find(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t j = 0; j + k <= n; j++) {
        if (memcmp(hay + j, needle, k) == 0) {
            return hay + j + k;
        }
    }
    return NULL;
}

static bool known_panic(const char *line, size_t n)
{
    for (size_t i = 0; i < sizeof known_go_panics / sizeof known_go_panics[0]; i++) {
        const char *after = find(line, n, known_go_panics[i].head);
        if (after != NULL && find(after, n - (size_t)(after - line), known_go_panics[i].tail)) {
            return true;
        }
    }
    return false;
}

/* The first word of a dump line ("StateTransition", "stack", "error:");
 * "end" for a missing line. */
static void line_word(gtr_dumpcmp_line_t l, char *buf, size_t cap)
{
    size_t skip = 0, n;
    while (l.ptr != NULL && skip < l.len && l.ptr[skip] == '\t') { /* "\tframe" */
        skip++;
    }
    for (n = skip; l.ptr != NULL && n < l.len && l.ptr[n] != ' '; n++) {
    }
    snprintf(buf, cap, "%.*s", l.ptr != NULL ? (int)(n - skip) : 3,
             l.ptr != NULL ? l.ptr + skip : "end");
}

/* The kind of the differing line, from whichever dump has an event there
 * (a final line says where a reader stopped, not what differs). */
static const char *diff_kind(const gtr_dumpcmp_result_t *res, char *buf, size_t cap)
{
    static const char *const finals[] = {"ok", "error:", "panic:", "declined:", "end"};
    const gtr_dumpcmp_line_t sides[2] = {res->b, res->a}; /* Go first */
    for (int s = 0; s < 2; s++) {
        line_word(sides[s], buf, cap);
        bool final = false;
        for (size_t i = 0; i < sizeof finals / sizeof finals[0]; i++) {
            final = final || strcmp(buf, finals[i]) == 0;
        }
        if (!final) {
            return buf;
        }
    }
    return "final";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Go reads the input while the C reader does: the two processes would
     * otherwise take turns on the cores. */
    fuzz_oracle_t *o = get_oracle();
    if (o != NULL) {
        fuzz_oracle_send(o, data, size);
    }
    fuzz_dump_t c;
    fuzz_dump_buffer(data, size, NULL, &c);
    const char *go = NULL;
    size_t golen = 0;
    if (o == NULL) {
        fuzz_dump_free(&c);
        return 0;
    }
    gtr_dumpcmp_result_t res;
    if (fuzz_oracle_compare_sent(o, data, size, c.text, c.len, &go, &golen, &res) != 0) {
        fprintf(stderr, "ORACLE-FAILED: no dump for a %zu-byte input\n", size);
        abort(); /* a Go fatal error (it cannot be recovered) or a broken pipe */
    }
    gtr_dumpcmp_verdict_t v = res.verdict;
    size_t fn;
    const char *final = fuzz_dump_final(go, golen, &fn);
    if (v == GTR_DUMPCMP_ORACLE_PANIC && !known_panic(final, fn)) {
        /* The signature keeps the message's start: its values vary less. */
        int sig = fn - 7 < 60 ? (int)(fn - 7) : 60;
        fprintf(stderr, "input: %zu bytes; Go's reader panicked: %.*s\nGO-PANIC: %.*s\n",
                size, (int)fn, final, sig, final + 7);
        abort();
    }
    if (v == GTR_DUMPCMP_DIFFERENT || v == GTR_DUMPCMP_MALFORMED) {
        char kind[64];
        const char *gv = fuzz_dump_verdict(go, golen), *cv = fuzz_dump_verdict(c.text, c.len);
        fprintf(stderr, "input: %zu bytes; Go says %s, C says %s (%s)\n", size, gv, cv,
                res.reason);
        fuzz_dump_print_diff(stderr, "Go", go, golen, "C", c.text, c.len, res.line);
        fprintf(stderr, "DIVERGENCE:%s-%s-%s\n", gv, cv, diff_kind(&res, kind, sizeof kind));
        abort();
    }
    fuzz_dump_free(&c);
    return 0;
}
