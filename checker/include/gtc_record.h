/* gtc_record.h: the plain event record the checker works on.
 *
 * gtc_checker_event reads each gtr_event_t once, through the public
 * accessors of gotrace.h, into this record and checks the record. Feeding
 * records directly lets tests (and other event sources, such as the
 * generator's model) reach rules that Go's reader itself never lets a trace
 * break: a GoStatusStack in a go1.22 trace, a status event whose states
 * break GoStatus's rules, a stack ID that does not resolve. */
#ifndef GTC_RECORD_H
#define GTC_RECORD_H

#include "gtc_check.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A referenced stack. `none` is Go's NoStack. A stack is identified by its
 * wire ID within a generation (`table` tells generations apart only for the
 * stop-stack rule, which compares handles as Go does). Frames come from
 * `frames` when it is not NULL, else from `handle` via gtr_stack_frame. */
typedef struct gtc_stackref {
    bool none;
    uint64_t id;
    const void *table;
    gtr_stack_t handle;
    const gtr_frame_t *frames;
    size_t nframes; /* used with `frames` */
} gtc_stackref_t;

typedef struct gtc_record {
    gtr_kind_t kind;
    unsigned wire_type; /* GTR_EV_* (GTR_EV_NONE for Sync) */
    int64_t time;
    int64_t goroutine, proc, thread;
    gtc_stackref_t stack;
    /* Kind-specific details; only the one of `kind` is read. */
    struct {
        gtr_resource_t resource;
        unsigned from, to;
        gtc_stackref_t stack;
    } transition;
    gtr_sync_t sync;
    gtr_metric_t metric;
    gtr_label_t label;
    gtr_range_t range;
    gtr_task_t task;
} gtc_record_t;

/* A record with NoStack stacks and no goroutine, proc or thread. */
gtc_record_t gtc_record_empty(gtr_kind_t kind, int64_t time);

/* The record of a reader event. */
void gtc_record_from_event(const gtr_event_t *ev, gtc_record_t *out);

/* Check a record as the next event of the stream (as gtc_checker_event). */
int gtc_checker_record(gtc_checker_t *c, const gtc_record_t *rec);

#ifdef __cplusplus
}
#endif
#endif /* GTC_RECORD_H */
