/* cmd_diff.c: `tracefuzz diff`, the differential check: every trace is
 * dumped by the C reader (in process) and by the Go oracle (one long-lived
 * `gotrace-oracle serve` co-process for the whole run), and the two dumps
 * are compared by the rules of docs/dump-format.md (gtr_dump_compare). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gotrace.h"
#include "gotrace_dumpcmp.h"
#include "oracle_client.h"
#include "oracle_compare.h"

#define CONTEXT_LINES 2

/* Above this many bytes of C dump, Go's dump is read from the oracle's
 * dump mode rather than as one serve reply: Go's dump is about as long
 * as C's, and this leaves a difference room under the client's limit. */
#define LARGE_DUMP (FUZZ_ORACLE_MAX_REPLY / 4)

static const char diff_usage[] =
    "usage: tracefuzz diff [--oracle PATH] [--api] [--json] [--dump-mode] FILE|DIR...\n"
    "\n"
    "For each trace (directories are walked recursively, in sorted order;\n"
    "wire or Go text format), prints the C reader's canonical dump and the Go\n"
    "oracle's, and compares them (docs/dump-format.md): every line before the\n"
    "last byte for byte, the final lines by their rules. On a divergence it\n"
    "prints the path, the first differing line number and the lines around it\n"
    "from both sides. A \"declined:\" dump is not compared and is counted apart;\n"
    "a \"panic:\" from the oracle is reported as a finding about Go's reader.\n"
    "\n"
    "options:\n"
    "  --oracle PATH  the gotrace-oracle binary; default $TRACEFUZZ_ORACLE,\n"
    "                 else gotrace-oracle next to the tracefuzz binary\n"
    "  --api          run the oracle with -api: Go's reader also checks its own\n"
    "                 Event API on every event (Event.String, trace.MakeEvent);\n"
    "                 a finding shows as a divergence on an \"invalid api:\" line\n"
    "  --json         print a JSON summary on stdout instead of text\n"
    "  --dump-mode    run `gotrace-oracle dump FILE` for every trace instead of\n"
    "                 one `serve` co-process for all (slower: a process each);\n"
    "                 diff does this by itself for traces whose C dump is over\n"
    "                 256 MiB, since a serve reply is limited to 1 GiB. Go is\n"
    "                 then asked once, not again on a difference\n"
    "\n"
    "exit codes:\n"
    "  0  every compared trace agrees\n"
    "  1  a divergence, or a panic in Go's reader\n"
    "  2  usage error, or an input or the oracle could not be run (and no\n"
    "     divergence was found)\n";

typedef struct diff_opts {
    char oracle[4096];
    bool json;
    bool api;              /* start the oracle with -api */
    bool dump_mode;        /* every trace through `gotrace-oracle dump` */
    fuzz_oracle_t *server; /* the oracle in serve mode */
} diff_opts_t;

typedef struct diff_stats {
    size_t passed, failed, declined, go_panics, errors;
    bool first_json; /* no JSON entry printed yet */
} diff_stats_t;

typedef struct dumps {
    char *c;
    size_t c_len;
    char *go;
    size_t go_len;
} dumps_t;

static int parse_args(int argc, char **argv, diff_opts_t *o, cli_paths_t *paths)
{
    const char *oracle = getenv("TRACEFUZZ_ORACLE");
    bool any = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(diff_usage, stdout);
            return -1;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--api") == 0) {
            o->api = true;
        } else if (strcmp(a, "--dump-mode") == 0) {
            o->dump_mode = true;
        } else if (strcmp(a, "--oracle") == 0 && i + 1 < argc) {
            oracle = argv[++i];
        } else if (strncmp(a, "--oracle=", 9) == 0) {
            oracle = a + 9;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tracefuzz diff: unknown option %s\n\n%s", a, diff_usage);
            return EXIT_USAGE;
        } else {
            char err[4200];
            if (!cli_paths_add(paths, a, err, sizeof err)) {
                fprintf(stderr, "tracefuzz diff: %s\n", err);
                return EXIT_USAGE;
            }
            any = true;
        }
    }
    if (!any) {
        fputs(diff_usage, stderr);
        return EXIT_USAGE;
    }
    if (oracle != NULL && oracle[0] != '\0') {
        snprintf(o->oracle, sizeof o->oracle, "%s", oracle);
    } else {
        char dir[4000];
        cli_self_dir(dir, sizeof dir);
        snprintf(o->oracle, sizeof o->oracle, "%s/gotrace-oracle", dir);
    }
    if (access(o->oracle, X_OK) != 0) {
        fprintf(stderr, "tracefuzz diff: cannot run the oracle %s (build it, or pass "
                        "--oracle PATH or set TRACEFUZZ_ORACLE)\n", o->oracle);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* The Go side: the same wire bytes through the oracle's serve mode, and
 * the comparison with the C dump in *r (Go asked again on a difference:
 * oracle_compare.h). Keeps a copy of Go's dump in d. */
static bool compare_with_go(const diff_opts_t *o, const uint8_t *wire, size_t len, dumps_t *d,
                    gtr_dumpcmp_result_t *r, char *err, size_t cap)
{
    const char *reply;
    size_t n;
    if (fuzz_oracle_compare(o->server, wire, len, d->c, d->c_len, &reply, &n, r) != 0) {
        snprintf(err, cap, "the oracle %.512s failed", o->oracle);
        return false;
    }
    d->go = malloc(n + 1);
    if (d->go == NULL) {
        snprintf(err, cap, "out of memory");
        return false;
    }
    memcpy(d->go, reply, n + 1);
    d->go_len = n;
    /* The result points into the client's buffer: point it at the copy. */
    if (r->b.ptr != NULL) {
        r->b.ptr = d->go + (r->b.ptr - reply);
    }
    return true;
}

/* Writes the wire bytes to a new temporary file; its path goes to tmp. */
static bool write_temp(const uint8_t *wire, size_t len, char *tmp, size_t tmp_cap, char *err,
                       size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(tmp, tmp_cap, "%s/tracefuzz-diff-XXXXXX", dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, cap, "cannot create a temporary file in %.512s", tmp);
        return false;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t k = write(fd, wire + off, len - off);
        if (k <= 0) {
            close(fd);
            unlink(tmp);
            snprintf(err, cap, "cannot write the temporary file %.512s", tmp);
            return false;
        }
        off += (size_t)k;
    }
    close(fd);
    return true;
}

