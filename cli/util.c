/* util.c: file, directory and process helpers shared by the subcommands
 * of tracefuzz (see cli.h). */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "gotrace.h"
#include "gotrace_text.h"

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "-help") == 0 || strcmp(arg, "--help") == 0;
}

static uint8_t *read_stream(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f)) {
            break;
        }
        uint8_t *bigger = cap <= CLI_MAX_INPUT ? realloc(buf, cap * 2) : NULL;
        if (bigger == NULL) {
            free(buf);
            return NULL;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf != NULL && (ferror(f) || n > CLI_MAX_INPUT)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t err_cap)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, err_cap, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, err_cap, "cannot read %s: it is a directory", path);
        fclose(f);
        return NULL;
    }
    errno = 0;
    uint8_t *buf = read_stream(f, len);
    if (buf == NULL) {
        snprintf(err, err_cap, "cannot read %s: %s", path,
                 errno != 0 ? strerror(errno) : "larger than 1 GiB or out of memory");
    }
    if (!is_stdin) {
        fclose(f);
    }
    return buf;
}

/* Go's trace tests are txtar archives whose "-- trace --" section is a
 * trace in text format; such a file stands for that section. A section
 * runs from its marker line to the next line that starts with "-- ". */
static void txtar_trace_section(uint8_t *data, size_t *len)
{
    if (*len < 3 || memcmp(data, "-- ", 3) != 0) {
        return;
    }
    size_t start = 0, pos = 0;
    bool in_trace = false;
    while (pos < *len) {
        uint8_t *nl = memchr(data + pos, '\n', *len - pos);
        size_t next = nl != NULL ? (size_t)(nl - data) + 1 : *len;
        size_t n = next - pos - (nl != NULL ? 1 : 0);
        bool marker = n >= 3 && memcmp(data + pos, "-- ", 3) == 0;
        if (marker && in_trace) {
            break;
        }
        if (marker && n == 11 && memcmp(data + pos, "-- trace --", 11) == 0) {
            in_trace = true;
            start = next;
        }
        pos = next;
    }
    if (in_trace) {
        memmove(data, data + start, pos - start);
        *len = pos - start;
    }
}

int cli_load_trace(const char *path, uint8_t **wire, size_t *len, bool *was_text, char *err,
                   size_t err_cap)
{
    uint8_t *data = cli_read_file(path, len, err, err_cap);
    *wire = NULL;
    *was_text = false;
    if (data == NULL) {
        return EXIT_USAGE;
    }
    txtar_trace_section(data, len);
    if (!gtr_text_detect(data, *len)) {
        *wire = data;
        return EXIT_OK;
    }
    *was_text = true;
    gtr_text_result_t res;
    gtr_text_status_t st = gtr_text_to_wire(data, *len, NULL, &res);
    free(data);
    if (st != GTR_TEXT_OK) {
        snprintf(err, err_cap, "%s: text format: %s", path, res.msg);
        gtr_text_result_free(&res);
        return EXIT_USAGE;
    }
    *wire = res.out; /* allocated with malloc; the caller frees it */
    *len = res.out_len;
    return EXIT_OK;
}

static bool paths_push(cli_paths_t *p, const char *path)
{
    if (p->n == p->cap) {
        size_t cap = p->cap == 0 ? 64 : p->cap * 2;
        char **items = realloc(p->items, cap * sizeof *items);
        if (items == NULL) {
            return false;
        }
        p->items = items;
        p->cap = cap;
    }
    char *copy = strdup(path);
    if (copy == NULL) {
        return false;
    }
    p->items[p->n++] = copy;
    return true;
}

static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file below dir, depth first; sorted by the caller. */
static bool walk_dir(cli_paths_t *p, const char *dir, int depth, char *err, size_t err_cap)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, err_cap, "cannot open directory %s: %s", dir, strerror(errno));
        return false;
    }
    bool ok = depth < 64; /* symlink loops end here instead of forever */
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        struct stat st;
        if (child == NULL) {
            snprintf(err, err_cap, "out of memory");
            ok = false;
            break;
        }
        snprintf(child, n, "%s/%s", dir, e->d_name);
        if (stat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
            ok = walk_dir(p, child, depth + 1, err, err_cap);
        } else if (stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
            ok = paths_push(p, child);
            if (!ok) {
                snprintf(err, err_cap, "out of memory");
            }
        }
        free(child);
    }
    closedir(d);
    return ok;
}

bool cli_paths_add(cli_paths_t *p, const char *path, char *err, size_t err_cap)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, err_cap, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!paths_push(p, path)) {
            snprintf(err, err_cap, "out of memory");
            return false;
        }
        return true;
    }
    size_t first = p->n;
    if (!walk_dir(p, path, 0, err, err_cap)) {
        return false;
    }
    qsort(p->items + first, p->n - first, sizeof *p->items, cmp_paths);
    return true;
}

void cli_paths_free(cli_paths_t *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i]);
    }
    free(p->items);
    memset(p, 0, sizeof *p);
}

void cli_self_dir(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0) {
        snprintf(buf, cap, ".");
        return;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash != NULL) {
        *slash = '\0';
    }
}

/* Reads the child's stdout to its end, keeping at most max bytes. */
static bool read_pipe(int fd, size_t max, char **out, size_t *out_len, bool *too_big)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    *too_big = false;
    while (buf != NULL) {
        if (n == cap) {
            char *bigger = cap < max ? realloc(buf, cap * 2 + 1) : NULL;
            if (bigger == NULL) {
                *too_big = cap >= max;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            break;
        }
        n += (size_t)k;
    }
    if (buf == NULL || *too_big) {
        free(buf);
        return false;
    }
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return true;
}

int cli_run_capture(char *const argv[], size_t max, char **out, size_t *out_len, char *err,
                    size_t err_cap)
{
    int fds[2];
    *out = NULL;
    *out_len = 0;
    if (pipe(fds) != 0) {
        snprintf(err, err_cap, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_cap, "cannot fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        fprintf(stderr, "tracefuzz: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    bool too_big = false;
    bool ok = read_pipe(fds[0], max, out, out_len, &too_big);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!ok) {
        snprintf(err, err_cap, "%s: output %s", argv[0],
                 too_big ? "larger than the limit" : "could not be stored (out of memory)");
        return -1;
    }
    if (WIFSIGNALED(status)) {
        snprintf(err, err_cap, "%s was killed by signal %d", argv[0], WTERMSIG(status));
        free(*out);
        *out = NULL;
        return -1;
    }
    return WEXITSTATUS(status);
}

void cli_json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
        } else if (c < 0x20 || c >= 0x7f) {
            /* Dumps escape non-ASCII already; anything else is kept ASCII. */
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

bool cli_c_dump(const uint8_t *wire, size_t len, char **out, size_t *out_len, char *err,
                size_t err_cap)
{
    *out = NULL;
    *out_len = 0;
    FILE *f = open_memstream(out, out_len);
    if (f == NULL) {
        snprintf(err, err_cap, "cannot open a memory stream");
        return false;
    }
    int rc = gtr_dump_buffer(wire, len, NULL, f);
    if (fclose(f) != 0 || rc == 2) {
        snprintf(err, err_cap, "the C dump could not be written");
        free(*out);
        *out = NULL;
        return false;
    }
    return true;
}
