/* checker.c: the checker object. It turns each reader event into a record,
 * runs the three passes over it (Go's validation, the per-event stack
 * invariants, the per-generation goroutine classification), and keeps the
 * verdicts: the first max_violations violations in full, counts of all. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gtc_internal.h"

gtc_options_t gtc_options_default(void)
{
    gtc_options_t o;
    memset(&o, 0, sizeof o);
    o.max_violations = 1000;
    o.max_summaries = (size_t)1 << 20;
    o.max_memory = (size_t)1 << 30;
    o.families = GTC_FAMILY_ALL;
    return o;
}

gtc_checker_t *gtc_checker_new(gtr_version_t version, const gtc_options_t *opts)
{
    gtc_options_t o = opts != NULL ? *opts : gtc_options_default();
    gtc_mem_t mem;
    memset(&mem, 0, sizeof mem);
    mem.a = o.allocator;
    mem.limit = o.max_memory;
    gtc_checker_t *c = gtc_mem_alloc(&mem, sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    memset(c, 0, sizeof *c);
    c->opts = o;
    c->version = version;
    c->mem = mem;
    gtc_validator_init(&c->v, &c->mem);
    gtc_map_init(&c->gen.gs, &c->mem, sizeof(gtc_gotrack_t));
    gtc_map_init(&c->gen.prev, &c->mem, sizeof(gtc_gotrack_t));
    gtc_map_init(&c->gen.stacks, &c->mem, sizeof(gtc_stackseen_t));
    /* Violations are stored as they come (most traces have none). */
    if (c->opts.max_violations > ((size_t)1 << 24)) {
        c->opts.max_violations = (size_t)1 << 24; /* a stored one is ~300 bytes */
    }
    return c;
}

void gtc_checker_free(gtc_checker_t *c)
{
    if (c == NULL) {
        return;
    }
    gtc_validator_free(&c->v, &c->mem);
    gtc_map_free(&c->gen.gs);
    gtc_map_free(&c->gen.prev);
    gtc_map_free(&c->gen.stacks);
    gtc_mem_free(&c->mem, c->viol, c->capviol * sizeof *c->viol);
    gtc_mem_free(&c->mem, c->sums, c->capsums * sizeof *c->sums);
    gtc_mem_t mem = c->mem; /* c is about to go: free it through a copy */
    gtc_mem_free(&mem, c, sizeof *c);
}

/* ---------------------------------------------------------- reporting */

gtr_resource_t gtc_res(gtr_resource_kind_t k, int64_t id)
{
    gtr_resource_t r = {k, id};
    return r;
}

gtr_resource_t gtc_event_res(const gtc_record_t *r)
{
    if (r->goroutine != GTR_NO_GOROUTINE) {
        return gtc_res(GTR_RESOURCE_GOROUTINE, r->goroutine);
    }
    /* A status event written for a goroutine by another thread (or none). */
    if (r->kind == GTR_KIND_STATE_TRANSITION && r->transition.resource.kind != GTR_RESOURCE_NONE) {
        return r->transition.resource;
    }
    if (r->proc != GTR_NO_PROC) {
        return gtc_res(GTR_RESOURCE_PROC, r->proc);
    }
    if (r->thread != GTR_NO_THREAD) {
        return gtc_res(GTR_RESOURCE_THREAD, r->thread);
    }
    return gtc_res(GTR_RESOURCE_NONE, 0);
}

static void report(gtc_checker_t *c, gtc_invariant_t inv, gtr_resource_t res, uint64_t index,
                   gtc_msg_t msg, va_list ap)
{
    if ((gtc_invariant_family(inv) & c->opts.families) == 0) {
        return;
    }
    gtc_violation_t tmp;
    if (c->nviol == c->capviol && c->capviol < c->opts.max_violations) {
        size_t ncap = c->capviol == 0 ? 8 : c->capviol * 2;
        ncap = ncap < c->opts.max_violations ? ncap : c->opts.max_violations;
        gtc_violation_t *nv = gtc_mem_realloc(&c->mem, c->viol, c->capviol * sizeof *nv, ncap * sizeof *nv);
        if (nv != NULL) {
            c->viol = nv;
            c->capviol = ncap;
        }
    }
    gtc_violation_t *v = c->nviol < c->capviol ? &c->viol[c->nviol] : &tmp;
    v->invariant = inv;
    v->name = gtc_invariant_name(inv);
    v->generation = c->syncs;
    v->resource = res;
    v->event_index = index;
    /* The table's formats are literals; the unit tests print each one. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(v->sentence, sizeof v->sentence, gtc_msgs[msg].fmt, ap);
#pragma GCC diagnostic pop
    /* A sentence is one line whatever the quoted strings held. */
    for (char *p = v->sentence; *p != '\0'; p++) {
        if (*p == '\n' || *p == '\r') {
            *p = ' ';
        }
    }
    if (v != &tmp) {
        c->nviol++;
    }
    c->viol_total++;
    c->viol_of[inv]++;
    if (c->gen.open) {
        c->gen.sum.violations++;
    }
    if (c->opts.on_violation != NULL) {
        c->opts.on_violation(c->opts.user, v);
    }
}

