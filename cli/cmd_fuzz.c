/* cmd_fuzz.c: `tracefuzz fuzz`, a time-bounded fuzzing campaign over the
 * fuzz targets of fuzz/ on their built-in seeds: it finds (or builds) the
 * libFuzzer or AFL++ binaries, runs each target for its share of the time
 * (up to --jobs at once), prints progress (execs, exec/s, coverage, corpus,
 * findings) and copies every crash, leak, timeout or OOM input into the
 * findings directory. Also where `tracefuzz repro` finds the binaries
 * (cli_fuzz_bin_dir). */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cmd_fuzz(int argc, char **argv);

const char *const cli_fuzz_targets[] = {"read_raw",    "read_text",  "read_stream",
                                        "diff_oracle", "gen_accept", "gen_mutate"};
const size_t cli_fuzz_ntargets = sizeof cli_fuzz_targets / sizeof cli_fuzz_targets[0];

static const char usage[] =
    "usage: tracefuzz fuzz [OPTIONS]\n"
    "\n"
    "Runs a time-bounded fuzzing campaign over the fuzz targets (docs/fuzzing.md)\n"
    "on their seeds (seeds/<target>/), growing a corpus per target, and copies\n"
    "every crash, leak, timeout or out-of-memory input to the findings directory\n"
    "as <target>-<artifact>. Progress lines (execs, exec/s, coverage, corpus,\n"
    "findings) go to stderr every 5 seconds, a summary table to stdout.\n"
    "Missing binaries are built first (cmake --preset fuzz|afl, then\n"
    "cmake --build), and it says so.\n"
    "\n"
    "options:\n"
    "  --time SECONDS    wall-clock budget of the whole campaign (default 60),\n"
    "                    split across the targets (each gets at least 1 s)\n"
    "  --jobs N          targets fuzzed at once (default 1)\n"
    "  --engine E        libfuzzer (default: build/fuzz/bin), afl (build/afl/bin,\n"
    "                    gen_ targets with the choice mutator library), or replay\n"
    "                    (runs seeds and corpus once through the replay binaries)\n"
    "  --targets A,B     which targets (default: all of read_raw, read_text,\n"
    "                    read_stream, diff_oracle, gen_accept, gen_mutate)\n"
    "  --out DIR         findings directory (default out/findings)\n"
    "  --work DIR        corpora (DIR/corpus/<target>), logs (DIR/logs) and AFL++\n"
    "                    output (DIR/afl) (default out)\n"
    "  --build DIR       the engine's build tree (default: build/fuzz or build/afl\n"
    "                    of the source tree this tool was built from; replay:\n"
    "                    this tool's own build)\n"
    "  --seeds DIR       seed root (default: seeds/ of the source tree)\n"
    "  --oracle PATH     Go oracle for diff_oracle and gen_mutate (exported as\n"
    "                    TRACEFUZZ_ORACLE), e.g. bin/gotrace-oracle-xexp built\n"
    "                    against an older x/exp\n"
    "  --json            the summary as one JSON document on stdout\n"
    "  -h, --help        this text\n"
    "\n"
    "exit codes:\n"
    "  0  the campaign ran and found nothing\n"
    "  1  a finding (its input is in the findings directory)\n"
    "  2  usage error, or the binaries could not be found or built\n";

typedef enum engine { ENGINE_LIBFUZZER, ENGINE_AFL, ENGINE_REPLAY } engine_t;

static const char *const engine_names[] = {"libfuzzer", "afl", "replay"};

typedef struct fuzz_args {
    unsigned seconds, jobs;
    engine_t engine;
    const char *targets[16];
    size_t ntargets;
    const char *out, *work, *build, *seeds, *oracle;
    bool json;
} fuzz_args_t;

