/* cli.h: what the subcommands of `tracefuzz` share: the exit codes, the
 * subcommand signature, and the file, directory and process helpers of
 * util.c. */
#ifndef TRACEFUZZ_CLI_H
#define TRACEFUZZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes of every subcommand. */
enum {
    EXIT_OK = 0,      /* done, nothing found */
    EXIT_FINDING = 1, /* a finding: divergence, error line, violation */
    EXIT_USAGE = 2    /* usage error, unreadable or malformed input */
};

/* A subcommand: argv[0] is its name. Returns an exit code. */
typedef int (*cli_cmd_fn)(int argc, char **argv);

int cmd_dump(int argc, char **argv);
int cmd_raw(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_mutdiff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_repro(int argc, char **argv);

/* True if arg is -h, -help or --help. */
bool cli_is_help(const char *arg);

/* Inputs larger than this are refused (a trace is read whole). */
#define CLI_MAX_INPUT ((size_t)1 << 30)

/* Reads a whole file ("-" is stdin). On failure returns NULL and writes a
 * sentence to err ("cannot open x: No such file or directory"). */
uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t err_cap);

/* A trace's bytes in wire format: text-format input is converted first,
 * and a txtar archive of Go's trace tests (.test) stands for its "-- trace --"
 * section.
 * Returns 0, or EXIT_USAGE with a sentence in err. *wire is freed with
 * free(). */
int cli_load_trace(const char *path, uint8_t **wire, size_t *len, bool *was_text, char *err,
                   size_t err_cap);

/* A list of paths. */
typedef struct cli_paths {
    char **items;
    size_t n;
    size_t cap;
} cli_paths_t;

/* Adds `path`: a regular file as itself, a directory as every regular file
 * below it (recursively, sorted by path, hidden entries skipped). Returns
 * false with a sentence in err if the path cannot be read. */
bool cli_paths_add(cli_paths_t *p, const char *path, char *err, size_t err_cap);
void cli_paths_free(cli_paths_t *p);

/* The directory holding the running executable, or "." if unknown. */
void cli_self_dir(char *buf, size_t cap);

/* Runs argv (argv[0] is a path) with stdout captured into a buffer (at most
 * max bytes; more is an error) and stderr passed through. Returns the exit
 * status (0..255), or -1 with a sentence in err if it could not run or was
 * killed by a signal. *out is freed with free(). */
int cli_run_capture(char *const argv[], size_t max, char **out, size_t *out_len, char *err,
                    size_t err_cap);

/* The C reader's canonical dump of a wire trace, into a buffer freed with
 * free(). Returns false with a sentence in err if it could not be made. */
bool cli_c_dump(const uint8_t *wire, size_t len, char **out, size_t *out_len, char *err,
                size_t err_cap);

/* Writes s[0..n) as a JSON string literal. */
void cli_json_string(FILE *f, const char *s, size_t n);

/* fuzz and repro (cmd_fuzz.c): the fuzz targets of fuzz/, and where
 * their binaries are. */
extern const char *const cli_fuzz_targets[];
extern const size_t cli_fuzz_ntargets;

/* The source tree this tool was built from (holds CMakePresets.json and
 * fuzz/), found above the executable or in the working directory. */
bool cli_source_root(char *buf, size_t cap);

/* The bin/ directory of the fuzz binaries of `engine` ("libfuzzer", "afl",
 * "replay") in `build` (NULL: build/fuzz or build/afl of the source tree;
 * replay: this tool's own build). Builds them if the n targets are not
 * all there, saying so on stderr. Returns EXIT_OK or EXIT_USAGE. */
/* snprintf for paths and arguments, where a cut-off result is refused
 * later (the file is not found) rather than warned about at compile time. */
int cli_pathf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int cli_fuzz_bin_dir(const char *engine, const char *build, const char *const *targets,
                     size_t n, char *bin, size_t cap);

#endif /* TRACEFUZZ_CLI_H */
