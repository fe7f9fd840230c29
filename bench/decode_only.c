/* decode_only.c: the C reader's ceiling on a trace, for readbench: every
 * generation read from a plain stream as gtr_reader_open_stream reads it,
 * and every event batch decoded to its last event, one M after another,
 * with nothing ordered. What the reader spends beyond this is the ordering
 * (the frontier, the state machine, the queue) and handing events out.
 *
 * It drives the library's internal parts (reference/src/internal.h), not
 * its public API: no public call reads a trace without ordering it. */
#include <stdio.h>

#include "decode_only.h"
#include "internal.h"

/* Decodes every timed event of g's batches; adds them to *events. */
static int decode_gen(gtr_gen_t *g, const gtr_src_t *src, gtr_mem_t *mem, gtr_err_t *e,
                      long long *events)
{
    int rc = GTR_OK;
    for (size_t i = 0; i < g->nms && rc == GTR_OK; i++) {
        gtr_cursor_t c;
        gtr_cursor_init(&c, g->ms[i].m, &g->ms[i], src, mem);
        bool more = true;
        while ((rc = gtr_cursor_next(&c, g->freq, e, &more)) == GTR_OK && more) {
            (*events)++;
        }
        gtr_cursor_release(&c);
    }
    return rc;
}

/* Reads the next generation into *g (NULL at the end of the trace). */
static int next_gen(gtr_genctx_t *c, gtr_spill_t *spill, bool *last, gtr_gen_t **g)
{
    *g = NULL;
    if (c->ver >= GTR_GO126) {
        return gtr_gen_read(c, g);
    }
    if (*last) {
        return GTR_OK;
    }
    int spill_err;
    int rc = gtr_gen_read_spill(c, spill, g, &spill_err);
    /* Before go1.26 the trace ends when no batch spilled over; an error
     * reading the next generation ends it too (after this one). */
    *last = rc != GTR_OK || spill_err != GTR_OK || !spill->present;
    return rc == GTR_OK ? spill_err : rc;
}

int bench_decode_only(gtr_read_fn read, void *user, long long *events, char *msg, size_t cap)
{
    static gtr_err_t err; /* 16 KiB of message: not on the stack */
    gtr_options_t o = gtr_options_default();
    gtr_mem_t mem;
    gtr_src_t src;
    gtr_version_t ver = 0;
    gtr_spill_t spill = {0};
    bool last = false;
    *events = 0;
    gtr_mem_init(&mem, NULL, o.max_total_memory);
    int rc = gtr_src_init_stream(&src, &mem, read, user);
    if (rc != GTR_OK) {
        snprintf(msg, cap, "out of memory for the stream buffer");
        return rc;
    }
    rc = gtr_read_header(&src, &err, &ver);
    gtr_genctx_t c = {&src, &mem, &err,
                      {o.max_batch_size, o.max_string_size, o.max_frames_per_stack,
                       o.max_table_entries},
                      ver};
    while (rc == GTR_OK) {
        gtr_gen_t *g;
        int grc = next_gen(&c, &spill, &last, &g);
        if (g == NULL) {
            rc = grc;
            break;
        }
        rc = decode_gen(g, &src, &mem, &err, events);
        gtr_gen_free(g, &mem);
        rc = rc == GTR_OK ? grc : rc;
    }
    if (spill.present) {
        gtr_mem_free(&mem, spill.b.data);
    }
    gtr_src_free(&src, &mem);
    snprintf(msg, cap, "%s", rc == GTR_OK ? "" : err.msg);
    return rc;
}
