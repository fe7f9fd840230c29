/* gotrace_writer.h: a small writer of the trace wire format.
 *
 * It lays down the bytes a reader expects: the header, events as a type
 * byte and varint arguments (checked against the version's event spec),
 * string and stack table entries with their trailers, and batches whose
 * size field is computed when the batch is closed. The generator builds
 * traces with it, and the text reader turns Go's text format into bytes
 * with it; gtr_writer_raw lets mutators put down bytes no spec allows.
 *
 * Use:
 *
 *     gtr_writer_t *w;
 *     if (gtr_writer_new(&w, GTR_GO123, NULL) != GTR_WRITER_OK) ...;
 *     gtr_writer_begin_batch(w, gen, m, time);
 *     gtr_writer_event(w, GTR_EV_PROC_START, (uint64_t[]){dt, p, seq}, 3, NULL, 0);
 *     gtr_writer_end_batch(w);
 *     uint8_t *bytes; size_t len;
 *     if (gtr_writer_finish(w, &bytes, &len) != GTR_WRITER_OK)
 *         fprintf(stderr, "%s\n", gtr_writer_error(w));
 *     gtr_writer_free(w);
 *     ... use bytes ...
 *     gtr_writer_buf_free(bytes);
 *
 * A writer is used by one thread at a time; there is no global state. */
#ifndef GOTRACE_WRITER_H
#define GOTRACE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtr_writer_status {
    GTR_WRITER_OK = 0,
    GTR_WRITER_ERR_ARG,   /* bad argument: type not in the version, wrong
                           * argument count, data on an event without it */
    GTR_WRITER_ERR_STATE, /* out of order: batch already open or not open,
                           * writer already finished */
    GTR_WRITER_ERR_LIMIT, /* the trace would pass max_size */
    GTR_WRITER_ERR_NOMEM  /* the allocator returned NULL */
} gtr_writer_status_t;

typedef struct gtr_writer_options {
    size_t max_size;     /* bytes of the whole trace; 0 = 256 MiB */
    bool no_header;      /* start without the "go 1.NN trace" header, to
                          * build fragments */
    bool pad_batch_size; /* write a batch's size as a 10-byte padded
                          * varint, as the runtime reserves it, instead of
                          * the shortest encoding */
} gtr_writer_options_t;

/* One frame of a stack table entry, in wire order. */
typedef struct gtr_wire_frame {
    uint64_t pc;
    uint64_t func; /* string ID */
    uint64_t file; /* string ID */
    uint64_t line;
} gtr_wire_frame_t;

typedef struct gtr_writer gtr_writer_t;

/* Create a writer for `version` (the number in "go 1.NN trace"; any value,
 * so that headers of unknown versions can be written, but events are only
 * accepted for the types gtr_spec knows in that version). `opts` may be
 * NULL. Writes the header unless opts->no_header. */
gtr_writer_status_t gtr_writer_new(gtr_writer_t **out, unsigned version,
                                   const gtr_writer_options_t *opts);

/* Free the writer and anything it still holds. NULL is fine. */
void gtr_writer_free(gtr_writer_t *w);

/* The message of the last failed call ("" if none); valid until the next
 * call on the writer or its free. */
const char *gtr_writer_error(const gtr_writer_t *w);

/* One event: type byte, `nargs` varint arguments, then for event types with
 * a data trailer a varint length and `data_len` bytes. `nargs` must equal
 * the spec's count, except for stack events (is_stack), whose frames follow
 * the spec's arguments as 4 values each. The frame count argument is not
 * checked against the frames given, so inconsistent stacks can be written
 * on purpose. Inside an open batch the event goes into that batch. */
gtr_writer_status_t gtr_writer_event(gtr_writer_t *w, unsigned type, const uint64_t *args,
                                     size_t nargs, const uint8_t *data, size_t data_len);

/* A string table entry (EvString id, then the bytes). */
gtr_writer_status_t gtr_writer_string(gtr_writer_t *w, uint64_t id, const uint8_t *s,
                                      size_t len);

/* A stack table entry (EvStack id nframes, then the frames). */
gtr_writer_status_t gtr_writer_stack(gtr_writer_t *w, uint64_t id,
                                     const gtr_wire_frame_t *frames, size_t nframes);

/* Open a batch (EvEventBatch gen m time size). Events up to
 * gtr_writer_end_batch are collected so that the size field, the count of
 * bytes after the batch header, can be written first. */
gtr_writer_status_t gtr_writer_begin_batch(gtr_writer_t *w, uint64_t gen, uint64_t m,
                                           uint64_t time);
gtr_writer_status_t gtr_writer_end_batch(gtr_writer_t *w);

/* True between begin_batch and end_batch. */
bool gtr_writer_in_batch(const gtr_writer_t *w);

/* Arbitrary bytes, into the open batch if there is one. */
gtr_writer_status_t gtr_writer_raw(gtr_writer_t *w, const uint8_t *bytes, size_t len);

/* Bytes written so far, an open batch's contents included. */
size_t gtr_writer_size(const gtr_writer_t *w);

/* Hand the trace to the caller: on GTR_WRITER_OK, *out (free it with
 * gtr_writer_buf_free) holds *out_len bytes and the writer accepts no more
 * events. Fails with GTR_WRITER_ERR_STATE while a batch is open. */
gtr_writer_status_t gtr_writer_finish(gtr_writer_t *w, uint8_t **out, size_t *out_len);

/* Free a buffer returned by gtr_writer_finish. NULL is fine. */
void gtr_writer_buf_free(uint8_t *buf);

#ifdef __cplusplus
}
#endif
#endif /* GOTRACE_WRITER_H */
