/* cmd_repro.c: `tracefuzz repro FILE`, the first thing to run on a crash
 * input: it runs the input through every fuzz target's binary, says which
 * fail and shows their sanitizer or assertion report, shows the trace the
 * input stands for (Go's text format, and the C reader's dump up to where
 * it stopped), and writes a minimized input FILE.min beside the original
 * with libFuzzer's -minimize_crash, checking that it still fails.
 *
 * Anything that may crash (the target, the dump, the text conversion, the
 * generator for gen_ inputs) runs in a child process, so a crash there is
 * reported, not suffered. */
#define _GNU_SOURCE /* memmem */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "gen_mutator.h"
#include "gotrace.h"
#include "gotrace_text.h"

int cmd_repro(int argc, char **argv);

static const char usage[] =
    "usage: tracefuzz repro FILE [OPTIONS]\n"
    "\n"
    "Reproduces a crash input found by a fuzz target (docs/fuzzing.md): runs FILE\n"
    "through every fuzz target binary, reports which fail with their sanitizer or\n"
    "assertion report, prints the trace the input stands for (Go's text format,\n"
    "then the C reader's canonical dump up to where it stopped; for gen_accept\n"
    "and gen_mutate the trace their generator makes of the input, also written\n"
    "to FILE.trace), and writes a minimized input to FILE.min with libFuzzer's\n"
    "-minimize_crash on the first failing target (FILE itself is kept), then\n"
    "checks that FILE.min still fails.\n"
    "\n"
    "options:\n"
    "  --build DIR       build tree whose bin/ holds the targets (default: build/fuzz\n"
    "                    of the source tree if built there, else this tool's build,\n"
    "                    whose targets replay but cannot minimize)\n"
    "  --targets A,B     only these targets\n"
    "  --runs N          minimization budget in runs (default 20000)\n"
    "  --no-minimize     do not write FILE.min\n"
    "  --oracle PATH     Go oracle for diff_oracle and gen_mutate (TRACEFUZZ_ORACLE)\n"
    "  -h, --help        this text\n"
    "\n"
    "exit codes:\n"
    "  0  no target fails on FILE\n"
    "  1  some target fails (reproduced)\n"
    "  2  usage error, unreadable FILE, or no target binaries\n";

typedef struct repro_args {
    const char *file, *build, *oracle;
    char targets_buf[256];
    const char *targets[16];
    size_t ntargets;
    unsigned long runs;
    bool minimize;
} repro_args_t;

/* -------------------------------------------------------- child runs */

/* Reads fd to its end, keeping the first `max` bytes (NUL-terminated). */
static char *read_all(int fd, size_t max, size_t *len)
{
    char *buf = malloc(max + 1), chunk[8192];
    size_t n = 0;
    for (ssize_t k; buf != NULL && (k = read(fd, chunk, sizeof chunk)) != 0;) {
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k < 0) {
            break;
        }
        size_t take = n + (size_t)k <= max ? (size_t)k : max - n;
        memcpy(buf + n, chunk, take);
        n += take;
    }
    if (buf != NULL) {
        buf[n] = '\0';
    }
    *len = n;
    return buf;
}

/* Exit status of a finished child: its code, or 128 + the signal. */
static int wait_status(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs argv with stdout and stderr captured together; a child still
 * running after `seconds` is killed by SIGALRM. */
static int run_captured(char *const argv[], unsigned seconds, char **out, size_t *len)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        alarm(seconds);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    *out = pid > 0 ? read_all(fds[0], 4u << 20, len) : NULL;
    close(fds[0]);
    return pid > 0 ? wait_status(pid) : -1;
}

typedef void (*child_fn)(FILE *out, const uint8_t *data, size_t len, const char *what);

/* Runs fn in a forked child writing to an unbuffered pipe, so that what it
 * wrote before a crash arrives. Returns the child's status. */
static int in_child(child_fn fn, const uint8_t *data, size_t len, const char *what, char **out,
                    size_t *outlen)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        FILE *f = fdopen(fds[1], "w");
        if (f != NULL) {
            setvbuf(f, NULL, _IONBF, 0);
            fn(f, data, len, what);
            fclose(f);
        }
        _exit(0);
    }
    close(fds[1]);
    *out = pid > 0 ? read_all(fds[0], 64u << 20, outlen) : NULL;
    close(fds[0]);
    return pid > 0 ? wait_status(pid) : -1;
}

