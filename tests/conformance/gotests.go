// Mode gotests: Go's own trace tests. Each .test file is a txtar archive
// with an "expect" file (SUCCESS, or FAILURE "regexp") and a "trace" file in
// Go's text trace format, which gotraceraw turns into wire bytes.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// expectation is the parsed "expect" file.
type expectation struct {
	failure bool
	match   *regexp.Regexp
}

func parseExpectation(data []byte) (*expectation, error) {
	line, _, _ := strings.Cut(string(data), "\n")
	word, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	switch word {
	case "SUCCESS":
		return &expectation{}, nil
	case "FAILURE":
		pattern, err := strconv.Unquote(arg)
		if err != nil {
			return nil, fmt.Errorf("FAILURE pattern %s is not a quoted string: %v", arg, err)
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("FAILURE pattern %q: %v", pattern, err)
		}
		return &expectation{failure: true, match: re}, nil
	}
	return nil, fmt.Errorf("bad expect line %q", line)
}

// check applies Go's rule to a dump: SUCCESS wants "ok" (and, as Go's test
// does with its validator, no violation lines); FAILURE wants an error whose
// message matches.
func (e *expectation) check(d *dumpResult) (verdict, string) {
	if !e.failure {
		if d.kind != "ok" {
			return fail, fmt.Sprintf("want ok, got %q", clip(d.final))
		}
		if inv := d.invalidLines(); len(inv) > 0 {
			return fail, fmt.Sprintf("%d validation violations, first: %s", len(inv), inv[0])
		}
		return pass, ""
	}
	if d.kind != "error" {
		return fail, fmt.Sprintf("want error matching %q, got %q", e.match, clip(d.final))
	}
	if !e.match.MatchString(d.msg) {
		return fail, fmt.Sprintf("error %q does not match %q", d.msg, e.match)
	}
	return pass, ""
}

// goTestDirs lists the test directories: x/exp's first, then GOROOT's.
func (cfg *config) goTestDirs() ([][2]string, error) {
	xexp, err := cfg.xexpModuleDir()
	if err != nil {
		return nil, err
	}
	gr, err := goroot()
	if err != nil {
		return nil, err
	}
	return [][2]string{
		{"x/exp", filepath.Join(xexp, "trace", "testdata", "tests")},
		{"goroot", filepath.Join(gr, "src", "internal", "trace", "testdata", "tests")},
	}, nil
}

func runGoTests(cfg *config, stderr io.Writer) (*suite, error) {
	dirs, err := cfg.goTestDirs()
	if err != nil {
		return nil, err
	}
	conv, cleanup, err := cfg.converter()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	tmp, err := os.MkdirTemp("", "conformance")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	s := &suite{stderr: stderr}
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join(d[1], "*.test"))
		if err != nil || len(files) == 0 {
			if d[0] == "x/exp" {
				return nil, fmt.Errorf("no .test files in %s", d[1])
			}
			// GOROOT's copy is a bonus; the pinned x/exp's is required.
			fmt.Fprintf(stderr, "conformance: no .test files in %s; skipping\n", d[1])
			continue
		}
		fmt.Fprintf(stderr, "conformance: %d tests from %s\n", len(files), d[1])
		for _, f := range files {
			name := d[0] + "/" + filepath.Base(f)
			v, reason := cfg.runGoTest(f, conv, tmp)
			s.add(name, v, reason)
		}
	}
	return s, nil
}

// runGoTest runs one .test file through the converter and the reader.
func (cfg *config) runGoTest(path, conv, tmp string) (verdict, string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return fail, err.Error()
	}
	files := parseTxtar(data)
	if len(files) != 2 || files[0].name != "expect" || files[1].name != "trace" {
		return fail, "malformed test: want files expect and trace"
	}
	exp, err := parseExpectation(files[0].data)
	if err != nil {
		return fail, "malformed test: " + err.Error()
	}
	wire, err := convertText(conv, files[1].data)
	if err != nil {
		return fail, "conversion: " + err.Error()
	}
	traceFile := filepath.Join(tmp, strings.TrimSuffix(filepath.Base(path), ".test")+".trace")
	if err := os.WriteFile(traceFile, wire, 0o644); err != nil {
		return fail, err.Error()
	}
	d, err := runReader(cfg.reader, traceFile, cfg.timeout)
	if err != nil {
		return fail, err.Error()
	}
	v, reason := exp.check(d)
	if v == fail && cfg.verbose {
		reason += "\n" + string(d.body) + d.final
	}
	return v, reason
}

// convertText runs "gotraceraw bytes" on a text trace.
func convertText(conv string, text []byte) ([]byte, error) {
	c := exec.Command(conv, "bytes")
	c.Stdin = bytes.NewReader(text)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, firstLine(errb.String()))
	}
	return out.Bytes(), nil
}
