/* cmd_check.c: `tracefuzz check`, the invariant checker on files: reads
 * each trace (wire bytes, or Go's text format) with the C reader, runs
 * every event through the checker, and prints the violations (which rule,
 * which generation, which resource, which event, and why) and how each
 * generation's goroutines were announced: the stack coverage the
 * GoStatusStack change promises. Text for people, --json for scripts. */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gotrace.h"
#include "gotrace_text.h"
#include "gtc_check.h"

int cmd_check(int argc, char **argv);

static const char usage[] =
    "usage: tracefuzz check [OPTIONS] FILE|DIR...\n"
    "\n"
    "Checks Go execution traces (wire format, Go's text format, or a .test\n"
    "archive of Go's trace tests; '-' reads stdin; a directory stands for the\n"
    "traces below it, other files there are skipped) against two families of\n"
    "invariants:\n"
    "  validate.*   the checks Go's own trace tests run on every event (they\n"
    "               agree with `gotrace-oracle dump -validate`)\n"
    "  stack.*, status.*, status-stack.*\n"
    "               the runtime's promises about stacks: from go1.23 a goroutine\n"
    "               blocked or in a syscall for a whole generation is announced\n"
    "               by GoStatusStack with a stack; stacks resolve and are complete\n"
    "docs/invariants.md describes each invariant.\n"
    "\n"
    "Prints a table of violations (generation, event index counted from 0 with\n"
    "Sync events included, resource, invariant, sentence) and, per generation,\n"
    "how many goroutines were blocked / in a syscall / unblocked but never ran /\n"
    "ran without blocking / ran / other, each as TOTAL/WITH_STACK.\n"
    "\n"
    "options:\n"
    "  --json            one JSON document on stdout instead of tables\n"
    "  --only FAMILY     validate | stack (default: both)\n"
    "  --max N           violations kept per file (default 1000; all are counted)\n"
    "  --no-generations  leave out the per-generation table (totals stay)\n"
    "  -h, --help        this text\n"
    "\n"
    "exit codes:\n"
    "  0  every file read to its end with no violation\n"
    "  1  some violation (and no input error)\n"
    "  2  usage error, unreadable file, text that does not convert, or a trace\n"
    "     the reader stops on with an error (violations before it are printed)\n";

typedef struct check_args {
    bool json, no_gens;
    unsigned families;
    size_t max;
    size_t done;          /* files checked so far */
    time_t last_progress; /* when progress was last printed */
} check_args_t;

/* What one file gave. */
typedef struct file_result {
    const char *name;
    const char *format; /* "wire", "text" */
    int version;
    char end[600];      /* "ok", "error: ...", or why it was not read */
    bool input_error;
    gtc_checker_t *c;
} file_result_t;

/* ----------------------------------------------------------- reading */

/* A message kept to one printable line (reader messages may hold any byte). */
static void one_line(char *dst, size_t cap, const char *prefix, const char *msg)
{
    size_t n = (size_t)snprintf(dst, cap, "%s", prefix);
    for (const unsigned char *p = (const unsigned char *)msg; *p != '\0' && n + 5 < cap; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
            dst[n++] = (char)*p;
        } else {
            n += (size_t)snprintf(dst + n, cap - n, "\\x%02x", *p);
        }
    }
    dst[n < cap ? n : cap - 1] = '\0';
}

static void run_reader(file_result_t *fr, const uint8_t *data, size_t len, const gtc_options_t *o)
{
    gtr_reader_t *r = NULL;
    int rc = gtr_reader_open_buffer(&r, data, len, NULL);
    fr->version = r != NULL ? (int)gtr_reader_version(r) : 0;
    if (rc != GTR_OK) {
        one_line(fr->end, sizeof fr->end, gtr_status_is_declined(rc) ? "declined: " : "error: ",
                 r != NULL ? gtr_reader_error(r) : gtr_status_name(rc));
        fr->input_error = true;
        gtr_reader_free(r);
        return;
    }
    fr->c = gtc_checker_new(gtr_reader_version(r), o);
    const gtr_event_t *ev;
    while (fr->c != NULL && (rc = gtr_reader_next(r, &ev)) == GTR_OK) {
        if (gtc_checker_event(fr->c, ev) != GTC_OK) {
            break;
        }
    }
    if (fr->c == NULL) {
        snprintf(fr->end, sizeof fr->end, "error: out of memory");
        fr->input_error = true;
    } else if (gtc_checker_end(fr->c) != GTC_OK) {
        snprintf(fr->end, sizeof fr->end, "error: checker stopped: %s",
                 gtc_status_name(gtc_checker_status(fr->c)));
        fr->input_error = true;
    } else if (rc == GTR_EOF) {
        snprintf(fr->end, sizeof fr->end, "ok");
    } else {
        one_line(fr->end, sizeof fr->end, gtr_status_is_declined(rc) ? "declined: " : "error: ",
                 gtr_reader_error(r));
        fr->input_error = true;
    }
    gtr_reader_free(r);
}

