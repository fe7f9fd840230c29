/* test_check_util.h: helpers shared by the checker's tests (test_check_*.c):
 * hand-made event records and assertions on the violations they cause. */
#ifndef TEST_CHECK_UTIL_H
#define TEST_CHECK_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gtc_check.h"
#include "gtc_record.h"

static inline gtc_record_t rec_sync(int64_t t, uint64_t n)
{
    gtc_record_t r = gtc_record_empty(GTR_KIND_SYNC, t);
    r.sync.n = n;
    return r;
}

/* A go1.25 Sync with a clock snapshot. */
static inline gtc_record_t rec_sync_clock(int64_t t, uint64_t n, int64_t wall, uint64_t mono)
{
    gtc_record_t r = rec_sync(t, n);
    r.sync.has_clock = true;
    r.sync.clock_trace = t;
    r.sync.wall_sec = wall;
    r.sync.mono = mono;
    return r;
}

static inline gtc_record_t rec_on(gtr_kind_t k, int64_t t, int64_t m, int64_t p, int64_t g)
{
    gtc_record_t r = gtc_record_empty(k, t);
    r.thread = m;
    r.proc = p;
    r.goroutine = g;
    return r;
}

/* A goroutine transition of `id` by the event on (m, p, g). */
static inline gtc_record_t rec_go(int64_t t, int64_t m, int64_t p, int64_t g, unsigned wire, int64_t id,
                                  unsigned from, unsigned to)
{
    gtc_record_t r = rec_on(GTR_KIND_STATE_TRANSITION, t, m, p, g);
    r.wire_type = wire;
    r.transition.resource.kind = GTR_RESOURCE_GOROUTINE;
    r.transition.resource.id = id;
    r.transition.from = from;
    r.transition.to = to;
    return r;
}

static inline gtc_record_t rec_proc(int64_t t, int64_t m, unsigned wire, int64_t id, unsigned from,
                                    unsigned to)
{
    gtc_record_t r = rec_on(GTR_KIND_STATE_TRANSITION, t, m, GTR_NO_PROC, GTR_NO_GOROUTINE);
    r.wire_type = wire;
    r.transition.resource.kind = GTR_RESOURCE_PROC;
    r.transition.resource.id = id;
    r.transition.from = from;
    r.transition.to = to;
    return r;
}

static inline gtr_str_t str_of(const char *s)
{
    gtr_str_t r = {(const uint8_t *)s, strlen(s)};
    return r;
}

static inline gtr_frame_t frame_of(uint64_t pc, const char *fn, const char *file, uint64_t line)
{
    gtr_frame_t f = {pc, str_of(fn), str_of(file), line};
    return f;
}

/* A stack reference with the given frames (kept alive by the caller). */
static inline gtc_stackref_t stack_of(uint64_t id, const gtr_frame_t *frames, size_t n)
{
    gtc_stackref_t s;
    memset(&s, 0, sizeof s);
    s.id = id;
    s.table = (const void *)frames;
    s.frames = frames;
    s.nframes = n;
    return s;
}

static inline void feed(gtc_checker_t *c, gtc_record_t r)
{
    assert_int_equal(gtc_checker_record(c, &r), GTC_OK);
}

/* Violation i is of invariant `name` at event `index`, and its sentence
 * equals `sentence` (or, when `sentence` starts with '~', contains the
 * rest). */
static inline void expect_violation(const gtc_checker_t *c, size_t i, const char *name, uint64_t index,
                                    const char *sentence)
{
    const gtc_violation_t *v = gtc_checker_violation(c, i);
    if (v == NULL) {
        fail_msg("no violation %zu (have %zu)", i, gtc_checker_nviolations(c));
        return;
    }
    if (strcmp(v->name, name) != 0 || v->event_index != index) {
        fail_msg("violation %zu: got %s at %llu (%s), want %s at %llu", i, v->name,
                 (unsigned long long)v->event_index, v->sentence, name, (unsigned long long)index);
    }
    if (sentence[0] == '~') {
        if (strstr(v->sentence, sentence + 1) == NULL) {
            fail_msg("violation %zu sentence %s lacks %s", i, v->sentence, sentence + 1);
        }
    } else {
        assert_string_equal(v->sentence, sentence);
    }
}

static inline void expect_count(const gtc_checker_t *c, size_t n)
{
    if (gtc_checker_nviolations(c) != n) {
        for (size_t i = 0; i < gtc_checker_nviolations(c); i++) {
            const gtc_violation_t *v = gtc_checker_violation(c, i);
            fprintf(stderr, "  [%zu] %s @%llu: %s\n", i, v->name, (unsigned long long)v->event_index,
                    v->sentence);
        }
        fail_msg("got %zu violations, want %zu", gtc_checker_nviolations(c), n);
    }
}

#endif /* TEST_CHECK_UTIL_H */
