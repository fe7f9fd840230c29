// Package seedtrace is the plumbing every seed program shares: the command
// line, the trace file and starting and stopping the tracer, so that each
// program's main.go holds only its scenario.
package seedtrace

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime/trace"
	"time"
)

// Config holds the knobs ci/record-traces.sh sets explicitly, so a recording
// is reproducible from the command line alone.
type Config struct {
	// Duration is how long the scenario holds its state (goroutines blocked,
	// spinning, allocating, ...). With GODEBUG=traceadvanceperiod=P the trace
	// spans about Duration/P generations.
	Duration time.Duration
	// N is how many goroutines the scenario puts in its state.
	N int
}

// Main parses the command line, starts tracing into the -o file, runs
// scenario, stops tracing and exits: 0 on success, 1 if the scenario or the
// trace file fails, 2 on a usage error.
func Main(doc string, def Config, scenario func(Config) error) {
	out := flag.String("o", "", "write the execution trace to `FILE` (required)")
	cfg := def
	flag.DurationVar(&cfg.Duration, "d", def.Duration, "how long the scenario holds its state")
	flag.IntVar(&cfg.N, "n", def.N, "how many goroutines the scenario uses")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s -o FILE [-d DURATION] [-n N]\n\n%s\n\nExit codes: 0 ok, 1 failure, 2 usage error.\n\n", os.Args[0], doc)
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 0 || cfg.Duration <= 0 || cfg.N <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := record(*out, cfg, scenario); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[0], err)
		os.Exit(1)
	}
}

func record(path string, cfg Config, scenario func(Config) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := trace.Start(w); err != nil {
		f.Close()
		return err
	}
	serr := scenario(cfg)
	// Stop even when the scenario failed: it flushes the final generation,
	// which is what one would want to look at.
	trace.Stop()
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return serr
}

// Settle gives goroutines that were just started time to reach the state the
// scenario wants (blocked, in a syscall, ...) before the scenario relies on
// it. A few milliseconds is ample on an idle machine; the exact value only
// moves where in the first generation the goroutines park.
func Settle() { time.Sleep(5 * time.Millisecond) }
