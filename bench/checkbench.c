/* checkbench.c: what the invariant checker costs. Reads a trace with the C
 * reader alone and with the reader feeding the checker (every invariant
 * family), and prints both rates side by side with the ratio, in one run.
 * Both sides read from memory, so the difference is the checker's work. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gotrace.h"
#include "gtc_check.h"
#include "slurp.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass; returns events read, or -1 if the trace did not read to the
 * end. *violations counts what the checker found (with_checker only). */
static long long pass(const uint8_t *data, size_t len, int with_checker, double *secs,
                      unsigned long long *violations)
{
    double t0 = now();
    gtr_reader_t *r;
    const gtr_event_t *ev;
    long long events = 0;
    int rc = gtr_reader_open_buffer(&r, data, len, NULL);
    gtc_checker_t *c = with_checker && r ? gtc_checker_new(gtr_reader_version(r), NULL) : NULL;
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        events++;
        if (c != NULL) {
            gtc_checker_event(c, ev);
        }
    }
    if (c != NULL) {
        gtc_checker_end(c);
        *violations = gtc_checker_violations_total(c);
        gtc_checker_free(c);
    }
    gtr_reader_free(r);
    *secs = now() - t0;
    return rc == GTR_EOF ? events : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: checkbench TRACE\n"
                "Events per second of the C reader alone and of the reader feeding\n"
                "the invariant checker, best of 3 runs each, side by side.\n"
                "exit codes: 0 measured, 1 the trace did not read to the end,\n"
                "2 usage or I/O error\n");
        return argc == 2 ? 0 : 2;
    }
    size_t len;
    uint8_t *data = bench_slurp(argv[1], &len);
    if (data == NULL) {
        fprintf(stderr, "checkbench: cannot read %s\n", argv[1]);
        return 2;
    }
    double best[2] = {0, 0};
    long long events[2] = {0, 0};
    unsigned long long violations = 0;
    for (int run = 0; run < 3; run++) {
        for (int side = 0; side < 2; side++) {
            double s;
            events[side] = pass(data, len, side, &s, &violations);
            if (events[side] < 0) {
                fprintf(stderr, "checkbench: the trace does not read to the end\n");
                free(data);
                return 1;
            }
            best[side] = run == 0 || s < best[side] ? s : best[side];
        }
    }
    free(data);
    printf("trace: %s (%zu bytes, %lld events; best of 3 runs each)\n", argv[1], len, events[0]);
    printf("%-18s %10s %14s\n", "pass", "seconds", "events/s");
    printf("%-18s %10.3f %14.0f\n", "reader", best[0], (double)events[0] / best[0]);
    printf("%-18s %10.3f %14.0f\n", "reader+checker", best[1], (double)events[1] / best[1]);
    printf("ratio    reader+checker / reader events/s = %.2f; violations found: %llu\n",
           best[0] / best[1], violations);
    return 0;
}
