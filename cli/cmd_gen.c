/* cmd_gen.c: `tracefuzz gen`, the seed generator: writes grammar-generated
 * Go execution traces (valid by construction, or broken on purpose by a
 * structured mutation or a runtime-bug imitation), optionally in Go's text
 * format and with their ground truth, and always says which seed made
 * them, so any trace can be made again. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "gtg_gen.h"
#include "gtg_mutate.h"

int cmd_gen(int argc, char **argv);

/* Generation or writing failed: the slot cli.h calls a finding. */
#define EXIT_FAILED EXIT_FINDING

static const char usage[] =
    "usage: tracefuzz gen [OPTIONS]\n"
    "\n"
    "Generates Go execution traces from the trace grammar and a model of Go's\n"
    "scheduler: many generations, Ms, Ps and goroutines, statuses and stacks at\n"
    "every generation boundary as the runtime writes them. Without --mutate or\n"
    "--bug every trace is accepted by golang.org/x/exp/trace.\n"
    "\n"
    "options:\n"
    "  --seed N          first seed (default: from the clock; always printed);\n"
    "                    trace i uses seed N+i\n"
    "  --count N         traces to write (default 1)\n"
    "  --version V       go1.22 | go1.23 | go1.25 | go1.26 | mixed (default mixed:\n"
    "                    each trace's version comes from its seed)\n"
    "  --events N        event budget per trace (default: the grammar's)\n"
    "  --generations N   most generations per trace (default: the grammar's)\n"
    "  --goroutines N    most goroutines per trace (default: the grammar's)\n"
    "  -o, --out DIR     output directory (default .), created if missing;\n"
    "                    '-' writes the traces to stdout\n"
    "  --text            write Go's text format (.txt) instead of wire bytes\n"
    "  --txtar           write Go's trace-test format (.test: expect SUCCESS,\n"
    "                    then the text), as in x/exp/trace/testdata/tests;\n"
    "                    not with --mutate or --bug\n"
    "  --truth           write the ground truth next to each trace (.truth.json)\n"
    "  --mutate NAME     apply a structured mutation (random picks one):\n"
    "                    drop-event dup-event swap-events drop-batch dup-batch\n"
    "                    swap-batches bad-seq wrong-status dangling-stack\n"
    "                    dangling-string wrong-gen newer-event truncate\n"
    "                    change-type retarget move-event copy-event\n"
    "  --bug NAME        imitate a runtime bug: no-stack stale-stack\n"
    "                    stack-in-go122 missing-frames contradiction\n"
    "  --grammar FILE    load this grammar instead of the built-in one\n"
    "  --bytes FILE      draw choices from FILE's bytes (as a fuzzer does)\n"
    "                    instead of a seeded PRNG; implies --count 1\n"
    "  -q, --quiet       no per-trace lines on stderr\n"
    "  -h, --help        this text\n"
    "\n"
    "Files are named gen-SEED.trace (or .txt, .test), gen-SEED.truth.json.\n"
    "The seed line and a summary (traces, MB, traces/s, MB/s) go to stderr.\n"
    "\n"
    "exit codes:\n"
    "  0  every trace was written\n"
    "  1  generation or writing failed\n"
    "  2  usage error, unreadable grammar or bytes file\n";

typedef struct gen_args {
    uint64_t seed;
    bool have_seed;
    uint64_t count;
    int version; /* 0: mixed */
    gtg_options_t opts;
    const char *out, *grammar, *bytes_file;
    bool text, txtar, truth, quiet;
    bool mutate;
    gtg_mutation_t mutation;
} gen_args_t;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "tracefuzz gen: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see tracefuzz gen --help)\n");
    return EXIT_USAGE;
}

static bool parse_num(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-') {
        return false;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

static int parse_version(const char *s)
{
    static const struct {
        const char *name;
        int v;
    } vs[] = {{"go1.22", 22}, {"go1.23", 23}, {"go1.25", 25}, {"go1.26", 26}, {"mixed", 0}};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        if (strcmp(s, vs[i].name) == 0) {
            return vs[i].v;
        }
    }
    return -1;
}

/* One option with a value; returns EXIT_OK or a usage error. */
static int parse_valued(gen_args_t *a, const char *opt, const char *val)
{
    uint64_t n = 0;
    bool numeric = parse_num(val, &n);
    if (strcmp(opt, "--seed") == 0 && numeric) {
        a->seed = n;
        a->have_seed = true;
    } else if (strcmp(opt, "--count") == 0 && numeric) {
        a->count = n;
    } else if (strcmp(opt, "--events") == 0 && numeric && n > 0) {
        a->opts.max_events = n;
    } else if (strcmp(opt, "--generations") == 0 && numeric && n > 0) {
        a->opts.max_generations = n;
    } else if (strcmp(opt, "--goroutines") == 0 && numeric && n > 0) {
        a->opts.max_goroutines = n;
    } else if (strcmp(opt, "--version") == 0 && (a->version = parse_version(val)) >= 0) {
        return EXIT_OK;
    } else if (strcmp(opt, "-o") == 0 || strcmp(opt, "--out") == 0) {
        a->out = val;
    } else if (strcmp(opt, "--grammar") == 0) {
        a->grammar = val;
    } else if (strcmp(opt, "--bytes") == 0) {
        a->bytes_file = val;
    } else if (strcmp(opt, "--mutate") == 0) {
        a->mutate = true;
        a->mutation = gtg_mutation_lookup(val);
        if (a->mutation == GTG_MUT_COUNT && strcmp(val, "random") != 0) {
            return usage_error("unknown mutation '%s'", val);
        }
    } else if (strcmp(opt, "--bug") == 0) {
        a->opts.bug = gtg_bug_lookup(val);
        if (a->opts.bug == GTG_BUG_COUNT) {
            return usage_error("unknown bug '%s'", val);
        }
    } else {
        return usage_error("bad value for %s", opt);
    }
    return EXIT_OK;
}

