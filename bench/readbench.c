/* readbench.c: events per second and peak RSS of the C reader against Go's
 * reader (bench/goread) on the same trace, side by side, in one run.
 *
 * Each side reads every event of the trace, streaming from the file, in a
 * child process of its own, so that each peak RSS (from wait4) covers that
 * reader alone. Each side runs --runs times; the fastest run counts (and
 * the largest peak RSS of its runs). The C reader is measured twice: as a
 * plain stream (gtr_reader_open_stream: it holds a generation's batches, as
 * Go's reader does) and as a seekable stream (gtr_reader_open_seekable on
 * the file: event batches are read again with pread when their turn
 * comes).
 * A fourth row sets the ceiling: the same stream with every generation
 * read and every event batch decoded but nothing ordered (decode_only.c),
 * so the ratio of Go's time to it is as fast as a reader can get here if
 * its ordering cost nothing.
 *
 * With --dir DIR, each side instead loads every file of DIR into memory
 * and reads each one --reps times, as a fuzzer reads its inputs: many
 * small traces, most of them ending in an error. Both count the events
 * read before the end or the error; the counts must agree. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode_only.h"
#include "gotrace.h"
#include "slurp.h"

typedef struct result {
    long long inputs; /* --dir only */
    long long events;
    double seconds;
    long peak_rss_kib;
    int ok;
} result_t;

static long file_read(void *user, uint8_t *buf, size_t cap)
{
    size_t n = fread(buf, 1, cap, (FILE *)user);
    return ferror((FILE *)user) ? -1 : (long)n;
}

static long fd_read(void *user, uint8_t *buf, size_t cap)
{
    ssize_t n;
    do {
        n = read(*(int *)user, buf, cap);
    } while (n < 0 && errno == EINTR);
    return (long)n;
}

static long fd_read_at(void *user, uint64_t off, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(*(int *)user, buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return -1;
        }
        got += (size_t)k;
    }
    return (long)n;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Child side of the C measurement: prints "events seconds status". */
static int c_read(const char *path, int seekable)
{
    FILE *f = seekable ? NULL : fopen(path, "rb");
    int fd = seekable ? open(path, O_RDONLY) : -1;
    if (seekable ? fd < 0 : f == NULL) {
        return 2;
    }
    double t0 = now();
    gtr_reader_t *r = NULL;
    long long events = 0;
    int rc = seekable ? gtr_reader_open_seekable(&r, fd_read, fd_read_at, &fd, NULL)
                      : gtr_reader_open_stream(&r, file_read, f, NULL);
    const gtr_event_t *ev;
    while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        events++;
    }
    double t1 = now();
    if (rc != GTR_EOF) {
        fprintf(stderr, "readbench: C reader: %s\n", r ? gtr_reader_error(r) : "open failed");
    }
    gtr_reader_free(r);
    if (seekable) {
        close(fd);
    } else {
        fclose(f);
    }
    printf("%lld %.9f %d\n", events, t1 - t0, rc == GTR_EOF);
    return 0;
}

/* Child side of the ceiling row: prints "events seconds status". */
static int c_decode(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 2;
    }
    char msg[256];
    long long events = 0;
    double t0 = now();
    int rc = bench_decode_only(file_read, f, &events, msg, sizeof msg);
    double t1 = now();
    fclose(f);
    if (rc != GTR_OK) {
        fprintf(stderr, "readbench: C decoding: %s\n", msg);
    }
    printf("%lld %.9f %d\n", events, t1 - t0, rc == GTR_OK);
    return 0;
}

typedef struct input {
    uint8_t *data;
    size_t len;
} input_t;

/* Every regular file of dir (as Go's DirEntry.Type().IsRegular() sees
 * it: symbolic links are not followed), loaded into memory. Returns the
 * array (free each data, then the array) and its length in *n, or NULL. */
static input_t *load_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return NULL;
    }
    input_t *in = NULL;
    size_t cap = 0;
    bool ok = true;
    struct dirent *e;
    char path[4096];
    struct stat st;
    *n = 0;
    while (ok && (e = readdir(d)) != NULL) {
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            input_t *more = realloc(in, cap * sizeof *in);
            ok = more != NULL;
            in = ok ? more : in;
        }
        ok = ok && (in[*n].data = bench_slurp(path, &in[*n].len)) != NULL;
        *n += ok;
    }
    closedir(d);
    if (!ok) {
        for (size_t i = 0; i < *n; i++) {
            free(in[i].data);
        }
        free(in);
        return NULL;
    }
    return in;
}

