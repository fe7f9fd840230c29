/* grammar.c: the grammar loader: text in, checked productions out.
 *
 * The language is line-based (docs/grammar.md):
 *
 *     # comment
 *     limit events 2000
 *     rule step 8 go1.23+ when gc_on = mark_assist_begin go_block(GC mark assist)
 *
 * The loader resolves every name against the action, guard, nonterminal
 * and limit tables, computes each production's cost (the most events its
 * actions emit) and its effective version gate (no older than its newest
 * action's events), and insists that every nonterminal has a minimum-cost
 * completion, so the generator can always finish inside its budget. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtg_internal.h"

static const char *const nt_names[GTG_NT_COUNT] = {
    [GTG_NT_WORLD_G] = "world.g",      [GTG_NT_WORLD_GC] = "world.gc",
    [GTG_NT_STEP] = "step",            [GTG_NT_BOUNDARY] = "boundary",
    [GTG_NT_SYNC] = "layout.sync",     [GTG_NT_BATCHES] = "layout.batches",
    [GTG_NT_CPU] = "layout.cpu",
};

static const char *const limit_names[GTG_LIMIT_COUNT] = {
    [GTG_LIMIT_EVENTS] = "events",     [GTG_LIMIT_GENERATIONS] = "generations",
    [GTG_LIMIT_GOROUTINES] = "goroutines", [GTG_LIMIT_PROCS] = "procs",
    [GTG_LIMIT_THREADS] = "threads",   [GTG_LIMIT_STACK_DEPTH] = "stack_depth",
};

static const uint64_t limit_defaults[GTG_LIMIT_COUNT] = {2000, 4, 48, 4, 12, 8};
static const uint64_t limit_max[GTG_LIMIT_COUNT] = {10000000, 1000, GTG_MAX_G, GTG_MAX_P,
                                                    GTG_MAX_M, 32};

static const char *const guard_names[GTG_GUARD_COUNT] = {
    [GTG_GUARD_GC_ON] = "gc_on",         [GTG_GUARD_GC_OFF] = "gc_off",
    [GTG_GUARD_ROOM_G] = "room_g",       [GTG_GUARD_FIRST_GEN] = "first_gen",
    [GTG_GUARD_LATER_GEN] = "later_gen", [GTG_GUARD_HAS_TASK] = "has_task",
};

const char *gtg_nt_name(gtg_nt_t nt) { return nt < GTG_NT_COUNT ? nt_names[nt] : "?"; }
const char *gtg_limit_name(gtg_limit_t l) { return l < GTG_LIMIT_COUNT ? limit_names[l] : "?"; }
const char *gtg_guard_name(gtg_guard_t g) { return g < GTG_GUARD_COUNT ? guard_names[g] : "?"; }

typedef struct parser {
    gtg_grammar_t *g;
    const char *p, *end; /* the current line */
    unsigned line;
    char *err;
    size_t errlen;
} parser_t;

__attribute__((format(printf, 2, 3))) static gtg_err_t perr(parser_t *ps, const char *fmt, ...)
{
    if (ps->err != NULL && ps->errlen > 0) {
        int k = snprintf(ps->err, ps->errlen, "line %u: ", ps->line);
        va_list ap;
        va_start(ap, fmt);
        if (k >= 0 && (size_t)k < ps->errlen) {
            vsnprintf(ps->err + k, ps->errlen - (size_t)k, fmt, ap);
        }
        va_end(ap);
    }
    return GTG_ERR_GRAMMAR;
}

static void skip_space(parser_t *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == ',')) {
        ps->p++;
    }
}

/* The next word: letters, digits and ._+-_ ; returns its length. */
static size_t word(parser_t *ps, const char **start)
{
    skip_space(ps);
    *start = ps->p;
    while (ps->p < ps->end && *ps->p != '\0' &&
           (isalnum((unsigned char)*ps->p) || strchr("._+-_", *ps->p) != NULL)) {
        ps->p++;
    }
    return (size_t)(ps->p - *start);
}