static int parse_args(gen_args_t *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (cli_is_help(o)) {
            fputs(usage, stdout);
            return -1;
        } else if (strcmp(o, "--text") == 0) {
            a->text = true;
        } else if (strcmp(o, "--txtar") == 0) {
            a->text = a->txtar = true;
        } else if (strcmp(o, "--truth") == 0) {
            a->truth = true;
        } else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0) {
            a->quiet = true;
        } else if (o[0] == '-' && i + 1 < argc) {
            int rc = parse_valued(a, o, argv[++i]);
            if (rc != EXIT_OK) {
                return rc;
            }
        } else {
            return usage_error("unknown or incomplete option '%s'", o);
        }
    }
    return EXIT_OK;
}

static int read_file(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "tracefuzz gen: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap + 1);
    size_t k;
    while (p != NULL && (k = fread(p + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *np = realloc(p, (cap *= 2) + 1);
            if (np == NULL) {
                free(p);
            }
            p = np;
        }
    }
    fclose(f);
    if (p == NULL) {
        fprintf(stderr, "tracefuzz gen: out of memory reading %s\n", path);
        return EXIT_USAGE;
    }
    p[n] = '\0';
    *buf = p;
    *len = n;
    return EXIT_OK;
}

static int write_file(const char *dir, uint64_t seed, const char *ext, const void *p, size_t n)
{
    if (strcmp(dir, "-") == 0) {
        return fwrite(p, 1, n, stdout) == n ? EXIT_OK : EXIT_FAILED;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/gen-%llu%s", dir, (unsigned long long)seed, ext);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "tracefuzz gen: %s: %s\n", path, strerror(errno));
        return EXIT_FAILED;
    }
    bool ok = fwrite(p, 1, n, f) == n;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "tracefuzz gen: writing %s failed\n", path);
    }
    return ok ? EXIT_OK : EXIT_FAILED;
}

/* Writes a serialised trace: wire bytes, text, or Go's test-file format
 * (the expectation, then the trace in text form). */
static int write_trace(const gen_args_t *a, uint64_t seed, const void *buf, size_t n)
{
    if (!a->txtar) {
        return write_file(a->out, seed, a->text ? ".txt" : ".trace", buf, n);
    }
    static const char head[] = "-- expect --\nSUCCESS\n-- trace --\n";
    char *doc = malloc(sizeof head + n);
    if (doc == NULL) {
        return EXIT_FAILED;
    }
    memcpy(doc, head, sizeof head - 1);
    memcpy(doc + sizeof head - 1, buf, n);
    int rc = write_file(a->out, seed, ".test", doc, sizeof head - 1 + n);
    free(doc);
    return rc;
}

/* Serialises one trace (and its truth) to files; adds the bytes to *bytes. */
static int emit(const gen_args_t *a, uint64_t seed, gtg_trace_t *t, gtg_truth_t *truth, size_t cut,
                uint64_t *bytes)
{
    void *buf = NULL;
    size_t n = 0;
    gtg_err_t err = a->text ? gtg_trace_to_text(t, cut, (char **)&buf, &n)
                            : gtg_trace_to_wire(t, cut, (uint8_t **)&buf, &n);
    if (err != GTG_OK) {
        fprintf(stderr, "tracefuzz gen: seed %llu: serialising failed: %s\n",
                (unsigned long long)seed, gtg_err_name(err));
        return EXIT_FAILED;
    }
    int rc = write_trace(a, seed, buf, n);
    *bytes += n;
    free(buf);
    if (rc == EXIT_OK && a->truth && truth != NULL) {
        char *js = NULL;
        size_t jn = 0;
        if (gtg_truth_json(truth, &js, &jn) != GTG_OK) {
            return EXIT_FAILED;
        }
        rc = write_file(a->out, seed, ".truth.json", js, jn);
        free(js);
    }
    return rc;
}

