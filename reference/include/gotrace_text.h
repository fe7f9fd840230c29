/* gotrace_text.h: Go's raw text trace format, to and from the wire format.
 *
 * The text format is the one Go's internal/trace/raw package reads and
 * writes, and in which Go keeps its trace tests (the "-- trace --" section
 * of the .test files in testdata/tests):
 *
 *     Trace Go1.23
 *     EventBatch gen=1 m=18446744073709551615 time=9 size=5
 *     Frequency freq=15625000
 *     Stack id=1 nframes=1
 *         pc=4816080 func=30 file=31 line=45
 *     String id=1
 *         data="hello\x00"
 *
 * Both directions reproduce Go's converter byte for byte, on valid input
 * and on invalid input alike: the same output up to the event that fails,
 * the same error message, and the same quirks (a wire trace that ends at an
 * argument boundary ends cleanly; an empty data trailer prints no data
 * line; a frame or byte count of 2^63 or more reads as none). The rules are
 * in docs/text-format.md.
 *
 * Neither function keeps state between calls or touches globals; both
 * accept any bytes, never read outside them, and cap their output at
 * opts->max_output. */
#ifndef GOTRACE_TEXT_H
#define GOTRACE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtr_text_status {
    GTR_TEXT_OK = 0,
    GTR_TEXT_ERR_SYNTAX, /* Go's converter rejects the input too; the
                          * message is Go's, *out holds what Go would have
                          * written before failing */
    GTR_TEXT_ERR_LIMIT,  /* the output would pass opts->max_output */
    GTR_TEXT_ERR_NOMEM,  /* the allocator returned NULL */
    GTR_TEXT_ERR_ARG     /* bad call (NULL pointers) */
} gtr_text_status_t;

typedef struct gtr_text_options {
    size_t max_output; /* bytes of output; 0 = 256 MiB */
} gtr_text_options_t;

/* Short stable name of a status ("ok", "syntax", ...). */
const char *gtr_text_status_name(gtr_text_status_t st);

#define GTR_TEXT_MSG_CAP 1024

/* What a conversion produced. `out` holds the output: the whole of it on
 * GTR_TEXT_OK; on GTR_TEXT_ERR_SYNTAX what Go's converter writes before
 * it fails (possibly nothing, then out may be NULL); NULL on other errors.
 * It comes from malloc: free it with gtr_text_result_free, or take it and
 * call free() yourself. `msg` is the message, "" on success:
 * NUL-terminated, cut to fit, and msg_len bytes long; it may hold NUL bytes
 * itself, because Go's messages quote some input bytes as they are. */
typedef struct gtr_text_result {
    uint8_t *out;
    size_t out_len;
    size_t msg_len;
    char msg[GTR_TEXT_MSG_CAP];
} gtr_text_result_t;

/* Text (len bytes at text) to a wire trace. `opts` may be NULL. */
gtr_text_status_t gtr_text_to_wire(const uint8_t *text, size_t len,
                                   const gtr_text_options_t *opts, gtr_text_result_t *res);

/* A wire trace to text. `opts` may be NULL. */
gtr_text_status_t gtr_wire_to_text(const uint8_t *data, size_t len,
                                   const gtr_text_options_t *opts, gtr_text_result_t *res);

/* Free the output held by a result (the struct itself is the caller's)
 * and clear it. NULL is fine. */
void gtr_text_result_free(gtr_text_result_t *res);

/* True if the bytes look like the text format: the first line that is not
 * blank or a comment starts with the token "Trace". Wire traces start with
 * "go 1.", so the two never overlap. */
bool gtr_text_detect(const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* GOTRACE_TEXT_H */
