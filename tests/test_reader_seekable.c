/* test_reader_seekable.c: gtr_reader_open_seekable reads what
 * gtr_reader_open_buffer reads — same events, same final line and message,
 * on valid and broken traces — while holding far less memory; and the
 * buffer reader, too, leaves event batches where they are. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gotrace.h"
#include "gtg_gen.h"
#include "gtg_grammar.h"

/* An in-memory "file" read in small chunks (to cross the stream window
 * often) and by offset. */
typedef struct memfile {
    const uint8_t *data;
    size_t len, pos, chunk;
    size_t positional_reads;
    int fail_read_at; /* read_at returns -1 */
} memfile_t;

static long mem_read(void *user, uint8_t *buf, size_t cap)
{
    memfile_t *f = user;
    size_t n = f->len - f->pos;
    n = n < cap ? n : cap;
    n = n < f->chunk ? n : f->chunk;
    if (n > 0) {
        memcpy(buf, f->data + f->pos, n);
    }
    f->pos += n;
    return (long)n;
}

static long mem_read_at(void *user, uint64_t off, uint8_t *buf, size_t n)
{
    memfile_t *f = user;
    f->positional_reads++;
    if (f->fail_read_at || off > f->len || n > f->len - off) {
        return -1;
    }
    memcpy(buf, f->data + off, n);
    return (long)n;
}

/* Counting allocator: live and peak bytes. */
typedef struct counter {
    size_t live, peak;
} counter_t;

static void *count_malloc(void *user, size_t n)
{
    counter_t *c = user;
    size_t *p = malloc(n + 16);
    if (p == NULL) {
        return NULL;
    }
    p[0] = n;
    c->live += n;
    c->peak = c->live > c->peak ? c->live : c->peak;
    return (char *)p + 16;
}

static void count_free(void *user, void *ptr)
{
    if (ptr != NULL) {
        size_t *p = (size_t *)((char *)ptr - 16);
        ((counter_t *)user)->live -= p[0];
        free(p);
    }
}

static void *count_realloc(void *user, void *ptr, size_t n)
{
    void *q = count_malloc(user, n);
    if (q != NULL && ptr != NULL) {
        size_t old = ((size_t *)((char *)ptr - 16))[0];
        memcpy(q, ptr, old < n ? old : n);
        count_free(user, ptr);
    }
    return q;
}

static gtr_options_t counting_options(counter_t *c)
{
    gtr_options_t o = gtr_options_default();
    o.allocator = (gtr_allocator_t){count_malloc, count_realloc, count_free, c};
    return o;
}

/* The canonical dump of a reader, in memory; NUL-terminated. */
static char *dump_of(gtr_reader_t *r, int open_rc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_non_null(r); /* open failures here are only header errors */
    (void)open_rc;
    (void)gtr_dump_reader(r, f);
    assert_int_equal(fclose(f), 0);
    return text;
}

static char *dump_buffer(const uint8_t *data, size_t len)
{
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, data, len, NULL);
    char *text = dump_of(r, rc);
    gtr_reader_free(r);
    return text;
}

static char *dump_seekable(memfile_t *f, const gtr_options_t *opts)
{
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_seekable(&r, mem_read, mem_read_at, f, opts);
    char *text = dump_of(r, rc);
    gtr_reader_free(r);
    return text;
}

static uint64_t rnd(uint64_t *s)
{
    *s += 0x9e3779b97f4a7c15ull;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A generated trace of about max_events events, from a seed. */
static uint8_t *generated(uint64_t seed, uint64_t max_events, size_t *len)
{
    gtg_grammar_t *g = NULL;
    char err[256];
    assert_int_equal(gtg_grammar_default(&g, err, sizeof err), GTG_OK);
    uint8_t choices[4096];
    for (size_t i = 0; i < sizeof choices; i++) {
        choices[i] = (uint8_t)rnd(&seed);
    }
    uint8_t *wire = NULL;
    assert_int_equal(gtg_trace_from_bytes(g, choices, sizeof choices, max_events, &wire, len),
                     GTG_OK);
    gtg_grammar_free(g);
    return wire;
}

static void assert_same_dump(const uint8_t *data, size_t len, size_t chunk)
{
    char *want = dump_buffer(data, len);
    memfile_t f = {data, len, 0, chunk, 0, 0};
    char *got = dump_seekable(&f, NULL);
    if (strcmp(want, got) != 0) {
        fail_msg("seekable dump differs from the buffer dump (%zu bytes, chunk %zu)", len, chunk);
    }
    free(want);
    free(got);
}

static void test_seekable_dump_equals_buffer_dump_on_generated_traces(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        size_t len;
        uint8_t *wire = generated(seed, 400 + 300 * seed, &len);
        assert_same_dump(wire, len, 1 + (size_t)(seed * 977 % 70000));
        free(wire);
    }
}

static void test_seekable_dump_equals_buffer_dump_on_broken_traces(void **state)
{
    (void)state;
    uint64_t s = 7;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        size_t len;
        uint8_t *wire = generated(seed, 1500, &len);
        uint8_t *m = malloc(len);
        assert_non_null(m);
        for (int i = 0; i < 40; i++) {
            memcpy(m, wire, len);
            size_t n = len;
            switch (i % 3) {
            case 0: n = (size_t)(rnd(&s) % len); break;           /* truncated */
            case 1: m[rnd(&s) % len] ^= (uint8_t)(1u << (rnd(&s) % 8)); break;
            default: m[rnd(&s) % len] = (uint8_t)rnd(&s); break;
            }
            assert_same_dump(m, n, 1 + (size_t)(rnd(&s) % 5000));
        }
        free(m);
        free(wire);
    }
}

