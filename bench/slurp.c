/* slurp.c: a whole file into memory. */
#include "slurp.h"

#include <stdio.h>
#include <stdlib.h>

uint8_t *bench_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, n = 0, k;
    uint8_t *b = malloc(cap);
    while (b != NULL && (k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            uint8_t *p = realloc(b, cap *= 2);
            if (p == NULL) {
                free(b);
            }
            b = p;
        }
    }
    if (b != NULL && ferror(f)) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = n;
    return b;
}