/* The Go side for a trace whose dump is larger than a serve reply may be
 * (the client's limit): `gotrace-oracle dump` on the trace's file (a text
 * input is written out in wire format first), its output read from a pipe
 * whatever its length, and compared once (Go is not asked again). */
static bool compare_with_go_dump(const diff_opts_t *o, const char *path, bool was_text,
                                 const uint8_t *wire, size_t len, dumps_t *d,
                                 gtr_dumpcmp_result_t *r, char *err, size_t cap)
{
    char tmp[4200];
    const char *file = path;
    if (was_text) {
        if (!write_temp(wire, len, tmp, sizeof tmp, err, cap)) {
            return false;
        }
        file = tmp;
    }
    char *argv[5] = {(char *)o->oracle, "dump"};
    int argc = 2;
    if (o->api) {
        argv[argc++] = "-api";
    }
    argv[argc++] = (char *)file;
    argv[argc] = NULL;
    int rc = cli_run_capture(argv, SIZE_MAX, &d->go, &d->go_len, err, cap);
    if (was_text) {
        unlink(tmp);
    }
    if (rc < 0) {
        return false;
    }
    if ((rc != 0 && rc != 1) || d->go_len == 0) { /* 1: the dump ends in an error */
        snprintf(err, cap, "the oracle %.512s dump exited with status %d%s", o->oracle, rc,
                 d->go_len == 0 ? " and printed nothing" : "");
        return false;
    }
    gtr_dump_compare(d->c, d->c_len, d->go, d->go_len, gtr_dumpcmp_default_classifier(), r);
    return true;
}

static void print_line(const char *side, size_t n, char mark, gtr_dumpcmp_line_t l)
{
    if (l.ptr != NULL) {
        printf("  %-2s %6zu %c %.*s\n", side, n, mark, (int)l.len, l.ptr);
    } else {
        printf("  %-2s %6zu %c (no line)\n", side, n, mark);
    }
}

/* The first differing line of each side, with the common lines before it
 * and a few lines after it. */
static void print_context(const dumps_t *d, const gtr_dumpcmp_result_t *r)
{
    size_t from = r->line > CONTEXT_LINES ? r->line - CONTEXT_LINES : 1;
    for (size_t n = from; n < r->line; n++) {
        print_line("", n, ' ', gtr_dumpcmp_get_line(d->c, d->c_len, n));
    }
    for (size_t side = 0; side < 2; side++) {
        const char *buf = side == 0 ? d->c : d->go;
        size_t len = side == 0 ? d->c_len : d->go_len;
        for (size_t n = r->line; n <= r->line + CONTEXT_LINES; n++) {
            gtr_dumpcmp_line_t l = gtr_dumpcmp_get_line(buf, len, n);
            if (l.ptr == NULL && n > r->line) {
                break;
            }
            print_line(side == 0 ? "C" : "Go", n, n == r->line ? '>' : ' ', l);
        }
    }
}

