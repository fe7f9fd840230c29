/* equiv_dump.c: one line per input with a hash of the reader's canonical
 * dump, for telling whether a change to the reader changed anything it
 * returns. bench/reader_equiv.sh builds it against two revisions of
 * libgotrace and compares their outputs line by line.
 *
 * Every input is read three ways: from a buffer, from a plain stream
 * handed out in uneven chunks, and as a seekable stream. The three dumps
 * must be identical (an input on which they are not is reported and the
 * exit status is 1); the line carries the hash of the dump, events and
 * error alike. With --mutants K, K byte-level mutants of every file are
 * read as well (bit flips, byte sets, insertions, deletions, truncations,
 * copies of a span), chosen from the seed, the file's path and the
 * mutant's number only, so both builds read the same mutants.
 *
 * Only the public API is used (and fuzz/common's dumps to memory), so
 * the same source builds against an older revision of the library. */
#define _DEFAULT_SOURCE /* scandir, d_type */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fuzz_dump.h"
#include "slurp.h"

enum { MODE_BUFFER, MODE_STREAM, MODE_SEEKABLE, NMODES };
static const char *const mode_name[NMODES] = {"buffer", "stream", "seekable"};

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
    }
    return h;
}

/* The hash of the dump of data read in the given mode; the streams hand
 * their bytes over in uneven chunks, from one byte to a few batches. */
static uint64_t dump_hash(const uint8_t *data, size_t len, int mode)
{
    static const size_t chunks[] = {1, 7919, 3, 4096, 9000, 17, 65536, 2};
    fuzz_dump_t d;
    if (mode == MODE_BUFFER) {
        fuzz_dump_buffer(data, len, NULL, &d);
    } else {
        fuzz_dump_stream(data, len, chunks, sizeof chunks / sizeof chunks[0],
                         mode == MODE_SEEKABLE, NULL, &d);
    }
    uint64_t h = fnv1a(d.text, d.len);
    fuzz_dump_free(&d);
    return h;
}

static int modes_differ; /* inputs whose three dumps were not identical */

static void report(const uint8_t *data, size_t len, const char *name, unsigned mutant)
{
    uint64_t h[NMODES];
    for (int m = 0; m < NMODES; m++) {
        h[m] = dump_hash(data, len, m);
    }
    char label[32] = "";
    if (mutant != 0) {
        snprintf(label, sizeof label, "#m%u", mutant);
    }
    printf("%016llx %s%s\n", (unsigned long long)h[MODE_BUFFER], name, label);
    for (int m = 1; m < NMODES; m++) {
        if (h[m] != h[MODE_BUFFER]) {
            fprintf(stderr, "equiv_dump: %s%s: the %s dump differs from the buffer dump\n",
                    name, label, mode_name[m]);
            modes_differ++;
            break;
        }
    }
}

/* splitmix64: the mutants' random numbers. */
static uint64_t next_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* One to three edits of buf (len bytes, room for 64 more), past the
 * 16-byte header; the new length. */
