/* gotrace_dumpcmp.h: compare two canonical dumps by the rules of
 * docs/dump-format.md ("The final line and how dumps are compared").
 *
 * Side A is the C reader's dump, side B the Go oracle's. Every line before
 * the final one compares byte for byte. The final line is one of "ok",
 * "error: MSG", "panic: MSG" (oracle only) or "declined: MSG":
 *   - "declined:" on either side: the input is not compared;
 *   - "panic:" from the oracle: a finding about Go's reader, never a
 *     divergence of the C reader;
 *   - two "error:" lines agree when the messages are equal or belong to
 *     the same error class (gtr_error_class);
 *   - "ok" agrees only with "ok".
 * The result names the first line (1-based) where the dumps part and both
 * lines there, so a report can show them. The differential fuzz target and
 * `tracefuzz diff` share this one implementation. */
#ifndef GOTRACE_DUMPCMP_H
#define GOTRACE_DUMPCMP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtr_dumpcmp_verdict {
    GTR_DUMPCMP_SAME = 0,     /* the dumps agree */
    GTR_DUMPCMP_DIFFERENT,    /* a divergence of the C reader */
    GTR_DUMPCMP_DECLINED,     /* a side declined the input: not compared */
    GTR_DUMPCMP_ORACLE_PANIC, /* Go's reader panicked: a finding about Go */
    GTR_DUMPCMP_MALFORMED     /* a dump lacks a valid final line, or the C
                               * side printed "panic:" */
} gtr_dumpcmp_verdict_t;

/* A line of one of the dumps: a view into the caller's buffer, without its
 * newline. ptr is NULL when that dump has no line there. */
typedef struct gtr_dumpcmp_line {
    const char *ptr;
    size_t len;
} gtr_dumpcmp_line_t;

typedef struct gtr_dumpcmp_result {
    gtr_dumpcmp_verdict_t verdict;
    size_t line;          /* 1-based line where the dumps part (for
                           * DIFFERENT, ORACLE_PANIC and MALFORMED), or 0 */
    gtr_dumpcmp_line_t a; /* side A's line there */
    gtr_dumpcmp_line_t b; /* side B's line there */
    const char *reason;   /* a short static sentence: why the verdict */
} gtr_dumpcmp_result_t;

/* Error classes: returns the class of an error message (a static string,
 * compared by content) or NULL when the message has none. */
typedef const char *(*gtr_dumpcmp_classify_fn)(const char *message);

/* The classifier the library was built with: gtr_error_class when
 * libgotrace has it, else NULL (error lines then compare by text). */
gtr_dumpcmp_classify_fn gtr_dumpcmp_default_classifier(void);

/* Compare dump A (a_len bytes) with dump B. `classify` may be NULL to
 * compare error lines by text only; pass gtr_dumpcmp_default_classifier()
 * for the project's rule. Returns the verdict, also stored in *res when
 * res is not NULL. */
gtr_dumpcmp_verdict_t gtr_dump_compare(const char *a, size_t a_len, const char *b,
                                       size_t b_len, gtr_dumpcmp_classify_fn classify,
                                       gtr_dumpcmp_result_t *res);

/* Short stable name of a verdict ("same", "different", ...). */
const char *gtr_dumpcmp_verdict_name(gtr_dumpcmp_verdict_t v);

/* The 1-based line `n` of a dump (without its newline); ptr NULL if the
 * dump has fewer lines. For printing context around a difference. */
gtr_dumpcmp_line_t gtr_dumpcmp_get_line(const char *dump, size_t len, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* GOTRACE_DUMPCMP_H */
