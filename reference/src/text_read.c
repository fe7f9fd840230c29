/* text_read.c: Go's raw text trace format to wire bytes.
 *
 * Reads the way Go's raw.TextReader does and writes the way raw.Writer
 * does, so that the result, and the message when the input is rejected,
 * match Go's converter. The steps per event:
 *
 *  1. Take the next line that has a token (blank lines and lines starting
 *     with '#' are skipped). Lines are cut at '\n', lose one trailing '\r',
 *     and may hold at most 65535 bytes, the most Go's line scanner buffers.
 *  2. The first token names the event; it must exist in the header's
 *     version.
 *  3. The spec's arguments follow as name=value, in order, nothing after.
 *  4. A stack event is followed by one line per frame (pc func file line).
 *  5. An event with a data trailer is followed by a line data="...", a Go
 *     string literal.
 *  6. The event goes to the wire writer at once, so that a later failure
 *     leaves the events before it in the output, as in Go. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytebuf.h"
#include "gotrace_spec.h"
#include "gotrace_text.h"
#include "gotrace_writer.h"
#include "text_go.h"

#define DEFAULT_MAX_OUTPUT ((size_t)256 << 20)
#define MAX_LINE 65535             /* longest line Go's bufio.Scanner returns */
#define MAX_MESSAGE ((size_t)1 << 20) /* messages quote lines; keep them bounded */

typedef enum line_status { LINE_OK, LINE_EOF, LINE_TOO_LONG } line_status_t;

typedef struct span {
    const uint8_t *p;
    size_t n;
} span_t;

typedef struct text_reader {
    const uint8_t *in;
    size_t len;
    size_t pos;
    gtr_version_t version;
    gtr_writer_t *w;
    gtr_bytebuf_t msg;   /* the error message being built */
    gtr_bytebuf_t data;  /* the unquoted data trailer */
    uint64_t *args;      /* arguments of the current event, frames included */
    size_t nargs;
    size_t cap_args;
    gtr_text_status_t st;
} text_reader_t;

static const char *const frame_fields[4] = {"pc", "func", "file", "line"};

/* ------------------------------------------------------------- messages */

static void msg_str(text_reader_t *tr, const char *s)
{
    gtr_bb_str(&tr->msg, s);
}

static void msg_span(text_reader_t *tr, span_t s)
{
    gtr_bb_put(&tr->msg, s.p, s.n);
}

static void msg_quoted(text_reader_t *tr, span_t s)
{
    gtr_go_quote(&tr->msg, s.p, s.n);
}

/* Arguments as Go's %v prints a []uint64: "[1 2 3]". */
static void msg_args(text_reader_t *tr)
{
    gtr_bb_byte(&tr->msg, '[');
    for (size_t i = 0; i < tr->nargs; i++) {
        if (i > 0) {
            gtr_bb_byte(&tr->msg, ' ');
        }
        gtr_bb_dec(&tr->msg, tr->args[i]);
    }
    gtr_bb_byte(&tr->msg, ']');
}

static gtr_text_status_t syntax(text_reader_t *tr)
{
    tr->st = GTR_TEXT_ERR_SYNTAX;
    return tr->st;
}

/* ---------------------------------------------------------------- lines */

/* A token: skip spaces; none if the line ends or a '#' comes first; else
 * the run up to the next space or '#'. `rest` starts right after it. */
static span_t read_token(span_t s, span_t *rest)
{
    size_t i = 0, w;
    while (i < s.n) {
        int32_t r = gtr_go_decode_rune(s.p + i, s.n - i, &w);
        if (r == '#') {
            i = s.n;
            break;
        }
        if (!gtr_go_is_space(r)) {
            break;
        }
        i += w;
    }
    if (i == s.n) {
        *rest = (span_t){s.p + s.n, 0};
        return (span_t){s.p + s.n, 0};
    }
    size_t start = i;
    while (i < s.n) {
        int32_t r = gtr_go_decode_rune(s.p + i, s.n - i, &w);
        if (r == '#' || gtr_go_is_space(r)) {
            break;
        }
        i += w;
    }
    *rest = (span_t){s.p + i, s.n - i};
    return (span_t){s.p + start, i - start};
}

/* Step 1: the next line that holds a token. */
static line_status_t next_line(text_reader_t *tr, span_t *line)
{
    while (tr->pos < tr->len) {
        const uint8_t *start = tr->in + tr->pos;
        size_t avail = tr->len - tr->pos;
        const uint8_t *nl = memchr(start, '\n', avail);
        size_t n = nl != NULL ? (size_t)(nl - start) : avail;
        if (n > MAX_LINE) {
            return LINE_TOO_LONG;
        }
        tr->pos += nl != NULL ? n + 1 : n;
        if (n > 0 && start[n - 1] == '\r') {
            n--;
        }
        span_t rest;
        *line = (span_t){start, n};
        if (read_token(*line, &rest).n > 0) {
            return LINE_OK;
        }
    }
    return LINE_EOF;
}

