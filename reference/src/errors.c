/* errors.c: status codes, the per-reader message buffer, and the error
 * classes used to compare error lines of two readers.
 *
 * A class is the key phrase of one of Go's reader messages. Two messages of
 * the same class describe the same failure even when the values they quote
 * differ, which happens where Go picks "some" element from a map (the
 * frontier and state dumps of "failed to advance", stack validation of a
 * sparse table). The table is ordered so that a longer phrase comes before
 * any phrase it contains. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const status_names[GTR_STATUS_COUNT] = {
    [GTR_OK] = "ok",
    [GTR_EOF] = "eof",
    [GTR_ERR_HEADER] = "header",
    [GTR_ERR_VERSION] = "version",
    [GTR_ERR_DECLINED] = "declined",
    [GTR_ERR_MALFORMED] = "malformed",
    [GTR_ERR_GENERATION] = "generation",
    [GTR_ERR_ORDER] = "order",
    [GTR_ERR_STUCK] = "stuck",
    [GTR_ERR_LIMIT] = "limit",
    [GTR_ERR_NOMEM] = "nomem",
    [GTR_ERR_IO] = "io",
    [GTR_ERR_ARG] = "argument",
    [GTR_ERR_INTERNAL] = "internal",
};

const char *gtr_status_name(int status)
{
    if (status < 0 || status >= GTR_STATUS_COUNT) {
        return "unknown";
    }
    return status_names[status];
}

bool gtr_status_is_declined(int status)
{
    return status == GTR_ERR_DECLINED || status == GTR_ERR_LIMIT || status == GTR_ERR_NOMEM;
}

int gtr_err_set(gtr_err_t *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->len = strlen(e->msg);
    e->code = code;
    return code;
}

void gtr_err_append(gtr_err_t *e, const void *p, size_t n)
{
    size_t room = sizeof e->msg - 1 - e->len;
    if (n == 0) {
        return;
    }
    if (n > room) {
        n = room;
    }
    memcpy(e->msg + e->len, p, n);
    e->len += n;
    e->msg[e->len] = '\0';
}

void gtr_err_copy(gtr_err_t *dst, const gtr_err_t *src)
{
    dst->code = src->code;
    dst->len = src->len;
    memcpy(dst->msg, src->msg, src->len + 1); /* len < sizeof msg, and msg[len] is 0 */
}

void gtr_err_appendf(gtr_err_t *e, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) {
        gtr_err_append(e, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
    }
}

int gtr_err_mem(gtr_err_t *e, const gtr_mem_t *m, const char *what)
{
    if (m->limit_hit) {
        return gtr_err_set(e, GTR_ERR_LIMIT,
                           "resource limit: %s would exceed max_total_memory (%zu bytes)",
                           what, m->limit);
    }
    return gtr_err_set(e, GTR_ERR_NOMEM, "out of memory: %s", what);
}

/* Key phrases of Go's messages (and of this library's own), longest
 * first where one contains another. */
static const char *const classes[] = {
    /* Header and version. */
    "bad file format: not a Go execution trace?",
    "unknown or unsupported trace version",
    "pre-Go 1.22 trace",
    /* Batches. */
    "expected batch event, got event",
    "error reading batch gen",
    "error reading batch M ID",
    "error reading batch timestamp",
    "error reading batch size",
    "invalid batch size",
    "failed to read full batch",
    /* Generations. */
    "incomplete generation found; trace likely truncated",
    "invalid generation number",
    "missing end-of-generation event, or generations are interleaved",
    "generations out of order",
    "no frequency event found",
    "no clock snapshot event found",
    "found multiple frequency events",
    "found multiple clock snapshot events",
    "expected frequency or clock snapshot event, got",
    "missing sync batch header",
    /* Tables. */
    "found unknown pc",
    "found invalid func string ID",
    "found invalid file string ID",
    "expected string event, got",
    "invalid string size",
    "failed to read full string",
    "multiple strings with the same ID",
    "expected stack event, got",
    "invalid stack size",
    "PC for stack",
    "funcID for stack",
    "fileID for stack",
    "line for stack",
    "multiple trace.stacks with the same ID",
    "expected CPU sample event, got",
    /* Events in batches. */
    "found invalid event type",
    "found event without a timestamp",
    "found invalid uvarint for timestamp",
    "found invalid uvarint",
    "found invalid stack ID",
    "found invalid string ID",
    /* Ordering. */
    "broken trace: failed to advance",
    "broken trace: frontier is empty",
    "bad event type found while ordering",
    "invalid status for proc",
    "inconsistent status for proc",
    "failed to find sched context for proc",
    "for proc (",
    "event for proc that's not",
    "tried to self-steal proc",
    "stole proc from non-existent thread",
    "tried to steal proc",
    "invalid status for goroutine",
    "inconsistent status for goroutine",
    "found goroutine status for new goroutine after the first generation",
    "in syscall without a thread",
    "inconsistent thread for syscalling goroutine",
    "in syscall that already exists",
    "that already exists",
    "for goroutine (",
    "event for goroutine that's not",
    "uninitialized proc",
    "can't make sequence",
    "but got",
    "found invalid proc",
    "in unexpected state",
    "task ID conflict",
    "invalid string ID",
    "without known state for current goroutine",
    "misuse of region in goroutine",
    "GCActive in the first generation isn't first GC event",
    "encountered GCActive while GC was not in progress",
    "encountered GCBegin while GC was already in progress",
    "encountered GCEnd when GC was not in progress",
    "encountered GCEnd when GC was in an undetermined state",
    "encountered GCSweepActive for unknown proc",
    "discovered event already in-flight for when starting event",
    "found named active range already in first gen",
    "resource is missing active range",
    "but not in-flight",
    "uninitialized goroutine",
    "expected a thread but didn't have one",
    "expected no thread but had one",
    "expected a proc but didn't have one",
    "expected no proc but had one",
    "expected a goroutine but didn't have one",
    "expected no goroutine but had one",
    /* Plain reader errors Go passes through unwrapped. */
    "binary: varint overflows a 64-bit integer",
    "unexpected EOF",
    "EOF",
    /* This library's own. */
    "resource limit",
    "out of memory",
    "read error",
    "internal error",
};

/* Go checks every stack of a generation's table in map iteration order, so
 * when several stacks are broken, which check's message comes out first
 * (unknown PC, bad function or file string) varies from run to run. These
 * phrases share one class. */
static const char *const stack_table_checks[] = {
    "found unknown pc",
    "found invalid func string ID",
    "found invalid file string ID",
};

const char *gtr_error_class(const char *message)
{
    if (message == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof stack_table_checks / sizeof stack_table_checks[0]; i++) {
        if (strstr(message, stack_table_checks[i]) != NULL) {
            return "invalid stack table entry";
        }
    }
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strstr(message, classes[i]) != NULL) {
            return classes[i];
        }
    }
    return NULL;
}
