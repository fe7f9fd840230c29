/* replay.c: the default fuzzing "engine" — runs LLVMFuzzerTestOneInput once
 * on every file named on the command line, descending into directories.
 *
 * Linked instead of libFuzzer or AFL++ when neither is in use, so every fuzz
 * target is also a plain executable: ctest replays the seed corpora and
 * seeds/regressions/ through it, and a crash found anywhere reproduces with
 * `target FILE` in any build. Each input is copied into a buffer of exactly
 * its size, so ASan sees a read past the end as it would under a fuzzer.
 *
 * Exit codes: 0 every input ran (a failing property aborts instead), 2 a
 * path could not be read or no path was given. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t files_run;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 2;
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = 0;
    if (fseek(f, 0, SEEK_END) != 0 || (len = (size_t)ftell(f), fseek(f, 0, SEEK_SET)) != 0 ||
        (buf = malloc(len > 0 ? len : 1)) == NULL || fread(buf, 1, len, f) != len) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        rc = 2;
    }
    fclose(f);
    if (rc == 0) {
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
        LLVMFuzzerTestOneInput(buf, len);
        files_run++;
    }
    free(buf);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path);

/* Entries in name order, so a replay is the same run every time; dot-files
 * (editor and VCS litter) are skipped. */
static int run_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 2;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *names);
            if (p == NULL) {
                rc = 2;
                break;
            }
            names = p;
        }
        size_t need = strlen(path) + strlen(e->d_name) + 2;
        if ((names[n] = malloc(need)) == NULL) {
            rc = 2;
            break;
        }
        snprintf(names[n++], need, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (n > 1) {
        qsort(names, n, sizeof *names, cmp_names);
    }
    for (size_t i = 0; i < n; i++) {
        rc = rc != 0 ? rc : run_path(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 2;
    }
    return S_ISDIR(st.st_mode) ? run_dir(path) : run_file(path);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(stderr, "usage: %s FILE_OR_DIR...\n"
                        "Runs the fuzz target once on each file (directories: every file\n"
                        "in them, recursively). Exit 0 all ran, 2 unreadable path;\n"
                        "a failing property aborts.\n", argv[0]);
        return argc < 2 ? 2 : 0;
    }
    if (LLVMFuzzerInitialize != NULL) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        int r = run_path(argv[i]);
        rc = rc != 0 ? rc : r;
    }
    fprintf(stderr, "replay: %zu file(s) ran, %s\n", files_run,
            rc == 0 ? "all passed" : "some paths unreadable");
    return rc;
}
