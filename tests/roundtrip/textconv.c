/* textconv.c: the C text converter behind gotraceraw's interface, so that
 * the round-trip check can hold the two side by side on the same input.
 *
 * Usage: textconv text2bytes|bytes2text  (stdin to stdout)
 * Like gotraceraw: writes what was converted before a failure, prints the
 * failure's message alone on stderr, and exits 1; exit 2 for usage or I/O
 * errors. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gotrace_text.h"

#define MAX_INPUT ((size_t)1 << 30)

static uint8_t *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) {
            break;
        }
        uint8_t *bigger = cap < MAX_INPUT ? realloc(buf, cap * 2) : NULL;
        if (bigger == NULL) {
            free(buf);
            return NULL;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "text2bytes") != 0 && strcmp(argv[1], "bytes2text") != 0)) {
        fprintf(stderr, "usage: textconv text2bytes|bytes2text <in >out\n");
        return 2;
    }
    size_t len = 0;
    uint8_t *in = read_all(stdin, &len);
    if (in == NULL) {
        fprintf(stderr, "textconv: cannot read stdin\n");
        return 2;
    }
    gtr_text_result_t res;
    gtr_text_status_t st = strcmp(argv[1], "text2bytes") == 0
                               ? gtr_text_to_wire(in, len, NULL, &res)
                               : gtr_wire_to_text(in, len, NULL, &res);
    free(in);
    bool write_ok = res.out_len == 0 || fwrite(res.out, 1, res.out_len, stdout) == res.out_len;
    if (!write_ok || fflush(stdout) != 0) {
        fprintf(stderr, "textconv: write error\n");
        gtr_text_result_free(&res);
        return 2;
    }
    if (st != GTR_TEXT_OK) {
        /* The message may hold NUL bytes, as Go's does. */
        fwrite(res.msg, 1, res.msg_len, stderr);
        fputc('\n', stderr);
        gtr_text_result_free(&res);
        return st == GTR_TEXT_ERR_SYNTAX ? 1 : 2;
    }
    gtr_text_result_free(&res);
    return 0;
}
