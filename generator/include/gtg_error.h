/* gtg_error.h: the error codes every fallible generator function returns.
 *
 * One enum for the whole generator library, so that the CLI and the fuzz
 * targets can turn any failure into an exit code without knowing which
 * module failed; the message with the values that were wrong lives in the
 * object that failed (the grammar's or the generator's message buffer). */
#ifndef GTG_ERROR_H
#define GTG_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gtg_err {
    GTG_OK = 0,
    GTG_ERR_NOMEM,    /* an allocation failed */
    GTG_ERR_ARG,      /* a bad argument (unknown name, NULL, out of range) */
    GTG_ERR_GRAMMAR,  /* the grammar text does not parse or is incomplete */
    GTG_ERR_LIMIT,    /* a size limit would be passed */
    GTG_ERR_WRITE,    /* the wire writer refused an event */
    GTG_ERR_INTERNAL, /* the model reached a state it must never reach */
    GTG_ERR_COUNT
} gtg_err_t;

/* Short stable name of an error ("nomem", "grammar", ...). */
const char *gtg_err_name(gtg_err_t err);

#ifdef __cplusplus
}
#endif
#endif /* GTG_ERROR_H */