static void child_dump(FILE *out, const uint8_t *data, size_t len, const char *what)
{
    (void)what;
    gtr_dump_buffer(data, len, NULL, out);
}

static void child_text(FILE *out, const uint8_t *data, size_t len, const char *what)
{
    (void)what;
    gtr_text_result_t res;
    gtr_text_status_t st = gtr_wire_to_text(data, len, NULL, &res);
    if (res.out != NULL) {
        fwrite(res.out, 1, res.out_len, out);
    }
    if (st != GTR_TEXT_OK) {
        fprintf(out, "(the conversion stops here: %s)\n", res.msg);
    }
    gtr_text_result_free(&res);
}

static void child_text_to_wire(FILE *out, const uint8_t *data, size_t len, const char *what)
{
    (void)what;
    gtr_text_result_t res;
    if (gtr_text_to_wire(data, len, NULL, &res) == GTR_TEXT_OK) {
        fwrite(res.out, 1, res.out_len, out);
    }
    gtr_text_result_free(&res);
}

/* The wire trace a gen_ target builds from the input. */
static void child_generate(FILE *out, const uint8_t *data, size_t len, const char *target)
{
    uint8_t *wire = NULL;
    size_t n = 0;
    const char *mutation = "none";
    char desc[256] = "";
    if (gen_mutator_wire(target, data, len, &wire, &n, &mutation, desc, sizeof desc) ==
        GTG_OK) {
        fwrite(wire, 1, n, out);
    }
    free(wire);
}

/* ------------------------------------------------------------ options */

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "tracefuzz repro: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return EXIT_USAGE;
}

