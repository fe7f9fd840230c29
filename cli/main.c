/* main.c: `tracefuzz`, the one command-line tool of the project. It looks
 * the subcommand up in a table and hands it the rest of the arguments;
 * each subcommand lives in its own cmd_*.c file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    cli_cmd_fn run;
    const char *summary;
} command_t;

/* Later subcommands (gen, check, fuzz, repro) join this table. */
static const command_t commands[] = {
    {"dump", cmd_dump, "print the canonical dump of a trace (wire or Go text format)"},
    {"raw", cmd_raw, "convert a trace between the wire format and Go's text format"},
    {"diff", cmd_diff, "compare the C reader's dump with the Go oracle's, per trace"},
    {"gen", cmd_gen, "generate Go execution traces from the grammar (valid, mutated or buggy) with ground truth"},
    {"check", cmd_check, "check traces against Go's validation and the stack-emission invariants"},
    {"mutdiff", cmd_mutdiff, "mutate seed traces; the C reader and the oracle must agree on each"},
    {"fuzz", cmd_fuzz, "run a time-bounded fuzzing campaign over every fuzz target"},
    {"repro", cmd_repro, "reproduce a crash input on every fuzz target, show it, minimize it"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: tracefuzz COMMAND [ARGS]\n"
               "\n"
               "Fuzzing and differential testing for the Go execution trace format.\n"
               "\n"
               "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(f, "  %-6s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\n"
               "Run 'tracefuzz COMMAND --help' for a command's options.\n"
               "\n"
               "exit codes:\n"
               "  0  ok\n"
               "  1  a finding (divergence, error line)\n"
               "  2  usage error, or an unreadable or malformed input\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (cli_is_help(name) || strcmp(name, "help") == 0) {
        if (strcmp(name, "help") == 0 && argc > 2) {
            name = argv[2];
            char *help_argv[] = {argv[2], "--help", NULL};
            for (size_t i = 0; i < NCOMMANDS; i++) {
                if (strcmp(commands[i].name, name) == 0) {
                    return commands[i].run(2, help_argv);
                }
            }
            fprintf(stderr, "tracefuzz: unknown command '%s'\n", name);
            return EXIT_USAGE;
        }
        usage(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "tracefuzz: unknown command '%s'\n\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
