// Results of one run: one line per case and the closing count line that
// ctest logs and CI read ("N passed, N failed").
package main

import (
	"fmt"
	"io"
	"os"
)

type verdict int

const (
	pass verdict = iota
	fail
	skip
)

type result struct {
	name   string
	v      verdict
	reason string // why it failed or was skipped
}

type suite struct {
	results []result
	stderr  io.Writer
}

func (s *suite) add(name string, v verdict, reason string) {
	s.results = append(s.results, result{name: name, v: v, reason: reason})
	if s.stderr != nil && len(s.results)%100 == 0 {
		fmt.Fprintf(s.stderr, "conformance: %d cases done\n", len(s.results))
	}
}

// report prints every case and the summary, and returns the exit code.
func (s *suite) report(w io.Writer) int {
	var passed, failed, skipped int
	for _, r := range s.results {
		switch r.v {
		case pass:
			passed++
			fmt.Fprintf(w, "PASS %s\n", r.name)
		case fail:
			failed++
			fmt.Fprintf(w, "FAIL %s: %s\n", r.name, r.reason)
		case skip:
			skipped++
			fmt.Fprintf(w, "SKIP %s: %s\n", r.name, r.reason)
		}
	}
	if skipped > 0 {
		fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	} else {
		fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	}
	if failed > 0 {
		return 1
	}
	if passed == 0 {
		// A suite that checked nothing must not look green.
		fmt.Fprintln(os.Stderr, "conformance: no case passed")
		return 1
	}
	return 0
}