/* Child side of the --dir measurement: prints "events seconds 1 inputs". */
static int c_read_dir(const char *dir, int reps)
{
    size_t n;
    input_t *in = load_dir(dir, &n);
    if (in == NULL) {
        return 2;
    }
    long long events = 0;
    double t0 = now();
    for (int k = 0; k < reps; k++) {
        for (size_t i = 0; i < n; i++) {
            gtr_reader_t *r = NULL;
            const gtr_event_t *ev;
            int rc = gtr_reader_open_buffer(&r, in[i].data, in[i].len, NULL);
            while (rc == GTR_OK && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
                events++;
            }
            gtr_reader_free(r);
        }
    }
    double t1 = now();
    for (size_t i = 0; i < n; i++) {
        free(in[i].data);
    }
    free(in);
    printf("%lld %.9f 1 %zu\n", events, t1 - t0, n * (size_t)reps);
    return 0;
}

/* Runs argv in a child with stdout captured; fills res from its output via
 * parse(); returns 0 on success. */
static int run_child(char *const argv[], result_t *res, int is_go)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    char out[512] = {0};
    size_t n = 0;
    ssize_t k;
    while (n < sizeof out - 1 && (k = read(fds[0], out + n, sizeof out - 1 - n)) > 0) {
        n += (size_t)k;
    }
    close(fds[0]);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        return -1;
    }
    res->peak_rss_kib = ru.ru_maxrss;
    if (is_go) {
        const char *e = strstr(out, "\"events\":");
        const char *s = strstr(out, "\"seconds\":");
        if (e == NULL || s == NULL) {
            return -1;
        }
        const char *in = strstr(out, "\"inputs\":");
        res->inputs = in != NULL ? atoll(in + 9) : 0;
        res->events = atoll(e + 9);
        res->seconds = atof(s + 10);
        res->ok = strstr(out, "\"error\"") == NULL;
    } else if (sscanf(out, "%lld %lf %d %lld", &res->events, &res->seconds, &res->ok,
                      &res->inputs) < 3) {
        return -1;
    }
    return 0;
}

static int measure(char *const argv[], int is_go, int runs, result_t *best)
{
    for (int i = 0; i < runs; i++) {
        result_t r = {0};
        if (run_child(argv, &r, is_go) != 0) {
            fprintf(stderr, "readbench: %s failed\n", argv[0]);
            return -1;
        }
        if (i == 0 || r.seconds < best->seconds) {
            long rss = i == 0 || r.peak_rss_kib > best->peak_rss_kib ? r.peak_rss_kib
                                                                       : best->peak_rss_kib;
            *best = r;
            best->peak_rss_kib = rss;
        }
    }
    return 0;
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: readbench [--runs N] [--goread PATH] TRACE\n"
            "       readbench [--runs N] [--goread PATH] [--reps R] --dir DIR\n"
            "Reads every event of TRACE with the C reader and with Go's reader\n"
            "(goread), each in its own process, and prints events/s and peak RSS\n"
            "side by side with the ratios, then the C reader's ceiling: the same\n"
            "stream decoded batch by batch with nothing ordered. With --dir, each\n"
            "side reads every file\n"
            "of DIR from memory R times (default 10), as a fuzzer reads its\n"
            "inputs, and prints inputs/s side by side.\n"
            "exit codes: 0 measured, 1 the readers disagree on the event count\n"
            "or one failed to read the trace, 2 usage or setup error\n");
}

static void print_ratios(const char *name, const result_t *c, const result_t *go)
{
    double speed = c->seconds > 0 && go->seconds > 0
                       ? ((double)c->events / c->seconds) / ((double)go->events / go->seconds)
                       : 0;
    printf("ratio %-10s C/Go events/s = %.2fx (goal >= 10x), C/Go peak RSS = %.3f (goal <= "
           "0.25)\n",
           name, speed, go->peak_rss_kib ? (double)c->peak_rss_kib / (double)go->peak_rss_kib : 0);
}

