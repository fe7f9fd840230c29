// Package gofuzz is the Go side of bench/fuzz_speed.sh: Go's native fuzzer
// (go test -fuzz) running the property that tracefuzz's read_raw target
// checks, on Go's own reader: read every event of any input, no panic.
package gofuzz

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/exp/trace"
)

func FuzzReadEvents(f *testing.F) {
	// The same seeds as the C target (seeds/read_raw).
	files, _ := filepath.Glob("../../seeds/read_raw/*")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := trace.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for {
			if _, err := r.ReadEvent(); err != nil {
				if err != io.EOF {
					return
				}
				return
			}
		}
	})
}