static size_t mutate(uint8_t *buf, size_t len, uint64_t *rs)
{
    static const uint8_t edges[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
    unsigned edits = 1 + (unsigned)(next_rand(rs) % 3);
    for (unsigned e = 0; e < edits && len > 17; e++) {
        size_t pos = 16 + (size_t)(next_rand(rs) % (len - 16));
        size_t span = 1 + (size_t)(next_rand(rs) % 4);
        switch (next_rand(rs) % 6) {
        case 0: /* flip a bit */
            buf[pos] ^= (uint8_t)(1u << (next_rand(rs) % 8));
            break;
        case 1: /* a varint's edge values, or any byte */
            buf[pos] = next_rand(rs) % 2 ? edges[next_rand(rs) % sizeof edges]
                                         : (uint8_t)next_rand(rs);
            break;
        case 2: /* insert a byte */
            memmove(buf + pos + 1, buf + pos, len - pos);
            buf[pos] = (uint8_t)next_rand(rs);
            len++;
            break;
        case 3: /* delete up to four bytes */
            if (span > len - pos) {
                span = len - pos;
            }
            memmove(buf + pos, buf + pos + span, len - pos - span);
            len -= span;
            break;
        case 4: /* truncate */
            len = pos;
            break;
        default: { /* insert a copy of up to 16 bytes from elsewhere */
            size_t from = 16 + (size_t)(next_rand(rs) % (len - 16));
            size_t n = 1 + (size_t)(next_rand(rs) % 16);
            uint8_t tmp[16];
            if (n > len - from) {
                n = len - from;
            }
            memcpy(tmp, buf + from, n);
            memmove(buf + pos + n, buf + pos, len - pos);
            memcpy(buf + pos, tmp, n);
            len += n;
            break;
        }
        }
    }
    return len;
}

static unsigned nmutants;
static uint64_t mut_seed = 1;

static int do_file(const char *path)
{
    size_t len;
    uint8_t *data = bench_slurp(path, &len);
    if (data == NULL) {
        fprintf(stderr, "equiv_dump: cannot read %s\n", path);
        return 2;
    }
    report(data, len, path, 0);
    if (nmutants != 0 && len > 17) {
        uint8_t *buf = malloc(len + 64); /* three edits add at most 48 bytes */
        if (buf == NULL) {
            free(data);
            fprintf(stderr, "equiv_dump: out of memory\n");
            return 2;
        }
        for (unsigned i = 1; i <= nmutants; i++) {
            uint64_t rs = mut_seed ^ fnv1a(path, strlen(path)) ^ ((uint64_t)i << 40);
            memcpy(buf, data, len);
            report(buf, mutate(buf, len, &rs), path, i);
        }
        free(buf);
    }
    free(data);
    return 0;
}

/* Directory entries read: not hidden ones, and not links (seeds/ links
 * targets that share a corpus; each file is read once). */
static int wanted(const struct dirent *d)
{
    return d->d_name[0] != '.' && d->d_type != DT_LNK;
}

/* A file, or every file under a directory in name order. */
static int do_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "equiv_dump: cannot read %s\n", path);
        return 2;
    }
    if (!S_ISDIR(st.st_mode)) {
        return do_file(path);
    }
    struct dirent **ents;
    int n = scandir(path, &ents, wanted, alphasort);
    if (n < 0) {
        fprintf(stderr, "equiv_dump: cannot list %s\n", path);
        return 2;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char sub[4096];
        if (rc == 0 && snprintf(sub, sizeof sub, "%s/%s", path, ents[i]->d_name) <
                           (int)sizeof sub) {
            rc = do_path(sub);
        }
        free(ents[i]);
    }
    free(ents);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: equiv_dump [--mutants K] [--seed S] PATH...\n"
            "Prints a hash of the C reader's canonical dump of every file\n"
            "under the PATHs (and of K byte-level mutants of each), read\n"
            "from a buffer, from a stream in uneven chunks and as a seekable\n"
            "stream; the three must agree. bench/reader_equiv.sh compares\n"
            "these lines between two revisions of the reader.\n"
            "exit codes: 0 done, 1 the modes disagreed on an input, 2 usage\n"
            "or an unreadable path\n");
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        char *end;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--mutants") == 0 && i + 1 < argc) {
            unsigned long k = strtoul(argv[++i], &end, 10);
            if (*end != '\0' || k > 100000) {
                usage(stderr);
                return 2;
            }
            nmutants = (unsigned)k;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            mut_seed = strtoull(argv[++i], &end, 10);
            if (*end != '\0') {
                usage(stderr);
                return 2;
            }
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (i == argc) {
        usage(stderr);
        return 2;
    }
    for (; i < argc; i++) {
        int rc = do_path(argv[i]);
        if (rc != 0) {
            return rc;
        }
    }
    if (modes_differ != 0) {
        fprintf(stderr, "equiv_dump: %d inputs read differently by mode\n", modes_differ);
        return 1;
    }
    return 0;
}
