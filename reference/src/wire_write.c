/* wire_write.c: the wire format writer (see gotrace_writer.h).
 *
 * Two buffers: the trace itself, and the contents of the open batch, which
 * are held back until end_batch knows their size and can put the batch
 * header (whose last argument is that size) in front of them. */
#include "gotrace_writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytebuf.h"
#include "gotrace_spec.h"

#define DEFAULT_MAX_SIZE ((size_t)256 << 20)

struct gtr_writer {
    unsigned version;
    bool pad_batch_size;
    bool finished;
    bool in_batch;
    uint64_t batch_args[3]; /* gen, m, time of the open batch */
    gtr_bytebuf_t out;
    gtr_bytebuf_t batch;
    char msg[160];
};

__attribute__((format(printf, 3, 4))) static gtr_writer_status_t
fail(gtr_writer_t *w, gtr_writer_status_t st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
    return st;
}

/* Turns a buffer's sticky error into a status and message. */
static gtr_writer_status_t buf_status(gtr_writer_t *w, const gtr_bytebuf_t *b)
{
    switch (b->err) {
    case GTR_BB_OK:
        return GTR_WRITER_OK;
    case GTR_BB_LIMIT:
        return fail(w, GTR_WRITER_ERR_LIMIT, "trace would exceed %zu bytes", b->max);
    default:
        return fail(w, GTR_WRITER_ERR_NOMEM, "out of memory");
    }
}

/* Where events go: the open batch, else the trace. */
static gtr_bytebuf_t *sink(gtr_writer_t *w)
{
    return w->in_batch ? &w->batch : &w->out;
}

gtr_writer_status_t gtr_writer_new(gtr_writer_t **out, unsigned version,
                                   const gtr_writer_options_t *opts)
{
    if (out == NULL) {
        return GTR_WRITER_ERR_ARG;
    }
    *out = NULL;
    gtr_writer_t *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return GTR_WRITER_ERR_NOMEM;
    }
    size_t max = opts != NULL && opts->max_size != 0 ? opts->max_size : DEFAULT_MAX_SIZE;
    w->version = version;
    w->pad_batch_size = opts != NULL && opts->pad_batch_size;
    gtr_bb_init(&w->out, max);
    gtr_bb_init(&w->batch, max);
    if (opts == NULL || !opts->no_header) {
        char hdr[32];
        int n = snprintf(hdr, sizeof hdr, "go 1.%u trace", version);
        gtr_bb_put(&w->out, hdr, (size_t)n);
        gtr_bb_put(&w->out, "\0\0\0", 3);
    }
    gtr_writer_status_t st = buf_status(w, &w->out);
    if (st != GTR_WRITER_OK) {
        gtr_writer_free(w);
        return st;
    }
    *out = w;
    return GTR_WRITER_OK;
}

void gtr_writer_free(gtr_writer_t *w)
{
    if (w == NULL) {
        return;
    }
    gtr_bb_free(&w->out);
    gtr_bb_free(&w->batch);
    free(w);
}

const char *gtr_writer_error(const gtr_writer_t *w)
{
    return w != NULL ? w->msg : "";
}

/* The argument and data rules of one event against its spec. */
static gtr_writer_status_t check_event(gtr_writer_t *w, unsigned type, size_t nargs,
                                       const uint8_t *data, size_t data_len)
{
    const gtr_event_spec_t *spec = gtr_spec((gtr_version_t)w->version, type);
    if (spec == NULL) {
        return fail(w, GTR_WRITER_ERR_ARG, "event type %u does not exist in go 1.%u", type,
                    w->version);
    }
    bool count_ok = spec->is_stack ? nargs >= spec->nargs && (nargs - spec->nargs) % 4 == 0
                                   : nargs == spec->nargs;
    if (!count_ok) {
        return fail(w, GTR_WRITER_ERR_ARG, "wrong argument count %zu for event type %u", nargs,
                    type);
    }
    if (!spec->has_data && (data != NULL || data_len != 0)) {
        return fail(w, GTR_WRITER_ERR_ARG, "event type %u has no data trailer", type);
    }
    if (data == NULL && data_len != 0) {
        return fail(w, GTR_WRITER_ERR_ARG, "NULL data with length %zu", data_len);
    }
    return GTR_WRITER_OK;
}

/* Writers accept nothing after finish or a failed allocation. */
static gtr_writer_status_t check_open(gtr_writer_t *w)
{
    if (w->finished) {
        return fail(w, GTR_WRITER_ERR_STATE, "writer already finished");
    }
    gtr_writer_status_t st = buf_status(w, &w->out);
    return st != GTR_WRITER_OK ? st : buf_status(w, &w->batch);
}

gtr_writer_status_t gtr_writer_event(gtr_writer_t *w, unsigned type, const uint64_t *args,
                                     size_t nargs, const uint8_t *data, size_t data_len)
{
    if (w == NULL || (args == NULL && nargs != 0)) {
        return GTR_WRITER_ERR_ARG;
    }
    gtr_writer_status_t st = check_open(w);
    if (st == GTR_WRITER_OK) {
        st = check_event(w, type, nargs, data, data_len);
    }
    if (st != GTR_WRITER_OK) {
        return st;
    }
    const gtr_event_spec_t *spec = gtr_spec((gtr_version_t)w->version, type);
    gtr_bytebuf_t *b = sink(w);
    gtr_bb_byte(b, (uint8_t)type);
    for (size_t i = 0; i < nargs; i++) {
        gtr_bb_uvarint(b, args[i]);
    }
    if (spec->has_data) {
        gtr_bb_uvarint(b, data_len);
        gtr_bb_put(b, data, data_len);
    }
    return buf_status(w, b);
}