/* One target's run. */
typedef struct run {
    const char *target;
    pid_t pid;
    int fd;        /* the child's stdout+stderr; -1 once closed */
    FILE *log;
    time_t start;
    unsigned budget; /* seconds */
    char line[4096];
    size_t linelen;
    char afl_dir[4096]; /* AFL++ -o directory */
    char artifacts[4096];
    unsigned long long execs, exec_per_sec, corpus, findings;
    char cov[32];
    char last_input[4096]; /* replay: the input running when it stopped */
    int status; /* exit status, or 128+signal */
    bool done;
} run_t;

/* ---------------------------------------------------------- locations */

int cli_pathf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_tree(const char *dir)
{
    char a[4200], b[4200];
    cli_pathf(a, sizeof a, "%s/CMakePresets.json", dir);
    cli_pathf(b, sizeof b, "%s/fuzz/CMakeLists.txt", dir);
    return is_file(a) && is_file(b);
}

bool cli_source_root(char *buf, size_t cap)
{
    char dir[4096];
    cli_self_dir(dir, sizeof dir);
    for (int up = 0; up < 5; up++) { /* build/<preset>/bin is three levels down */
        if (has_tree(dir)) {
            cli_pathf(buf, cap, "%s", dir);
            return true;
        }
        char *slash = strrchr(dir, '/');
        if (slash == NULL || slash == dir) {
            break;
        }
        *slash = '\0';
    }
    if (has_tree(".")) {
        cli_pathf(buf, cap, ".");
        return true;
    }
    return false;
}

/* Runs argv with the working directory dir, output passed through. */
static int run_in(const char *dir, char *const argv[])
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        if (dir != NULL && chdir(dir) != 0) {
            _exit(127);
        }
        dup2(STDERR_FILENO, STDOUT_FILENO); /* keep stdout for the summary */
        execvp(argv[0], argv);
        fprintf(stderr, "tracefuzz: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool targets_built(const char *bin, const char *const *targets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char p[4200];
        cli_pathf(p, sizeof p, "%s/%s", bin, targets[i]);
        if (access(p, X_OK) != 0) {
            return false;
        }
    }
    return true;
}

