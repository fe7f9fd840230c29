/* trace.c: the structured trace (items plus a data pool) and its two
 * serialisations, wire bytes through the reference wire writer and Go's
 * text format.
 *
 * Items stay structured until the very end so that mutations can name
 * what they break ("dropped the GoStart of g 7") instead of flipping bytes
 * blindly; the wire writer of libgotrace is the only code that lays down
 * bytes, except for events a version does not define, which the writer
 * rightly refuses and which a mutation may still want on purpose. */
#include "gtg_trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotrace_writer.h"
#include "varint.h"

struct gtg_trace {
    unsigned version;
    gtg_item_t *items;
    size_t n, cap;
    uint8_t *bytes; /* string data */
    size_t nbytes, capbytes;
    uint64_t *vals; /* stack frames */
    size_t nvals, capvals;
};

/* Grows an array to hold `need` elements of `size` bytes. */
static gtg_err_t grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) {
        return GTG_OK;
    }
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need) {
        ncap *= 2;
    }
    void *np = realloc(*p, ncap * size);
    if (np == NULL) {
        return GTG_ERR_NOMEM;
    }
    *p = np;
    *cap = ncap;
    return GTG_OK;
}

gtg_err_t gtg_trace_new(gtg_trace_t **out, gtr_version_t version)
{
    gtg_trace_t *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return GTG_ERR_NOMEM;
    }
    t->version = (unsigned)version;
    *out = t;
    return GTG_OK;
}

void gtg_trace_free(gtg_trace_t *t)
{
    if (t == NULL) {
        return;
    }
    free(t->items);
    free(t->bytes);
    free(t->vals);
    free(t);
}

gtr_version_t gtg_trace_version(const gtg_trace_t *t) { return (gtr_version_t)t->version; }
void gtg_trace_set_version(gtg_trace_t *t, unsigned version) { t->version = version; }
size_t gtg_trace_count(const gtg_trace_t *t) { return t->n; }
const gtg_item_t *gtg_trace_item(const gtg_trace_t *t, size_t i) { return &t->items[i]; }
gtg_item_t *gtg_trace_item_mut(gtg_trace_t *t, size_t i) { return &t->items[i]; }

static gtg_err_t push(gtg_trace_t *t, const gtg_item_t *it)
{
    gtg_err_t err = grow((void **)&t->items, &t->cap, t->n + 1, sizeof *t->items);
    if (err != GTG_OK) {
        return err;
    }
    t->items[t->n++] = *it;
    return GTG_OK;
}

gtg_err_t gtg_trace_batch(gtg_trace_t *t, uint16_t gen_index, uint64_t gen, uint64_t m,
                          uint64_t time)
{
    gtg_item_t it = {.kind = GTG_ITEM_BATCH, .gen_index = gen_index, .ts = time, .nargs = 2,
                     .args = {gen, m}};
    return push(t, &it);
}

/* The generation index of the last batch, so events inherit it. */
static uint16_t current_gen_index(const gtg_trace_t *t)
{
    return t->n ? t->items[t->n - 1].gen_index : 0;
}

gtg_err_t gtg_trace_event(gtg_trace_t *t, uint8_t type, uint64_t ts, const uint64_t *args,
                          size_t nargs)
{
    if (nargs > GTR_SPEC_MAX_ARGS) {
        return GTG_ERR_ARG;
    }
    gtg_item_t it = {.kind = GTG_ITEM_EVENT, .type = type, .ts = ts, .nargs = (uint8_t)nargs,
                     .gen_index = current_gen_index(t)};
    if (nargs) {
        memcpy(it.args, args, nargs * sizeof *args);
    }
    return push(t, &it);
}

gtg_err_t gtg_trace_string(gtg_trace_t *t, uint64_t id, const char *s, size_t len)
{
    gtg_err_t err = grow((void **)&t->bytes, &t->capbytes, t->nbytes + len + 1, 1);
    if (err != GTG_OK) {
        return err;
    }
    gtg_item_t it = {.kind = GTG_ITEM_EVENT, .type = GTR_EV_STRING, .nargs = 1, .args = {id},
                     .data_off = (uint32_t)t->nbytes, .data_len = (uint32_t)len,
                     .gen_index = current_gen_index(t)};
    if (len) {
        memcpy(t->bytes + t->nbytes, s, len);
    }
    t->nbytes += len;
    return push(t, &it);
}