static gtr_text_status_t line_error(text_reader_t *tr, line_status_t ls, const char *eof_what,
                                    span_t name)
{
    if (ls == LINE_TOO_LONG) {
        msg_str(tr, "bufio.Scanner: token too long");
    } else {
        msg_str(tr, "unexpected EOF while reading ");
        msg_str(tr, eof_what);
        if (name.p != NULL) {
            msg_span(tr, name);
        }
        msg_str(tr, ": args=");
        msg_args(tr);
    }
    return syntax(tr);
}

/* ------------------------------------------------------------ arguments */

static bool push_arg(text_reader_t *tr, uint64_t v)
{
    if (tr->nargs == tr->cap_args) {
        size_t cap = tr->cap_args == 0 ? 16 : tr->cap_args * 2;
        /* Frames come from lines of the input, so the input's size bounds
         * this array; the check only guards the multiplication. */
        uint64_t *a = cap <= SIZE_MAX / sizeof *a ? realloc(tr->args, cap * sizeof *a) : NULL;
        if (a == NULL) {
            tr->st = GTR_TEXT_ERR_NOMEM;
            return false;
        }
        tr->args = a;
        tr->cap_args = cap;
    }
    tr->args[tr->nargs++] = v;
    return true;
}

/* One name=value token; on failure the message is Go's readArg message. */
static bool read_arg(text_reader_t *tr, span_t *s, span_t *name, uint64_t *val)
{
    span_t rest;
    span_t tok = read_token(*s, &rest);
    if (tok.n == 0) {
        msg_str(tr, "no argument");
        return false;
    }
    const uint8_t *eq = memchr(tok.p, '=', tok.n);
    if (eq == NULL) {
        msg_str(tr, "malformed argument: ");
        msg_quoted(tr, tok);
        return false;
    }
    *name = (span_t){tok.p, (size_t)(eq - tok.p)};
    span_t num = {eq + 1, tok.n - name->n - 1};
    if (gtr_go_parse_uint(num.p, num.n, val) != GTR_GO_NUM_OK) {
        msg_str(tr, "failed to parse argument value ");
        msg_quoted(tr, num);
        msg_str(tr, " for arg ");
        msg_quoted(tr, *name);
        return false;
    }
    *s = rest;
    return true;
}

/* Step 3: exactly the arguments `names`, in order, pushed onto args. */
static bool read_args(text_reader_t *tr, span_t s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        span_t name;
        uint64_t v;
        if (!read_arg(tr, &s, &name, &v)) {
            return false;
        }
        if (name.n != strlen(names[i]) || memcmp(name.p, names[i], name.n) != 0) {
            msg_str(tr, "expected argument ");
            msg_quoted(tr, (span_t){(const uint8_t *)names[i], strlen(names[i])});
            msg_str(tr, ", but got ");
            msg_quoted(tr, name);
            return false;
        }
        if (!push_arg(tr, v)) {
            return false;
        }
    }
    if (!gtr_go_all_space(s.p, s.n)) {
        msg_str(tr, "encountered unexpected non-space at the end of an event: ");
        msg_quoted(tr, s);
        return false;
    }
    return true;
}

/* Step 4: int(nframes) frame lines; Go's int conversion turns a count of
 * 2^63 or more negative, which reads no frames at all. */
static gtr_text_status_t read_frames(text_reader_t *tr, uint64_t nframes)
{
    int64_t n = (int64_t)nframes;
    for (int64_t i = 0; i < n; i++) {
        span_t line;
        line_status_t ls = next_line(tr, &line);
        if (ls != LINE_OK) {
            return line_error(tr, ls, "stack", (span_t){NULL, 0});
        }
        if (!read_args(tr, line, frame_fields, 4)) {
            return tr->st != GTR_TEXT_OK ? tr->st : syntax(tr);
        }
    }
    return GTR_TEXT_OK;
}