static void check_file(file_result_t *fr, const check_args_t *a)
{
    uint8_t *wire;
    size_t len;
    bool was_text;
    char err[1200];
    if (cli_load_trace(fr->name, &wire, &len, &was_text, err, sizeof err) != EXIT_OK) {
        one_line(fr->end, sizeof fr->end, "error: ", err);
        fr->format = "unread";
        fr->input_error = true;
        return;
    }
    fr->format = was_text ? "text" : "wire";
    gtc_options_t o = gtc_options_default();
    o.families = a->families;
    o.max_violations = a->max;
    run_reader(fr, wire, len, &o);
    free(wire);
}

/* -------------------------------------------------------------- text */

static void print_violations_text(const file_result_t *fr)
{
    const gtc_checker_t *c = fr->c;
    size_t n = gtc_checker_nviolations(c);
    if (n == 0) {
        return;
    }
    printf("violations (%zu of %llu shown):\n", n, (unsigned long long)gtc_checker_violations_total(c));
    printf("  %-4s %-8s %-16s %-34s %s\n", "GEN", "EVENT", "RESOURCE", "INVARIANT", "SENTENCE");
    for (size_t i = 0; i < n; i++) {
        const gtc_violation_t *v = gtc_checker_violation(c, i);
        char res[48];
        if (v->resource.kind == GTR_RESOURCE_NONE) {
            snprintf(res, sizeof res, "None");
        } else {
            static const char *const k[] = {"None", "Goroutine", "Proc", "Thread"};
            snprintf(res, sizeof res, "%s(%lld)", k[v->resource.kind & 3], (long long)v->resource.id);
        }
        printf("  %-4llu %-8llu %-16s %-34s %s\n", (unsigned long long)v->generation,
               (unsigned long long)v->event_index, res, v->name, v->sentence);
    }
}

static void print_gen_row(const char *label, const gtc_gen_summary_t *s)
{
    char cells[GTC_CLASS_COUNT][32];
    for (int i = 0; i < GTC_CLASS_COUNT; i++) {
        snprintf(cells[i], sizeof cells[i], "%llu/%llu", (unsigned long long)s->classes[i],
                 (unsigned long long)s->with_stack[i]);
    }
    printf("  %-6s %-8llu %-9s %-9s %-10s %-10s %-9s %-9s %-7llu %-5llu%s\n", label,
           (unsigned long long)s->nevents, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5],
           (unsigned long long)s->absent, (unsigned long long)s->violations,
           s->complete || label[0] == 'a' ? "" : "  (cut short)");
}

static void print_text(const file_result_t *fr, const check_args_t *a)
{
    char ver[16];
    snprintf(ver, sizeof ver, fr->version > 0 ? "go1.%d" : "no version", fr->version);
    printf("== %s (%s, %s): %s\n", fr->name, fr->format, ver, fr->end);
    if (fr->c == NULL) {
        return;
    }
    print_violations_text(fr);
    size_t ns = gtc_checker_nsummaries(fr->c);
    gtc_gen_summary_t t = gtc_checker_totals(fr->c);
    printf("generations: %llu, events: %llu, violations: %llu\n", (unsigned long long)t.generation,
           (unsigned long long)gtc_checker_nevents(fr->c),
           (unsigned long long)gtc_checker_violations_total(fr->c));
    printf("  %-6s %-8s %-9s %-9s %-10s %-10s %-9s %-9s %-7s %-5s\n", "GEN", "EVENTS", "blocked",
           "syscall", "unblk-idle", "ran-noblk", "ran", "other", "absent", "viol");
    for (size_t i = 0; !a->no_gens && i < ns; i++) {
        const gtc_gen_summary_t *s = gtc_checker_summary(fr->c, i);
        char label[24];
        snprintf(label, sizeof label, "%llu", (unsigned long long)s->generation);
        print_gen_row(label, s);
    }
    print_gen_row("all", &t);
    printf("stack coverage: blocked %llu/%llu with stack, syscall %llu/%llu with stack\n",
           (unsigned long long)t.with_stack[GTC_CLASS_BLOCKED], (unsigned long long)t.classes[GTC_CLASS_BLOCKED],
           (unsigned long long)t.with_stack[GTC_CLASS_SYSCALL], (unsigned long long)t.classes[GTC_CLASS_SYSCALL]);
}