gtg_err_t gtg_trace_stack(gtg_trace_t *t, uint64_t id, const uint64_t *frames, size_t nframes)
{
    size_t nv = nframes * 4;
    gtg_err_t err = grow((void **)&t->vals, &t->capvals, t->nvals + nv + 1, sizeof *t->vals);
    if (err != GTG_OK) {
        return err;
    }
    gtg_item_t it = {.kind = GTG_ITEM_EVENT, .type = GTR_EV_STACK, .nargs = 2,
                     .args = {id, nframes}, .data_off = (uint32_t)t->nvals,
                     .data_len = (uint32_t)nv, .gen_index = current_gen_index(t)};
    if (nv) {
        memcpy(t->vals + t->nvals, frames, nv * sizeof *frames);
    }
    t->nvals += nv;
    return push(t, &it);
}

gtg_err_t gtg_trace_end_gen(gtg_trace_t *t, uint16_t gen_index)
{
    gtg_item_t it = {.kind = GTG_ITEM_END_GEN, .type = GTR_EV_END_OF_GENERATION,
                     .gen_index = gen_index};
    return push(t, &it);
}

gtg_err_t gtg_trace_insert_copy(gtg_trace_t *t, size_t at, size_t src)
{
    if (at > t->n || src >= t->n) {
        return GTG_ERR_ARG;
    }
    gtg_err_t err = grow((void **)&t->items, &t->cap, t->n + 1, sizeof *t->items);
    if (err != GTG_OK) {
        return err;
    }
    gtg_item_t copy = t->items[src];
    memmove(&t->items[at + 1], &t->items[at], (t->n - at) * sizeof *t->items);
    t->items[at] = copy;
    t->n++;
    return GTG_OK;
}

void gtg_trace_remove(gtg_trace_t *t, size_t at)
{
    if (at >= t->n) {
        return;
    }
    memmove(&t->items[at], &t->items[at + 1], (t->n - at - 1) * sizeof *t->items);
    t->n--;
}

void gtg_trace_swap(gtg_trace_t *t, size_t a, size_t b)
{
    if (a >= t->n || b >= t->n) {
        return;
    }
    gtg_item_t tmp = t->items[a];
    t->items[a] = t->items[b];
    t->items[b] = tmp;
}

void gtg_trace_truncate(gtg_trace_t *t, size_t n)
{
    if (n < t->n) {
        t->n = n;
    }
}

uint64_t *gtg_trace_frames(gtg_trace_t *t, const gtg_item_t *it)
{
    return it->type == GTR_EV_STACK ? t->vals + it->data_off : NULL;
}

/* The full argument list of an event as the wire has it: the time delta
 * first for timed events. `prev` is the batch's running timestamp. */
static size_t wire_args(const gtg_item_t *it, uint64_t *prev, uint64_t *args)
{
    const gtr_event_spec_t *spec = gtr_spec_any(it->type);
    size_t n = 0;
    if (spec != NULL && spec->is_timed) {
        /* A mutation may have moved an event before its predecessor; a
         * delta cannot be negative, so it becomes zero. */
        args[n++] = it->ts >= *prev ? it->ts - *prev : 0;
        if (it->ts > *prev) {
            *prev = it->ts;
        }
    }
    for (size_t i = 0; i < it->nargs && n < GTR_SPEC_MAX_ARGS; i++) {
        args[n++] = it->args[i];
    }
    return n;
}

/* Events a version does not define go down as raw bytes: the writer
 * refuses them, and a mutation that wants them means it. */
static gtr_writer_status_t write_raw_event(gtr_writer_t *w, const gtg_item_t *it,
                                           const uint64_t *args, size_t n)
{
    uint8_t buf[1 + GTR_SPEC_MAX_ARGS * GTR_VARINT_MAX_LEN];
    size_t len = 0;
    buf[len++] = it->type;
    for (size_t i = 0; i < n; i++) {
        len += gtr_put_uvarint(buf + len, args[i]);
    }
    return gtr_writer_raw(w, buf, len);
}

