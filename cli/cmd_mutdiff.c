/* cmd_mutdiff.c: `tracefuzz mutdiff`, the mutation differential suite.
 *
 * Makes mutated copies of seed traces (byte flips, insertions, erasures,
 * truncations, batch swaps/drops/duplicates, varint and batch-header edits;
 * generator/src/bytemut.c) and requires the C reader and Go's reader (the
 * oracle, as a `serve` co-process) to agree on every one. The same seed
 * always makes the same mutants, so a divergence reproduces from
 * `--seed S --first I --count 1`. Divergent inputs are written to --out. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "gotrace.h"
#include "gotrace_dumpcmp.h"
#include "gotrace_text.h"
#include "gtg_bytemut.h"
#include "oracle_client.h"
#include "oracle_compare.h"
#include "cli.h"

typedef struct seed {
    uint8_t *data;
    size_t len;
} seed_t;

typedef struct seedlist {
    seed_t *items;
    size_t count;
} seedlist_t;

typedef struct mutdiff_opts {
    uint64_t seed;
    uint64_t first;
    uint64_t count;
    unsigned max_mutations;
    const char *oracle;
    const char *out_dir;
    int quiet;
} mutdiff_opts_t;

typedef struct tally {
    uint64_t same, different, declined, go_panic, malformed;
    uint64_t by_kind[GTG_BM_COUNT];
} tally_t;

static void usage(FILE *to)
{
    fprintf(to,
            "usage: tracefuzz mutdiff [options] SEED_FILE|DIR...\n"
            "Mutates the seed traces and requires the C reader and Go's reader\n"
            "(the oracle) to give the same canonical dump for every mutant.\n"
            "  --seed N           PRNG seed (default 1)\n"
            "  --count N          number of mutants (default 1000)\n"
            "  --first I          start at mutant I (to replay one: --first I --count 1)\n"
            "  --mutations K      at most K stacked mutations per mutant (default 3)\n"
            "  --oracle PATH      gotrace-oracle (default: next to tracefuzz, or\n"
            "                     $TRACEFUZZ_ORACLE)\n"
            "  --out DIR          write each divergent input there\n"
            "  --quiet            no progress lines\n"
            "Seeds in Go's text format are converted to wire bytes first.\n"
            "A panic of Go's reader is reported and saved, but is not a divergence.\n"
            "exit codes: 0 no divergence, 1 divergence, 2 usage or input error\n");
}

static void seedlist_free(seedlist_t *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].data);
    }
    free(l->items);
    *l = (seedlist_t){0};
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every file under the given paths, in wire format; descriptions (*.md) are
 * skipped. */
static int seedlist_load(seedlist_t *l, char *const *paths, size_t n)
{
    cli_paths_t files = {0};
    char err[512];
    *l = (seedlist_t){0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = cli_paths_add(&files, paths[i], err, sizeof err) ? 0 : -1;
    }
    l->items = rc == 0 ? calloc(files.n + 1, sizeof *l->items) : NULL;
    for (size_t i = 0; rc == 0 && l->items != NULL && i < files.n; i++) {
        if (has_suffix(files.items[i], ".md")) {
            continue;
        }
        seed_t *s = &l->items[l->count];
        bool was_text;
        rc = cli_load_trace(files.items[i], &s->data, &s->len, &was_text, err, sizeof err);
        l->count += rc == 0;
    }
    cli_paths_free(&files);
    if (rc != 0 || l->items == NULL || l->count == 0) {
        fprintf(stderr, "mutdiff: %s\n", rc != 0 ? err : "no seed traces found");
        seedlist_free(l);
        return -1;
    }
    return 0;
}