int cli_fuzz_bin_dir(const char *engine, const char *build, const char *const *targets,
                     size_t n, char *bin, size_t cap)
{
    char root[4096], tree[4096];
    bool have_root = cli_source_root(root, sizeof root);
    bool replay = strcmp(engine, "replay") == 0;
    const char *preset = strcmp(engine, "afl") == 0 ? "afl" : "fuzz";
    if (build != NULL) {
        cli_pathf(tree, sizeof tree, "%s", build);
    } else if (replay) {
        cli_self_dir(tree, sizeof tree);
        char *slash = strrchr(tree, '/');
        if (slash != NULL) {
            *slash = '\0';
        }
    } else if (have_root) {
        cli_pathf(tree, sizeof tree, "%s/build/%s", root, preset);
    } else {
        fprintf(stderr, "tracefuzz: cannot find the source tree; give --build DIR\n");
        return EXIT_USAGE;
    }
    cli_pathf(bin, cap, "%s/bin", tree);
    if (targets_built(bin, targets, n)) {
        return EXIT_OK;
    }
    char cache[4200];
    cli_pathf(cache, sizeof cache, "%s/CMakeCache.txt", tree);
    int rc = -1;
    if (is_file(cache)) {
        fprintf(stderr, "tracefuzz: fuzz targets missing in %s; building: cmake --build %s\n", bin,
                tree);
        char *const argv[] = {"cmake", "--build", tree, NULL};
        rc = run_in(NULL, argv);
    } else if (build == NULL && have_root && !replay) {
        fprintf(stderr, "tracefuzz: fuzz targets missing in %s; building: cmake --preset %s && "
                        "cmake --build --preset %s (in %s)\n", bin, preset, preset, root);
        char p[64];
        cli_pathf(p, sizeof p, "--preset=%s", preset);
        char *const conf[] = {"cmake", p, NULL};
        char *const make[] = {"cmake", "--build", p, NULL};
        rc = run_in(root, conf);
        rc = rc == 0 ? run_in(root, make) : rc;
    }
    if (rc != 0 || !targets_built(bin, targets, n)) {
        fprintf(stderr, "tracefuzz: the fuzz targets are not in %s (and could not be built)\n",
                bin);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ------------------------------------------------------------ options */

static bool parse_uint(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v == 0 || v > 1000000) {
        return false;
    }
    *out = (unsigned)v;
    return true;
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

/* "a,b,c" in place into a->targets. */
static bool parse_targets(char *list, fuzz_args_t *a)
{
    a->ntargets = 0;
    for (char *save = NULL, *t = strtok_r(list, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        if (!known_target(t) || a->ntargets == sizeof a->targets / sizeof a->targets[0]) {
            fprintf(stderr, "tracefuzz fuzz: unknown target '%s'\n", t);
            return false;
        }
        a->targets[a->ntargets++] = t;
    }
    return a->ntargets > 0;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "tracefuzz fuzz: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, fuzz_args_t *a)
{
    *a = (fuzz_args_t){.seconds = 60, .jobs = 1, .out = "out/findings", .work = "out"};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        bool has_value = i + 1 < argc;
        const char *v = has_value ? argv[i + 1] : NULL;
        if (cli_is_help(o)) {
            fputs(usage, stdout);
            return -1;
        } else if (strcmp(o, "--json") == 0) {
            a->json = true;
            continue;
        } else if (!has_value) {
            return usage_error("unknown option or missing value: %s", o);
        } else if (strcmp(o, "--time") == 0) {
            if (!parse_uint(v, &a->seconds)) {
                return usage_error("--time needs a positive number of seconds, not '%s'", v);
            }
        } else if (strcmp(o, "--jobs") == 0) {
            if (!parse_uint(v, &a->jobs) || a->jobs > 64) {
                return usage_error("--jobs needs a number from 1 to 64, not '%s'", v);
            }
        } else if (strcmp(o, "--engine") == 0) {
            size_t e = 0;
            while (e < 3 && strcmp(v, engine_names[e]) != 0) {
                e++;
            }
            if (e == 3) {
                return usage_error("unknown engine '%s' (libfuzzer, afl, replay)", v);
            }
            a->engine = (engine_t)e;
        } else if (strcmp(o, "--targets") == 0) {
            if (!parse_targets(argv[i + 1], a)) {
                return usage_error("bad --targets list '%s'", v);
            }
        } else if (strcmp(o, "--out") == 0) {
            a->out = v;
        } else if (strcmp(o, "--work") == 0) {
            a->work = v;
        } else if (strcmp(o, "--build") == 0) {
            a->build = v;
        } else if (strcmp(o, "--seeds") == 0) {
            a->seeds = v;
        } else if (strcmp(o, "--oracle") == 0) {
            a->oracle = v;
        } else {
            return usage_error("unknown option %s", o);
        }
        i++;
    }
    if (a->ntargets == 0) {
        for (size_t i = 0; i < cli_fuzz_ntargets; i++) {
            a->targets[a->ntargets++] = cli_fuzz_targets[i];
        }
    }
    return 0;
}

/* ------------------------------------------------------------ helpers */

static int mkdirs(const char *path)
{
    char p[4096];
    cli_pathf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s != '\0'; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                return -1;
            }
            *s = '/';
        }
    }
    return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static size_t count_files(const char *dir, const char *const *prefixes)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        bool match = prefixes == NULL && e->d_name[0] != '.';
        for (size_t i = 0; prefixes != NULL && prefixes[i] != NULL; i++) {
            match = match || strncmp(e->d_name, prefixes[i], strlen(prefixes[i])) == 0;
        }
        n += match && strcmp(e->d_name, "README.txt") != 0;
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

static int copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char err[256];
    uint8_t *data = cli_read_file(from, &len, err, sizeof err);
    FILE *f = data != NULL ? fopen(to, "wb") : NULL;
    int rc = f != NULL && fwrite(data, 1, len, f) == len ? 0 : -1;
    if (f != NULL && fclose(f) != 0) {
        rc = -1;
    }
    free(data);
    return rc;
}