/* -------------------------------------------------------------- json */

static void json_str(const char *s)
{
    cli_json_string(stdout, s, strlen(s));
}

static void json_summary(const gtc_gen_summary_t *s)
{
    printf("{\"generation\":%llu,\"sync\":%llu,\"first_event\":%llu,\"events\":%llu,\"complete\":%s,"
           "\"classes\":{",
           (unsigned long long)s->generation, (unsigned long long)s->sync_n,
           (unsigned long long)s->first_event, (unsigned long long)s->nevents, s->complete ? "true" : "false");
    for (int i = 0; i < GTC_CLASS_COUNT; i++) {
        printf("%s\"%s\":{\"count\":%llu,\"with_stack\":%llu}", i ? "," : "", gtc_class_name(i),
               (unsigned long long)s->classes[i], (unsigned long long)s->with_stack[i]);
    }
    printf("},\"status_events\":%llu,\"status_stack_events\":%llu,\"absent\":%llu,\"violations\":%llu}",
           (unsigned long long)s->status_events, (unsigned long long)s->status_stack_events,
           (unsigned long long)s->absent, (unsigned long long)s->violations);
}

static void json_violation(const gtc_violation_t *v)
{
    static const char *const k[] = {"None", "Goroutine", "Proc", "Thread"};
    printf("{\"invariant\":\"%s\",\"generation\":%llu,\"resource\":{\"kind\":\"%s\",\"id\":%lld},"
           "\"event\":%llu,\"sentence\":",
           v->name, (unsigned long long)v->generation, k[v->resource.kind & 3], (long long)v->resource.id,
           (unsigned long long)v->event_index);
    json_str(v->sentence);
    putchar('}');
}

static void print_json_file(const file_result_t *fr, const check_args_t *a)
{
    printf("{\"file\":");
    json_str(fr->name);
    printf(",\"format\":\"%s\",\"version\":%d,\"end\":", fr->format, fr->version);
    json_str(fr->end);
    if (fr->c == NULL) {
        printf(",\"violations_total\":0,\"violations\":[],\"generations\":[]}");
        return;
    }
    printf(",\"events\":%llu,\"violations_total\":%llu,\"violations\":[",
           (unsigned long long)gtc_checker_nevents(fr->c),
           (unsigned long long)gtc_checker_violations_total(fr->c));
    for (size_t i = 0; i < gtc_checker_nviolations(fr->c); i++) {
        printf(i ? "," : "");
        json_violation(gtc_checker_violation(fr->c, i));
    }
    printf("],\"generations\":[");
    for (size_t i = 0; !a->no_gens && i < gtc_checker_nsummaries(fr->c); i++) {
        printf(i ? "," : "");
        json_summary(gtc_checker_summary(fr->c, i));
    }
    gtc_gen_summary_t t = gtc_checker_totals(fr->c);
    printf("],\"totals\":");
    json_summary(&t);
    putchar('}');
}