/* Mutant i depends only on (seed, i), so any one can be rebuilt alone. */
static int make_mutant(const seedlist_t *seeds, const mutdiff_opts_t *o, uint64_t i,
                       uint8_t **out, size_t *out_len, gtg_bytemut_t *first_kind)
{
    gtg_choice_t c;
    gtg_choice_seed(&c, o->seed * 0x9e3779b97f4a7c15ull ^ i);
    const seed_t *s = &seeds->items[gtg_choose(&c, seeds->count)];
    uint8_t *cur = NULL;
    size_t cur_len = 0;
    unsigned k = 1 + (unsigned)gtg_choose(&c, o->max_mutations);
    for (unsigned m = 0; m < k; m++) {
        uint8_t *next;
        size_t next_len;
        gtg_bytemut_t applied;
        const uint8_t *src = m == 0 ? s->data : cur;
        size_t src_len = m == 0 ? s->len : cur_len;
        if (gtg_bytemut_apply(src, src_len, &c, GTG_BM_COUNT, &next, &next_len, &applied) != 0) {
            free(cur);
            return -1;
        }
        if (m == 0) {
            *first_kind = applied;
        }
        free(cur);
        cur = next;
        cur_len = next_len;
    }
    *out = cur;
    *out_len = cur_len;
    return 0;
}

static void save_divergence(const mutdiff_opts_t *o, uint64_t i, const uint8_t *data,
                            size_t len, const char *c_dump, size_t c_len, const char *go_dump,
                            size_t go_len)
{
    if (o->out_dir == NULL) {
        return;
    }
    mkdir(o->out_dir, 0777);
    char path[4096];
    const struct {
        const char *ext;
        const void *p;
        size_t n;
    } files[] = {{"trace", data, len}, {"c.dump", c_dump, c_len}, {"go.dump", go_dump, go_len}};
    for (size_t f = 0; f < 3; f++) {
        snprintf(path, sizeof path, "%s/mutdiff-s%llu-i%llu.%s", o->out_dir,
                 (unsigned long long)o->seed, (unsigned long long)i, files[f].ext);
        FILE *fp = fopen(path, "wb");
        if (fp != NULL) {
            fwrite(files[f].p, 1, files[f].n, fp);
            fclose(fp);
        }
    }
}

static void report(const mutdiff_opts_t *o, uint64_t i, const gtr_dumpcmp_result_t *r)
{
    fprintf(stderr, "mutdiff: mutant %llu (--seed %llu --first %llu --count 1): %s at line %zu: %s\n",
            (unsigned long long)i, (unsigned long long)o->seed, (unsigned long long)i,
            gtr_dumpcmp_verdict_name(r->verdict), r->line, r->reason);
    fprintf(stderr, "  C:  %.*s\n  Go: %.*s\n", r->a.ptr ? (int)r->a.len : 6,
            r->a.ptr ? r->a.ptr : "(none)", r->b.ptr ? (int)r->b.len : 6,
            r->b.ptr ? r->b.ptr : "(none)");
}

/* Checks one mutant; returns 0 when it counts as agreement. */
static int check_one(const mutdiff_opts_t *o, fuzz_oracle_t *oracle, uint64_t i,
                     const uint8_t *data, size_t len, tally_t *t)
{
    char *c_dump;
    size_t c_len;
    char err[128];
    fuzz_oracle_send(oracle, data, len); /* Go reads while C does */
    if (!cli_c_dump(data, len, &c_dump, &c_len, err, sizeof err)) {
        fprintf(stderr, "mutdiff: %s\n", err);
        return -1;
    }
    const char *go_dump;
    size_t go_len;
    gtr_dumpcmp_result_t r;
    if (fuzz_oracle_compare_sent(oracle, data, len, c_dump, c_len, &go_dump, &go_len, &r) !=
        0) {
        free(c_dump);
        return -1;
    }
    uint64_t *slot[] = {&t->same, &t->different, &t->declined, &t->go_panic, &t->malformed};
    (*slot[r.verdict])++;
    /* A Go panic is a finding about Go's reader: kept and reported, but not
     * a divergence of the C reader. */
    int bad = r.verdict != GTR_DUMPCMP_SAME && r.verdict != GTR_DUMPCMP_DECLINED;
    if (bad) {
        report(o, i, &r);
        save_divergence(o, i, data, len, c_dump, c_len, go_dump, go_len);
    }
    free(c_dump);
    return bad && r.verdict != GTR_DUMPCMP_ORACLE_PANIC;
}