static int lookup(const char *const *names, size_t n, const char *w, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (names[i] != NULL && strlen(names[i]) == len && memcmp(names[i], w, len) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool parse_u64(const char *w, size_t len, uint64_t *out)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf) {
        return false;
    }
    memcpy(buf, w, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (errno != 0 || *end != '\0' || buf[0] == '-') {
        return false;
    }
    *out = v;
    return true;
}

static gtg_err_t parse_limit(parser_t *ps)
{
    const char *w;
    size_t n = word(ps, &w);
    int which = lookup(limit_names, GTG_LIMIT_COUNT, w, n);
    if (which < 0) {
        return perr(ps, "unknown limit '%.*s'", (int)n, w);
    }
    uint64_t v;
    n = word(ps, &w);
    if (!parse_u64(w, n, &v) || v == 0 || v > limit_max[which]) {
        return perr(ps, "limit %s needs a number in 1..%llu, got '%.*s'", limit_names[which],
                    (unsigned long long)limit_max[which], (int)n, w);
    }
    ps->g->limits[which] = v;
    return GTG_OK;
}

/* "go1.23+" (since), "go1.25-" (until) or "go1.22..go1.23". */
static bool parse_gate(const char *w, size_t len, gtg_prod_t *pr)
{
    unsigned a = 0, b = 0;
    char tail[4] = {0};
    char buf[32];
    if (len >= sizeof buf) {
        return false;
    }
    memcpy(buf, w, len);
    buf[len] = '\0';
    if (sscanf(buf, "go1.%u..go1.%u%1s", &a, &b, tail) == 2) {
        pr->since = a;
        pr->until = b;
    } else if (sscanf(buf, "go1.%u%1[+-]%1s", &a, tail, tail + 1) == 2) {
        if (tail[0] == '+') {
            pr->since = a;
        } else {
            pr->until = a;
        }
    } else {
        return false;
    }
    return gtr_version_supported((gtr_version_t)a) &&
           (b == 0 || gtr_version_supported((gtr_version_t)b));
}

/* Everything between the weight and '=': gates and "when guard ...". */
static gtg_err_t parse_qualifiers(parser_t *ps, gtg_prod_t *pr)
{
    bool in_when = false;
    for (;;) {
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == '=') {
            ps->p++;
            return GTG_OK;
        }
        const char *w;
        size_t n = word(ps, &w);
        if (n == 0) {
            return perr(ps, "expected '=' before the actions");
        }
        int gd;
        if (n == 4 && memcmp(w, "when", 4) == 0) {
            in_when = true;
        } else if (in_when && (gd = lookup(guard_names, GTG_GUARD_COUNT, w, n)) >= 0) {
            pr->guards |= 1u << gd;
        } else if (!in_when && parse_gate(w, n, pr)) {
            continue;
        } else {
            return perr(ps, "unknown %s '%.*s'", in_when ? "guard" : "version gate", (int)n, w);
        }
    }
}

static gtg_err_t parse_action(parser_t *ps, gtg_prod_t *pr)
{
    const char *w;
    size_t n = word(ps, &w);
    int a = gtg_action_lookup(w, n);
    if (a < 0) {
        return perr(ps, "unknown action '%.*s'", (int)n, w);
    }
    if (gtg_actions[a].nt != pr->nt) {
        return perr(ps, "action '%s' belongs to %s, not %s", gtg_actions[a].name,
                    nt_names[gtg_actions[a].nt], nt_names[pr->nt]);
    }
    if (pr->nact == GTG_MAX_ACTS) {
        return perr(ps, "more than %d actions in one rule", GTG_MAX_ACTS);
    }
    if (pr->nact == 0) {
        /* Rules whose first actions share a precondition share its answer. */
        for (int j = 0; j <= a; j++) {
            if (gtg_actions[j].can == gtg_actions[a].can) {
                pr->can_slot = (uint16_t)j;
                break;
            }
        }
    }
    gtg_prod_act_t *pa = &pr->act[pr->nact++];
    pa->act = (uint16_t)a;
    pr->cost += gtg_actions[a].cost;
    if ((unsigned)gtg_actions[a].since > pr->since) {
        pr->since = gtg_actions[a].since; /* the gate follows the events */
    }
    if (ps->p < ps->end && *ps->p == '(') {
        /* Arguments may hold balanced parentheses: "stw(stop-the-world (gc))". */
        const char *close = NULL;
        int depth = 0;
        for (const char *q = ps->p; q < ps->end && close == NULL; q++) {
            depth += *q == '(';
            depth -= *q == ')';
            if (depth == 0) {
                close = q;
            }
        }
        if (close == NULL) {
            return perr(ps, "unclosed '(' after %s", gtg_actions[a].name);
        }
        size_t len = (size_t)(close - ps->p - 1);
        pa->arg = malloc(len + 1);
        if (pa->arg == NULL) {
            return GTG_ERR_NOMEM;
        }
        memcpy(pa->arg, ps->p + 1, len);
        pa->arg[len] = '\0';
        ps->p = close + 1;
    }
    return GTG_OK;
}

static gtg_err_t add_prod(gtg_grammar_t *g, gtg_prod_t **out)
{
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 64;
        gtg_prod_t *np = realloc(g->prods, ncap * sizeof *np);
        if (np == NULL) {
            return GTG_ERR_NOMEM;
        }
        g->prods = np;
        g->cap = ncap;
    }
    *out = &g->prods[g->n++];
    memset(*out, 0, sizeof **out);
    return GTG_OK;
}

static gtg_err_t parse_rule(parser_t *ps)
{
    const char *w;
    size_t n = word(ps, &w);
    int nt = lookup(nt_names, GTG_NT_COUNT, w, n);
    if (nt < 0) {
        return perr(ps, "unknown nonterminal '%.*s'", (int)n, w);
    }
    gtg_prod_t *pr;
    if (add_prod(ps->g, &pr) != GTG_OK) {
        return GTG_ERR_NOMEM;
    }
    pr->nt = (gtg_nt_t)nt;
    pr->line = ps->line;
    pr->since = GTR_GO122;
    pr->until = GTR_VERSION_CURRENT;
    uint64_t weight;
    n = word(ps, &w);
    if (!parse_u64(w, n, &weight) || weight > 1000000) {
        return perr(ps, "weight must be a number in 0..1000000, got '%.*s'", (int)n, w);
    }
    pr->weight = (uint32_t)weight;
    gtg_err_t err = parse_qualifiers(ps, pr);
    while (err == GTG_OK) {
        skip_space(ps);
        if (ps->p >= ps->end || *ps->p == '#') {
            break;
        }
        err = parse_action(ps, pr);
    }
    if (err == GTG_OK && pr->nact == 0) {
        err = perr(ps, "a rule needs at least one action");
    }
    return err;
}

