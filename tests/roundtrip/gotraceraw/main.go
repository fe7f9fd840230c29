// Command gotraceraw converts a Go execution trace between the wire format
// and Go's raw text format, using the Go tree's own internal/trace/raw
// package. It stands in for the tool of the same name that some Go
// distributions ship under src/internal/trace/testdata/cmd and others leave
// out; tracefuzz builds it with `go build -overlay` so that it can import the
// internal package, and uses it as the oracle for the text format.
//
// Usage: gotraceraw text2bytes|bytes2text  (stdin to stdout)
// On a read error it prints the error on stderr and exits 1, after having
// written everything converted before the error (as the original does).
package main

import (
	"fmt"
	"io"
	"os"

	"internal/trace/raw"
	"internal/trace/version"
)

type eventSource interface {
	Version() version.Version
	ReadEvent() (raw.Event, error)
}

type eventSink interface {
	WriteEvent(raw.Event) error
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func open(mode string) (eventSource, eventSink, error) {
	switch mode {
	case "text2bytes":
		src, err := raw.NewTextReader(os.Stdin)
		if err != nil {
			return nil, nil, err
		}
		dst, err := raw.NewWriter(os.Stdout, src.Version())
		return src, dst, err
	case "bytes2text":
		src, err := raw.NewReader(os.Stdin)
		if err != nil {
			return nil, nil, err
		}
		dst, err := raw.NewTextWriter(os.Stdout, src.Version())
		return src, dst, err
	}
	return nil, nil, fmt.Errorf("unknown mode %q (want text2bytes or bytes2text)", mode)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gotraceraw text2bytes|bytes2text <in >out")
		os.Exit(2)
	}
	src, dst, err := open(os.Args[1])
	if err != nil {
		fail(err)
	}
	for {
		ev, err := src.ReadEvent()
		if err == io.EOF {
			return
		}
		if err != nil {
			fail(err)
		}
		if err := dst.WriteEvent(ev); err != nil {
			fail(err)
		}
	}
}
