// conformance checks a trace reader against Go's own expectations: Go's
// trace tests (txtar files with an expected outcome), the FuzzReader corpus
// of x/exp/trace, and directories of real traces. The reader is any command
// that prints the canonical dump of docs/dump-format.md, so the same harness
// checks the Go oracle today and the C reader (`tracefuzz dump`) tomorrow.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

const usage = `usage: conformance [FLAGS] MODE [ARGS]

modes:
  gotests          run Go's trace tests (x/exp trace/testdata/tests/*.test and
                   GOROOT src/internal/trace/testdata/tests/*.test): convert
                   each text trace with gotraceraw, dump it with -reader, and
                   check the test's expectation against the final line
  fuzzreader       replay the FuzzReader corpus of x/exp/trace (and GOROOT's)
                   through -reader; a "panic:" line fails; with -compare the
                   two readers' dumps must agree (docs/dump-format.md)
  dir DIR...       dump every file in each DIR; every dump must end "ok"
                   (with -compare, the dumps must also agree)
  extract OUTDIR   write Go's test traces (as wire bytes) and the FuzzReader
                   corpus entries into OUTDIR, one file each

flags:
`

const exitHelp = `
A reader command is split on spaces and run as CMD ARGS FILE; it must print a
dump on stdout. Its exit code is ignored: the dump's final line decides.

Output: one line per case (PASS/FAIL/SKIP), then "N passed, N failed"
(", N skipped" when some were). Progress goes to stderr.

exit codes:
  0  every case passed (skipped ones do not count)
  1  at least one case failed
  2  usage error, or the test data or tools could not be found
`

type config struct {
	reader     []string
	compare    []string
	gotraceraw string
	oracleMod  string
	xexpDir    string
	timeout    time.Duration
	verbose    bool
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, rest, code := parseFlags(args, stderr)
	if cfg == nil {
		return code
	}
	var s *suite
	var err error
	switch rest[0] {
	case "gotests":
		s, err = runGoTests(cfg, stderr)
	case "fuzzreader":
		s, err = runFuzzReader(cfg, stderr)
	case "dir":
		if len(rest) < 2 {
			fmt.Fprintln(stderr, "conformance dir: want at least one DIR")
			return 2
		}
		s, err = runDirs(cfg, rest[1:], stderr)
	case "extract":
		if len(rest) != 2 {
			fmt.Fprintln(stderr, "conformance extract: want one OUTDIR")
			return 2
		}
		s, err = runExtract(cfg, rest[1], stderr)
	default:
		fmt.Fprintf(stderr, "conformance: unknown mode %q\n", rest[0])
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "conformance: %v\n", err)
		return 2
	}
	return s.report(stdout)
}

// parseFlags returns a nil config with the exit code when the program
// should stop (help, usage error).
func parseFlags(args []string, stderr io.Writer) (*config, []string, int) {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reader := fs.String("reader", "", `reader command, run as CMD ARGS FILE (default: "gotrace-oracle dump -validate" next to this binary, else on PATH)`)
	compare := fs.String("compare", "", "second reader command; dumps must agree with -reader's")
	cfg := &config{}
	fs.StringVar(&cfg.gotraceraw, "gotraceraw", "", "path of the gotraceraw converter (default: build it into a temporary directory)")
	fs.StringVar(&cfg.oracleMod, "oracle-module", "", "directory of the oracle's Go module, used to find the pinned x/exp (default: ../../reference/oracle from this source tree)")
	fs.StringVar(&cfg.xexpDir, "xexp-dir", "", "directory of the golang.org/x/exp module (default: ask go for the oracle's pinned version)")
	fs.DurationVar(&cfg.timeout, "timeout", time.Minute, "time limit for one reader run")
	fs.BoolVar(&cfg.verbose, "v", false, "on failure, print the whole dump")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, exitHelp)
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil, nil, 0
		}
		return nil, nil, 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return nil, nil, 2
	}
	cfg.reader = strings.Fields(*reader)
	if len(cfg.reader) == 0 {
		cfg.reader = []string{defaultOracle(), "dump", "-validate"}
	}
	cfg.compare = strings.Fields(*compare)
	return cfg, fs.Args(), 0
}