/* Step 5: the line data="..." (any spaces around the key and the value). */
static gtr_text_status_t read_data(text_reader_t *tr, span_t evname)
{
    span_t line;
    line_status_t ls = next_line(tr, &line);
    if (ls != LINE_OK) {
        return line_error(tr, ls, "data for ", evname);
    }
    const uint8_t *eq = memchr(line.p, '=', line.n);
    span_t key = {line.p, eq != NULL ? (size_t)(eq - line.p) : 0};
    gtr_go_trim_space(&key.p, &key.n);
    if (eq == NULL || key.n != 4 || memcmp(key.p, "data", 4) != 0) {
        msg_str(tr, "malformed data: ");
        msg_quoted(tr, line);
        return syntax(tr);
    }
    span_t val = {eq + 1, line.n - (size_t)(eq + 1 - line.p)};
    gtr_go_trim_space(&val.p, &val.n);
    tr->data.len = 0;
    if (!gtr_go_unquote(val.p, val.n, &tr->data)) {
        if (tr->data.err != GTR_BB_OK) {
            tr->st = tr->data.err == GTR_BB_NOMEM ? GTR_TEXT_ERR_NOMEM : GTR_TEXT_ERR_LIMIT;
            return tr->st;
        }
        msg_str(tr, "failed to parse data: ");
        msg_quoted(tr, line);
        msg_str(tr, ": invalid syntax");
        return syntax(tr);
    }
    if (tr->data.err != GTR_BB_OK) {
        tr->st = tr->data.err == GTR_BB_NOMEM ? GTR_TEXT_ERR_NOMEM : GTR_TEXT_ERR_LIMIT;
    }
    return tr->st;
}

/* ---------------------------------------------------------------- events */

static gtr_text_status_t writer_status(text_reader_t *tr, gtr_writer_status_t ws)
{
    switch (ws) {
    case GTR_WRITER_OK:
        return GTR_TEXT_OK;
    case GTR_WRITER_ERR_LIMIT:
        tr->st = GTR_TEXT_ERR_LIMIT;
        break;
    case GTR_WRITER_ERR_NOMEM:
        tr->st = GTR_TEXT_ERR_NOMEM;
        break;
    default: /* the reader only writes events its version's specs allow */
        tr->st = GTR_TEXT_ERR_ARG;
        break;
    }
    msg_str(tr, gtr_writer_error(tr->w));
    return tr->st;
}

/* Steps 2 to 6 for one event line. */
static gtr_text_status_t read_event(text_reader_t *tr, span_t line)
{
    span_t rest;
    span_t name = read_token(line, &rest);
    int type = gtr_spec_lookup(tr->version, (const char *)name.p, name.n);
    if (type < 0) {
        msg_str(tr, "unidentified event: ");
        msg_span(tr, name);
        return syntax(tr);
    }
    const gtr_event_spec_t *spec = gtr_spec(tr->version, (unsigned)type);
    tr->nargs = 0;
    msg_str(tr, "reading args for ");
    msg_span(tr, name);
    msg_str(tr, ": ");
    if (!read_args(tr, rest, spec->args, spec->nargs)) {
        return tr->st != GTR_TEXT_OK ? tr->st : syntax(tr);
    }
    tr->msg.len = 0;
    gtr_text_status_t st = spec->is_stack ? read_frames(tr, tr->args[1]) : GTR_TEXT_OK;
    if (st == GTR_TEXT_OK && spec->has_data) {
        st = read_data(tr, name);
    }
    if (st != GTR_TEXT_OK) {
        return st;
    }
    const uint8_t *data = spec->has_data ? tr->data.data : NULL;
    size_t data_len = spec->has_data ? tr->data.len : 0;
    if (data == NULL && spec->has_data) {
        data = (const uint8_t *)""; /* empty data is still a trailer */
    }
    return writer_status(tr, gtr_writer_event(tr->w, (unsigned)type, tr->args, tr->nargs,
                                              data, data_len));
}

