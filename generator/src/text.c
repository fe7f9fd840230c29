/* text.c: a structured trace in Go's text format ("Trace Go1.NN", one
 * event per line), the format of Go's own trace tests.
 *
 * The trace goes to wire bytes through the wire writer and from there to
 * text through libgotrace's converter (gotrace_text.h), which reproduces
 * Go's internal/trace/raw byte for byte; the generator keeps no printer of
 * its own, so there is one definition of the text format in the tree. */
#include <stdlib.h>
#include <string.h>

#include "gotrace_text.h"
#include "gtg_trace.h"

gtg_err_t gtg_trace_to_text(const gtg_trace_t *t, size_t cut, char **out, size_t *len)
{
    uint8_t *wire = NULL;
    size_t n = 0;
    gtg_err_t err = gtg_trace_to_wire(t, cut, &wire, &n);
    if (err != GTG_OK) {
        return err;
    }
    gtr_text_result_t res;
    memset(&res, 0, sizeof res);
    gtr_text_status_t st = gtr_wire_to_text(wire, n, NULL, &res);
    free(wire);
    /* A mutated trace (cut short, or holding an event its version lacks)
     * stops the converter where Go's stops: keep what it wrote up to there,
     * which is as much of it as the text format can say. */
    if (st != GTR_TEXT_OK && st != GTR_TEXT_ERR_SYNTAX) {
        gtr_text_result_free(&res);
        return st == GTR_TEXT_ERR_NOMEM ? GTG_ERR_NOMEM : GTG_ERR_WRITE;
    }
    /* Hand over a malloc'd, NUL-terminated copy the caller frees with free(). */
    char *p = malloc(res.out_len + 1);
    if (p == NULL) {
        gtr_text_result_free(&res);
        return GTG_ERR_NOMEM;
    }
    if (res.out_len) {
        memcpy(p, res.out, res.out_len);
    }
    p[res.out_len] = '\0';
    *out = p;
    *len = res.out_len;
    gtr_text_result_free(&res);
    return GTG_OK;
}
