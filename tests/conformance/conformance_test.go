package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseTxtarSplitsFilesAndSkipsComment(t *testing.T) {
	files := parseTxtar([]byte("comment\n-- expect --\nSUCCESS\n-- trace --\nTrace Go1.22\nEventBatch gen=1\n"))
	if len(files) != 2 || files[0].name != "expect" || files[1].name != "trace" {
		t.Fatalf("got %+v", files)
	}
	if string(files[0].data) != "SUCCESS\n" || string(files[1].data) != "Trace Go1.22\nEventBatch gen=1\n" {
		t.Fatalf("got data %q and %q", files[0].data, files[1].data)
	}
}

func TestExpectationFailureMatchesUnescapedMessage(t *testing.T) {
	exp, err := parseExpectation([]byte(`FAILURE ".*expected a proc but didn't have one.*"` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := parseDump([]byte("Sync T=1 M=-1 P=-1 G=-1 N=1\nerror: x: expected a proc but didn't have one\\x0a[gen=1]\n"))
	if v, why := exp.check(d); v != pass {
		t.Fatalf("want pass, got %v: %s", v, why)
	}
	if v, _ := exp.check(parseDump([]byte("ok\n"))); v != fail {
		t.Fatal("FAILURE test passed on ok")
	}
}

func TestExpectationSuccessRejectsViolations(t *testing.T) {
	exp, _ := parseExpectation([]byte("SUCCESS\n"))
	if v, _ := exp.check(parseDump([]byte("Sync N=1\nok\n"))); v != pass {
		t.Fatal("clean ok failed")
	}
	if v, _ := exp.check(parseDump([]byte("Sync N=1\n\tinvalid bad\nok\n"))); v != fail {
		t.Fatal("ok with a violation passed")
	}
	if v, _ := exp.check(parseDump([]byte("error: boom\n"))); v != fail {
		t.Fatal("error passed a SUCCESS test")
	}
}

func TestParseDumpFinalLines(t *testing.T) {
	cases := map[string]string{
		"ok\n":              "ok",
		"a\nerror: e\n":     "error",
		"panic: p\n":        "panic",
		"declined: v1\n":    "declined",
		"a\nok":             "", // no final newline
		"a\nsomething\n":    "",
		"":                  "",
		"x\nerror: \\x5c\n": "error",
	}
	for in, want := range cases {
		if got := parseDump([]byte(in)).kind; got != want {
			t.Errorf("parseDump(%q).kind = %q, want %q", in, got, want)
		}
	}
	if msg := parseDump([]byte("error: a\\x0ab\\x5c\n")).msg; msg != "a\nb\\" {
		t.Errorf("unescaped message %q", msg)
	}
}

func TestCompareDumpsFinalLineRules(t *testing.T) {
	d := func(s string) *dumpResult { return parseDump([]byte(s)) }
	cases := []struct {
		a, b string
		want verdict
	}{
		{"E1\nok\n", "E1\nok\n", pass},
		{"E1\nok\n", "E2\nok\n", fail},
		{"E1\nerror: x\n", "E1\nerror: x\n", pass},
		{"E1\nerror: x\n", "E1\nerror: y\n", fail},
		{"E1\nok\n", "E1\nerror: x\n", fail},
		{"E1\nok\n", "declined: v1 trace\n", skip},
		{"panic: boom\n", "panic: boom\n", fail},
	}
	for _, c := range cases {
		if got, why := compareDumps(d(c.a), d(c.b)); got != c.want {
			t.Errorf("compare(%q, %q) = %v (%s), want %v", c.a, c.b, got, why, c.want)
		}
	}
}

func TestDecodeCorpusFile(t *testing.T) {
	got, err := decodeCorpusFile([]byte("go test fuzz v1\n[]byte(\"go 1.22 trace\\x00\\x01\")\n"))
	if err != nil || !bytes.Equal(got, []byte("go 1.22 trace\x00\x01")) {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := decodeCorpusFile([]byte("go test fuzz v1\nstring(\"x\")\n")); err == nil {
		t.Fatal("accepted a non-[]byte value")
	}
}

func TestReportCountsAndExitCode(t *testing.T) {
	s := &suite{}
	s.add("a", pass, "")
	s.add("b", skip, "declined")
	var out bytes.Buffer
	if code := s.report(&out); code != 0 || !strings.HasSuffix(out.String(), "1 passed, 0 failed, 1 skipped\n") {
		t.Fatalf("code %d, output %q", code, out.String())
	}
	s.add("c", fail, "why")
	out.Reset()
	if code := s.report(&out); code != 1 || !strings.Contains(out.String(), "FAIL c: why\n") {
		t.Fatalf("code %d, output %q", code, out.String())
	}
}