/* ---------------------------------------------------------------- main */

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "tracefuzz check: %s%s\n(see tracefuzz check --help)\n", msg, arg);
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, check_args_t *a, int *first)
{
    memset(a, 0, sizeof *a);
    a->families = GTC_FAMILY_ALL;
    a->max = 1000;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--") == 0) {
            i++;
            break;
        } else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage, stdout);
            return -1;
        } else if (strcmp(s, "--json") == 0) {
            a->json = true;
        } else if (strcmp(s, "--no-generations") == 0) {
            a->no_gens = true;
        } else if (strcmp(s, "--only") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "validate") == 0) {
                a->families = GTC_FAMILY_VALIDATE;
            } else if (strcmp(f, "stack") == 0) {
                a->families = GTC_FAMILY_STACK;
            } else {
                return usage_error("unknown family ", f);
            }
        } else if (strcmp(s, "--max") == 0 && i + 1 < argc) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (*end != '\0' || argv[i][0] == '\0') {
                return usage_error("bad --max ", argv[i]);
            }
            a->max = (size_t)v;
        } else {
            return usage_error("unknown or incomplete option ", s);
        }
    }
    if (i >= argc) {
        return usage_error("no trace file given", "");
    }
    *first = i;
    return EXIT_OK;
}

static int worse(int a, int b)
{
    /* An input error outranks a violation, which outranks nothing. */
    return a == EXIT_USAGE || b == EXIT_USAGE ? EXIT_USAGE : a > b ? a : b;
}

/* Check one file; returns its share of the exit code. */
static int check_one(const char *path, check_args_t *a)
{
    if (time(NULL) - a->last_progress >= 1) {
        a->last_progress = time(NULL);
        fprintf(stderr, "tracefuzz check: %s (%zu checked)\n", path, a->done);
    }
    file_result_t fr;
    memset(&fr, 0, sizeof fr);
    fr.name = path;
    check_file(&fr, a);
    if (a->json) {
        printf(a->done > 0 ? "," : "");
        print_json_file(&fr, a);
    } else {
        print_text(&fr, a);
    }
    a->done++;
    int rc = fr.input_error ? EXIT_USAGE : gtc_checker_violations_total(fr.c) > 0 ? EXIT_FINDING : EXIT_OK;
    gtc_checker_free(fr.c);
    return rc;
}

/* Whether a file found in a directory is a trace: wire bytes, Go's text
 * format, or a txtar archive of Go's trace tests. Others (a README next to
 * the traces) are passed over, where a file named on the command line is
 * always checked. */
static bool looks_like_trace(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return true; /* let the check say why it cannot be read */
    }
    uint8_t head[4096];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    static const char txtar[] = "-- trace --";
    bool archive = false;
    for (size_t i = 0; !archive && i + sizeof txtar - 1 <= n; i++) {
        archive = memcmp(head + i, txtar, sizeof txtar - 1) == 0;
    }
    return (n >= 5 && memcmp(head, "go 1.", 5) == 0) || gtr_text_detect(head, n) || archive;
}

/* Check every file an argument stands for: "-" is stdin, a directory the
 * traces below it. A path that cannot be listed is checked as a file,
 * which reports why it cannot be read. */
static int check_arg(const char *arg, check_args_t *a)
{
    cli_paths_t paths = {NULL, 0, 0};
    char err[1200];
    if (strcmp(arg, "-") == 0 || !cli_paths_add(&paths, arg, err, sizeof err)) {
        cli_paths_free(&paths);
        return check_one(arg, a);
    }
    bool from_dir = paths.n != 1 || strcmp(paths.items[0], arg) != 0;
    int rc = EXIT_OK;
    for (size_t k = 0; k < paths.n; k++) {
        if (from_dir && !looks_like_trace(paths.items[k])) {
            fprintf(stderr, "tracefuzz check: %s: not a trace, skipped\n", paths.items[k]);
            continue;
        }
        rc = worse(rc, check_one(paths.items[k], a));
    }
    cli_paths_free(&paths);
    return rc;
}

/* argv[0] is "check" (the subcommand), as the dispatcher passes it. */
int cmd_check(int argc, char **argv)
{
    check_args_t a;
    int first = 0;
    int rc = parse_args(argc, argv, &a, &first);
    if (rc != EXIT_OK) {
        return rc < 0 ? EXIT_OK : rc;
    }
    a.last_progress = time(NULL); /* progress at most once a second */
    printf(a.json ? "{\"files\":[" : "");
    for (int i = first; i < argc; i++) {
        rc = worse(rc, check_arg(argv[i], &a));
    }
    printf(a.json ? "]}\n" : "");
    return fflush(stdout) == 0 ? rc : EXIT_USAGE;
}