gtr_writer_status_t gtr_writer_string(gtr_writer_t *w, uint64_t id, const uint8_t *s,
                                      size_t len)
{
    return gtr_writer_event(w, GTR_EV_STRING, &id, 1, s, len);
}

gtr_writer_status_t gtr_writer_stack(gtr_writer_t *w, uint64_t id,
                                     const gtr_wire_frame_t *frames, size_t nframes)
{
    if (w == NULL || (frames == NULL && nframes != 0)) {
        return GTR_WRITER_ERR_ARG;
    }
    if (nframes > (SIZE_MAX - 2) / 4 / sizeof(uint64_t)) {
        return fail(w, GTR_WRITER_ERR_LIMIT, "too many frames (%zu)", nframes);
    }
    uint64_t *args = malloc((2 + 4 * nframes) * sizeof *args);
    if (args == NULL) {
        return fail(w, GTR_WRITER_ERR_NOMEM, "out of memory");
    }
    args[0] = id;
    args[1] = nframes;
    for (size_t i = 0; i < nframes; i++) {
        args[2 + 4 * i] = frames[i].pc;
        args[3 + 4 * i] = frames[i].func;
        args[4 + 4 * i] = frames[i].file;
        args[5 + 4 * i] = frames[i].line;
    }
    gtr_writer_status_t st = gtr_writer_event(w, GTR_EV_STACK, args, 2 + 4 * nframes, NULL, 0);
    free(args);
    return st;
}

gtr_writer_status_t gtr_writer_begin_batch(gtr_writer_t *w, uint64_t gen, uint64_t m,
                                           uint64_t time)
{
    if (w == NULL) {
        return GTR_WRITER_ERR_ARG;
    }
    gtr_writer_status_t st = check_open(w);
    if (st != GTR_WRITER_OK) {
        return st;
    }
    if (w->in_batch) {
        return fail(w, GTR_WRITER_ERR_STATE, "a batch is already open");
    }
    w->in_batch = true;
    w->batch.len = 0;
    w->batch_args[0] = gen;
    w->batch_args[1] = m;
    w->batch_args[2] = time;
    return GTR_WRITER_OK;
}

/* The runtime reserves the size field before it knows the size, as a
 * varint padded with continuation bits to the full 10 bytes. */
static void put_padded_uvarint(gtr_bytebuf_t *b, uint64_t v)
{
    uint8_t tmp[GTR_VARINT_MAX_LEN];
    for (size_t i = 0; i < GTR_VARINT_MAX_LEN - 1; i++) {
        tmp[i] = (uint8_t)(0x80 | (v & 0x7f));
        v >>= 7;
    }
    tmp[GTR_VARINT_MAX_LEN - 1] = (uint8_t)v;
    gtr_bb_put(b, tmp, sizeof tmp);
}

gtr_writer_status_t gtr_writer_end_batch(gtr_writer_t *w)
{
    if (w == NULL) {
        return GTR_WRITER_ERR_ARG;
    }
    gtr_writer_status_t st = check_open(w);
    if (st != GTR_WRITER_OK) {
        return st;
    }
    if (!w->in_batch) {
        return fail(w, GTR_WRITER_ERR_STATE, "no batch is open");
    }
    w->in_batch = false;
    gtr_bb_byte(&w->out, GTR_EV_EVENT_BATCH);
    for (size_t i = 0; i < 3; i++) {
        gtr_bb_uvarint(&w->out, w->batch_args[i]);
    }
    if (w->pad_batch_size) {
        put_padded_uvarint(&w->out, w->batch.len);
    } else {
        gtr_bb_uvarint(&w->out, w->batch.len);
    }
    gtr_bb_put(&w->out, w->batch.data, w->batch.len);
    w->batch.len = 0;
    return buf_status(w, &w->out);
}

bool gtr_writer_in_batch(const gtr_writer_t *w)
{
    return w != NULL && w->in_batch;
}

gtr_writer_status_t gtr_writer_raw(gtr_writer_t *w, const uint8_t *bytes, size_t len)
{
    if (w == NULL || (bytes == NULL && len != 0)) {
        return GTR_WRITER_ERR_ARG;
    }
    gtr_writer_status_t st = check_open(w);
    if (st != GTR_WRITER_OK) {
        return st;
    }
    gtr_bb_put(sink(w), bytes, len);
    return buf_status(w, sink(w));
}

size_t gtr_writer_size(const gtr_writer_t *w)
{
    if (w == NULL) {
        return 0;
    }
    return w->out.len + (w->in_batch ? w->batch.len : 0);
}

gtr_writer_status_t gtr_writer_finish(gtr_writer_t *w, uint8_t **out, size_t *out_len)
{
    if (w == NULL || out == NULL || out_len == NULL) {
        return GTR_WRITER_ERR_ARG;
    }
    *out = NULL;
    *out_len = 0;
    gtr_writer_status_t st = check_open(w);
    if (st != GTR_WRITER_OK) {
        return st;
    }
    if (w->in_batch) {
        return fail(w, GTR_WRITER_ERR_STATE, "a batch is still open");
    }
    *out = gtr_bb_take(&w->out, out_len);
    if (*out == NULL) {
        return fail(w, GTR_WRITER_ERR_NOMEM, "out of memory");
    }
    w->finished = true;
    return GTR_WRITER_OK;
}

void gtr_writer_buf_free(uint8_t *buf)
{
    free(buf);
}
