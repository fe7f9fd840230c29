/* gen_dict.c: writes a fuzzing dictionary (libFuzzer/AFL++ syntax) from the
 * event spec tables, so the dictionaries never drift from the format.
 *
 *     gen_dict wire OUT.dict   header strings, event type bytes, varints at
 *                              the format's limits
 *     gen_dict text OUT.dict   Go's text format: "Trace Go1.NN", event
 *                              names, "key=" tokens of every argument
 *
 * Run at build time (fuzz/CMakeLists.txt), one .dict per target.
 * Exit codes: 0 written, 2 usage or write error. */
#include <stdio.h>
#include <string.h>

#include "gotrace_spec.h"

static const unsigned versions[] = {11, 19, 21, 22, 23, 25, 26};
#define NVERSIONS (sizeof versions / sizeof versions[0])

/* One entry; bytes outside printable ASCII, quotes and backslashes escape
 * as \xNN, which both engines read. */
static void entry(FILE *f, const char *name, const void *bytes, size_t n)
{
    const unsigned char *b = bytes;
    fprintf(f, "%s=\"", name);
    for (size_t i = 0; i < n; i++) {
        if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\') {
            fputc(b[i], f);
        } else {
            fprintf(f, "\\x%02x", b[i]);
        }
    }
    fputs("\"\n", f);
}

static void entry_str(FILE *f, const char *name, const char *s)
{
    entry(f, name, s, strlen(s));
}

static void wire_dict(FILE *f)
{
    char buf[64], name[64];
    for (size_t i = 0; i < NVERSIONS; i++) {
        memset(buf, 0, sizeof buf);
        int n = snprintf(buf, sizeof buf, "go 1.%u trace", versions[i]);
        snprintf(name, sizeof name, "header_go1%u", versions[i]);
        entry(f, name, buf, (size_t)n + 3); /* the three NULs of the header */
    }
    for (unsigned t = 1; t <= GTR_EV_MAX_EXPERIMENTAL; t++) {
        const gtr_event_spec_t *s = gtr_spec_any(t);
        if (s != NULL && s->name != NULL) {
            unsigned char b = (unsigned char)t;
            snprintf(name, sizeof name, "ev_%s", s->name);
            entry(f, name, &b, 1);
        }
    }
    /* Varints where limits and sentinels live: the batch and string size
     * limits (and one past), frame count limit, 2^63 and 2^64-1 (NoTask,
     * m=-1 of generation-wide batches). */
    static const struct { const char *name; unsigned char b[10]; size_t n; } v[] = {
        {"varint_64KiB", {0x80, 0x80, 0x04}, 3},
        {"varint_64KiB_plus_1", {0x81, 0x80, 0x04}, 3},
        {"varint_1KiB", {0x80, 0x08}, 2},
        {"varint_1KiB_plus_1", {0x81, 0x08}, 2},
        {"varint_128", {0x80, 0x01}, 2},
        {"varint_129", {0x81, 0x01}, 2},
        {"varint_2p63", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 10},
        {"varint_max", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 10},
        {"varint_overlong_0", {0x80, 0x00}, 2},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        entry(f, v[i].name, v[i].b, v[i].n);
    }
}

static void text_dict(FILE *f)
{
    char buf[64], name[80];
    for (size_t i = 0; i < NVERSIONS; i++) {
        snprintf(buf, sizeof buf, "Trace Go1.%u\n", versions[i]);
        snprintf(name, sizeof name, "header_go1%u", versions[i]);
        entry_str(f, name, buf);
    }
    /* Argument keys repeat across events; a small seen-list keeps each once. */
    const char *seen[256];
    size_t nseen = 0;
    for (unsigned t = 1; t <= GTR_EV_MAX_EXPERIMENTAL; t++) {
        const gtr_event_spec_t *s = gtr_spec_any(t);
        if (s == NULL || s->name == NULL) {
            continue;
        }
        snprintf(name, sizeof name, "ev_%s", s->name);
        entry_str(f, name, s->name);
        for (unsigned a = 0; a < s->nargs; a++) {
            size_t k = 0;
            while (k < nseen && strcmp(seen[k], s->args[a]) != 0) {
                k++;
            }
            if (k < nseen || nseen == sizeof seen / sizeof seen[0]) {
                continue;
            }
            seen[nseen++] = s->args[a];
            snprintf(buf, sizeof buf, " %s=", s->args[a]);
            snprintf(name, sizeof name, "key_%s", s->args[a]);
            entry_str(f, name, buf);
        }
    }
    /* Stack frames and data trailers are lines of their own. */
    static const char *const extra[][2] = {
        {"frame", "\n\tpc="}, {"frame_func", " func="}, {"frame_file", " file="},
        {"frame_line", " line="}, {"data", "\n\tdata=\""}, {"escape", "\\x00"},
        {"m_none", "m=18446744073709551615"},
    };
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        entry_str(f, extra[i][0], extra[i][1]);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "wire") != 0 && strcmp(argv[1], "text") != 0)) {
        fprintf(stderr, "usage: gen_dict wire|text OUT.dict\n"
                        "Writes a fuzzing dictionary from the event spec tables.\n"
                        "Exit 0 written, 2 usage or write error.\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "w");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    fprintf(f, "# Generated by fuzz/gen_dict.c from reference/include/gotrace_spec.h"
               " (%s format). Do not edit.\n", argv[1]);
    if (strcmp(argv[1], "wire") == 0) {
        wire_dict(f);
    } else {
        text_dict(f);
    }
    return fclose(f) == 0 ? 0 : 2;
}
