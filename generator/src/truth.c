/* truth.c: the ground truth, recorded while the model emits.
 *
 * Categories are defined on what a reader sees, the way the oracle's
 * `stats` mode and the checker classify a parsed trace, so that the two
 * can be compared number for number:
 *
 *   whole = the goroutine's first transition in the generation was its
 *           status event and it was its only one;
 *   blocked / syscall      whole, and the status said Waiting / Syscall;
 *   ran                    it ran (was Running, or an event ran on it) and
 *                          later went Waiting, Syscall or NotExist;
 *   ran_without_blocking   it ran and never did;
 *   unblocked_never_ran    it went Waiting -> Runnable and never ran;
 *   other                  anything else (runnable throughout, created
 *                          and never started, ...).
 *
 * must_stack: the runtime promises a stack to blocked and syscall
 * goroutines from go1.23 on. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtg_internal.h"

struct gtg_truth {
    unsigned version;
    gtg_truth_row_t *rows;
    size_t n, cap;
    uint32_t ngens;
    uint64_t *gen_numbers;
};

static const char *const class_names[GTG_CLASS_COUNT] = {
    "blocked", "syscall", "unblocked_never_ran", "ran_without_blocking", "ran", "other",
};

const char *gtg_class_name(gtg_class_t c) { return c < GTG_CLASS_COUNT ? class_names[c] : "?"; }
size_t gtg_truth_count(const gtg_truth_t *t) { return t->n; }
const gtg_truth_row_t *gtg_truth_row(const gtg_truth_t *t, size_t i) { return &t->rows[i]; }
uint32_t gtg_truth_generations(const gtg_truth_t *t) { return t->ngens; }

size_t gtg_truth_class_count(const gtg_truth_t *t, uint32_t gen_index, gtg_class_t c)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        n += t->rows[i].gen_index == gen_index && t->rows[i].cls == c;
    }
    return n;
}

gtg_err_t gtg_truth_new(gtg_truth_t **out, unsigned version)
{
    gtg_truth_t *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return GTG_ERR_NOMEM;
    }
    t->version = version;
    *out = t;
    return GTG_OK;
}

void gtg_truth_free(gtg_truth_t *t)
{
    if (t == NULL) {
        return;
    }
    free(t->rows);
    free(t->gen_numbers);
    free(t);
}

void gtg_truth_trans(gtg_gen_t *g, int gi, gtg_gs_t from, gtg_gs_t to, bool is_status,
                     bool stack)
{
    gtg_gtrack_t *tr = &g->gs[gi].tr;
    tr->seen = true;
    tr->transitions++;
    if (tr->transitions == 1 && is_status) {
        tr->start_status = true;
        tr->start_state = to;
        tr->start_stack = stack;
    }
    bool whole = tr->start_status && tr->transitions == 1;
    switch (to) {
    case GTG_GS_RUNNING:
        tr->ran = true;
        break;
    case GTG_GS_WAITING:
    case GTG_GS_SYSCALL:
    case GTG_GS_DEAD:
        tr->stopped |= !whole;
        break;
    case GTG_GS_RUNNABLE:
        tr->unblocked |= from == GTG_GS_WAITING;
        break;
    }
}

void gtg_truth_ctx(gtg_gen_t *g, int gi)
{
    g->gs[gi].tr.seen = true;
    g->gs[gi].tr.ran = true;
}

static gtg_class_t classify(const gtg_gtrack_t *tr)
{
    bool whole = tr->start_status && tr->transitions == 1;
    if (whole && tr->start_state == GTG_GS_WAITING) {
        return GTG_CLASS_BLOCKED;
    }
    if (whole && tr->start_state == GTG_GS_SYSCALL) {
        return GTG_CLASS_SYSCALL;
    }
    if (tr->ran) {
        return tr->stopped ? GTG_CLASS_RAN : GTG_CLASS_RAN_WITHOUT_BLOCKING;
    }
    return tr->unblocked ? GTG_CLASS_UNBLOCKED_NEVER_RAN : GTG_CLASS_OTHER;
}

static gtg_err_t push_row(gtg_truth_t *t, const gtg_truth_row_t *row)
{
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        gtg_truth_row_t *np = realloc(t->rows, ncap * sizeof *np);
        if (np == NULL) {
            return GTG_ERR_NOMEM;
        }
        t->rows = np;
        t->cap = ncap;
    }
    t->rows[t->n++] = *row;
    return GTG_OK;
}

gtg_err_t gtg_truth_end_gen(gtg_gen_t *g)
{
    gtg_truth_t *t = g->truth;
    uint64_t *np = realloc(t->gen_numbers, (t->ngens + 1) * sizeof *np);
    if (np == NULL) {
        return gtg_fail(g, GTG_ERR_NOMEM, "out of memory for ground truth");
    }
    t->gen_numbers = np;
    t->gen_numbers[t->ngens++] = g->gen_no;
    for (size_t i = 0; i < g->ng; i++) {
        const gtg_gtrack_t *tr = &g->gs[i].tr;
        if (!tr->seen) {
            continue;
        }
        gtg_truth_row_t row = {.gen_index = g->gi, .gen = g->gen_no, .goid = g->gs[i].id,
                               .cls = classify(tr), .has_stack = tr->start_stack,
                               .bug = tr->bug};
        row.must_stack = (row.cls == GTG_CLASS_BLOCKED || row.cls == GTG_CLASS_SYSCALL) &&
                         t->version >= GTR_GO123;
        if (push_row(t, &row) != GTG_OK) {
            return gtg_fail(g, GTG_ERR_NOMEM, "out of memory for ground truth");
        }
    }
    return GTG_OK;
}

/* ------------------------------------------------------------------ JSON */

