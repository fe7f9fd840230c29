// Mode fuzzreader: replay the FuzzReader seed corpus of x/exp/trace (and
// GOROOT's copy) through the reader. Go's reader must not panic on any of
// them; with -compare, a second reader must print the same dump.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// decodeCorpusFile reads Go's fuzz corpus format: the line
// "go test fuzz v1", then one value per line, here a single []byte("...").
func decodeCorpusFile(data []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) != 2 || strings.TrimSpace(lines[0]) != "go test fuzz v1" {
		return nil, fmt.Errorf("want the header line and one []byte value")
	}
	v := strings.TrimSpace(lines[1])
	if !strings.HasPrefix(v, "[]byte(") || !strings.HasSuffix(v, ")") {
		return nil, fmt.Errorf("value is not a []byte literal")
	}
	s, err := strconv.Unquote(v[len("[]byte(") : len(v)-1])
	if err != nil {
		return nil, fmt.Errorf("unquoting the []byte literal: %v", err)
	}
	return []byte(s), nil
}

func (cfg *config) corpusDirs() ([][2]string, error) {
	xexp, err := cfg.xexpModuleDir()
	if err != nil {
		return nil, err
	}
	gr, err := goroot()
	if err != nil {
		return nil, err
	}
	return [][2]string{
		{"x/exp", filepath.Join(xexp, "trace", "testdata", "fuzz", "FuzzReader")},
		{"goroot", filepath.Join(gr, "src", "internal", "trace", "testdata", "fuzz", "FuzzReader")},
	}, nil
}

func runFuzzReader(cfg *config, stderr io.Writer) (*suite, error) {
	dirs, err := cfg.corpusDirs()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "conformance")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	s := &suite{stderr: stderr}
	for i, d := range dirs {
		entries, err := os.ReadDir(d[1])
		if err != nil {
			if i == 0 {
				return nil, err // the pinned x/exp corpus is required
			}
			fmt.Fprintf(stderr, "conformance: skipping %s: %v\n", d[1], err)
			continue
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			name := d[0] + "/" + e.Name()
			v, reason := cfg.runCorpusFile(filepath.Join(d[1], e.Name()), tmp)
			s.add(name, v, reason)
		}
	}
	return s, nil
}

func (cfg *config) runCorpusFile(path, tmp string) (verdict, string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return fail, err.Error()
	}
	input, err := decodeCorpusFile(data)
	if err != nil {
		return fail, "corpus file: " + err.Error()
	}
	file := filepath.Join(tmp, filepath.Base(path)+".trace")
	if err := os.WriteFile(file, input, 0o644); err != nil {
		return fail, err.Error()
	}
	return cfg.checkInput(file, false)
}

// checkInput dumps one file with the reader (and the -compare reader).
// needOK additionally requires the dump to end "ok".
func (cfg *config) checkInput(file string, needOK bool) (verdict, string) {
	a, err := runReader(cfg.reader, file, cfg.timeout)
	if err != nil {
		return fail, err.Error()
	}
	if a.kind == "panic" {
		return fail, "reader panicked: " + a.msg
	}
	if needOK && a.kind != "ok" {
		return fail, fmt.Sprintf("want ok, got %q", a.final)
	}
	if len(cfg.compare) == 0 {
		return pass, ""
	}
	b, err := runReader(cfg.compare, file, cfg.timeout)
	if err != nil {
		return fail, "compare reader: " + err.Error()
	}
	return compareDumps(a, b)
}
