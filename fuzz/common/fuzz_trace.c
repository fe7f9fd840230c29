/* fuzz_trace.c: the reader-side helpers of the fuzz targets (fuzz_trace.h). */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_trace.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_helpers.h"

/* ------------------------------------------------------------ allocator */

/* Each block remembers its size so frees keep `live` exact. */
#define HDR 16u

static void *count_malloc(void *user, size_t n)
{
    fuzz_alloc_t *a = user;
    uint8_t *p = n <= SIZE_MAX - HDR ? malloc(n + HDR) : NULL;
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &n, sizeof n);
    a->live += n;
    a->peak = a->live > a->peak ? a->live : a->peak;
    a->calls++;
    return p + HDR;
}

static void count_free(void *user, void *ptr)
{
    fuzz_alloc_t *a = user;
    if (ptr == NULL) {
        return;
    }
    size_t n;
    memcpy(&n, (uint8_t *)ptr - HDR, sizeof n);
    FUZZ_ASSERT_MSG(n <= a->live, "freeing %zu bytes with %zu live", n, a->live);
    a->live -= n;
    free((uint8_t *)ptr - HDR);
}

/* No realloc_fn: the reader then copies, which keeps this hook simple and
 * exercises that path of the library too. */
gtr_allocator_t fuzz_alloc_hook(fuzz_alloc_t *a)
{
    memset(a, 0, sizeof *a);
    gtr_allocator_t h = {count_malloc, NULL, count_free, a};
    return h;
}

gtr_options_t fuzz_tight_options(fuzz_alloc_t *a)
{
    gtr_options_t o = gtr_options_default();
    o.max_table_entries = FUZZ_MAX_TABLE_ENTRIES;
    o.max_total_memory = FUZZ_MAX_MEMORY;
    o.allocator = fuzz_alloc_hook(a);
    return o;
}

/* --------------------------------------------------------------- events */

/* Reading the ends of a view is enough for ASan to catch a dangling or
 * short one; the volatile sink keeps the reads. */
static volatile uint8_t sink;

static void touch_str(gtr_str_t s)
{
    FUZZ_ASSERT_MSG(s.len == 0 || s.ptr != NULL, "string of %zu bytes at NULL", s.len);
    if (s.len > 0) {
        sink ^= s.ptr[0] ^ s.ptr[s.len - 1];
    }
}

static void touch_value(gtr_value_t v)
{
    if (v.kind == GTR_VALUE_STRING) {
        touch_str(v.str);
    }
}

static void touch_stack(gtr_stack_t s)
{
    size_t n = gtr_stack_nframes(s);
    FUZZ_ASSERT_MSG(!s.none || n == 0, "NoStack with %zu frames", n);
    gtr_frame_t f;
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT_MSG(gtr_stack_frame(s, i, &f), "frame %zu of %zu missing", i, n);
        touch_str(f.func);
        touch_str(f.file);
    }
    FUZZ_ASSERT_MSG(!gtr_stack_frame(s, n, &f), "frame %zu of %zu exists", n, n);
}

/* Every kind-specific accessor is called on every event: the one of the
 * event's kind must succeed, all others must fail and zero their output
 * (empty strings and counts, which the touches below read harmlessly). */
