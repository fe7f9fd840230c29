package main

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"
)

func frame(payload []byte) []byte {
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(payload)))
	return append(out, payload...)
}

func readFrames(t *testing.T, out []byte) []string {
	t.Helper()
	var got []string
	r := bytes.NewReader(out)
	for {
		p, err := readFrame(r, nil)
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatalf("reading response frames: %v", err)
		}
		got = append(got, string(p))
	}
}

func TestServeAnswersEachFrameWithOneDumpFrame(t *testing.T) {
	real := recordTrace(t)
	var in bytes.Buffer
	in.Write(frame(real))
	in.Write(frame([]byte("garbage")))
	in.Write(frame(nil))
	in.Write(frame(real))
	var out bytes.Buffer
	if err := serve(&in, &out, 0); err != nil {
		t.Fatalf("serve: %v", err)
	}
	got := readFrames(t, out.Bytes())
	if len(got) != 4 {
		t.Fatalf("got %d frames, want 4", len(got))
	}
	var direct bytes.Buffer
	dumpTrace(&direct, real, 0)
	if got[0] != direct.String() || got[3] != direct.String() {
		t.Errorf("serve's dump differs from dump mode's")
	}
	if !strings.HasPrefix(got[1], "error: ") || !strings.HasPrefix(got[2], "error: ") {
		t.Errorf("bad inputs: got %q and %q", got[1], got[2])
	}
}

func TestServeEndsCleanlyAtEOFAndRejectsTruncatedFrames(t *testing.T) {
	var out bytes.Buffer
	if err := serve(bytes.NewReader(nil), &out, 0); err != nil || out.Len() != 0 {
		t.Fatalf("empty input: err %v, %d bytes out", err, out.Len())
	}
	if err := serve(bytes.NewReader([]byte{1, 0}), &out, 0); err == nil {
		t.Error("truncated header accepted")
	}
	short := frame([]byte("abcdef"))[:7]
	if err := serve(bytes.NewReader(short), &out, 0); err == nil {
		t.Error("truncated payload accepted")
	}
	huge := binary.LittleEndian.AppendUint32(nil, maxFrame+1)
	if err := serve(bytes.NewReader(huge), &out, 0); err == nil {
		t.Error("oversized frame accepted")
	}
}

func TestRunExitCodes(t *testing.T) {
	var out bytes.Buffer
	stderr = io.Discard
	cases := []struct {
		args  []string
		stdin string
		want  int
	}{
		{[]string{"--help"}, "", exitOK},
		{nil, "", exitUsage},
		{[]string{"frobnicate"}, "", exitUsage},
		{[]string{"dump"}, "", exitUsage},
		{[]string{"dump", "/nonexistent/trace"}, "", exitUsage},
		{[]string{"dump", "-"}, "junk", exitFinding},
		{[]string{"serve"}, "", exitOK},
		{[]string{"serve"}, "\x05\x00", exitUsage},
	}
	for _, c := range cases {
		if got := run(c.args, strings.NewReader(c.stdin), &out); got != c.want {
			t.Errorf("run(%q) = %d, want %d", c.args, got, c.want)
		}
	}
}