typedef struct jbuf {
    char *p;
    size_t n, cap;
    bool oom;
} jbuf_t;

__attribute__((format(printf, 2, 3))) static void jprintf(jbuf_t *b, const char *fmt, ...)
{
    for (int round = 0; round < 2 && !b->oom; round++) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = true;
        } else if (b->p != NULL && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        } else {
            size_t ncap = b->cap ? b->cap : 4096;
            while (ncap < b->n + (size_t)k + 1) {
                ncap *= 2;
            }
            char *np = realloc(b->p, ncap);
            b->oom = np == NULL;
            b->p = np != NULL ? np : b->p;
            b->cap = np != NULL ? ncap : b->cap;
        }
    }
}

static void json_counts(jbuf_t *b, const gtg_truth_t *t, uint32_t gi)
{
    size_t bws = 0, sws = 0;
    for (size_t i = 0; i < t->n; i++) {
        const gtg_truth_row_t *r = &t->rows[i];
        bws += r->gen_index == gi && r->cls == GTG_CLASS_BLOCKED && r->has_stack;
        sws += r->gen_index == gi && r->cls == GTG_CLASS_SYSCALL && r->has_stack;
    }
    jprintf(b, "\"counts\":{");
    for (int c = 0; c < GTG_CLASS_COUNT; c++) {
        jprintf(b, "%s\"%s\":%zu", c ? "," : "", class_names[c],
                gtg_truth_class_count(t, gi, (gtg_class_t)c));
    }
    jprintf(b, ",\"blocked_with_stack\":%zu,\"syscall_with_stack\":%zu}", bws, sws);
}

gtg_err_t gtg_truth_json(const gtg_truth_t *t, char **out, size_t *len)
{
    jbuf_t b = {0};
    jprintf(&b, "{\"version\":\"go1.%u\",\"generations\":[", t->version);
    for (uint32_t gi = 0; gi < t->ngens; gi++) {
        jprintf(&b, "%s\n {\"index\":%u,\"gen\":%llu,", gi ? "," : "", gi,
                (unsigned long long)t->gen_numbers[gi]);
        json_counts(&b, t, gi);
        jprintf(&b, ",\"goroutines\":[");
        bool first = true;
        for (size_t i = 0; i < t->n; i++) {
            const gtg_truth_row_t *r = &t->rows[i];
            if (r->gen_index != gi) {
                continue;
            }
            jprintf(&b, "%s{\"g\":%llu,\"class\":\"%s\",\"stack\":%s,\"must_stack\":%s", first ? "" : ",",
                    (unsigned long long)r->goid, class_names[r->cls], r->has_stack ? "true" : "false",
                    r->must_stack ? "true" : "false");
            if (r->bug != NULL) {
                jprintf(&b, ",\"bug\":\"%s\"", r->bug);
            }
            jprintf(&b, "}");
            first = false;
        }
        jprintf(&b, "]}");
    }
    jprintf(&b, "\n]}\n");
    if (b.oom) {
        free(b.p);
        return GTG_ERR_NOMEM;
    }
    *out = b.p;
    *len = b.n;
    return GTG_OK;
}