static void touch_details(const gtr_event_t *ev, gtr_kind_t k)
{
    gtr_metric_t m;
    gtr_label_t l;
    gtr_range_t r;
    gtr_task_t t;
    gtr_region_t g;
    gtr_log_t lg;
    gtr_transition_t tr;
    gtr_sync_t sy;
    gtr_experimental_t ex;
    bool ranged = k == GTR_KIND_RANGE_BEGIN || k == GTR_KIND_RANGE_ACTIVE ||
                  k == GTR_KIND_RANGE_END;
    bool tasked = k == GTR_KIND_TASK_BEGIN || k == GTR_KIND_TASK_END;
    bool region = k == GTR_KIND_REGION_BEGIN || k == GTR_KIND_REGION_END;
    const char *kn = gtr_kind_name(k);

    FUZZ_ASSERT_MSG(gtr_event_metric(ev, &m) == (k == GTR_KIND_METRIC), "metric on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_label(ev, &l) == (k == GTR_KIND_LABEL), "label on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_range(ev, &r) == ranged, "range on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_task(ev, &t) == tasked, "task on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_region(ev, &g) == region, "region on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_log(ev, &lg) == (k == GTR_KIND_LOG), "log on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_transition(ev, &tr) == (k == GTR_KIND_STATE_TRANSITION),
                    "transition on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_sync(ev, &sy) == (k == GTR_KIND_SYNC), "sync on %s", kn);
    FUZZ_ASSERT_MSG(gtr_event_experimental(ev, &ex) == (k == GTR_KIND_EXPERIMENTAL),
                    "experimental on %s", kn);

    touch_str(m.name);
    touch_value(m.value);
    touch_str(l.label);
    touch_str(r.name);
    FUZZ_ASSERT_MSG(r.nattrs <= GTR_MAX_RANGE_ATTRS, "%zu range attributes", r.nattrs);
    for (size_t i = 0; i < r.nattrs; i++) {
        touch_str(r.attrs[i].name);
        touch_value(r.attrs[i].value);
    }
    touch_str(t.type);
    touch_str(g.type);
    touch_str(lg.category);
    touch_str(lg.message);
    touch_str(tr.reason);
    if (k == GTR_KIND_STATE_TRANSITION) { /* a zeroed handle is not a stack */
        touch_stack(tr.stack);
    }
    (void)gtr_go_state_name(tr.from);
    (void)gtr_proc_state_name(tr.to);

    gtr_exp_batch_t b;
    for (size_t i = 0; i < sy.nbatches; i++) {
        FUZZ_ASSERT_MSG(gtr_event_sync_batch(ev, i, &b), "batch %zu missing", i);
        touch_str(b.experiment);
        touch_str(b.data);
    }
    FUZZ_ASSERT(!gtr_event_sync_batch(ev, sy.nbatches, &b));

    touch_str(ex.name);
    touch_str(ex.experiment);
    gtr_str_t an;
    gtr_value_t av;
    for (size_t i = 0; i < ex.nargs; i++) {
        FUZZ_ASSERT_MSG(gtr_event_experimental_arg(ev, i, &an, &av), "arg %zu missing", i);
        touch_str(an);
        touch_value(av);
    }
    FUZZ_ASSERT(!gtr_event_experimental_arg(ev, ex.nargs, &an, &av));
}

void fuzz_touch_event(const gtr_event_t *ev)
{
    gtr_kind_t k = gtr_event_kind(ev);
    FUZZ_ASSERT_MSG(k > GTR_KIND_BAD && k < GTR_KIND_COUNT, "event kind %d", (int)k);
    FUZZ_ASSERT(gtr_kind_name(k) != NULL);
    sink ^= (uint8_t)(gtr_event_time(ev) ^ gtr_event_goroutine(ev) ^ gtr_event_proc(ev) ^
                      gtr_event_thread(ev) ^ gtr_event_wire_type(ev));
    touch_stack(gtr_event_stack(ev));
    touch_details(ev, k);
}

int fuzz_read_touch(const uint8_t *data, size_t len)
{
    fuzz_alloc_t mem;
    gtr_options_t opts = fuzz_tight_options(&mem);
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, data, len, &opts);
    if (r != NULL) {
        const gtr_event_t *ev;
        while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
            fuzz_touch_event(ev);
        }
        FUZZ_ASSERT_MSG(rc != GTR_ERR_INTERNAL, "internal error: %s", gtr_reader_error(r));
        FUZZ_ASSERT(gtr_reader_peak_memory(r) <= FUZZ_MAX_MEMORY);
        gtr_reader_free(r);
    }
    FUZZ_ASSERT_MSG(mem.peak <= FUZZ_MAX_MEMORY, "peak %zu > limit", mem.peak);
    FUZZ_ASSERT_MSG(mem.live == 0, "reader leaked %zu bytes", mem.live);
    return rc;
}
