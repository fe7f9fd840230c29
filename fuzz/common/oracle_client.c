/* oracle_client.c: a pipe-connected `gotrace-oracle serve` co-process. */
#define _POSIX_C_SOURCE 200809L
#include "oracle_client.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct fuzz_oracle {
    char *path;
    char *extra;
    pid_t pid;
    int to_fd;   /* oracle's stdin */
    int from_fd; /* oracle's stdout */
    char *reply;
    size_t cap;
    int sent; /* 1: a request is written and its answer not yet read;
               * -1: writing it failed (receive starts afresh) */
};

static int spawn(fuzz_oracle_t *o)
{
    int in[2], out[2];
    if (pipe(in) != 0) {
        return -1;
    }
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]); close(in[1]); close(out[0]); close(out[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(in[0]); close(in[1]); close(out[0]); close(out[1]);
        char *argv[] = {o->path, "serve", o->extra, NULL};
        execv(o->path, argv);
        fprintf(stderr, "oracle: cannot run %s: %s\n", o->path, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    o->pid = pid;
    o->to_fd = in[1];
    o->from_fd = out[0];
    return 0;
}

static void reap(fuzz_oracle_t *o)
{
    if (o->pid <= 0) {
        return;
    }
    close(o->to_fd);
    close(o->from_fd);
    kill(o->pid, SIGKILL);
    waitpid(o->pid, NULL, 0);
    o->pid = 0;
}

fuzz_oracle_t *fuzz_oracle_start(const char *path, const char *extra_arg)
{
    /* A dead oracle must show up as a failed write, not kill the fuzzer. */
    signal(SIGPIPE, SIG_IGN);
    fuzz_oracle_t *o = calloc(1, sizeof *o);
    if (o == NULL) {
        return NULL;
    }
    o->path = strdup(path);
    o->extra = extra_arg != NULL ? strdup(extra_arg) : NULL;
    if (o->path == NULL || (extra_arg != NULL && o->extra == NULL) || spawn(o) != 0) {
        fprintf(stderr, "oracle: cannot start %s: %s\n", path, strerror(errno));
        fuzz_oracle_stop(o);
        return NULL;
    }
    return o;
}

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return -1;
        }
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    uint8_t *b = p;
    while (n > 0) {
        ssize_t k = read(fd, b, n);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return -1;
        }
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

static int send_request(fuzz_oracle_t *o, const uint8_t *data, size_t len)
{
    uint8_t hdr[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
                      (uint8_t)(len >> 24)};
    if (len > UINT32_MAX || write_all(o->to_fd, hdr, 4) != 0 ||
        write_all(o->to_fd, data, len) != 0) {
        return -1;
    }
    return 0;
}

static int read_reply(fuzz_oracle_t *o, size_t *reply_len)
{
    uint8_t hdr[4];
    if (read_all(o->from_fd, hdr, 4) != 0) {
        return -1;
    }
    size_t n = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 |
               (size_t)hdr[3] << 24;
    if (n > FUZZ_ORACLE_MAX_REPLY) {
        return -1;
    }
    if (n + 1 > o->cap) {
        char *p = realloc(o->reply, n + 1);
        if (p == NULL) {
            return -1;
        }
        o->reply = p;
        o->cap = n + 1;
    }
    if (read_all(o->from_fd, o->reply, n) != 0) {
        return -1;
    }
    o->reply[n] = '\0';
    *reply_len = n;
    return 0;
}

/* Reads and drops the answer to a request sent and never received, so
 * that the next answer read is the next request's. */
static void drop_unreceived(fuzz_oracle_t *o)
{
    size_t stale;
    if (o->sent == 1 && read_reply(o, &stale) != 0) {
        reap(o);
    }
    o->sent = 0;
}

void fuzz_oracle_send(fuzz_oracle_t *o, const uint8_t *data, size_t len)
{
    drop_unreceived(o);
    o->sent = -1;
    if (o->pid <= 0 && spawn(o) != 0) {
        return;
    }
    if (send_request(o, data, len) == 0) {
        o->sent = 1;
    } else {
        reap(o);
    }
}

int fuzz_oracle_receive(fuzz_oracle_t *o, const uint8_t *data, size_t len, const char **dump,
                        size_t *dump_len)
{
    int sent = o->sent;
    o->sent = 0;
    if (sent == 1) {
        if (read_reply(o, dump_len) == 0) {
            *dump = o->reply;
            return 0;
        }
        reap(o); /* out of step or dead: one more try from a fresh start */
    }
    /* A failed send or a failed answer counts as the first of two attempts. */
    for (int attempt = sent != 0 ? 1 : 0; attempt < 2; attempt++) {
        if (o->pid <= 0 && spawn(o) != 0) {
            continue;
        }
        if (send_request(o, data, len) == 0 && read_reply(o, dump_len) == 0) {
            *dump = o->reply;
            return 0;
        }
        reap(o);
    }
    fprintf(stderr, "oracle: %s serve failed twice on a %zu-byte input\n", o->path, len);
    return -1;
}

int fuzz_oracle_query(fuzz_oracle_t *o, const uint8_t *data, size_t len,
                      const char **dump, size_t *dump_len)
{
    drop_unreceived(o);
    return fuzz_oracle_receive(o, data, len, dump, dump_len);
}

void fuzz_oracle_stop(fuzz_oracle_t *o)
{
    if (o == NULL) {
        return;
    }
    reap(o);
    free(o->path);
    free(o->extra);
    free(o->reply);
    free(o);
}

const char *fuzz_oracle_default_path(char *buf, size_t cap)
{
    const char *env = getenv("TRACEFUZZ_ORACLE");
    if (env != NULL && *env != '\0') {
        snprintf(buf, cap, "%s", env);
        return access(buf, X_OK) == 0 ? buf : NULL;
    }
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0 || (size_t)n >= cap - 1) {
        return NULL;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash == NULL) {
        return NULL;
    }
    const char name[] = "gotrace-oracle";
    if ((size_t)(slash + 1 - buf) + sizeof name > cap) {
        return NULL;
    }
    memcpy(slash + 1, name, sizeof name);
    return access(buf, X_OK) == 0 ? buf : NULL;
}
