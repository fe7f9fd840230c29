/* dump.c: the canonical dump (docs/dump-format.md) of an ordered event
 * stream, byte for byte what the Go oracle prints for the same input.
 *
 * Each event becomes one line, preceded by the definitions of stacks it
 * uses for the first time. Stacks are numbered by content: two stacks with
 * the same frames share a number whatever generation or ID they came from;
 * within one generation a stack ID's number is remembered, so its frames
 * are looked at once. Lines are built in a buffer and written whole, with
 * numbers formatted by hand (printf's machinery was most of the cost). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bytebuf.h"
#include "internal.h"
#include "varint.h"

typedef struct stack_key {
    uint64_t hash;
    size_t off, len; /* key bytes in keys arena */
    size_t num;
    size_t next; /* next entry with the same hash bucket, +1; 0 = none */
} stack_key_t;

struct gtr_dumper {
    FILE *out;
    gtr_mem_t mem;
    uint8_t *line;
    size_t len, cap;
    bool oom;
    uint8_t *keys;
    size_t nkeys_bytes, keys_cap;
    stack_key_t *ents;
    size_t nents, ents_cap;
    gtr_hmap_t index; /* hash -> first entry + 1 */
    uint8_t *key;     /* scratch key */
    size_t key_len, key_cap;
    /* Stack ID -> number for the generation whose table is cached_table.
     * Emptied when an event's table is another: a generation's table
     * outlives its events and differs from the one before it (the reader
     * reads the next before it frees the last), and every generation
     * starts with a Sync, which forgets the table, so an entry never
     * outlives its table. */
    const void *cached_table;
    gtr_hmap_t cached;
};

/* ----------------------------------------------------------- line buffer */

/* The line buffer grown to hold n more bytes; false (and oom) if it cannot. */
static bool grow_line(gtr_dumper_t *d, size_t n)
{
    if (d->oom || gtr_mem_grow(&d->mem, (void **)&d->line, &d->cap, d->len + n, 1) != GTR_OK) {
        d->oom = true;
        return false;
    }
    return true;
}

/* Inline: most pieces are a few bytes and the buffer already has room. */
static inline void put(gtr_dumper_t *d, const void *p, size_t n)
{
    if (n > d->cap - d->len && !grow_line(d, n)) {
        return;
    }
    if (n != 0) {
        memcpy(d->line + d->len, p, n);
    }
    d->len += n;
}

static void puts_(gtr_dumper_t *d, const char *s) { put(d, s, strlen(s)); }

/* Room for n more bytes at the end of the line, or NULL (out of memory).
 * The caller adds what it wrote to d->len. */
static uint8_t *reserve(gtr_dumper_t *d, size_t n)
{
    if (n > d->cap - d->len && !grow_line(d, n)) {
        return NULL;
    }
    return d->line + d->len;
}

static void put_u64(gtr_dumper_t *d, uint64_t v)
{
    char b[GTR_DEC_MAX];
    size_t n = gtr_format_dec(b, v);
    put(d, b + sizeof b - n, n);
}

static void put_i64(gtr_dumper_t *d, int64_t v)
{
    if (v < 0) {
        put(d, "-", 1);
        put_u64(d, 0 - (uint64_t)v);
    } else {
        put_u64(d, (uint64_t)v);
    }
}

/* A label then a signed number: " T=" and the time, for one. */
static void put_field(gtr_dumper_t *d, const char *label, size_t n, int64_t v)
{
    put(d, label, n);
    put_i64(d, v);
}