/* The --dir measurement: both sides over the same files. */
static int bench_dir(const char *self, const char *goread, const char *dir, int reps, int runs)
{
    char nreps[32];
    snprintf(nreps, sizeof nreps, "%d", reps);
    char *c_argv[] = {(char *)self, "--child-c-dir", (char *)dir, nreps, NULL};
    char *go_argv[] = {(char *)goread, "-dir", (char *)dir, "-reps", nreps, NULL};
    result_t c = {0}, go = {0};
    if (measure(c_argv, 0, runs, &c) != 0 || measure(go_argv, 1, runs, &go) != 0) {
        return 2;
    }
    printf("inputs: every file of %s, each read %d times from memory (best of %d runs)\n", dir,
           reps, runs);
    printf("%-6s %10s %12s %10s %12s %10s\n", "reader", "inputs", "events", "seconds",
           "inputs/s", "us/input");
    const result_t *rows[] = {&c, &go};
    const char *names[] = {"C", "Go"};
    for (int i = 0; i < 2; i++) {
        const result_t *r = rows[i];
        printf("%-6s %10lld %12lld %10.3f %12.0f %10.2f\n", names[i], r->inputs, r->events,
               r->seconds, r->seconds > 0 ? (double)r->inputs / r->seconds : 0.0,
               r->inputs > 0 ? r->seconds * 1e6 / (double)r->inputs : 0.0);
    }
    printf("ratio C/Go inputs/s = %.2fx\n",
           c.seconds > 0 && go.seconds > 0 && go.inputs > 0
               ? ((double)c.inputs / c.seconds) / ((double)go.inputs / go.seconds)
               : 0);
    if (c.inputs != go.inputs || c.events != go.events) {
        fprintf(stderr,
                "readbench: the readers disagree: C %lld inputs %lld events, "
                "Go %lld inputs %lld events\n",
                c.inputs, c.events, go.inputs, go.events);
        return 1;
    }
    return 0;
}

static void print_row(const char *name, const result_t *r)
{
    printf("%-11s %12lld %10.3f %14.0f %12.1f %s\n", name, r->events, r->seconds,
           r->seconds > 0 ? (double)r->events / r->seconds : 0.0,
           (double)r->peak_rss_kib / 1024.0, r->ok ? "ok" : "error");
}

int main(int argc, char **argv)
{
    int runs = 3, reps = 10;
    char self[4096], go_default[4096];
    const char *goread = NULL, *dir = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--goread") == 0 && i + 1 < argc) {
            goread = argv[++i];
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--child-c-dir") == 0 && i + 2 < argc) {
            return c_read_dir(argv[i + 1], atoi(argv[i + 2]));
        } else if (strcmp(argv[i], "--child-c") == 0 && i + 1 < argc) {
            return c_read(argv[i + 1], 0);
        } else if (strcmp(argv[i], "--child-c-seekable") == 0 && i + 1 < argc) {
            return c_read(argv[i + 1], 1);
        } else if (strcmp(argv[i], "--child-c-decode") == 0 && i + 1 < argc) {
            return c_decode(argv[i + 1]);
        } else {
            usage(strcmp(argv[i], "--help") == 0 ? stdout : stderr);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if ((dir != NULL ? i != argc : i + 1 != argc) || runs < 1 || reps < 1) {
        usage(stderr);
        return 2;
    }
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        return 2;
    }
    self[n] = '\0';
    if (goread == NULL) {
        snprintf(go_default, sizeof go_default, "%.*s/goread",
                 (int)(strrchr(self, '/') - self), self);
        goread = go_default;
    }
    if (dir != NULL) {
        return bench_dir(self, goread, dir, reps, runs);
    }
    char *c_argv[] = {self, "--child-c", argv[i], NULL};
    char *cs_argv[] = {self, "--child-c-seekable", argv[i], NULL};
    char *cd_argv[] = {self, "--child-c-decode", argv[i], NULL};
    char *go_argv[] = {(char *)goread, argv[i], NULL};
    result_t c = {0}, cs = {0}, cd = {0}, go = {0};
    if (measure(c_argv, 0, runs, &c) != 0 || measure(cs_argv, 0, runs, &cs) != 0 ||
        measure(cd_argv, 0, runs, &cd) != 0 || measure(go_argv, 1, runs, &go) != 0) {
        return 2;
    }
    printf("trace: %s (best of %d runs each)\n", argv[i], runs);
    printf("%-11s %12s %10s %14s %12s %s\n", "reader", "events", "seconds", "events/s",
           "peak RSS MiB", "end");
    print_row("C stream", &c);
    print_row("C seekable", &cs);
    print_row("Go", &go);
    print_row("C decode", &cd);
    print_ratios("C stream", &c, &go);
    print_ratios("C seekable", &cs, &go);
    printf("ceiling  Go seconds / C decode seconds = %.2fx (every batch decoded, nothing "
           "ordered)\n",
           cd.seconds > 0 ? go.seconds / cd.seconds : 0.0);
    return c.events == go.events && cs.events == go.events && c.ok && cs.ok && cd.ok && go.ok
               ? 0
               : 1;
}
