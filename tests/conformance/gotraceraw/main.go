//go:build gotraceraw

// gotraceraw converts Go execution traces between Go's text trace format
// and the wire format, using the standard library's internal/trace/raw.
// That package is internal to GOROOT, so this file is compiled as if it
// lived at GOROOT/src/internal/trace/testdata/cmd/gotraceraw, by way of
// `go build -overlay` (see tests/conformance/CMakeLists.txt and build.go);
// nothing is written into GOROOT. The build tag keeps it out of the
// conformance module's own builds.
//
// Usage: gotraceraw bytes|text  (stdin to stdout)
//
//	bytes  text format in, wire format out
//	text   wire format in, text format out
//
// Exit codes: 0 converted, 1 malformed input, 2 usage or I/O error.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"internal/trace/raw"
)

type eventReader interface {
	ReadEvent() (raw.Event, error)
}

type eventWriter interface {
	WriteEvent(raw.Event) error
}

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "bytes" && os.Args[1] != "text") {
		fmt.Fprintln(os.Stderr, "usage: gotraceraw bytes|text  (stdin to stdout)")
		fmt.Fprintln(os.Stderr, "  bytes: text format in, wire format out")
		fmt.Fprintln(os.Stderr, "  text:  wire format in, text format out")
		fmt.Fprintln(os.Stderr, "exit codes: 0 converted, 1 malformed input, 2 usage or I/O error")
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	if err := convert(os.Args[1], bufio.NewReader(os.Stdin), out); err != nil {
		fmt.Fprintf(os.Stderr, "gotraceraw: %v\n", err)
		os.Exit(1)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "gotraceraw: %v\n", err)
		os.Exit(2)
	}
}

func convert(mode string, in io.Reader, out io.Writer) error {
	var r eventReader
	var w eventWriter
	if mode == "bytes" {
		tr, err := raw.NewTextReader(in)
		if err != nil {
			return err
		}
		bw, err := raw.NewWriter(out, tr.Version())
		if err != nil {
			return err
		}
		r, w = tr, bw
	} else {
		br, err := raw.NewReader(in)
		if err != nil {
			return err
		}
		tw, err := raw.NewTextWriter(out, br.Version())
		if err != nil {
			return err
		}
		r, w = br, tw
	}
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := w.WriteEvent(ev); err != nil {
			return err
		}
	}
}
