/* text_write.c: wire bytes to Go's raw text trace format.
 *
 * Reads the way Go's raw.Reader does and prints the way raw.TextWriter
 * does. The reader is permissive and has quirks that the output must keep:
 *
 *  1. The header is matched as fmt.Fscanf matches "go 1.%d trace\0\0\0":
 *     runs of Unicode spaces where the format has a space, optional spaces
 *     before the number, any decimal digits that fit a uint32.
 *  2. An event is a type byte below the size of the version's spec table
 *     (in go1.26 that includes the unnamed types between the base and the
 *     experimental events, which print as an empty line) and its varint
 *     arguments; a stack event adds int(nframes) frames of 4 varints, an
 *     event with data a varint length and that many bytes.
 *  3. Running out of input exactly where an argument, frame value, length
 *     or data byte should start ends the trace cleanly, dropping the
 *     partial event; running out inside a varint is "unexpected EOF".
 *  4. A count of 2^63 or more is negative as a Go int: no frames, no data.
 *     A data trailer of length zero prints no data line.
 *
 * Each event is checked to its end before it is printed, so the output of
 * a failing trace holds exactly the events before the failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "gotrace_spec.h"
#include "gotrace_text.h"
#include "internal.h"
#include "text_go.h"

#define DEFAULT_MAX_OUTPUT ((size_t)256 << 20)

static const char *const frame_fields[4] = {"pc", "func", "file", "line"};

/* ---------------------------------------------------------------- header */

/* Step 1, with the reader's own Fscanf-exact header scanner (header.c).
 * The raw format reads v1 headers too, which the reader declines; only
 * their events are invalid. Returns the header's length, or 0. */
static size_t read_header(const uint8_t *p, size_t n, uint32_t *v, char *msg, size_t cap)
{
    gtr_src_t src;
    gtr_err_t *e = malloc(sizeof *e); /* 16 KiB: too big for the stack */
    gtr_version_t ver = 0;
    if (e == NULL) {
        snprintf(msg, cap, "out of memory");
        return 0;
    }
    gtr_src_init_buffer(&src, p, n);
    int rc = gtr_read_header(&src, e, &ver);
    if (rc != GTR_OK && rc != GTR_ERR_DECLINED) {
        /* Cut to fit: the message is a sentence, its head is what counts. */
        size_t len = 0;
        while (len + 1 < cap && e->msg[len] != '\0') {
            len++;
        }
        memcpy(msg, e->msg, len);
        msg[len] = '\0';
        free(e);
        return 0;
    }
    free(e);
    *v = (uint32_t)ver;
    return src.pos;
}

/* ---------------------------------------------------------------- events */

typedef enum read_status {
    RD_OK,
    RD_END,      /* input ended where a value should start: a clean end */
    RD_TRUNC,    /* input ended inside a varint */
    RD_OVERFLOW  /* a varint longer than 64 bits */
} read_status_t;

/* One varint at *pos, read by the reader's stream decoder, which follows
 * binary.ReadUvarint (ten bytes that all continue are an overflow even
 * when nothing follows them, unlike the slice decoder). */
static read_status_t read_uvarint(const uint8_t *p, size_t n, size_t *pos, uint64_t *v)
{
    gtr_src_t src;
    gtr_src_init_buffer(&src, p, n);
    src.pos = *pos;
    switch (gtr_src_uvarint(&src, v)) {
    case GTR_SRC_OK:
        *pos = src.pos;
        return RD_OK;
    case GTR_SRC_EOF:
        return RD_END;
    case GTR_SRC_UNEXPECTED_EOF:
        return RD_TRUNC;
    default:
        return RD_OVERFLOW;
    }
}

/* The number of entries in Go's spec table for the version: types at or
 * past it are invalid. go1.26's table runs through the experimental
 * events, gaps included; v1 versions have no table. */
static unsigned spec_table_len(gtr_version_t v)
{
    if (gtr_spec(v, GTR_EV_MAX_BASE + 1) != NULL) {
        return GTR_EV_MAX_EXPERIMENTAL;
    }
    return gtr_spec_count(v);
}

typedef struct event_view {
    const gtr_event_spec_t *spec; /* NULL: an unnamed type without arguments */
    size_t args_at;               /* offset of the first argument */
    uint64_t nframes;             /* frames to print (0 unless a stack) */
    uint64_t data_len;            /* 0: no data line */
    size_t data_at;
    size_t end;                   /* offset just past the event */
} event_view_t;

static read_status_t skip_uvarints(const uint8_t *p, size_t n, size_t *pos, uint64_t count,
                                   uint64_t *last)
{
    for (uint64_t i = 0; i < count; i++) {
        read_status_t rs = read_uvarint(p, n, pos, last);
        if (rs != RD_OK) {
            return rs;
        }
    }
    return RD_OK;
}

