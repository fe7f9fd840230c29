package main

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// goReaderPanic makes x/exp's Event.StateTransition index out of range (a
// status value past the end of its table). Found by FuzzDumpEndsWithOneFinalLine
// below in seconds; it stands for the class of Go reader panics that the
// oracle must report instead of dying.
var goReaderPanic = []byte("go 1.22 trace\x00\x00\x00\x01\x0100\x05\b\xa8\xd6\xb90\x01\x0100\x11\r\xa700\x80000000000000")

func TestGoReaderPanicIsReportedAsFinalLine(t *testing.T) {
	var out bytes.Buffer
	res, err := dumpTrace(&out, goReaderPanic, checkValidate)
	if err != nil || res != outcomePanic {
		t.Fatalf("dumpTrace = %v, %v; dump:\n%s", res, err, out.String())
	}
	want := "panic: runtime error: index out of range [6144] with length 5\n"
	if !strings.HasPrefix(out.String(), "Sync ") || !strings.HasSuffix(out.String(), "\n"+want) {
		t.Fatalf("dump:\n%s", out.String())
	}
}

func TestServeKeepsGoingAfterAPanic(t *testing.T) {
	var in bytes.Buffer
	in.Write(frame(goReaderPanic))
	in.Write(frame([]byte("junk")))
	var out bytes.Buffer
	if err := serve(&in, &out, 0); err != nil {
		t.Fatalf("serve: %v", err)
	}
	got := readFrames(t, out.Bytes())
	if len(got) != 2 || !strings.Contains(got[0], "\npanic: ") || !strings.HasPrefix(got[1], "error: ") {
		t.Fatalf("got %q", got)
	}
}

// FuzzDumpEndsWithOneFinalLine: whatever the bytes, the dump is complete
// lines ending in exactly one final line, and dumping twice gives the same
// bytes. (Go reader panics are allowed: they are the "panic:" final line.)
func FuzzDumpEndsWithOneFinalLine(f *testing.F) {
	f.Add(goReaderPanic)
	f.Add([]byte("go 1.26 trace\x00\x00\x00"))
	f.Add(binary.LittleEndian.AppendUint32([]byte("go 1.23 trace\x00\x00\x00\x01"), 7))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a, b bytes.Buffer
		dumpTrace(&a, data, checkValidate)
		dumpTrace(&b, data, checkValidate)
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("two dumps of the same input differ")
		}
		lines := strings.Split(a.String(), "\n")
		if lines[len(lines)-1] != "" {
			t.Fatal("dump does not end with a newline")
		}
		finals := 0
		for _, l := range lines[:len(lines)-1] {
			if l == "ok" || strings.HasPrefix(l, "error: ") || strings.HasPrefix(l, "panic: ") {
				finals++
			}
		}
		last := lines[len(lines)-2]
		if finals != 1 || !(last == "ok" || strings.HasPrefix(last, "error: ") || strings.HasPrefix(last, "panic: ")) {
			t.Fatalf("want exactly one final line, last; got %d, last %q", finals, last)
		}
	})
}