/* Generates, mutates and writes trace number i. */
static int one_trace(const gen_args_t *a, const gtg_grammar_t *gr, gtg_choice_t *c,
                     uint64_t seed, uint64_t *bytes)
{
    gtg_options_t o = a->opts;
    static const gtr_version_t versions[4] = {GTR_GO122, GTR_GO123, GTR_GO125, GTR_GO126};
    o.version = a->version ? (gtr_version_t)a->version : versions[gtg_choose(c, 4)];
    gtg_trace_t *t = NULL;
    gtg_truth_t *truth = NULL;
    char msg[256] = "";
    gtg_err_t err = gtg_generate(gr, c, &o, &t, &truth, msg, sizeof msg);
    if (err != GTG_OK) {
        fprintf(stderr, "tracefuzz gen: seed %llu: %s: %s\n", (unsigned long long)seed,
                gtg_err_name(err), msg);
        return EXIT_FAILED;
    }
    size_t cut = 0;
    char desc[256] = "";
    if (a->mutate && gtg_mutate(t, c, a->mutation, &cut, desc, sizeof desc) != GTG_OK) {
        fprintf(stderr, "tracefuzz gen: seed %llu: mutation failed: %s\n",
                (unsigned long long)seed,
                desc[0] ? desc : "the trace has no place for it (written unmutated)");
    }
    if (!a->quiet) {
        fprintf(stderr, "seed %llu: go1.%u, %zu items%s%s\n", (unsigned long long)seed,
                (unsigned)gtg_trace_version(t), gtg_trace_count(t), desc[0] ? ", " : "", desc);
    }
    int rc = emit(a, seed, t, truth, cut, bytes);
    gtg_trace_free(t);
    gtg_truth_free(truth);
    return rc;
}

static int load_grammar(const gen_args_t *a, gtg_grammar_t **gr)
{
    char err[256] = "";
    if (a->grammar == NULL) {
        return gtg_grammar_default(gr, err, sizeof err) == GTG_OK ? EXIT_OK : EXIT_FAILED;
    }
    char *text;
    size_t len;
    int rc = read_file(a->grammar, &text, &len);
    if (rc != EXIT_OK) {
        return rc;
    }
    gtg_err_t e = gtg_grammar_parse(text, len, gr, err, sizeof err);
    free(text);
    if (e != GTG_OK) {
        fprintf(stderr, "tracefuzz gen: %s: %s\n", a->grammar, err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* mkdir -p: every missing directory on the path. */
static int make_dirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') {
            continue;
        }
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            return -1;
        }
        buf[i] = saved;
    }
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(const gen_args_t *a, const gtg_grammar_t *gr, const char *bytes, size_t nbytes)
{
    double t0 = now_seconds();
    uint64_t total = 0, done = 0;
    int rc = EXIT_OK;
    fprintf(stderr, "tracefuzz gen: seed %llu%s\n", (unsigned long long)a->seed,
            bytes != NULL ? " (choices from --bytes)" : "");
    for (uint64_t i = 0; i < a->count && rc == EXIT_OK; i++, done++) {
        gtg_choice_t c;
        if (bytes != NULL) {
            gtg_choice_bytes(&c, (const uint8_t *)bytes, nbytes);
        } else {
            gtg_choice_seed(&c, a->seed + i);
        }
        rc = one_trace(a, gr, &c, a->seed + i, &total);
    }
    double dt = now_seconds() - t0;
    dt = dt > 1e-9 ? dt : 1e-9;
    fprintf(stderr, "tracefuzz gen: %llu traces, %.2f MB in %.3f s: %.0f traces/s, %.2f MB/s\n",
            (unsigned long long)done, (double)total / 1e6, dt, (double)done / dt,
            (double)total / 1e6 / dt);
    return rc;
}

int cmd_gen(int argc, char **argv)
{
    gen_args_t a = {.count = 1, .out = ".", .mutation = GTG_MUT_COUNT};
    int rc = parse_args(&a, argc, argv);
    if (rc != EXIT_OK) {
        return rc < 0 ? EXIT_OK : rc;
    }
    if (a.txtar && (a.mutate || a.opts.bug != GTG_BUG_NONE)) {
        return usage_error("%s writes valid traces only (no --mutate, no --bug)", "--txtar");
    }
    if (a.truth && strcmp(a.out, "-") == 0) {
        return usage_error("%s needs an output directory (-o DIR)", "--truth");
    }
    if (!a.have_seed) {
        a.seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20);
    }
    if (strcmp(a.out, "-") != 0 && make_dirs(a.out) != 0) {
        fprintf(stderr, "tracefuzz gen: %s: %s\n", a.out, strerror(errno));
        return EXIT_USAGE;
    }
    char *bytes = NULL;
    size_t nbytes = 0;
    if (a.bytes_file != NULL && (rc = read_file(a.bytes_file, &bytes, &nbytes)) != EXIT_OK) {
        return rc;
    }
    if (bytes != NULL) {
        a.count = 1;
    }
    gtg_grammar_t *gr = NULL;
    rc = load_grammar(&a, &gr);
    if (rc == EXIT_OK) {
        rc = run(&a, gr, bytes, nbytes);
    }
    gtg_grammar_free(gr);
    free(bytes);
    return rc;
}
