// Package gofuzz is the Go side of bench/fuzz_speed.sh: Go's native fuzzer
// (go test -fuzz) running the property that tracefuzz's read_events target
// checks, on Go's own reader: read every event of any input, no panic.
//
// Environment (both optional; bench/fuzz_speed.sh sets them):
//
//	FUZZ_SPEED_SEEDS    a directory of raw seed files, each added with f.Add
//	                    (default ../../seeds/read_raw); `go run ./seeds`
//	                    builds one from tracefuzz's seeds and Go's own
//	                    FuzzReader corpus, the same files libFuzzer gets.
//	FUZZ_SPEED_MAX_LEN  inputs longer than this are returned from at once,
//	                    as libFuzzer's -max_len never runs them (default
//	                    65536; Go's mutator itself stops near 100 MB).
package gofuzz

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/exp/trace"
)

func FuzzReadEvents(f *testing.F) {
	dir := os.Getenv("FUZZ_SPEED_SEEDS")
	if dir == "" {
		dir = "../../seeds/read_raw"
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	maxLen := 65536
	if s := os.Getenv("FUZZ_SPEED_MAX_LEN"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			f.Fatalf("FUZZ_SPEED_MAX_LEN=%q: want a positive number", s)
		}
		maxLen = n
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxLen {
			return
		}
		r, err := trace.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for {
			if _, err := r.ReadEvent(); err != nil {
				return // io.EOF or an error: either ends the input
			}
		}
	})
}