/* The header line "Trace Go1.NN"; on success the writer exists. */
static gtr_text_status_t read_header(text_reader_t *tr, size_t max_output)
{
    span_t line, rest;
    line_status_t ls = next_line(tr, &line);
    if (ls != LINE_OK) {
        msg_str(tr, ls == LINE_EOF ? "EOF" : "bufio.Scanner: token too long");
        return syntax(tr);
    }
    span_t word = read_token(line, &rest);
    if (word.n != 5 || memcmp(word.p, "Trace", 5) != 0) {
        msg_str(tr, "failed to parse header");
        return syntax(tr);
    }
    span_t gover = read_token(rest, &rest);
    if (gover.n < 4 || memcmp(gover.p, "Go1.", 4) != 0) {
        msg_str(tr, "failed to parse header Go version");
        return syntax(tr);
    }
    uint64_t raw;
    span_t num = {gover.p + 4, gover.n - 4};
    gtr_go_num_err_t ne = gtr_go_parse_uint(num.p, num.n, &raw);
    if (ne != GTR_GO_NUM_OK) {
        msg_str(tr, "failed to parse header Go version: strconv.ParseUint: parsing ");
        msg_quoted(tr, num);
        msg_str(tr, ne == GTR_GO_NUM_RANGE ? ": value out of range" : ": invalid syntax");
        return syntax(tr);
    }
    uint32_t v = (uint32_t)raw; /* Go keeps versions in a uint32 */
    if (!gtr_version_known(v)) {
        char buf[64];
        snprintf(buf, sizeof buf, "unknown or unsupported Go version 1.%u", (unsigned)v);
        msg_str(tr, buf);
        return syntax(tr);
    }
    if (!gtr_go_all_space(rest.p, rest.n)) {
        msg_str(tr, "encountered unexpected non-space at the end of the header: ");
        msg_quoted(tr, rest);
        return syntax(tr);
    }
    tr->version = (gtr_version_t)v;
    gtr_writer_options_t wo = {.max_size = max_output};
    gtr_writer_t *w = NULL;
    gtr_writer_status_t ws = gtr_writer_new(&w, v, &wo);
    tr->w = w;
    return writer_status(tr, ws);
}

/* ------------------------------------------------------------------ API */

/* Copies the message into the result, cut to fit. */
static void copy_message(const gtr_bytebuf_t *m, gtr_text_result_t *res)
{
    size_t n = m->len < GTR_TEXT_MSG_CAP - 1 ? m->len : GTR_TEXT_MSG_CAP - 1;
    if (n > 0) {
        memcpy(res->msg, m->data, n);
    }
    res->msg[n] = '\0';
    res->msg_len = n;
}

static gtr_text_status_t run(text_reader_t *tr, size_t max_output)
{
    if (read_header(tr, max_output) != GTR_TEXT_OK) {
        return tr->st;
    }
    for (;;) {
        span_t line;
        line_status_t ls = next_line(tr, &line);
        if (ls == LINE_EOF) {
            return GTR_TEXT_OK;
        }
        if (ls == LINE_TOO_LONG) {
            msg_str(tr, "bufio.Scanner: token too long");
            return syntax(tr);
        }
        if (read_event(tr, line) != GTR_TEXT_OK) {
            return tr->st;
        }
    }
}

gtr_text_status_t gtr_text_to_wire(const uint8_t *text, size_t len,
                                   const gtr_text_options_t *opts, gtr_text_result_t *res)
{
    if (res == NULL) {
        return GTR_TEXT_ERR_ARG;
    }
    memset(res, 0, sizeof *res);
    if (text == NULL && len != 0) {
        return GTR_TEXT_ERR_ARG;
    }
    size_t max = opts != NULL && opts->max_output != 0 ? opts->max_output : DEFAULT_MAX_OUTPUT;
    text_reader_t tr = {.in = text, .len = len};
    gtr_bb_init(&tr.msg, MAX_MESSAGE);
    gtr_bb_init(&tr.data, max);
    gtr_text_status_t st = run(&tr, max);
    if ((st == GTR_TEXT_OK || st == GTR_TEXT_ERR_SYNTAX) && tr.w != NULL) {
        gtr_writer_status_t ws = gtr_writer_finish(tr.w, &res->out, &res->out_len);
        if (ws != GTR_WRITER_OK) {
            tr.msg.len = 0;
            st = writer_status(&tr, ws);
        }
    }
    copy_message(&tr.msg, res);
    gtr_writer_free(tr.w);
    gtr_bb_free(&tr.msg);
    gtr_bb_free(&tr.data);
    free(tr.args);
    return st;
}

void gtr_text_result_free(gtr_text_result_t *res)
{
    if (res != NULL) {
        free(res->out);
        memset(res, 0, sizeof *res);
    }
}

bool gtr_text_detect(const uint8_t *data, size_t len)
{
    if (data == NULL) {
        return false;
    }
    text_reader_t tr = {.in = data, .len = len};
    span_t line, rest;
    if (next_line(&tr, &line) != LINE_OK) {
        return false;
    }
    span_t word = read_token(line, &rest);
    return word.n == 5 && memcmp(word.p, "Trace", 5) == 0;
}

const char *gtr_text_status_name(gtr_text_status_t st)
{
    switch (st) {
    case GTR_TEXT_OK: return "ok";
    case GTR_TEXT_ERR_SYNTAX: return "syntax";
    case GTR_TEXT_ERR_LIMIT: return "limit";
    case GTR_TEXT_ERR_NOMEM: return "nomem";
    case GTR_TEXT_ERR_ARG: return "arg";
    default: return "unknown";
    }
}
