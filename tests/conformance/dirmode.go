// Mode dir: every file of the given directories is a trace that a correct
// reader reads to the end (seeds/real/, recorded traces), except the
// Markdown files that describe them.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func runDirs(cfg *config, dirs []string, stderr io.Writer) (*suite, error) {
	s := &suite{stderr: stderr}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, e := range entries {
			if e.IsDir() || e.Name()[0] == '.' || filepath.Ext(e.Name()) == ".md" {
				continue
			}
			path := filepath.Join(dir, e.Name())
			v, reason := cfg.checkInput(path, true)
			s.add(path, v, reason)
			n++
		}
		fmt.Fprintf(stderr, "conformance: %d traces in %s\n", n, dir)
	}
	return s, nil
}
