/* cmd_raw.c: `tracefuzz raw FILE`, a trace's wire bytes as Go's raw text
 * format, or with --to-wire the other way; the same conversion as Go's
 * gotraceraw tool, byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gotrace_text.h"

static const char raw_usage[] =
    "usage: tracefuzz raw [--to-wire] FILE\n"
    "\n"
    "Converts the trace in FILE (\"-\" for stdin) from the wire format to Go's\n"
    "raw text format on stdout, or with --to-wire from text to wire bytes.\n"
    "The output equals that of Go's gotraceraw (bytes2text, text2bytes). On a\n"
    "malformed input, what converts before the bad event is still written,\n"
    "as gotraceraw does, and the reason goes to stderr.\n"
    "\n"
    "exit codes:\n"
    "  0  converted\n"
    "  2  usage error, unreadable file, malformed input, write error\n";

int cmd_raw(int argc, char **argv)
{
    bool to_wire = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(raw_usage, stdout);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--to-wire") == 0) {
            to_wire = true;
        } else if (path == NULL && (argv[i][0] != '-' || argv[i][1] == '\0')) {
            path = argv[i];
        } else {
            fputs(raw_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (path == NULL) {
        fputs(raw_usage, stderr);
        return EXIT_USAGE;
    }
    size_t len;
    char err[1200];
    uint8_t *in = cli_read_file(path, &len, err, sizeof err);
    if (in == NULL) {
        fprintf(stderr, "tracefuzz raw: %s\n", err);
        return EXIT_USAGE;
    }
    gtr_text_result_t res;
    gtr_text_status_t st = to_wire ? gtr_text_to_wire(in, len, NULL, &res)
                                   : gtr_wire_to_text(in, len, NULL, &res);
    free(in);
    bool written = res.out_len == 0 || fwrite(res.out, 1, res.out_len, stdout) == res.out_len;
    written = fflush(stdout) == 0 && written;
    if (!written) {
        fprintf(stderr, "tracefuzz raw: write error on stdout\n");
    } else if (st != GTR_TEXT_OK) {
        fprintf(stderr, "tracefuzz raw: %s: %s\n", path, res.msg);
    }
    gtr_text_result_free(&res);
    return written && st == GTR_TEXT_OK ? EXIT_OK : EXIT_USAGE;
}
