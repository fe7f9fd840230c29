/* dump_compare.c: compare two canonical dumps (see gotrace_dumpcmp.h).
 *
 * The dumps are walked line by line in step. Lines before each dump's final
 * line compare byte for byte; the final lines compare by the rules of
 * docs/dump-format.md. The first place where they part is reported. */
#include "gotrace_dumpcmp.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gotrace.h"

typedef enum final_kind { FINAL_NONE, FINAL_OK, FINAL_ERROR, FINAL_PANIC, FINAL_DECLINED } final_kind_t;

/* A cursor over the lines of one dump. */
typedef struct lines {
    const char *p;
    size_t len;
    size_t pos;
    size_t count;     /* lines in the dump; the last is the final line */
} lines_t;

static size_t count_lines(const char *p, size_t len)
{
    size_t n = 0;
    for (const char *q = p; q < p + len; n++) {
        const char *nl = memchr(q, '\n', (size_t)(p + len - q));
        q = nl != NULL ? nl + 1 : p + len;
    }
    return n;
}

static gtr_dumpcmp_line_t next_line(lines_t *l)
{
    if (l->pos >= l->len) {
        return (gtr_dumpcmp_line_t){NULL, 0};
    }
    const char *start = l->p + l->pos;
    const char *nl = memchr(start, '\n', l->len - l->pos);
    size_t n = nl != NULL ? (size_t)(nl - start) : l->len - l->pos;
    l->pos += nl != NULL ? n + 1 : n;
    return (gtr_dumpcmp_line_t){start, n};
}

static bool has_prefix(gtr_dumpcmp_line_t l, const char *prefix)
{
    size_t n = strlen(prefix);
    return l.ptr != NULL && l.len >= n && memcmp(l.ptr, prefix, n) == 0;
}

static final_kind_t final_kind(gtr_dumpcmp_line_t l)
{
    if (l.ptr != NULL && l.len == 2 && memcmp(l.ptr, "ok", 2) == 0) {
        return FINAL_OK;
    }
    if (has_prefix(l, "error: ")) {
        return FINAL_ERROR;
    }
    if (has_prefix(l, "panic: ")) {
        return FINAL_PANIC;
    }
    if (has_prefix(l, "declined: ")) {
        return FINAL_DECLINED;
    }
    return FINAL_NONE;
}

