// Mode extract: write Go's test traces (converted to wire bytes) and the
// FuzzReader corpus entries into a directory, one file each, so that tools
// which take plain trace files (the mutation suite, fuzz corpora) can use
// them at test time without the repository ever holding Go's files.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func runExtract(cfg *config, out string, stderr io.Writer) (*suite, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	s := &suite{stderr: stderr}
	if err := extractGoTests(cfg, out, s); err != nil {
		return nil, err
	}
	if err := extractCorpus(cfg, out, s); err != nil {
		return nil, err
	}
	return s, nil
}

func extractGoTests(cfg *config, out string, s *suite) error {
	dirs, err := cfg.goTestDirs()
	if err != nil {
		return err
	}
	conv, cleanup, err := cfg.converter()
	if err != nil {
		return err
	}
	defer cleanup()
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d[1], "*.test"))
		for _, f := range files {
			name := strings.ReplaceAll(d[0], "/", "") + "-" + strings.TrimSuffix(filepath.Base(f), ".test") + ".trace"
			v, reason := extractGoTest(f, conv, filepath.Join(out, name))
			s.add(name, v, reason)
		}
	}
	return nil
}

func extractGoTest(path, conv, dst string) (verdict, string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return fail, err.Error()
	}
	files := parseTxtar(data)
	if len(files) != 2 || files[1].name != "trace" {
		return fail, "malformed test: want files expect and trace"
	}
	wire, err := convertText(conv, files[1].data)
	if err != nil {
		return fail, "conversion: " + err.Error()
	}
	if err := os.WriteFile(dst, wire, 0o644); err != nil {
		return fail, err.Error()
	}
	return pass, ""
}

func extractCorpus(cfg *config, out string, s *suite) error {
	dirs, err := cfg.corpusDirs()
	if err != nil {
		return err
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(d[1])
		if err != nil {
			continue // reported by the fuzzreader mode; a bonus here
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			name := fmt.Sprintf("fuzz-%s-%s.trace", strings.ReplaceAll(d[0], "/", ""), e.Name())
			raw, err := os.ReadFile(filepath.Join(d[1], e.Name()))
			if err == nil {
				raw, err = decodeCorpusFile(raw)
			}
			if err == nil {
				err = os.WriteFile(filepath.Join(out, name), raw, 0o644)
			}
			if err != nil {
				s.add(name, fail, err.Error())
				continue
			}
			s.add(name, pass, "")
		}
	}
	return nil
}
