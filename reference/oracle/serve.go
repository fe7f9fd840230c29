// Serve mode: one long-lived process answers many dump requests, so a
// fuzzer pays Go's process start-up once instead of once per input.
// Framing in both directions: 4-byte little-endian length, then the bytes.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxFrame bounds one request. Fuzzer inputs are far smaller; a larger
// length means the stream is out of step, and reading on would only
// allocate garbage.
const maxFrame = 1 << 30

func runServe(args []string, stdin io.Reader, stdout io.Writer) int {
	fs := newFlags("serve")
	opts := checkFlags(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gotrace-oracle serve: takes no arguments\n")
		return exitUsage
	}
	if err := serve(stdin, stdout, opts.checks()); err != nil {
		fmt.Fprintf(stderr, "gotrace-oracle serve: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// serve answers frames until EOF at a frame boundary. Each answer is flushed
// before the next request is read, because the client waits for it.
func serve(in io.Reader, out io.Writer, opts checks) error {
	r := bufio.NewReaderSize(in, 1<<16)
	w := bufio.NewWriterSize(out, 1<<16)
	var req []byte
	var resp bytes.Buffer
	for {
		var err error
		req, err = readFrame(r, req)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		resp.Reset()
		if _, err := dumpTrace(&resp, req, opts); err != nil {
			return err
		}
		if err := writeFrame(w, resp.Bytes()); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
}

// readFrame reads one frame into buf's storage. It returns io.EOF only when
// the stream ends cleanly between frames.
func readFrame(r io.Reader, buf []byte) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated frame header")
		}
		return nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if n > maxFrame {
		return nil, fmt.Errorf("frame of %d bytes exceeds the limit of %d", n, maxFrame)
	}
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("truncated frame: want %d bytes: %w", n, err)
	}
	return buf, nil
}

func writeFrame(w io.Writer, payload []byte) error {
	if uint64(len(payload)) > 0xffffffff {
		return fmt.Errorf("dump of %d bytes does not fit a frame", len(payload))
	}
	var hdr [4]byte
	binary.LittleEndian.PutUint32(hdr[:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}