/* Step 2 to 4: finds where the event at *pos ends, without printing. */
static read_status_t scan_event(const uint8_t *p, size_t n, size_t pos,
                                const gtr_event_spec_t *spec, event_view_t *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->spec = spec;
    ev->args_at = pos;
    if (spec == NULL) {
        ev->end = pos;
        return RD_OK;
    }
    uint64_t v = 0, nframes = 0;
    for (size_t i = 0; i < spec->nargs; i++) {
        read_status_t rs = read_uvarint(p, n, &pos, &v);
        if (rs != RD_OK) {
            return rs;
        }
        if (i == 1) {
            nframes = v;
        }
    }
    if (spec->is_stack && (int64_t)nframes > 0) {
        /* Each frame takes at least 4 bytes; a count the input cannot hold
         * still ends at the input's end, as Go's loop does. */
        uint64_t values = nframes > UINT64_MAX / 4 ? UINT64_MAX : nframes * 4;
        read_status_t rs = skip_uvarints(p, n, &pos, values, &v);
        if (rs != RD_OK) {
            return rs;
        }
        ev->nframes = nframes;
    }
    if (spec->has_data) {
        read_status_t rs = read_uvarint(p, n, &pos, &v);
        if (rs != RD_OK) {
            return rs;
        }
        if ((int64_t)v > 0) {
            if (v > n - pos) {
                return RD_END; /* Go reads byte by byte and meets EOF */
            }
            ev->data_len = v;
            ev->data_at = pos;
            pos += (size_t)v;
        }
    }
    ev->end = pos;
    return RD_OK;
}

/* Prints one scanned event as raw.Event.String does, then a newline. */
static void print_event(gtr_bytebuf_t *b, const uint8_t *p, size_t n, const event_view_t *ev)
{
    size_t pos = ev->args_at;
    uint64_t v = 0;
    if (ev->spec != NULL) {
        gtr_bb_str(b, ev->spec->name);
        for (size_t i = 0; i < ev->spec->nargs; i++) {
            read_uvarint(p, n, &pos, &v);
            gtr_bb_byte(b, ' ');
            gtr_bb_str(b, ev->spec->args[i]);
            gtr_bb_byte(b, '=');
            gtr_bb_dec(b, v);
        }
    }
    for (uint64_t f = 0; f < ev->nframes && b->err == GTR_BB_OK; f++) {
        for (size_t i = 0; i < 4; i++) {
            read_uvarint(p, n, &pos, &v);
            gtr_bb_str(b, i == 0 ? "\n\t" : " ");
            gtr_bb_str(b, frame_fields[i]);
            gtr_bb_byte(b, '=');
            gtr_bb_dec(b, v);
        }
    }
    if (ev->data_len > 0) {
        gtr_bb_str(b, "\n\tdata=");
        gtr_go_quote(b, p + ev->data_at, (size_t)ev->data_len);
    }
    gtr_bb_byte(b, '\n');
}

/* Step 2 to 4 for the whole body. Returns true at a clean end. */
static bool convert_events(gtr_bytebuf_t *b, const uint8_t *p, size_t n, size_t pos,
                           gtr_version_t v, char *msg, size_t cap)
{
    unsigned table_len = spec_table_len(v);
    while (pos < n && b->err == GTR_BB_OK) {
        uint8_t type = p[pos];
        if (type == 0 || type >= table_len) {
            snprintf(msg, cap, "invalid event type: %u", (unsigned)type);
            return false;
        }
        event_view_t ev;
        switch (scan_event(p, n, pos + 1, gtr_spec(v, type), &ev)) {
        case RD_OK:
            break;
        case RD_END:
            return true;
        case RD_TRUNC:
            snprintf(msg, cap, "unexpected EOF");
            return false;
        default:
            snprintf(msg, cap, "binary: varint overflows a 64-bit integer");
            return false;
        }
        print_event(b, p, n, &ev);
        pos = ev.end;
    }
    return true;
}

static gtr_text_status_t set_msg(gtr_text_result_t *res, gtr_text_status_t st)
{
    res->msg_len = strlen(res->msg);
    return st;
}

gtr_text_status_t gtr_wire_to_text(const uint8_t *data, size_t len,
                                   const gtr_text_options_t *opts, gtr_text_result_t *res)
{
    if (res == NULL) {
        return GTR_TEXT_ERR_ARG;
    }
    memset(res, 0, sizeof *res);
    if (data == NULL && len != 0) {
        return GTR_TEXT_ERR_ARG;
    }
    uint32_t v = 0;
    size_t hdr = read_header(data, len, &v, res->msg, sizeof res->msg);
    if (hdr == 0) {
        return set_msg(res, GTR_TEXT_ERR_SYNTAX);
    }
    gtr_bytebuf_t b;
    gtr_bb_init(&b, opts != NULL && opts->max_output != 0 ? opts->max_output
                                                          : DEFAULT_MAX_OUTPUT);
    gtr_bb_str(&b, "Trace Go1.");
    gtr_bb_dec(&b, v);
    gtr_bb_byte(&b, '\n');
    bool clean = convert_events(&b, data, len, hdr, (gtr_version_t)v, res->msg,
                                sizeof res->msg);
    if (b.err == GTR_BB_LIMIT) {
        snprintf(res->msg, sizeof res->msg, "output would exceed %zu bytes", b.max);
        gtr_bb_free(&b);
        return set_msg(res, GTR_TEXT_ERR_LIMIT);
    }
    if (b.err != GTR_BB_OK) {
        snprintf(res->msg, sizeof res->msg, "out of memory");
        gtr_bb_free(&b);
        return set_msg(res, GTR_TEXT_ERR_NOMEM);
    }
    res->out = gtr_bb_take(&b, &res->out_len);
    if (res->out == NULL) {
        snprintf(res->msg, sizeof res->msg, "out of memory");
        return set_msg(res, GTR_TEXT_ERR_NOMEM);
    }
    return set_msg(res, clean ? GTR_TEXT_OK : GTR_TEXT_ERR_SYNTAX);
}
