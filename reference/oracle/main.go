// gotrace-oracle reads Go execution traces with Go's own reader,
// golang.org/x/exp/trace, and prints them in the canonical dump format
// (docs/dump-format.md) that the C reader prints too. See docs/oracle.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit codes, shared by every subcommand.
const (
	exitOK      = 0 // dump ended "ok"; serve reached EOF; stats succeeded
	exitFinding = 1 // dump ended "error:" or "panic:"
	exitUsage   = 2 // bad usage, unreadable input, broken framing
)

var (
	stderr io.Writer = os.Stderr
	// traceEnv asks for the Go stack of recovered panics on stderr.
	traceEnv = os.Getenv("GOTRACE_ORACLE_PANIC_STACK") != ""
)

const usage = `usage: gotrace-oracle COMMAND [FLAGS] [ARGS]

Reads Go execution traces with golang.org/x/exp/trace and prints the
canonical dump of docs/dump-format.md.

commands:
  dump [-validate] [-api] FILE
                            print the dump of one trace ("-" reads stdin)
  serve [-validate] [-api]  framed requests on stdin, framed dumps on stdout:
                            each frame is a 4-byte little-endian length and
                            that many bytes; EOF on stdin ends the server
  stats [--json] FILE...    per generation, classify every goroutine seen
                            (blocked/syscall for the whole generation, ...)

flags:
  -validate   after each event, print "\tinvalid MESSAGE" for every rule
              of Go's test validator that the event breaks
  -api        also drive the rest of x/exp/trace's Event API on each event
              (Event.String, trace.MakeEvent from the event's own fields) and
              print "\tinvalid api: MESSAGE" when an event rebuilt from its
              fields does not print like the event itself

exit codes:
  0  dump ended "ok"; serve reached EOF on stdin; stats read every file
  1  dump ended "error: ..." or "panic: ..."; stats met an unreadable trace
  2  usage error, I/O error, or a malformed serve frame

environment:
  GOTRACE_ORACLE_PANIC_STACK=1  print the Go stack of recovered panics
                                on stderr
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout))
}

func run(args []string, stdin io.Reader, stdout io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "dump":
		return runDump(args[1:], stdin, stdout)
	case "serve":
		return runServe(args[1:], stdin, stdout)
	case "stats":
		return runStats(args[1:], stdout)
	}
	fmt.Fprintf(stderr, "gotrace-oracle: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// newFlags makes a flag set whose -help prints the common usage text.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	return fs
}

func runDump(args []string, stdin io.Reader, stdout io.Writer) int {
	fs := newFlags("dump")
	opts := checkFlags(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "gotrace-oracle dump: want exactly one FILE\n")
		return exitUsage
	}
	data, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "gotrace-oracle dump: %v\n", err)
		return exitUsage
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	res, err := dumpTrace(w, data, opts.checks())
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "gotrace-oracle dump: writing output: %v\n", err)
		return exitUsage
	}
	if res != outcomeOK {
		return exitFinding
	}
	return exitOK
}

// checkFlagSet holds the -validate and -api flags of dump and serve.
type checkFlagSet struct{ validate, api *bool }

func checkFlags(fs *flag.FlagSet) checkFlagSet {
	return checkFlagSet{
		validate: fs.Bool("validate", false, "print validation violations"),
		api:      fs.Bool("api", false, "check the rest of the Event API on every event"),
	}
}

func (f checkFlagSet) checks() checks {
	var c checks
	if *f.validate {
		c |= checkValidate
	}
	if *f.api {
		c |= checkAPI
	}
	return c
}

func flagExit(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}