static bool known_target(const char *t)
{
    for (size_t i = 0; i < cli_fuzz_ntargets; i++) {
        if (strcmp(t, cli_fuzz_targets[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int parse_targets(const char *list, repro_args_t *a)
{
    cli_pathf(a->targets_buf, sizeof a->targets_buf, "%s", list);
    a->ntargets = 0;
    for (char *save = NULL, *t = strtok_r(a->targets_buf, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        if (!known_target(t) || a->ntargets == 16) {
            return usage_error("unknown target '%s'", t);
        }
        a->targets[a->ntargets++] = t;
    }
    return a->ntargets > 0 ? 0 : usage_error("empty --targets list%s", "");
}

static int parse_args(int argc, char **argv, repro_args_t *a)
{
    *a = (repro_args_t){.runs = 20000, .minimize = true};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = 0;
        if (cli_is_help(o)) {
            fputs(usage, stdout);
            return -1;
        } else if (strcmp(o, "--no-minimize") == 0) {
            a->minimize = false;
            continue;
        } else if (o[0] != '-' || strcmp(o, "-") == 0) {
            if (a->file != NULL) {
                return usage_error("one FILE only (%s is the second)", o);
            }
            a->file = o;
            continue;
        } else if (v == NULL) {
            return usage_error("unknown option or missing value: %s", o);
        } else if (strcmp(o, "--build") == 0) {
            a->build = v;
        } else if (strcmp(o, "--oracle") == 0) {
            a->oracle = v;
        } else if (strcmp(o, "--targets") == 0) {
            rc = parse_targets(v, a);
        } else if (strcmp(o, "--runs") == 0) {
            char *end;
            a->runs = strtoul(v, &end, 10);
            rc = *end != '\0' || a->runs == 0 ? usage_error("bad --runs '%s'", v) : 0;
        } else {
            return usage_error("unknown option %s", o);
        }
        if (rc != 0) {
            return rc;
        }
        i++;
    }
    if (a->file == NULL) {
        return usage_error("no FILE given%s", "");
    }
    if (a->ntargets == 0) {
        for (size_t i = 0; i < cli_fuzz_ntargets; i++) {
            a->targets[a->ntargets++] = cli_fuzz_targets[i];
        }
    }
    return 0;
}

/* --------------------------------------------------------- the steps */

/* The bin/ directory: --build DIR, else build/fuzz of the source tree if it
 * holds any target, else this tool's own directory. */
static void find_bin(const repro_args_t *a, char *bin, size_t cap)
{
    char root[4096];
    if (a->build != NULL) {
        cli_pathf(bin, cap, "%s/bin", a->build);
        return;
    }
    if (cli_source_root(root, sizeof root)) {
        for (size_t i = 0; i < a->ntargets; i++) {
            char p[4300];
            cli_pathf(p, sizeof p, "%s/build/fuzz/bin/%s", root, a->targets[i]);
            if (access(p, X_OK) == 0) {
                cli_pathf(bin, cap, "%s/build/fuzz/bin", root);
                return;
            }
        }
    }
    cli_self_dir(bin, cap);
}

/* A libFuzzer binary carries the names of its flags. */
static bool is_libfuzzer(const char *path)
{
    size_t len = 0;
    char err[256];
    uint8_t *data = cli_read_file(path, &len, err, sizeof err);
    static const char flag[] = "minimize_crash_internal_step";
    bool yes = data != NULL && memmem(data, len, flag, sizeof flag - 1) != NULL;
    free(data);
    return yes;
}

/* Runs one target binary on the input; a libFuzzer binary gets a timeout
 * (a hang is a finding too). */
static int run_target(const char *exe, bool libfuzzer, const char *file, char **out,
                      size_t *len)
{
    char *argv[] = {(char *)exe, "-timeout=25", (char *)file, NULL};
    if (!libfuzzer) {
        argv[1] = (char *)file;
        argv[2] = NULL;
    }
    return run_captured(argv, 120, out, len);
}

/* The report without the engines' chatter, indented. */
static void print_report(const char *text)
{
    static const char *const noise[] = {"INFO: ", "Running: ", "Executed ", "replay: ",
                                        "*** NOTE", "MS: ", "Base64: ", "artifact_prefix"};
    size_t shown = 0;
    bool shadow = false; /* ASan's shadow-byte map after its SUMMARY line */
    for (const char *p = text; *p != '\0' && shown < 120;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        bool skip = n == 0;
        for (size_t i = 0; i < sizeof noise / sizeof noise[0] && !skip; i++) {
            skip = strncmp(p, noise[i], strlen(noise[i])) == 0;
        }
        shadow = shadow ? strstr(p, "ABORTING") == NULL || (size_t)(strstr(p, "ABORTING") - p) > n
                        : strncmp(p, "Shadow bytes around", 19) == 0;
        if (!skip && !shadow) {
            printf("    %.*s\n", (int)n, p);
            shown++;
        }
        p += n + (nl != NULL);
    }
}

static bool write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    bool ok = f != NULL && fwrite(data, 1, len, f) == len;
    return (f != NULL && fclose(f) == 0) && ok;
}

/* Prints the last `max` lines of text[0..len). */
static void print_tail(const char *text, size_t len, size_t max)
{
    size_t lines = 0, from = len;
    while (from > 0 && lines <= max) {
        from--;
        lines += text[from] == '\n' && from + 1 < len;
    }
    if (from > 0) {
        printf("    ... (%s)\n", "earlier lines left out");
        from++;
    }
    for (const char *p = text + from; p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(text + len - p);
        printf("    %.*s\n", (int)n, p);
        p += n + 1;
    }
}

/* Prints the trace the input stands for, as Go text and as the C dump. */
static void show_trace(const char *target, const uint8_t *data, size_t len, const char *file)
{
    char *wire = NULL, *text = NULL, *dump = NULL;
    size_t wlen = 0, tlen = 0, dlen = 0;
    int st = 0;
    if (strncmp(target, "gen_", 4) == 0) {
        st = in_child(child_generate, data, len, target, &wire, &wlen);
        char path[4200];
        cli_pathf(path, sizeof path, "%s.trace", file);
        printf("\n== %s's generator makes a %zu-byte trace of this input", target, wlen);
        if (st != 0 || wlen == 0) {
            printf(": it fails (status %d)\n", st);
        } else if (write_bytes(path, wire, wlen)) {
            printf(" (written to %s)\n", path);
        } else {
            printf(" (cannot write %s)\n", path);
        }
    } else if (gtr_text_detect(data, len)) {
        st = in_child(child_text_to_wire, data, len, NULL, &wire, &wlen);
        text = malloc(len + 1);
        if (text != NULL) {
            memcpy(text, data, len);
            tlen = len;
        }
    } else if ((wire = malloc(len + 1)) != NULL) {
        memcpy(wire, data, len);
        wlen = len;
    }
    if (wire != NULL && text == NULL) {
        st = in_child(child_text, (const uint8_t *)wire, wlen, NULL, &text, &tlen);
        printf("\n== the trace as Go text (last lines)%s\n",
               st != 0 ? "; the converter crashes" : "");
    } else {
        printf("\n== the trace as Go text (the input itself; last lines)\n");
    }
    print_tail(text != NULL ? text : "", tlen, 40);
    if (wire != NULL) {
        st = in_child(child_dump, (const uint8_t *)wire, wlen, NULL, &dump, &dlen);
        printf("\n== the C reader's dump (last lines)\n");
        print_tail(dump != NULL ? dump : "", dlen, 30);
        if (st != 0) {
            printf("    (the reader stops here: it crashed, status %d)\n", st);
        }
    }
    free(wire);
    free(text);
    free(dump);
}

/* FILE.min by libFuzzer's -minimize_crash; checks it still fails.
 * Returns true if a smaller failing input was written. */
static bool minimize(const char *exe, const char *target, const char *file, size_t size,
                     unsigned long runs)
{
    char min[4200], runs_arg[64], path_arg[4300];
    cli_pathf(min, sizeof min, "%s.min", file);
    cli_pathf(runs_arg, sizeof runs_arg, "-runs=%lu", runs);
    cli_pathf(path_arg, sizeof path_arg, "-exact_artifact_path=%s", min);
    unlink(min);
    printf("\n== minimizing with %s (-minimize_crash=1 %s)\n", target, runs_arg);
    fflush(stdout);
    char *argv[] = {(char *)exe, "-minimize_crash=1", runs_arg, "-timeout=25", path_arg,
                    (char *)file, NULL};
    char *out = NULL;
    size_t olen = 0;
    (void)run_captured(argv, 900, &out, &olen);
    free(out);
    struct stat st;
    if (stat(min, &st) != 0) {
        printf("    no smaller input found; %s is as small as libFuzzer gets it\n", file);
        return false;
    }
    int rc = run_target(exe, true, min, &out, &olen);
    free(out);
    printf("    %s: %lld bytes (the original: %zu bytes, kept); %s\n", min,
           (long long)st.st_size, size,
           rc != 0 ? "still fails" : "does NOT fail any more (kept for reference)");
    return rc != 0 && (size_t)st.st_size < size;
}

static void set_env(const repro_args_t *a)
{
    if (a->oracle != NULL) {
        setenv("TRACEFUZZ_ORACLE", a->oracle, 1);
    }
}

int cmd_repro(int argc, char **argv)
{
    repro_args_t a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        return rc < 0 ? EXIT_OK : rc;
    }
    size_t len = 0;
    char err[512], bin[4096];
    uint8_t *data = cli_read_file(a.file, &len, err, sizeof err);
    if (data == NULL) {
        fprintf(stderr, "tracefuzz repro: %s\n", err);
        return EXIT_USAGE;
    }
    set_env(&a);
    find_bin(&a, bin, sizeof bin);
    printf("repro: %s (%zu bytes), targets in %s\n", a.file, len, bin);
    size_t ran = 0, failed = 0;
    const char *first = NULL;
    char first_exe[4300] = "";
    bool first_lf = false;
    for (size_t i = 0; i < a.ntargets; i++) {
        char exe[4300];
        cli_pathf(exe, sizeof exe, "%s/%s", bin, a.targets[i]);
        if (access(exe, X_OK) != 0) {
            printf("%-12s not built here\n", a.targets[i]);
            continue;
        }
        bool lf = is_libfuzzer(exe);
        char *out = NULL;
        size_t olen = 0;
        int st = run_target(exe, lf, a.file, &out, &olen);
        ran++;
        if (st == 0) {
            printf("%-12s ok\n", a.targets[i]);
        } else {
            printf("%-12s FAILS (%s %d)\n", a.targets[i], st > 128 ? "signal" : "exit",
                   st > 128 ? st - 128 : st);
            print_report(out != NULL ? out : "");
            if (first == NULL) {
                first = a.targets[i];
                cli_pathf(first_exe, sizeof first_exe, "%s", exe);
                first_lf = lf;
            }
            failed++;
        }
        free(out);
        fflush(stdout);
    }
    if (ran == 0) {
        fprintf(stderr, "tracefuzz repro: no fuzz target binaries in %s (build them: cmake "
                        "--preset fuzz && cmake --build --preset fuzz, or give --build)\n", bin);
        free(data);
        return EXIT_USAGE;
    }
    printf("%zu of %zu target(s) fail\n", failed, ran);
    if (first != NULL) {
        show_trace(first, data, len, a.file);
        if (a.minimize && first_lf) {
            minimize(first_exe, first, a.file, len, a.runs);
        } else if (a.minimize) {
            printf("\n(not minimized: %s is not a libFuzzer build; give --build build/fuzz)\n",
                   first_exe);
        }
    }
    free(data);
    return failed > 0 ? EXIT_FINDING : EXIT_OK;
}