static void putf(gtr_dumper_t *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(gtr_dumper_t *d, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) {
        put(d, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
    }
}

static const char hexd[] = "0123456789abcdef";

static void put_hex64(gtr_dumper_t *d, uint64_t v)
{
    char b[16];
    size_t i = sizeof b;
    do {
        b[--i] = hexd[v & 15];
        v >>= 4;
    } while (v != 0);
    put(d, b + i, sizeof b - i);
}

/* Printable ASCII is written as is, every other byte as \xHH, and so is
 * the quote when quote is set; the backslash always. */
static void put_escaped(gtr_dumper_t *d, const uint8_t *p, size_t n, bool quote)
{
    uint8_t *o = reserve(d, 4 * n); /* the most it can take */
    if (o == NULL) {
        return;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (b >= 0x20 && b <= 0x7e && b != '\\' && !(quote && b == '"')) {
            o[w++] = b;
        } else {
            o[w++] = '\\';
            o[w++] = 'x';
            o[w++] = (uint8_t)hexd[b >> 4];
            o[w++] = (uint8_t)hexd[b & 15];
        }
    }
    d->len += w;
}

static void put_quoted(gtr_dumper_t *d, gtr_str_t s)
{
    put(d, "\"", 1);
    put_escaped(d, s.ptr, s.len, true);
    put(d, "\"", 1);
}

/* Messages stay on one line; quotes are kept. */
static void put_message(gtr_dumper_t *d, const char *msg, size_t n)
{
    put_escaped(d, (const uint8_t *)msg, n, false);
}

static void put_hex(gtr_dumper_t *d, gtr_str_t s)
{
    if (s.len == 0) {
        put(d, "-", 1);
        return;
    }
    for (size_t i = 0; i < s.len; i++) {
        char h[2] = {hexd[s.ptr[i] >> 4], hexd[s.ptr[i] & 15]};
        put(d, h, 2);
    }
}

static void put_value(gtr_dumper_t *d, gtr_value_t v)
{
    if (v.kind == GTR_VALUE_UINT64) {
        put(d, "u:", 2);
        put_u64(d, v.u64);
    } else if (v.kind == GTR_VALUE_STRING) {
        put(d, "s:", 2);
        put_quoted(d, v.str);
    } else {
        puts_(d, "bad");
    }
}

static void put_resource(gtr_dumper_t *d, gtr_resource_t r)
{
    static const char *const names[] = {"None", "Goroutine", "Proc", "Thread"};
    if (r.kind == GTR_RESOURCE_NONE) {
        puts_(d, "None");
        return;
    }
    puts_(d, (unsigned)r.kind < 4 ? names[r.kind] : "Bad");
    put_field(d, "(", 1, r.id);
    put(d, ")", 1);
}

static int flush(gtr_dumper_t *d)
{
    if (d->oom) {
        d->len = 0;
        return 2;
    }
    size_t n = d->len;
    d->len = 0;
    return fwrite(d->line, 1, n, d->out) == n ? 0 : 2;
}

/* ---------------------------------------------------------------- stacks */

static void key_put(gtr_dumper_t *d, const void *p, size_t n)
{
    if (d->oom || n == 0) {
        return;
    }
    if (gtr_mem_grow(&d->mem, (void **)&d->key, &d->key_cap, d->key_len + n, 1) != GTR_OK) {
        d->oom = true;
        return;
    }
    memcpy(d->key + d->key_len, p, n);
    d->key_len += n;
}

static void key_uvarint(gtr_dumper_t *d, uint64_t v)
{
    uint8_t b[GTR_VARINT_MAX_LEN];
    size_t n = 0;
    while (v >= 0x80) {
        b[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (uint8_t)v;
    key_put(d, b, n);
}

static void build_key(gtr_dumper_t *d, gtr_stack_t s, size_t nframes)
{
    d->key_len = 0;
    key_uvarint(d, nframes);
    for (size_t i = 0; i < nframes; i++) {
        gtr_frame_t f;
        gtr_stack_frame(s, i, &f);
        key_uvarint(d, f.pc);
        key_uvarint(d, f.func.len);
        key_put(d, f.func.ptr, f.func.len);
        key_uvarint(d, f.file.len);
        key_put(d, f.file.ptr, f.file.len);
        key_uvarint(d, f.line);
    }
}

static uint64_t hash_key(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

/* The number of the stack in d->key, or 0 if it has none yet. */
static size_t find_key(gtr_dumper_t *d, uint64_t h)
{
    uint64_t first;
    if (!gtr_hmap_get(&d->index, h, &first)) {
        return 0;
    }
    for (size_t e = (size_t)first; e != 0; e = d->ents[e - 1].next) {
        const stack_key_t *k = &d->ents[e - 1];
        if (k->len == d->key_len && memcmp(d->keys + k->off, d->key, k->len) == 0) {
            return k->num;
        }
    }
    return 0;
}

static size_t add_key(gtr_dumper_t *d, uint64_t h)
{
    uint64_t first = 0;
    gtr_hmap_get(&d->index, h, &first);
    if (gtr_mem_grow(&d->mem, (void **)&d->keys, &d->keys_cap, d->nkeys_bytes + d->key_len + 1,
                     1) != GTR_OK ||
        gtr_mem_grow(&d->mem, (void **)&d->ents, &d->ents_cap, d->nents + 1, sizeof *d->ents) !=
            GTR_OK ||
        gtr_hmap_put(&d->index, &d->mem, h, d->nents + 1) != GTR_OK) {
        d->oom = true;
        return 0;
    }
    memcpy(d->keys + d->nkeys_bytes, d->key, d->key_len);
    d->ents[d->nents] = (stack_key_t){h, d->nkeys_bytes, d->key_len, d->nents + 1, (size_t)first};
    d->nkeys_bytes += d->key_len;
    return ++d->nents;
}

/* The number of the stack by its content, defining it if new. */
static size_t number_stack(gtr_dumper_t *d, gtr_stack_t s)
{
    size_t n = gtr_stack_nframes(s);
    build_key(d, s, n);
    uint64_t h = hash_key(d->key, d->key_len);
    size_t num = find_key(d, h);
    if (num != 0) {
        return num;
    }
    num = add_key(d, h);
    put(d, "stack ", 6);
    put_u64(d, num);
    put(d, " ", 1);
    put_u64(d, n);
    put(d, "\n", 1);
    for (size_t i = 0; i < n; i++) {
        gtr_frame_t f;
        gtr_stack_frame(s, i, &f);
        put(d, "\tframe 0x", 9);
        put_hex64(d, f.pc);
        put(d, " ", 1);
        put_quoted(d, f.func);
        put(d, " ", 1);
        put_quoted(d, f.file);
        put(d, " ", 1);
        put_u64(d, f.line);
        put(d, "\n", 1);
    }
    return num;
}

/* Returns the stack's number (0 for NoStack), defining it if new. */
static size_t stack_def(gtr_dumper_t *d, gtr_stack_t s)
{
    if (s.none) {
        return 0;
    }
    if (s.table != d->cached_table) {
        gtr_hmap_clear(&d->cached);
        d->cached_table = s.table;
    }
    uint64_t num;
    if (s.table != NULL && gtr_hmap_get(&d->cached, s.id, &num)) {
        return (size_t)num;
    }
    num = number_stack(d, s);
    if (s.table != NULL && num != 0 && gtr_hmap_put(&d->cached, &d->mem, s.id, num) != GTR_OK) {
        d->oom = true;
    }
    return (size_t)num;
}

/* ------------------------------------------------------------ event lines */

static void sync_fields(gtr_dumper_t *d, const gtr_sync_t *s)
{
    putf(d, " N=%" PRIu64, s->n);
    if (s->has_clock) {
        putf(d, " trace=%" PRId64 " wall=%" PRId64 ".%09" PRId32 " mono=%" PRIu64, s->clock_trace,
             s->wall_sec, s->wall_nsec, s->mono);
    }
}

static void exp_batches(gtr_dumper_t *d, const gtr_event_t *ev, const gtr_sync_t *s)
{
    for (size_t i = 0; i < s->nbatches; i++) {
        gtr_exp_batch_t b;
        if (!gtr_event_sync_batch(ev, i, &b)) {
            continue;
        }
        puts_(d, "\texpbatch ");
        put_quoted(d, b.experiment);
        putf(d, " M=%" PRId64 " ", b.thread);
        put_hex(d, b.data);
        put(d, "\n", 1);
    }
}

static void range_fields(gtr_dumper_t *d, const gtr_event_t *ev, gtr_kind_t k)
{
    gtr_range_t r;
    gtr_event_range(ev, &r);
    puts_(d, " name=");
    put_quoted(d, r.name);
    puts_(d, " scope=");
    put_resource(d, r.scope);
    if (k != GTR_KIND_RANGE_END) {
        return;
    }
    puts_(d, " attrs=[");
    for (size_t i = 0; i < r.nattrs; i++) {
        if (i > 0) {
            put(d, ",", 1);
        }
        put_quoted(d, r.attrs[i].name);
        put(d, "=", 1);
        put_value(d, r.attrs[i].value);
    }
    put(d, "]", 1);
}

static void transition_fields(gtr_dumper_t *d, const gtr_transition_t *t, size_t tstk)
{
    puts_(d, " res=");
    put_resource(d, t->resource);
    const char *from = "Bad", *to = "Bad";
    if (t->resource.kind == GTR_RESOURCE_GOROUTINE) {
        from = gtr_go_state_name(t->from);
        to = gtr_go_state_name(t->to);
    } else if (t->resource.kind == GTR_RESOURCE_PROC) {
        from = gtr_proc_state_name(t->from);
        to = gtr_proc_state_name(t->to);
    }
    put(d, " from=", 6);
    puts_(d, from);
    put(d, " to=", 4);
    puts_(d, to);
    put(d, " reason=", 8);
    put_quoted(d, t->reason);
    if (tstk != 0) {
        put(d, " tstk=", 6);
        put_u64(d, tstk);
    }
}

static void experimental_fields(gtr_dumper_t *d, const gtr_event_t *ev)
{
    gtr_experimental_t x;
    if (!gtr_event_experimental(ev, &x)) {
        return;
    }
    puts_(d, " name=");
    put(d, x.name.ptr, x.name.len);
    puts_(d, " exp=");
    put(d, x.experiment.ptr, x.experiment.len);
    puts_(d, " args=[");
    for (size_t i = 0; i < x.nargs; i++) {
        gtr_str_t name;
        gtr_value_t v;
        if (!gtr_event_experimental_arg(ev, i, &name, &v)) {
            break;
        }
        if (i > 0) {
            put(d, ",", 1);
        }
        put(d, name.ptr, name.len);
        put(d, "=", 1);
        put_value(d, v);
    }
    put(d, "]", 1);
}

static void annotation_fields(gtr_dumper_t *d, const gtr_event_t *ev, gtr_kind_t k)
{
    if (k == GTR_KIND_METRIC) {
        gtr_metric_t m;
        gtr_event_metric(ev, &m);
        puts_(d, " name=");
        put_quoted(d, m.name);
        puts_(d, " value=");
        put_value(d, m.value);
    } else if (k == GTR_KIND_LABEL) {
        gtr_label_t l;
        gtr_event_label(ev, &l);
        puts_(d, " label=");
        put_quoted(d, l.label);
        puts_(d, " res=");
        put_resource(d, l.resource);
    } else if (k == GTR_KIND_TASK_BEGIN || k == GTR_KIND_TASK_END) {
        gtr_task_t t;
        gtr_event_task(ev, &t);
        putf(d, " id=%" PRIu64 " parent=%" PRIu64 " type=", t.id, t.parent);
        put_quoted(d, t.type);
    } else if (k == GTR_KIND_REGION_BEGIN || k == GTR_KIND_REGION_END) {
        gtr_region_t r;
        gtr_event_region(ev, &r);
        putf(d, " task=%" PRIu64 " type=", r.task);
        put_quoted(d, r.type);
    } else if (k == GTR_KIND_LOG) {
        gtr_log_t l;
        gtr_event_log(ev, &l);
        putf(d, " task=%" PRIu64 " cat=", l.task);
        put_quoted(d, l.category);
        puts_(d, " msg=");
        put_quoted(d, l.message);
    }
}

int gtr_dumper_event(gtr_dumper_t *d, const gtr_event_t *ev)
{
    gtr_kind_t k = gtr_event_kind(ev);
    gtr_transition_t t;
    memset(&t, 0, sizeof t);
    t.stack.none = true;
    if (k == GTR_KIND_STATE_TRANSITION) {
        gtr_event_transition(ev, &t);
    }
    gtr_sync_t s;
    bool is_sync = gtr_event_sync(ev, &s);
    if (is_sync) {
        d->cached_table = NULL; /* a new generation: emptied at its first stack */
    }
    size_t stk = stack_def(d, gtr_event_stack(ev));
    size_t tstk = stack_def(d, t.stack);
    puts_(d, gtr_kind_name(k));
    put_field(d, " T=", 3, gtr_event_time(ev));
    put_field(d, " M=", 3, gtr_event_thread(ev));
    put_field(d, " P=", 3, gtr_event_proc(ev));
    put_field(d, " G=", 3, gtr_event_goroutine(ev));
    if (is_sync) {
        sync_fields(d, &s);
    } else if (k == GTR_KIND_RANGE_BEGIN || k == GTR_KIND_RANGE_ACTIVE ||
               k == GTR_KIND_RANGE_END) {
        range_fields(d, ev, k);
    } else if (k == GTR_KIND_STATE_TRANSITION) {
        transition_fields(d, &t, tstk);
    } else if (k == GTR_KIND_EXPERIMENTAL) {
        experimental_fields(d, ev);
    } else {
        annotation_fields(d, ev, k);
    }
    if (stk != 0) {
        put(d, " stk=", 5);
        put_u64(d, stk);
    }
    size_t choices = gtr_event_ctx_choices(ev);
    if (choices > 1) {
        /* Never printed by the oracle: see docs/dump-format.md. */
        putf(d, " ctx-choices=%zu", choices);
    }
    put(d, "\n", 1);
    if (is_sync) {
        exp_batches(d, ev, &s);
    }
    return flush(d);
}

/* --------------------------------------------------------------- the end */

static int end_line(gtr_dumper_t *d, int status, const char *msg, size_t n)
{
    int rc = 1;
    if (status == GTR_EOF || status == GTR_OK) {
        puts_(d, "ok");
        rc = 0;
    } else if (gtr_status_is_declined(status)) {
        puts_(d, "declined: ");
        put_message(d, msg, n);
    } else {
        puts_(d, "error: ");
        put_message(d, msg, n);
    }
    put(d, "\n", 1);
    if (flush(d) != 0 || fflush(d->out) != 0) {
        return 2;
    }
    return rc;
}

int gtr_dumper_end(gtr_dumper_t *d, int status, const char *message)
{
    if (message == NULL) {
        message = "";
    }
    return end_line(d, status, message, strlen(message));
}

gtr_dumper_t *gtr_dumper_new(FILE *out, const gtr_allocator_t *alloc)
{
    gtr_mem_t mem;
    gtr_mem_init(&mem, alloc, SIZE_MAX);
    gtr_dumper_t *d = gtr_mem_calloc(&mem, 1, sizeof *d);
    if (d == NULL) {
        return NULL;
    }
    d->mem = mem;
    d->out = out;
    return d;
}

void gtr_dumper_free(gtr_dumper_t *d)
{
    if (d == NULL) {
        return;
    }
    gtr_mem_free(&d->mem, d->line);
    gtr_mem_free(&d->mem, d->keys);
    gtr_mem_free(&d->mem, d->ents);
    gtr_mem_free(&d->mem, d->key);
    gtr_hmap_free(&d->index, &d->mem);
    gtr_hmap_free(&d->cached, &d->mem);
    gtr_mem_t mem = d->mem;
    gtr_mem_free(&mem, d);
}

int gtr_dump_reader(gtr_reader_t *r, FILE *out)
{
    gtr_dumper_t *d = gtr_dumper_new(out, r != NULL ? &r->opts.allocator : NULL);
    if (d == NULL) {
        return 2;
    }
    int rc = gtr_reader_status(r);
    const gtr_event_t *ev;
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        if (gtr_dumper_event(d, ev) != 0) {
            gtr_dumper_free(d);
            return 2;
        }
    }
    int res = end_line(d, rc, r != NULL ? r->err.msg : "argument error",
                       r != NULL ? r->err.len : strlen("argument error"));
    gtr_dumper_free(d);
    return res;
}

int gtr_dump_buffer(const uint8_t *data, size_t len, const gtr_options_t *opts, FILE *out)
{
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, data, len, opts);
    if (r == NULL) {
        gtr_dumper_t *d = gtr_dumper_new(out, NULL);
        if (d == NULL) {
            return 2;
        }
        int res = gtr_dumper_end(d, rc, rc == GTR_ERR_NOMEM ? "out of memory: reader"
                                          : rc == GTR_ERR_LIMIT ? "resource limit: reader"
                                                                : "invalid argument");
        gtr_dumper_free(d);
        return res;
    }
    int res = gtr_dump_reader(r, out);
    gtr_reader_free(r);
    return res;
}

int gtr_dump_quoted(FILE *out, const uint8_t *s, size_t len)
{
    gtr_dumper_t *d = gtr_dumper_new(out, NULL);
    if (d == NULL) {
        return 2;
    }
    gtr_str_t str = {s, len};
    put_quoted(d, str);
    int rc = flush(d);
    gtr_dumper_free(d);
    return rc;
}

int gtr_dump_message(FILE *out, const char *msg)
{
    gtr_dumper_t *d = gtr_dumper_new(out, NULL);
    if (d == NULL) {
        return 2;
    }
    put_message(d, msg, strlen(msg));
    int rc = flush(d);
    gtr_dumper_free(d);
    return rc;
}