static void json_entry(diff_stats_t *s, const char *path, const char *verdict, size_t line,
                       const char *reason, const gtr_dumpcmp_result_t *r)
{
    printf("%s\n    {\"path\": ", s->first_json ? "" : ",");
    s->first_json = false;
    cli_json_string(stdout, path, strlen(path));
    printf(", \"verdict\": \"%s\", \"line\": %zu, \"reason\": ", verdict, line);
    cli_json_string(stdout, reason, strlen(reason));
    if (r != NULL && r->line > 0) {
        printf(", \"c\": ");
        cli_json_string(stdout, r->a.ptr != NULL ? r->a.ptr : "", r->a.len);
        printf(", \"go\": ");
        cli_json_string(stdout, r->b.ptr != NULL ? r->b.ptr : "", r->b.len);
    }
    printf("}");
}

static void report(const diff_opts_t *o, diff_stats_t *s, const char *path, const dumps_t *d,
                   const gtr_dumpcmp_result_t *r)
{
    switch (r->verdict) {
    case GTR_DUMPCMP_SAME:
        s->passed++;
        return;
    case GTR_DUMPCMP_DECLINED:
        s->declined++;
        break;
    case GTR_DUMPCMP_ORACLE_PANIC:
        s->go_panics++;
        break;
    default:
        s->failed++;
        break;
    }
    const char *name = gtr_dumpcmp_verdict_name(r->verdict);
    if (o->json) {
        json_entry(s, path, name, r->line, r->reason, r);
        return;
    }
    if (r->verdict == GTR_DUMPCMP_DECLINED) {
        printf("DECLINED %s\n", path);
        return;
    }
    printf("%s %s: line %zu: %s\n",
           r->verdict == GTR_DUMPCMP_ORACLE_PANIC ? "GO-PANIC" : "FAIL", path, r->line,
           r->reason);
    print_context(d, r);
}

static void report_error(const diff_opts_t *o, diff_stats_t *s, const char *path,
                         const char *err)
{
    s->errors++;
    if (o->json) {
        json_entry(s, path, "error", 0, err, NULL);
    } else {
        printf("ERROR %s: %s\n", path, err);
    }
}

static void check_one(const diff_opts_t *o, diff_stats_t *s, const char *path)
{
    uint8_t *wire = NULL;
    size_t len = 0;
    bool was_text = false;
    dumps_t d = {0};
    char err[1200];
    gtr_dumpcmp_result_t r;
    if (cli_load_trace(path, &wire, &len, &was_text, err, sizeof err) != EXIT_OK ||
        !cli_c_dump(wire, len, &d.c, &d.c_len, err, sizeof err) ||
        !(o->dump_mode || d.c_len > LARGE_DUMP
              ? compare_with_go_dump(o, path, was_text, wire, len, &d, &r, err, sizeof err)
              : compare_with_go(o, wire, len, &d, &r, err, sizeof err))) {
        report_error(o, s, path, err);
    } else {
        report(o, s, path, &d, &r);
    }
    free(wire);
    free(d.c);
    free(d.go);
}

static void summary(const diff_opts_t *o, const diff_stats_t *s)
{
    if (o->json) {
        printf("%s  ],\n  \"passed\": %zu, \"failed\": %zu, \"declined\": %zu, "
               "\"go_panics\": %zu, \"errors\": %zu\n}\n",
               s->first_json ? "" : "\n", s->passed, s->failed, s->declined, s->go_panics,
               s->errors);
        return;
    }
    printf("%zu passed, %zu failed, %zu declined", s->passed, s->failed, s->declined);
    if (s->go_panics > 0) {
        printf(", %zu Go reader panics", s->go_panics);
    }
    if (s->errors > 0) {
        printf(", %zu not checked (errors)", s->errors);
    }
    printf("\n");
}

int cmd_diff(int argc, char **argv)
{
    diff_opts_t o = {0};
    cli_paths_t paths = {0};
    int rc = parse_args(argc, argv, &o, &paths);
    if (rc != EXIT_OK) {
        cli_paths_free(&paths);
        return rc < 0 ? EXIT_OK : rc;
    }
    diff_stats_t s = {.first_json = true};
    o.server = o.dump_mode ? NULL : fuzz_oracle_start(o.oracle, o.api ? "-api" : NULL);
    if (o.server == NULL && !o.dump_mode) {
        cli_paths_free(&paths);
        return EXIT_USAGE;
    }
    if (o.json) {
        printf("{\n  \"results\": [");
    }
    time_t last = time(NULL);
    for (size_t i = 0; i < paths.n; i++) {
        check_one(&o, &s, paths.items[i]);
        fflush(stdout);
        if (time(NULL) - last >= 1) { /* progress for long runs */
            fprintf(stderr, "tracefuzz diff: %zu/%zu checked\n", i + 1, paths.n);
            last = time(NULL);
        }
    }
    summary(&o, &s);
    fuzz_oracle_stop(o.server);
    cli_paths_free(&paths);
    if (s.failed > 0 || s.go_panics > 0) {
        return EXIT_FINDING;
    }
    return s.errors > 0 ? EXIT_USAGE : EXIT_OK;
}
