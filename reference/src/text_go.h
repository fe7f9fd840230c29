/* text_go.h: Go's rules for strings, as the raw text format relies on them.
 *
 * The text format is defined by what Go's internal/trace/raw accepts and
 * prints, and that package leans on Go's standard library: UTF-8 decoding
 * that turns each bad byte into U+FFFD, unicode.IsSpace, strconv.Quote and
 * Unquote, strconv.ParseUint, strings.TrimSpace. Byte-identical output needs
 * those exact rules, so they live here once, written from their
 * specifications, for text_read.c and text_write.c. */
#ifndef GOTRACE_TEXT_GO_H
#define GOTRACE_TEXT_GO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"

#define GTR_RUNE_ERROR 0xFFFD

/* Decodes the rune at p[0..n) as utf8.DecodeRune does: an invalid or short
 * sequence gives GTR_RUNE_ERROR with width 1; n == 0 gives width 0. */
int32_t gtr_go_decode_rune(const uint8_t *p, size_t n, size_t *width);

/* The last rune of p[0..n), as utf8.DecodeLastRune. */
int32_t gtr_go_decode_last_rune(const uint8_t *p, size_t n, size_t *width);

/* unicode.IsSpace (which equals fmt's notion of space). */
bool gtr_go_is_space(int32_t r);

/* strconv.IsPrint. */
bool gtr_go_is_print(int32_t r);

/* True if every rune of p[0..n) is a space (vacuously true for n == 0). */
bool gtr_go_all_space(const uint8_t *p, size_t n);

/* strings.TrimSpace, in place on the (pointer, length) pair. */
void gtr_go_trim_space(const uint8_t **p, size_t *n);

/* Appends strconv.Quote(p[0..n)) to b. */
bool gtr_go_quote(gtr_bytebuf_t *b, const uint8_t *p, size_t n);

/* strconv.Unquote: appends the value of the literal p[0..n) to out and
 * returns true, or returns false for Go's "invalid syntax" (out may then
 * hold a partial value; the caller discards it). */
bool gtr_go_unquote(const uint8_t *p, size_t n, gtr_bytebuf_t *out);

/* strconv.ParseUint(s, 10, 64). */
typedef enum gtr_go_num_err {
    GTR_GO_NUM_OK = 0,
    GTR_GO_NUM_SYNTAX, /* "invalid syntax" */
    GTR_GO_NUM_RANGE   /* "value out of range" */
} gtr_go_num_err_t;
gtr_go_num_err_t gtr_go_parse_uint(const uint8_t *p, size_t n, uint64_t *out);

#endif /* GOTRACE_TEXT_GO_H */
