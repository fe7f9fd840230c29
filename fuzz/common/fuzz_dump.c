/* fuzz_dump.c: dumps in memory, and where two dumps part (fuzz_dump.h). */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_dump.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_helpers.h"

/* --------------------------------------------------------------- capture */

static FILE *open_dump(fuzz_dump_t *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = open_memstream(&out->text, &out->len);
    FUZZ_ASSERT_MSG(f != NULL, "open_memstream failed");
    return f;
}

static void close_dump(FILE *f, fuzz_dump_t *out, int status)
{
    FUZZ_ASSERT_MSG(fclose(f) == 0, "closing a memory stream failed");
    out->status = status;
    FUZZ_ASSERT_MSG(status != 2, "writing the dump to memory failed");
}

void fuzz_dump_buffer(const uint8_t *data, size_t len, const gtr_options_t *opts,
                      fuzz_dump_t *out)
{
    FILE *f = open_dump(out);
    close_dump(f, out, gtr_dump_buffer(data, len, opts, f));
}

typedef struct chunker {
    const uint8_t *data;
    size_t len;
    size_t pos;
    const size_t *chunk;
    size_t nchunk;
    size_t next;
} chunker_t;

static long chunk_read(void *user, uint8_t *buf, size_t cap)
{
    chunker_t *c = user;
    size_t want = c->nchunk > 0 ? c->chunk[c->next++ % c->nchunk] : cap;
    want = want == 0 ? 1 : want;
    want = want < cap ? want : cap;
    want = want < c->len - c->pos ? want : c->len - c->pos;
    if (want == 0) {
        return 0; /* the end (and no memcpy from a possibly NULL buffer) */
    }
    memcpy(buf, c->data + c->pos, want);
    c->pos += want;
    return (long)want;
}

/* A positional read must stay inside the bytes the stream handed over. */
static long chunk_read_at(void *user, uint64_t off, uint8_t *buf, size_t n)
{
    chunker_t *c = user;
    FUZZ_ASSERT_MSG(off <= c->pos && n <= c->pos - off,
                    "positional read of %zu bytes at %llu past the %zu bytes read", n,
                    (unsigned long long)off, c->pos);
    memcpy(buf, c->data + off, n);
    return (long)n;
}

void fuzz_dump_stream(const uint8_t *data, size_t len, const size_t *chunk, size_t nchunk,
                      bool seekable, const gtr_options_t *opts, fuzz_dump_t *out)
{
    chunker_t c = {data, len, 0, chunk, nchunk, 0};
    gtr_reader_t *r = NULL;
    int rc = seekable ? gtr_reader_open_seekable(&r, chunk_read, chunk_read_at, &c, opts)
                      : gtr_reader_open_stream(&r, chunk_read, &c, opts);
    FILE *f = open_dump(out);
    if (r == NULL) {
        /* Only the reader's own allocation can fail here; say so the way
         * gtr_dump_buffer does, so both modes print the same line. */
        gtr_dumper_t *d = gtr_dumper_new(f, NULL);
        FUZZ_ASSERT(d != NULL);
        int res = gtr_dumper_end(d, rc, rc == GTR_ERR_NOMEM ? "out of memory: reader"
                                        : rc == GTR_ERR_LIMIT ? "resource limit: reader"
                                                              : "invalid argument");
        gtr_dumper_free(d);
        close_dump(f, out, res);
        return;
    }
    close_dump(f, out, gtr_dump_reader(r, f));
    gtr_reader_free(r);
}

void fuzz_dump_free(fuzz_dump_t *d)
{
    free(d->text);
    d->text = NULL;
    d->len = 0;
}

/* ----------------------------------------------------------------- lines */

typedef struct line {
    const char *p;
    size_t n;
} line_t;

/* The line at *pos without its newline; advances *pos past it. False at
 * the end of the text. */
static bool next_line(const char *text, size_t len, size_t *pos, line_t *out)
{
    if (*pos >= len) {
        return false;
    }
    const char *nl = memchr(text + *pos, '\n', len - *pos);
    size_t end = nl != NULL ? (size_t)(nl - text) : len;
    out->p = text + *pos;
    out->n = end - *pos;
    *pos = end + 1;
    return true;
}

/* Line i (0-based); false past the end. */
static bool nth_line(const char *text, size_t len, size_t i, line_t *out)
{
    size_t pos = 0;
    while (next_line(text, len, &pos, out)) {
        if (i-- == 0) {
            return true;
        }
    }
    return false;
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 0, pos = 0;
    line_t l;
    while (next_line(text, len, &pos, &l)) {
        n++;
    }
    return n;
}

const char *fuzz_dump_final(const char *text, size_t len, size_t *line_len)
{
    line_t l = {"", 0}, cur;
    size_t pos = 0;
    while (next_line(text, len, &pos, &cur)) {
        l = cur;
    }
    *line_len = l.n;
    return l.p;
}

const char *fuzz_dump_verdict(const char *text, size_t len)
{
    size_t n;
    const char *p = fuzz_dump_final(text, len, &n);
    if (n == 2 && memcmp(p, "ok", 2) == 0) {
        return "ok";
    }
    static const char *const kinds[] = {"error", "panic", "declined"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t k = strlen(kinds[i]);
        if (n > k + 1 && memcmp(p, kinds[i], k) == 0 && p[k] == ':' && p[k + 1] == ' ') {
            return kinds[i];
        }
    }
    return "none";
}

static void print_side(FILE *f, const char *name, const char *t, size_t len, size_t line)
{
    size_t from = line >= 3 ? line - 3 : 0;
    size_t total = count_lines(t, len);
    size_t to = line + 3 < total ? line + 3 : total;
    fprintf(f, "--- %s (%s), lines %zu..%zu of %zu:\n", name, fuzz_dump_verdict(t, len),
            from + 1, to, total);
    line_t l;
    for (size_t i = from; i <= line + 2 && nth_line(t, len, i, &l); i++) {
        /* Long lines are cut: the start says which event it is. */
        int n = l.n > 300 ? 300 : (int)l.n;
        fprintf(f, "%c %.*s%s\n", i == line ? '>' : ' ', n, l.p, l.n > 300 ? "..." : "");
    }
}

void fuzz_dump_print_diff(FILE *f, const char *aname, const char *a, size_t alen,
                          const char *bname, const char *b, size_t blen, size_t line)
{
    fprintf(f, "first difference at line %zu ('>' marks it)\n", line);
    line = line > 0 ? line - 1 : 0;
    print_side(f, aname, a, alen, line);
    print_side(f, bname, b, blen, line);
}