/* The [libfuzzer] keys of <bin>/<target>.options as -key=value arguments. */
static size_t options_args(const char *bin, const char *target, char store[][96], size_t max)
{
    char path[4200], line[256];
    cli_pathf(path, sizeof path, "%s/%s.options", bin, target);
    FILE *f = fopen(path, "r");
    size_t n = 0;
    bool in = false;
    while (f != NULL && n < max && fgets(line, sizeof line, f) != NULL) {
        char key[64], val[64];
        if (line[0] == '[') {
            in = strncmp(line, "[libfuzzer]", 11) == 0;
        } else if (in && sscanf(line, " %63[a-z_] = %63s", key, val) == 2) {
            cli_pathf(store[n++], 96, "-%s=%s", key, val);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return n;
}

/* --------------------------------------------------------------- runs */

typedef struct argv_buf {
    char *argv[32];
    size_t n;
    char store[24][4200];
    size_t nstore;
} argv_buf_t;

static void arg(argv_buf_t *b, const char *fmt, const char *s1, const char *s2)
{
    if (b->nstore < 24 && b->n < 31) {
        cli_pathf(b->store[b->nstore], sizeof b->store[0], fmt, s1, s2);
        b->argv[b->n++] = b->store[b->nstore++];
        b->argv[b->n] = NULL;
    }
}

static bool is_gen(const char *target)
{
    return strncmp(target, "gen_", 4) == 0;
}

static void libfuzzer_argv(const fuzz_args_t *a, const char *bin, const char *seeds, run_t *r,
                           argv_buf_t *b)
{
    char secs[32], opts[8][96];
    cli_pathf(secs, sizeof secs, "%u", r->budget);
    arg(b, "%s/%s", bin, r->target);
    arg(b, "-max_total_time=%s%s", secs, "");
    arg(b, "-print_final_stats=1%s%s", "", "");
    arg(b, "-artifact_prefix=%s/%s", r->artifacts, "");
    size_t no = options_args(bin, r->target, opts, 8);
    for (size_t i = 0; i < no; i++) {
        arg(b, "%s%s", opts[i], "");
    }
    char dict[4200];
    cli_pathf(dict, sizeof dict, "%s/%s.dict", bin, r->target);
    if (!is_gen(r->target) && is_file(dict)) { /* gen_ inputs are choices, not trace bytes */
        arg(b, "-dict=%s%s", dict, "");
    }
    arg(b, "%s/corpus/%s", a->work, r->target);
    arg(b, "%s/%s", seeds, r->target);
}

static void afl_argv(const char *bin, const char *seeds, run_t *r, argv_buf_t *b)
{
    char secs[32], dict[4200];
    cli_pathf(secs, sizeof secs, "%u", r->budget);
    arg(b, "afl-fuzz%s%s", "", "");
    arg(b, "-i%s%s", "", "");
    arg(b, "%s/%s", seeds, r->target);
    arg(b, "-o%s%s", "", "");
    arg(b, "%s%s", r->afl_dir, "");
    arg(b, "-V%s%s", "", "");
    arg(b, "%s%s", secs, "");
    cli_pathf(dict, sizeof dict, "%s/%s.dict", bin, r->target);
    if (!is_gen(r->target) && is_file(dict)) {
        arg(b, "-x%s%s", "", "");
        arg(b, "%s%s", dict, "");
    }
    arg(b, "--%s%s", "", "");
    arg(b, "%s/%s", bin, r->target);
}

static void replay_argv(const fuzz_args_t *a, const char *bin, const char *seeds, run_t *r,
                        argv_buf_t *b)
{
    char twin[4200], corpus[4200];
    cli_pathf(twin, sizeof twin, "%s/%s_replay", bin, r->target);
    if (access(twin, X_OK) == 0) {
        arg(b, "%s%s", twin, "");
    } else {
        arg(b, "%s/%s", bin, r->target);
    }
    arg(b, "%s/%s", seeds, r->target);
    cli_pathf(corpus, sizeof corpus, "%s/corpus/%s", a->work, r->target);
    if (count_files(corpus, NULL) > 0) {
        arg(b, "%s%s", corpus, "");
    }
}

/* Environment of the child: AFL++ in batch mode, the choice mutator for
 * the gen_ targets, the oracle. */
static void child_env(const fuzz_args_t *a, const char *bin, const run_t *r)
{
    if (a->oracle != NULL) {
        setenv("TRACEFUZZ_ORACLE", a->oracle, 1);
    }
    if (a->engine != ENGINE_AFL) {
        return;
    }
    setenv("AFL_NO_UI", "1", 1);
    setenv("AFL_FAST_CAL", "1", 1);
    setenv("AFL_SKIP_CPUFREQ", "1", 1);
    setenv("AFL_NO_AFFINITY", "1", 1);
    setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
    if (is_gen(r->target)) {
        char lib[4200];
        cli_pathf(lib, sizeof lib, "%s/libtracefuzz_aflmut.so", bin);
        setenv("AFL_CUSTOM_MUTATOR_LIBRARY", lib, 1);
    }
}

static int start_run(const fuzz_args_t *a, const char *bin, const char *seeds, run_t *r)
{
    char dir[4200];
    cli_pathf(dir, sizeof dir, "%s/corpus/%s", a->work, r->target);
    cli_pathf(r->artifacts, sizeof r->artifacts, "%s/artifacts/%s-%lld", a->work, r->target,
             (long long)time(NULL));
    cli_pathf(r->afl_dir, sizeof r->afl_dir, "%s/afl/%s-%lld", a->work, r->target,
             (long long)time(NULL));
    cli_pathf(r->cov, sizeof r->cov, "-");
    char afl_parent[4200];
    cli_pathf(afl_parent, sizeof afl_parent, "%s/afl", a->work);
    if (mkdirs(dir) != 0 || mkdirs(r->artifacts) != 0 ||
        (a->engine == ENGINE_AFL && mkdirs(afl_parent) != 0)) {
        fprintf(stderr, "tracefuzz fuzz: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    argv_buf_t b = {.n = 0};
    if (a->engine == ENGINE_LIBFUZZER) {
        libfuzzer_argv(a, bin, seeds, r, &b);
    } else if (a->engine == ENGINE_AFL) {
        afl_argv(bin, seeds, r, &b);
    } else {
        replay_argv(a, bin, seeds, r, &b);
    }
    char logpath[4200];
    cli_pathf(logpath, sizeof logpath, "%s/logs/%s.log", a->work, r->target);
    cli_pathf(dir, sizeof dir, "%s/logs", a->work);
    r->log = mkdirs(dir) == 0 ? fopen(logpath, "w") : NULL;
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    fflush(NULL);
    r->pid = fork();
    if (r->pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        child_env(a, bin, r);
        execvp(b.argv[0], b.argv);
        fprintf(stderr, "cannot run %s: %s\n", b.argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    r->fd = fds[0];
    r->start = time(NULL);
    fprintf(stderr, "fuzz: %s: %s for %u s (log %s)\n", r->target, engine_names[a->engine],
            r->budget, logpath);
    return r->pid < 0 ? -1 : 0;
}

/* The value after `key` in a libFuzzer status line, if there. */
static bool field(const char *line, const char *key, unsigned long long *out)
{
    const char *p = strstr(line, key);
    if (p == NULL) {
        return false;
    }
    *out = strtoull(p + strlen(key), NULL, 10);
    return true;
}

/* libFuzzer: "#4096 pulse cov: 123 ft: 456 corp: 7/890b exec/s: 2048 rss: 40Mb"
 * and the final "stat::..." lines; replay: one "replay: FILE" line per input. */
static void parse_line(run_t *r, const char *line)
{
    unsigned long long v;
    if (line[0] == '#' && field(line, "#", &v)) {
        r->execs = v;
        if (field(line, "cov: ", &v)) {
            cli_pathf(r->cov, sizeof r->cov, "%llu", v);
        }
        (void)field(line, "corp: ", &r->corpus);
        (void)field(line, "exec/s: ", &r->exec_per_sec);
    } else if (field(line, "stat::number_of_executed_units: ", &v)) {
        r->execs = v;
    } else if (field(line, "stat::average_exec_per_sec: ", &v)) {
        r->exec_per_sec = v;
    } else if (strncmp(line, "replay: ", 8) == 0 && strstr(line, " bytes)") != NULL) {
        r->execs++;
        cli_pathf(r->last_input, sizeof r->last_input, "%.*s",
                 (int)(strstr(line, " (") - line - 8), line + 8);
    }
}

static void read_output(run_t *r)
{
    char buf[8192];
    ssize_t n = read(r->fd, buf, sizeof buf);
    if (n <= 0) {
        close(r->fd);
        r->fd = -1;
        return;
    }
    if (r->log != NULL) {
        fwrite(buf, 1, (size_t)n, r->log);
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n' || buf[i] == '\r' || r->linelen + 1 == sizeof r->line) {
            r->line[r->linelen] = '\0';
            parse_line(r, r->line);
            r->linelen = 0;
        } else {
            r->line[r->linelen++] = buf[i];
        }
    }
}

/* AFL++ writes its figures to <out>/default/fuzzer_stats. */
static void afl_stats(run_t *r)
{
    char path[4300], line[256];
    cli_pathf(path, sizeof path, "%s/default/fuzzer_stats", r->afl_dir);
    FILE *f = fopen(path, "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        unsigned long long v;
        char s[32];
        if (sscanf(line, "execs_done : %llu", &v) == 1) {
            r->execs = v;
        } else if (sscanf(line, "execs_per_sec : %llu", &v) == 1) {
            r->exec_per_sec = v;
        } else if (sscanf(line, "corpus_count : %llu", &v) == 1) {
            r->corpus = v;
        } else if (sscanf(line, "bitmap_cvg : %31s", s) == 1) {
            cli_pathf(r->cov, sizeof r->cov, "%s", s);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
}

static const char *const artifact_prefixes[] = {"crash-", "leak-", "timeout-", "oom-", NULL};

static void count_findings(const fuzz_args_t *a, run_t *r)
{
    if (a->engine == ENGINE_AFL) {
        char d[4300];
        cli_pathf(d, sizeof d, "%s/default/crashes", r->afl_dir);
        r->findings = count_files(d, NULL);
        cli_pathf(d, sizeof d, "%s/default/hangs", r->afl_dir);
        r->findings += count_files(d, NULL);
    } else if (a->engine == ENGINE_LIBFUZZER) {
        r->findings = count_files(r->artifacts, artifact_prefixes);
    } else {
        r->findings = r->status != 0;
    }
}

/* Copies the run's finding inputs to a->out as <target>-<name>; prints
 * each. Returns how many were copied. */
static size_t copy_findings(const fuzz_args_t *a, const run_t *r)
{
    char dirs[2][4300];
    size_t ndirs = 0, copied = 0;
    if (a->engine == ENGINE_AFL) {
        cli_pathf(dirs[ndirs++], sizeof dirs[0], "%s/default/crashes", r->afl_dir);
        cli_pathf(dirs[ndirs++], sizeof dirs[0], "%s/default/hangs", r->afl_dir);
    } else if (a->engine == ENGINE_LIBFUZZER) {
        cli_pathf(dirs[ndirs++], sizeof dirs[0], "%s", r->artifacts);
    }
    if (r->findings > 0 && mkdirs(a->out) != 0) {
        fprintf(stderr, "tracefuzz fuzz: cannot create %s: %s\n", a->out, strerror(errno));
        return 0;
    }
    if (a->engine == ENGINE_REPLAY && r->findings > 0 && r->last_input[0] != '\0') {
        const char *base = strrchr(r->last_input, '/');
        char to[8400];
        cli_pathf(to, sizeof to, "%s/%s-replay-%s", a->out, r->target,
                 base != NULL ? base + 1 : r->last_input);
        copied += copy_file(r->last_input, to) == 0;
        printf("finding: %s (%s fails on it)\n", to, r->target);
    }
    for (size_t i = 0; i < ndirs; i++) {
        DIR *d = opendir(dirs[i]);
        for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
            if (e->d_name[0] == '.' || strcmp(e->d_name, "README.txt") == 0) {
                continue;
            }
            char from[8400], to[8400], name[256];
            cli_pathf(name, sizeof name, "%s", e->d_name);
            for (char *c = name; *c != '\0'; c++) {
                *c = *c == ':' || *c == ',' ? '_' : *c; /* AFL++ names */
            }
            cli_pathf(from, sizeof from, "%s/%s", dirs[i], e->d_name);
            cli_pathf(to, sizeof to, "%s/%s-%s", a->out, r->target, name);
            if (copy_file(from, to) == 0) {
                copied++;
                printf("finding: %s\n", to);
            }
        }
        if (d != NULL) {
            closedir(d);
        }
    }
    return copied;
}

static void finish_run(const fuzz_args_t *a, run_t *r)
{
    int st = 0;
    while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR) {
    }
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->done = true;
    if (r->log != NULL) {
        fclose(r->log);
        r->log = NULL;
    }
    if (a->engine == ENGINE_AFL) {
        afl_stats(r);
    }
    count_findings(a, r);
    if (r->corpus == 0 && a->engine == ENGINE_LIBFUZZER) {
        char dir[4200];
        cli_pathf(dir, sizeof dir, "%s/corpus/%s", a->work, r->target);
        r->corpus = count_files(dir, NULL);
    }
    fprintf(stderr, "fuzz: %s: done after %lld s (exit %d), %llu execs, %llu finding(s)\n",
            r->target, (long long)(time(NULL) - r->start), r->status, r->execs, r->findings);
}

static void progress(const run_t *r, time_t now)
{
    fprintf(stderr,
            "fuzz: [%4llds/%us] %-12s execs %10llu  exec/s %6llu  cov %-8s corpus %6llu  "
            "findings %llu\n",
            (long long)(now - r->start), r->budget, r->target, r->execs, r->exec_per_sec,
            r->cov, r->corpus, r->findings);
}

/* Runs every target, up to a->jobs at once. */
static int campaign(const fuzz_args_t *a, const char *bin, const char *seeds, run_t *runs)
{
    size_t n = a->ntargets, next = 0, active = 0;
    time_t last = time(NULL);
    while (next < n || active > 0) {
        while (active < a->jobs && next < n) {
            if (start_run(a, bin, seeds, &runs[next]) != 0) {
                return -1;
            }
            next++;
            active++;
        }
        struct pollfd pfd[64];
        size_t idx[64], np = 0;
        for (size_t i = 0; i < next && np < 64; i++) {
            if (runs[i].fd >= 0 && !runs[i].done) {
                pfd[np] = (struct pollfd){.fd = runs[i].fd, .events = POLLIN};
                idx[np++] = i;
            }
        }
        if (poll(pfd, np, 1000) < 0 && errno != EINTR) {
            return -1;
        }
        time_t now = time(NULL);
        bool show = now - last >= 5;
        for (size_t k = 0; k < np; k++) {
            run_t *r = &runs[idx[k]];
            if (pfd[k].revents != 0) {
                read_output(r);
            }
            if (a->engine == ENGINE_AFL && show) {
                afl_stats(r);
            }
            /* libFuzzer and afl-fuzz stop themselves; this is the backstop. */
            if (r->fd >= 0 && a->engine != ENGINE_REPLAY && now > r->start + r->budget + 60) {
                kill(r->pid, SIGKILL);
            }
            if (r->fd < 0) {
                finish_run(a, r);
                active--;
            } else if (show) {
                progress(r, now);
            }
        }
        last = show ? now : last;
    }
    return 0;
}

static void print_summary(const fuzz_args_t *a, const run_t *runs, size_t copied)
{
    if (a->json) {
        printf("{\"engine\":\"%s\",\"findings_dir\":", engine_names[a->engine]);
        cli_json_string(stdout, a->out, strlen(a->out));
        printf(",\"findings\":%zu,\"targets\":[", copied);
        for (size_t i = 0; i < a->ntargets; i++) {
            const run_t *r = &runs[i];
            printf("%s{\"target\":\"%s\",\"seconds\":%u,\"execs\":%llu,\"exec_per_sec\":%llu,"
                   "\"cov\":\"%s\",\"corpus\":%llu,\"findings\":%llu,\"exit\":%d}",
                   i ? "," : "", r->target, r->budget, r->execs, r->exec_per_sec, r->cov,
                   r->corpus, r->findings, r->status);
        }
        printf("]}\n");
        return;
    }
    printf("%-12s %-9s %5s %11s %7s %8s %7s %8s\n", "target", "engine", "secs", "execs",
           "exec/s", "cov", "corpus", "findings");
    for (size_t i = 0; i < a->ntargets; i++) {
        const run_t *r = &runs[i];
        printf("%-12s %-9s %5u %11llu %7llu %8s %7llu %8llu\n", r->target,
               engine_names[a->engine], r->budget, r->execs, r->exec_per_sec, r->cov, r->corpus,
               r->findings);
    }
    printf("%zu finding(s)%s%s\n", copied, copied ? " in " : "", copied ? a->out : "");
}

int cmd_fuzz(int argc, char **argv)
{
    fuzz_args_t a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        return rc < 0 ? EXIT_OK : rc;
    }
    char bin[4200], root[4096], seeds[4200];
    rc = cli_fuzz_bin_dir(engine_names[a.engine], a.build, a.targets, a.ntargets, bin,
                          sizeof bin);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (a.seeds != NULL) {
        cli_pathf(seeds, sizeof seeds, "%s", a.seeds);
    } else if (cli_source_root(root, sizeof root)) {
        cli_pathf(seeds, sizeof seeds, "%s/seeds", root);
    } else {
        return usage_error("cannot find the seeds%s; give --seeds DIR", "");
    }
    if (!is_dir(seeds)) {
        return usage_error("no seed directory %s", seeds);
    }
    run_t runs[16];
    size_t waves = (a.ntargets + a.jobs - 1) / a.jobs;
    unsigned share = a.seconds / (unsigned)waves;
    for (size_t i = 0; i < a.ntargets; i++) {
        runs[i] = (run_t){.target = a.targets[i], .fd = -1, .budget = share ? share : 1};
    }
    fprintf(stderr, "fuzz: %zu target(s), %s, %u s each, %u at once; binaries %s, seeds %s\n",
            a.ntargets, engine_names[a.engine], runs[0].budget, a.jobs, bin, seeds);
    signal(SIGPIPE, SIG_IGN);
    if (campaign(&a, bin, seeds, runs) != 0) {
        fprintf(stderr, "tracefuzz fuzz: cannot run the campaign: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    size_t copied = 0, found = 0;
    for (size_t i = 0; i < a.ntargets; i++) {
        copied += copy_findings(&a, &runs[i]);
        found += runs[i].findings;
    }
    print_summary(&a, runs, copied);
    return found > 0 ? EXIT_FINDING : EXIT_OK;
}