static gtg_err_t parse_line(parser_t *ps)
{
    const char *w;
    size_t n = word(ps, &w);
    if (n == 0) {
        skip_space(ps);
        return (ps->p >= ps->end || *ps->p == '#') ? GTG_OK : perr(ps, "unexpected '%c'", *ps->p);
    }
    if (n == 5 && memcmp(w, "limit", 5) == 0) {
        return parse_limit(ps);
    }
    if (n == 4 && memcmp(w, "rule", 4) == 0) {
        return parse_rule(ps);
    }
    return perr(ps, "expected 'rule' or 'limit', got '%.*s'", (int)n, w);
}

/* The completion of a nonterminal: unguarded, ungated, unconditional. */
static gtg_err_t find_completions(parser_t *ps)
{
    gtg_grammar_t *g = ps->g;
    for (int nt = 0; nt < GTG_NT_COUNT; nt++) {
        g->completion[nt] = -1;
        for (size_t i = 0; i < g->n && g->completion[nt] < 0; i++) {
            const gtg_prod_t *pr = &g->prods[i];
            bool free_of_conditions = pr->nt == (gtg_nt_t)nt && pr->guards == 0 &&
                                      pr->since <= GTR_GO122 && pr->until >= GTR_VERSION_CURRENT;
            for (size_t k = 0; k < pr->nact && free_of_conditions; k++) {
                free_of_conditions = gtg_actions[pr->act[k].act].can == NULL;
            }
            if (free_of_conditions) {
                g->completion[nt] = (int)i;
            }
        }
        if (g->completion[nt] < 0) {
            ps->line = 0;
            return perr(ps, "nonterminal %s has no completion (a rule without guards or "
                            "version gate whose actions always apply)", nt_names[nt]);
        }
    }
    return GTG_OK;
}

static gtg_err_t group_by_nt(gtg_grammar_t *g)
{
    g->by_nt = malloc((g->n ? g->n : 1) * sizeof *g->by_nt);
    if (g->by_nt == NULL) {
        return GTG_ERR_NOMEM;
    }
    size_t k = 0;
    for (int nt = 0; nt < GTG_NT_COUNT; nt++) {
        g->nt_start[nt] = k;
        for (size_t i = 0; i < g->n; i++) {
            if (g->prods[i].nt == (gtg_nt_t)nt) {
                g->by_nt[k++] = (uint32_t)i;
            }
        }
    }
    g->nt_start[GTG_NT_COUNT] = k;
    return GTG_OK;
}

gtg_err_t gtg_grammar_parse(const char *text, size_t len, gtg_grammar_t **out, char *errbuf,
                            size_t errlen)
{
    *out = NULL;
    gtg_grammar_t *g = calloc(1, sizeof *g);
    if (g == NULL) {
        return GTG_ERR_NOMEM;
    }
    memcpy(g->limits, limit_defaults, sizeof g->limits);
    parser_t ps = {.g = g, .err = errbuf, .errlen = errlen};
    const char *p = text, *end = text + len;
    gtg_err_t err = GTG_OK;
    while (p < end && err == GTG_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        ps.p = p;
        ps.end = nl != NULL ? nl : end;
        ps.line++;
        err = parse_line(&ps);
        p = nl != NULL ? nl + 1 : end;
    }
    if (err == GTG_OK) {
        err = find_completions(&ps);
    }
    if (err == GTG_OK) {
        err = group_by_nt(g);
    }
    if (err != GTG_OK) {
        gtg_grammar_free(g);
        return err;
    }
    *out = g;
    return GTG_OK;
}

gtg_err_t gtg_grammar_default(gtg_grammar_t **out, char *errbuf, size_t errlen)
{
    const char *t = gtg_grammar_default_text();
    return gtg_grammar_parse(t, strlen(t), out, errbuf, errlen);
}

void gtg_grammar_free(gtg_grammar_t *g)
{
    if (g == NULL) {
        return;
    }
    for (size_t i = 0; i < g->n; i++) {
        for (size_t k = 0; k < g->prods[i].nact; k++) {
            free(g->prods[i].act[k].arg);
        }
    }
    free(g->prods);
    free(g->by_nt);
    free(g);
}

uint64_t gtg_grammar_limit(const gtg_grammar_t *g, gtg_limit_t which)
{
    return which < GTG_LIMIT_COUNT ? g->limits[which] : 0;
}

size_t gtg_grammar_count(const gtg_grammar_t *g, gtg_nt_t nt)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++) {
        n += g->prods[i].nt == nt;
    }
    return n;
}