void gtc_report(gtc_checker_t *c, gtr_resource_t res, uint64_t index, gtc_msg_t msg, ...)
{
    va_list ap;
    va_start(ap, msg);
    report(c, gtc_msgs[msg].inv, res, index, msg, ap);
    va_end(ap);
}

void gtc_report_as(gtc_checker_t *c, gtc_invariant_t inv, gtr_resource_t res, uint64_t index,
                   gtc_msg_t msg, ...)
{
    va_list ap;
    va_start(ap, msg);
    report(c, inv, res, index, msg, ap);
    va_end(ap);
}

size_t gtc_violation_format(const gtc_violation_t *v, char *buf, size_t cap)
{
    char res[64];
    int n = snprintf(buf, cap, "%s gen=%llu event=%llu %s: %s", v->name, (unsigned long long)v->generation,
                     (unsigned long long)v->event_index, gtc_resource_str(res, sizeof res, v->resource),
                     v->sentence);
    return n < 0 ? 0 : (size_t)n;
}

/* -------------------------------------------------------------- events */

int gtc_checker_record(gtc_checker_t *c, const gtc_record_t *r)
{
    if (c == NULL || r == NULL || c->ended) {
        return GTC_ERR_ARG;
    }
    if (c->status != GTC_OK) {
        return c->status;
    }
    c->index = c->nevents++;
    if (r->kind == GTR_KIND_SYNC) {
        /* A Sync closes the generation before it and opens the next; its
         * own checks run in the new generation, as its number says. */
        gtc_gen_close(c, true);
        c->syncs++;
        gtc_validator_prune(&c->v, &c->mem);
        gtc_gen_open(c, r);
    } else if (!c->gen.open) {
        gtc_gen_open(c, NULL); /* events before any Sync: generation 0 */
    }
    gtc_validate(c, r);
    gtc_stacks_event(c, r);
    gtc_gen_event(c, r);
    if (c->mem.failed != GTC_OK) {
        c->status = c->mem.failed;
    }
    return c->status;
}

int gtc_checker_event(gtc_checker_t *c, const gtr_event_t *ev)
{
    if (c == NULL || ev == NULL) {
        return GTC_ERR_ARG;
    }
    gtc_record_t r;
    gtc_record_from_event(ev, &r);
    return gtc_checker_record(c, &r);
}

int gtc_checker_end(gtc_checker_t *c)
{
    if (c == NULL || c->ended) {
        return GTC_ERR_ARG;
    }
    c->ended = true;
    if (c->status == GTC_OK) {
        /* A stream that ends cleanly ends with a Sync, which leaves an
         * empty generation open: it is no generation at all. */
        if (c->gen.open && c->gen.sum.nevents > 1) {
            gtc_gen_close(c, false);
        }
        if (c->mem.failed != GTC_OK) {
            c->status = c->mem.failed;
        }
    }
    return c->status;
}

/* ----------------------------------------------------------- accessors */

size_t gtc_checker_nviolations(const gtc_checker_t *c) { return c != NULL ? c->nviol : 0; }

const gtc_violation_t *gtc_checker_violation(const gtc_checker_t *c, size_t i)
{
    return c != NULL && i < c->nviol ? &c->viol[i] : NULL;
}

uint64_t gtc_checker_violations_total(const gtc_checker_t *c)
{
    return c != NULL ? c->viol_total : 0;
}

uint64_t gtc_checker_violations_of(const gtc_checker_t *c, gtc_invariant_t inv)
{
    return c != NULL && (unsigned)inv < GTC_INV_COUNT ? c->viol_of[inv] : 0;
}

size_t gtc_checker_nsummaries(const gtc_checker_t *c) { return c != NULL ? c->nsums : 0; }

const gtc_gen_summary_t *gtc_checker_summary(const gtc_checker_t *c, size_t i)
{
    return c != NULL && i < c->nsums ? &c->sums[i] : NULL;
}

gtc_gen_summary_t gtc_checker_totals(const gtc_checker_t *c)
{
    gtc_gen_summary_t t;
    memset(&t, 0, sizeof t);
    return c != NULL ? c->totals : t;
}

uint64_t gtc_checker_nevents(const gtc_checker_t *c) { return c != NULL ? c->nevents : 0; }
int gtc_checker_status(const gtc_checker_t *c) { return c != NULL ? c->status : GTC_ERR_ARG; }
size_t gtc_checker_peak_memory(const gtc_checker_t *c) { return c != NULL ? c->mem.peak : 0; }