static bool same_line(gtr_dumpcmp_line_t a, gtr_dumpcmp_line_t b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* The C dump marks an event whose thread and goroutine Go's reader picks
 * at random among several (gtr_event_ctx_choices) by ending its line with
 * " ctx-choices=N". Returns the line's length without that mark, or the
 * whole length if there is none. */
static size_t without_choices(gtr_dumpcmp_line_t l)
{
    static const char mark[] = " ctx-choices=";
    size_t n = l.len;
    while (n > 0 && l.ptr[n - 1] >= '0' && l.ptr[n - 1] <= '9') {
        n--;
    }
    size_t k = sizeof mark - 1;
    if (n == l.len || n < k || memcmp(l.ptr + n - k, mark, k) != 0) {
        return l.len;
    }
    return n - k;
}

/* Finds the M and G values of an event line "Kind T=t M=m P=p G=g ...":
 * [*m_at, *m_end) and [*g_at, *g_end). */
static bool split_ctx(const char *p, size_t n, size_t *m_at, size_t *m_end, size_t *g_at,
                      size_t *g_end)
{
    const char *m = NULL, *g = NULL;
    for (size_t i = 0; i + 3 <= n && (m == NULL || g == NULL); i++) {
        if (m == NULL && memcmp(p + i, " M=", 3) == 0) {
            m = p + i + 3;
        } else if (m != NULL && memcmp(p + i, " G=", 3) == 0) {
            g = p + i + 3;
        }
    }
    if (m == NULL || g == NULL) {
        return false;
    }
    *m_at = (size_t)(m - p);
    *g_at = (size_t)(g - p);
    for (*m_end = *m_at; *m_end < n && p[*m_end] != ' '; (*m_end)++) {
    }
    for (*g_end = *g_at; *g_end < n && p[*g_end] != ' '; (*g_end)++) {
    }
    return *m_end <= *g_at;
}

/* Lines that differ only in the M and G values of an event that one side
 * marks as having several possible contexts (docs/dump-format.md). */
static bool same_but_ctx(gtr_dumpcmp_line_t a, gtr_dumpcmp_line_t b)
{
    size_t an = without_choices(a), bn = without_choices(b);
    if (an == a.len && bn == b.len) {
        return false; /* neither is marked */
    }
    size_t am, ame, ag, age, bm, bme, bg, bge;
    if (!split_ctx(a.ptr, an, &am, &ame, &ag, &age) ||
        !split_ctx(b.ptr, bn, &bm, &bme, &bg, &bge)) {
        return false;
    }
    /* Equal before M, between M and G, and after G. */
    return am == bm && memcmp(a.ptr, b.ptr, am) == 0 && ag - ame == bg - bme &&
           memcmp(a.ptr + ame, b.ptr + bme, ag - ame) == 0 && an - age == bn - bge &&
           memcmp(a.ptr + age, b.ptr + bge, an - age) == 0;
}

/* Two error lines: equal text, or the same class. The classifier wants
 * NUL-terminated messages, so they are copied. */
static bool same_error(gtr_dumpcmp_line_t a, gtr_dumpcmp_line_t b, gtr_dumpcmp_classify_fn classify)
{
    if (same_line(a, b)) {
        return true;
    }
    if (classify == NULL) {
        return false;
    }
    const size_t skip = strlen("error: ");
    char *ma = malloc(a.len - skip + 1);
    char *mb = malloc(b.len - skip + 1);
    bool same = false;
    if (ma != NULL && mb != NULL) {
        memcpy(ma, a.ptr + skip, a.len - skip);
        ma[a.len - skip] = '\0';
        memcpy(mb, b.ptr + skip, b.len - skip);
        mb[b.len - skip] = '\0';
        const char *ca = classify(ma);
        const char *cb = classify(mb);
        same = ca != NULL && cb != NULL && strcmp(ca, cb) == 0;
    }
    free(ma);
    free(mb);
    return same;
}

static gtr_dumpcmp_verdict_t verdict(gtr_dumpcmp_result_t *res, gtr_dumpcmp_verdict_t v,
                                     const char *reason)
{
    res->verdict = v;
    res->reason = reason;
    return v;
}

/* Compares final line with final line; `line` is where they stand. */
static gtr_dumpcmp_verdict_t compare_finals(gtr_dumpcmp_result_t *res, gtr_dumpcmp_classify_fn classify)
{
    final_kind_t ka = final_kind(res->a), kb = final_kind(res->b);
    if (ka == FINAL_OK && kb == FINAL_OK) {
        return verdict(res, GTR_DUMPCMP_SAME, "both dumps end ok");
    }
    if (ka == FINAL_ERROR && kb == FINAL_ERROR) {
        if (same_error(res->a, res->b, classify)) {
            return verdict(res, GTR_DUMPCMP_SAME, "both dumps end with the same error");
        }
        return verdict(res, GTR_DUMPCMP_DIFFERENT, "the error messages differ in class");
    }
    return verdict(res, GTR_DUMPCMP_DIFFERENT, "one dump ends ok, the other with an error");
}

/* Walks both dumps to the first line where they part. */
static gtr_dumpcmp_verdict_t walk(lines_t *a, lines_t *b, gtr_dumpcmp_classify_fn classify,
                                  gtr_dumpcmp_result_t *res)
{
    for (size_t i = 1;; i++) {
        res->line = i;
        res->a = next_line(a);
        res->b = next_line(b);
        bool a_final = i == a->count, b_final = i == b->count;
        if (a_final && b_final) {
            return compare_finals(res, classify);
        }
        if (a_final != b_final) {
            return verdict(res, GTR_DUMPCMP_DIFFERENT,
                           a_final ? "the C dump ends before the Go dump"
                                   : "the Go dump ends before the C dump");
        }
        if (!same_line(res->a, res->b) && !same_but_ctx(res->a, res->b)) {
            return verdict(res, GTR_DUMPCMP_DIFFERENT, "the lines differ");
        }
    }
}

/* The last line of a dump, for the checks made before the walk. */
static gtr_dumpcmp_line_t last_line(const char *p, size_t len, size_t count)
{
    return gtr_dumpcmp_get_line(p, len, count);
}

gtr_dumpcmp_verdict_t gtr_dump_compare(const char *a, size_t a_len, const char *b,
                                       size_t b_len, gtr_dumpcmp_classify_fn classify,
                                       gtr_dumpcmp_result_t *out)
{
    gtr_dumpcmp_result_t local, *res = out != NULL ? out : &local;
    memset(res, 0, sizeof *res);
    lines_t la = {a, a != NULL ? a_len : 0, 0, 0};
    lines_t lb = {b, b != NULL ? b_len : 0, 0, 0};
    la.count = count_lines(la.p, la.len);
    lb.count = count_lines(lb.p, lb.len);
    final_kind_t ka = final_kind(last_line(la.p, la.len, la.count));
    final_kind_t kb = final_kind(last_line(lb.p, lb.len, lb.count));
    if (ka == FINAL_DECLINED || kb == FINAL_DECLINED) {
        return verdict(res, GTR_DUMPCMP_DECLINED, "a side declined the input");
    }
    if (ka == FINAL_NONE || ka == FINAL_PANIC || kb == FINAL_NONE) {
        bool a_bad = ka == FINAL_NONE || ka == FINAL_PANIC;
        res->line = a_bad ? la.count : lb.count;
        res->a = gtr_dumpcmp_get_line(la.p, la.len, res->line);
        res->b = gtr_dumpcmp_get_line(lb.p, lb.len, res->line);
        return verdict(res, GTR_DUMPCMP_MALFORMED,
                       ka == FINAL_PANIC ? "the C dump ends with panic:, which only the "
                                           "oracle may print"
                       : a_bad           ? "the C dump has no final line"
                                         : "the Go dump has no final line");
    }
    gtr_dumpcmp_verdict_t v = walk(&la, &lb, classify, res);
    if (kb == FINAL_PANIC) {
        /* Whatever else differs, a panic in Go's reader is Go's bug. */
        return verdict(res, GTR_DUMPCMP_ORACLE_PANIC, "Go's reader panicked");
    }
    return v;
}

gtr_dumpcmp_line_t gtr_dumpcmp_get_line(const char *dump, size_t len, size_t n)
{
    lines_t l = {dump, dump != NULL ? len : 0, 0, 0};
    gtr_dumpcmp_line_t line = {NULL, 0};
    for (size_t i = 0; i < n; i++) {
        line = next_line(&l);
        if (line.ptr == NULL) {
            break;
        }
    }
    return n == 0 ? (gtr_dumpcmp_line_t){NULL, 0} : line;
}

const char *gtr_dumpcmp_verdict_name(gtr_dumpcmp_verdict_t v)
{
    switch (v) {
    case GTR_DUMPCMP_SAME: return "same";
    case GTR_DUMPCMP_DIFFERENT: return "different";
    case GTR_DUMPCMP_DECLINED: return "declined";
    case GTR_DUMPCMP_ORACLE_PANIC: return "oracle-panic";
    case GTR_DUMPCMP_MALFORMED: return "malformed";
    default: return "unknown";
    }
}

gtr_dumpcmp_classify_fn gtr_dumpcmp_default_classifier(void)
{
    return gtr_error_class;
}
