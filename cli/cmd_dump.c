/* cmd_dump.c: `tracefuzz dump FILE`, the C reader's canonical dump of one
 * trace (docs/dump-format.md). Go's text format is converted first, so
 * the test traces of Go's tree can be dumped as they are. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gotrace.h"

static const char dump_usage[] =
    "usage: tracefuzz dump FILE\n"
    "\n"
    "Reads the trace in FILE (\"-\" for stdin) with the C reader and prints its\n"
    "canonical dump (docs/dump-format.md) on stdout. FILE may be a wire-format\n"
    "trace or Go's raw text format (first line \"Trace Go1.NN\"), which is\n"
    "converted to wire bytes first.\n"
    "\n"
    "exit codes:\n"
    "  0  the dump ends \"ok\"\n"
    "  1  the dump ends \"error: ...\" or \"declined: ...\"\n"
    "  2  usage error, unreadable file, malformed text format, write error\n";

int cmd_dump(int argc, char **argv)
{
    if (argc == 2 && cli_is_help(argv[1])) {
        fputs(dump_usage, stdout);
        return EXIT_OK;
    }
    if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
        fputs(dump_usage, stderr);
        return EXIT_USAGE;
    }
    uint8_t *wire;
    size_t len;
    bool was_text;
    char err[1200];
    if (cli_load_trace(argv[1], &wire, &len, &was_text, err, sizeof err) != EXIT_OK) {
        fprintf(stderr, "tracefuzz dump: %s\n", err);
        return EXIT_USAGE;
    }
    int rc = gtr_dump_buffer(wire, len, NULL, stdout);
    free(wire);
    if (rc == 2 || fflush(stdout) != 0) {
        fprintf(stderr, "tracefuzz dump: write error on stdout\n");
        return EXIT_USAGE;
    }
    return rc == 0 ? EXIT_OK : EXIT_FINDING;
}