static int run(const mutdiff_opts_t *o, const seedlist_t *seeds, fuzz_oracle_t *oracle,
               tally_t *t)
{
    time_t last = time(NULL);
    for (uint64_t i = o->first; i < o->first + o->count; i++) {
        uint8_t *m;
        size_t len;
        gtg_bytemut_t kind = GTG_BM_BIT_FLIP;
        if (make_mutant(seeds, o, i, &m, &len, &kind) != 0) {
            fprintf(stderr, "mutdiff: out of memory\n");
            return 2;
        }
        t->by_kind[kind]++;
        int rc = check_one(o, oracle, i, m, len, t);
        free(m);
        if (rc < 0) {
            return 2;
        }
        if (!o->quiet && time(NULL) != last) {
            last = time(NULL);
            fprintf(stderr, "mutdiff: %llu/%llu mutants, %llu divergent\n",
                    (unsigned long long)(i + 1 - o->first), (unsigned long long)o->count,
                    (unsigned long long)(t->different + t->malformed));
        }
    }
    return 0;
}

static int parse_args(int argc, char **argv, mutdiff_opts_t *o)
{
    static const struct option longopts[] = {
        {"seed", required_argument, NULL, 's'},   {"count", required_argument, NULL, 'n'},
        {"first", required_argument, NULL, 'f'},  {"mutations", required_argument, NULL, 'k'},
        {"oracle", required_argument, NULL, 'o'}, {"out", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 's': o->seed = strtoull(optarg, NULL, 0); break;
        case 'n': o->count = strtoull(optarg, NULL, 0); break;
        case 'f': o->first = strtoull(optarg, NULL, 0); break;
        case 'k': o->max_mutations = (unsigned)strtoul(optarg, NULL, 0); break;
        case 'o': o->oracle = optarg; break;
        case 'd': o->out_dir = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc || o->max_mutations == 0) {
        usage(stderr);
        return 2;
    }
    return -1;
}

int cmd_mutdiff(int argc, char **argv)
{
    mutdiff_opts_t o = {.seed = 1, .count = 1000, .max_mutations = 3};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    char oracle_path[4096];
    if (o.oracle == NULL && (o.oracle = fuzz_oracle_default_path(oracle_path,
                                                                 sizeof oracle_path)) == NULL) {
        fprintf(stderr, "mutdiff: gotrace-oracle not found (use --oracle or $TRACEFUZZ_ORACLE)\n");
        return 2;
    }
    seedlist_t seeds;
    if (seedlist_load(&seeds, argv + optind, (size_t)(argc - optind)) != 0) {
        return 2;
    }
    fuzz_oracle_t *oracle = fuzz_oracle_start(o.oracle, NULL);
    if (oracle == NULL) {
        seedlist_free(&seeds);
        return 2;
    }
    tally_t t = {0};
    size_t nseeds = seeds.count;
    rc = run(&o, &seeds, oracle, &t);
    fuzz_oracle_stop(oracle);
    seedlist_free(&seeds);
    if (rc != 0) {
        return rc;
    }
    printf("mutdiff: seed %llu, mutants %llu..%llu over %zu seeds; kinds:",
           (unsigned long long)o.seed, (unsigned long long)o.first,
           (unsigned long long)(o.first + o.count - 1), nseeds);
    for (int k = 0; k < GTG_BM_COUNT; k++) {
        printf(" %s=%llu", gtg_bytemut_name((gtg_bytemut_t)k), (unsigned long long)t.by_kind[k]);
    }
    printf("\nmutdiff: declined %llu, Go reader panics %llu, malformed dumps %llu\n",
           (unsigned long long)t.declined, (unsigned long long)t.go_panic,
           (unsigned long long)t.malformed);
    printf("%llu passed, %llu failed\n",
           (unsigned long long)(t.same + t.declined + t.go_panic),
           (unsigned long long)(t.different + t.malformed));
    return t.different + t.malformed ? 1 : 0;
}