static gtr_writer_status_t write_item(const gtg_trace_t *t, gtr_writer_t *w,
                                      const gtg_item_t *it, uint64_t *prev)
{
    switch (it->kind) {
    case GTG_ITEM_BATCH: {
        gtr_writer_status_t st = GTR_WRITER_OK;
        if (gtr_writer_in_batch(w)) {
            st = gtr_writer_end_batch(w);
        }
        *prev = it->ts;
        return st != GTR_WRITER_OK ? st : gtr_writer_begin_batch(w, it->args[0], it->args[1], it->ts);
    }
    case GTG_ITEM_END_GEN: {
        gtr_writer_status_t st = GTR_WRITER_OK;
        if (gtr_writer_in_batch(w)) {
            st = gtr_writer_end_batch(w);
        }
        uint8_t b = GTR_EV_END_OF_GENERATION;
        return st != GTR_WRITER_OK ? st : gtr_writer_raw(w, &b, 1);
    }
    case GTG_ITEM_EVENT:
        break;
    }
    if (it->type == GTR_EV_STRING) {
        return gtr_writer_string(w, it->args[0], t->bytes + it->data_off, it->data_len);
    }
    if (it->type == GTR_EV_STACK) {
        /* Frames are stored as 4 values each, the layout of the wire. */
        gtr_wire_frame_t fr[GTR_MAX_FRAMES_PER_STACK];
        size_t nf = it->data_len / 4;
        nf = nf < GTR_MAX_FRAMES_PER_STACK ? nf : GTR_MAX_FRAMES_PER_STACK;
        const uint64_t *v = t->vals + it->data_off;
        for (size_t i = 0; i < nf; i++) {
            fr[i] = (gtr_wire_frame_t){v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]};
        }
        return gtr_writer_stack(w, it->args[0], fr, nf);
    }
    uint64_t args[GTR_SPEC_MAX_ARGS];
    size_t n = wire_args(it, prev, args);
    if (gtr_spec(gtg_trace_version(t), it->type) == NULL ||
        gtr_spec(gtg_trace_version(t), it->type)->nargs != n) {
        return write_raw_event(w, it, args, n);
    }
    return gtr_writer_event(w, it->type, args, n, NULL, 0);
}

gtg_err_t gtg_trace_to_wire(const gtg_trace_t *t, size_t cut, uint8_t **out, size_t *len)
{
    gtr_writer_t *w = NULL;
    if (gtr_writer_new(&w, t->version, NULL) != GTR_WRITER_OK) {
        return GTG_ERR_NOMEM;
    }
    uint64_t prev = 0;
    gtr_writer_status_t st = GTR_WRITER_OK;
    for (size_t i = 0; i < t->n && st == GTR_WRITER_OK; i++) {
        st = write_item(t, w, &t->items[i], &prev);
    }
    if (st == GTR_WRITER_OK && gtr_writer_in_batch(w)) {
        st = gtr_writer_end_batch(w);
    }
    uint8_t *bytes = NULL;
    size_t n = 0;
    if (st == GTR_WRITER_OK) {
        st = gtr_writer_finish(w, &bytes, &n);
    }
    gtr_writer_free(w);
    if (st != GTR_WRITER_OK) {
        return st == GTR_WRITER_ERR_NOMEM ? GTG_ERR_NOMEM : GTG_ERR_WRITE;
    }
    /* Hand over a plain malloc'd buffer so callers free() it. */
    size_t keep = cut < n ? n - cut : 0;
    uint8_t *copy = malloc(keep ? keep : 1);
    if (copy == NULL) {
        gtr_writer_buf_free(bytes);
        return GTG_ERR_NOMEM;
    }
    memcpy(copy, bytes, keep);
    gtr_writer_buf_free(bytes);
    *out = copy;
    *len = keep;
    return GTG_OK;
}
