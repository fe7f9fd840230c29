/* fake_oracle.c: a stand-in for `gotrace-oracle serve` whose answers the
 * test chooses, to exercise the client side of the oracle protocol.
 *
 * Each request is a list of dumps separated by NUL bytes; the reply to the
 * q-th request of this process (counting from 0) is entry q mod n of its
 * list, so a test can make "Go" answer differently from one query to the
 * next, and can tell from an answer how many queries came before it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_all(uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = read(STDIN_FILENO, p, n);
        if (k <= 0) {
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int write_all(const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t k = write(STDOUT_FILENO, b, n);
        if (k <= 0) {
            return -1;
        }
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "serve") != 0) {
        fprintf(stderr, "usage: fake_oracle serve\n");
        return 2;
    }
    for (unsigned long q = 0;; q++) {
        uint8_t h[4];
        if (read_all(h, 4) != 0) {
            return 0; /* the client closed the pipe */
        }
        size_t len = (size_t)h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16 | (size_t)h[3] << 24;
        char *req = malloc(len + 1);
        if (req == NULL || read_all((uint8_t *)req, len) != 0) {
            return 1;
        }
        req[len] = '\0';
        size_t n = 1;
        for (size_t i = 0; i < len; i++) {
            n += req[i] == '\0';
        }
        const char *e = req;
        for (unsigned long k = q % n; k > 0; k--) {
            e += strlen(e) + 1;
        }
        size_t m = strlen(e);
        uint8_t r[4] = {(uint8_t)m, (uint8_t)(m >> 8), (uint8_t)(m >> 16), (uint8_t)(m >> 24)};
        if (write_all(r, 4) != 0 || write_all(e, m) != 0) {
            return 1;
        }
        free(req);
    }
}