static void uvarint(uint8_t *b, size_t *n, uint64_t v)
{
    while (v >= 0x80) {
        b[(*n)++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b[(*n)++] = (uint8_t)v;
}

/* One go1.23 generation in which thread 1 wrote `batches` batches of
 * `size` bytes (ProcStatus events, after a frequency batch). */
static uint8_t *many_batches(size_t batches, size_t size, size_t *len)
{
    uint8_t *b = malloc(64 + batches * (size + 16));
    assert_non_null(b);
    size_t n = 0;
    memcpy(b, "go 1.23 trace\0\0\0", 16);
    n = 16;
    b[n++] = GTR_EV_EVENT_BATCH;
    uvarint(b, &n, 1);          /* generation */
    uvarint(b, &n, UINT64_MAX); /* no thread */
    uvarint(b, &n, 1);          /* time */
    uvarint(b, &n, 2);
    b[n++] = GTR_EV_FREQUENCY;
    b[n++] = 100;
    for (size_t i = 0; i < batches; i++) {
        b[n++] = GTR_EV_EVENT_BATCH;
        uvarint(b, &n, 1);
        uvarint(b, &n, 1);
        uvarint(b, &n, 10 + i);
        uvarint(b, &n, size);
        for (size_t k = 0; k < size; k += 4) { /* ProcStatus dt=1 p=0 status=running */
            b[n++] = GTR_EV_PROC_STATUS;
            b[n++] = 1;
            b[n++] = 0;
            b[n++] = 1;
        }
    }
    *len = n;
    return b;
}

/* The dump of a plain stream reader (4 KiB reads), its memory counted. */
static char *dump_stream_counted(const uint8_t *wire, size_t len, counter_t *count)
{
    gtr_options_t opts = counting_options(count);
    memfile_t f = {wire, len, 0, 4096, 0, 0};
    gtr_reader_t *r = NULL;
    (void)gtr_reader_open_stream(&r, mem_read, &f, &opts);
    char *text = dump_of(r, GTR_OK);
    gtr_reader_free(r);
    return text;
}

/* A reader that leaves the 200,000 bytes of many_batches(200, 1000) in
 * the input holds far less than the plain stream reader, which copies them. */
static void assert_far_less(const char *what, size_t peak, size_t stream_peak)
{
    if (!(stream_peak > 200000 && peak + 150000 < stream_peak)) {
        fail_msg("%s peak %zu bytes, stream peak %zu bytes", what, peak, stream_peak);
    }
}

static void test_seekable_reader_holds_one_batch_per_thread_not_the_generation(void **state)
{
    (void)state;
    size_t len;
    uint8_t *wire = many_batches(200, 1000, &len);
    counter_t whole = {0}, lazy = {0};
    gtr_options_t lazy_opts = counting_options(&lazy);
    memfile_t b = {wire, len, 0, 4096, 0, 0};
    char *want = dump_stream_counted(wire, len, &whole);
    char *got = dump_seekable(&b, &lazy_opts);
    assert_string_equal(got, want);
    assert_true(b.positional_reads > 0);
    assert_int_equal(whole.live, 0);
    assert_int_equal(lazy.live, 0);
    /* The seekable reader reads the batches again one at a time. */
    assert_far_less("seekable", lazy.peak, whole.peak);
    free(want);
    free(got);
    free(wire);
}

/* From a buffer, event batches are decoded where they lie: the reader
 * copies none of them, unlike the plain stream reader. */
static void test_buffer_reader_decodes_event_batches_in_place(void **state)
{
    (void)state;
    size_t len;
    uint8_t *wire = many_batches(200, 1000, &len);
    counter_t whole = {0}, in_place = {0};
    gtr_options_t buf_opts = counting_options(&in_place);
    char *want = dump_stream_counted(wire, len, &whole);
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, wire, len, &buf_opts);
    char *got = dump_of(r, rc);
    gtr_reader_free(r);
    assert_string_equal(got, want);
    assert_int_equal(in_place.live, 0);
    assert_far_less("buffer", in_place.peak, whole.peak);
    free(want);
    free(got);
    free(wire);
}

static void test_seekable_reader_reports_a_failed_positional_read(void **state)
{
    (void)state;
    size_t len;
    uint8_t *wire = generated(5, 800, &len);
    memfile_t f = {wire, len, 0, 1 << 16, 0, 1};
    gtr_reader_t *r = NULL;
    assert_int_equal(gtr_reader_open_seekable(&r, mem_read, mem_read_at, &f, NULL), GTR_OK);
    const gtr_event_t *ev;
    int rc;
    while ((rc = gtr_reader_next(r, &ev)) == GTR_OK) {
    }
    assert_int_equal(rc, GTR_ERR_IO);
    assert_non_null(strstr(gtr_reader_error(r), "read error"));
    gtr_reader_free(r);
    free(wire);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seekable_dump_equals_buffer_dump_on_generated_traces),
        cmocka_unit_test(test_seekable_dump_equals_buffer_dump_on_broken_traces),
        cmocka_unit_test(test_seekable_reader_holds_one_batch_per_thread_not_the_generation),
        cmocka_unit_test(test_buffer_reader_decodes_event_batches_in_place),
        cmocka_unit_test(test_seekable_reader_reports_a_failed_positional_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
