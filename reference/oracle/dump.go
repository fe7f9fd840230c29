// The canonical dump: one trace in, the line format of docs/dump-format.md
// out. Everything the public event API of x/exp/trace exposes is written, so
// that a byte-for-byte comparison with the C reader's dump catches any
// disagreement about the ordered event stream.
package main

import (
	"bytes"
	"encoding/binary"
	"io"

	"golang.org/x/exp/trace"
)

// outcome is how a dump ended; it decides the final line and the exit code.
type outcome int

const (
	outcomeOK outcome = iota
	outcomeError
	outcomePanic
)

// checks selects what a dump verifies beyond reading the trace.
type checks uint8

const (
	// checkValidate runs Go's test validator on every event.
	checkValidate checks = 1 << iota
	// checkAPI runs apiCheck on every event.
	checkAPI
)

// dumper holds the state that lives for one dump: stack numbering and, in
// validation mode, the validator.
type dumper struct {
	// byContent numbers stacks by their frames, so equal stacks from
	// different generations (different tables, different IDs) share a number.
	byContent map[string]int
	// byHandle caches the number of a stack handle; it is only a shortcut
	// around collecting the frames again.
	byHandle map[trace.Stack]int
	val      *validator
	api      bool // run apiCheck on every event
	syncs    int  // Sync events so far
	line     []byte
	key      []byte
	// werr is the first error writing the output; it ends the dump.
	werr error
}

func newDumper(opts checks, data []byte) *dumper {
	d := &dumper{
		byContent: make(map[string]int),
		byHandle:  make(map[trace.Stack]int),
		api:       opts&checkAPI != 0,
	}
	if opts&checkValidate != 0 {
		d.val = newValidator(headerVersion(data))
	}
	return d
}

// dumpTrace writes the whole dump of data, final line included, and reports
// how it ended. A panic anywhere inside Go's reader or an accessor becomes
// the final "panic:" line; lines of events already complete stay written.
func dumpTrace(w io.Writer, data []byte, opts checks) (outcome, error) {
	d := newDumper(opts, data)
	readErr, panicMsg, panicked := protect(func() error {
		return d.readAll(w, data)
	})
	if d.werr != nil {
		return outcomeError, d.werr
	}
	var end []byte
	res := outcomeOK
	switch {
	case panicked:
		end, res = appendMessage([]byte("panic: "), panicMsg), outcomePanic
	case readErr != nil:
		end, res = appendMessage([]byte("error: "), readErr.Error()), outcomeError
	default:
		end = []byte("ok")
	}
	end = append(end, '\n')
	_, err := w.Write(end)
	return res, err
}

// readAll pulls events until the end of the trace or the reader's first
// error, which it returns. A write error is kept in d.werr.
func (d *dumper) readAll(w io.Writer, data []byte) error {
	r, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		// The event goes into a scratch line first so that a panicking
		// accessor never leaves half a line in the output.
		d.line = d.appendEvent(d.line[:0], ev)
		if d.val != nil {
			d.line = appendFindings(d.line, d.val.event(ev))
		}
		if d.api {
			d.line = appendFindings(d.line, apiCheck(ev))
		}
		if _, err := w.Write(d.line); err != nil {
			d.werr = err
			return nil
		}
	}
}

// appendFindings writes one "\tinvalid MESSAGE" line per message.
func appendFindings(dst []byte, msgs []string) []byte {
	for _, msg := range msgs {
		dst = append(dst, "\tinvalid "...)
		dst = appendMessage(dst, msg)
		dst = append(dst, '\n')
	}
	return dst
}

// appendEvent writes the stack definitions an event needs, its line, and
// the experimental batches of a Sync.
func (d *dumper) appendEvent(dst []byte, ev trace.Event) []byte {
	kind := ev.Kind()
	var tr trace.StateTransition
	var sync *syncInfo
	switch kind {
	case trace.EventStateTransition:
		tr = ev.StateTransition()
	case trace.EventSync:
		d.syncs++
		s := eventSync(ev, d.syncs)
		sync = &s
	}
	dst, stk := d.appendStackDef(dst, ev.Stack())
	dst, tstk := d.appendStackDef(dst, tr.Stack)

	dst = append(dst, kind.String()...)
	dst = append(dst, " T="...)
	dst = appendInt(dst, int64(ev.Time()))
	dst = append(dst, " M="...)
	dst = appendInt(dst, int64(ev.Thread()))
	dst = append(dst, " P="...)
	dst = appendInt(dst, int64(ev.Proc()))
	dst = append(dst, " G="...)
	dst = appendInt(dst, int64(ev.Goroutine()))
	dst = appendKindFields(dst, ev, tr, tstk, sync)
	if stk != 0 {
		dst = append(dst, " stk="...)
		dst = appendInt(dst, int64(stk))
	}
	dst = append(dst, '\n')
	if sync != nil {
		dst = appendExpBatches(dst, sync)
	}
	return dst
}

// appendStackDef returns the dump number of s (0 for NoStack), writing its
// definition first if this is the number's first use.
func (d *dumper) appendStackDef(dst []byte, s trace.Stack) ([]byte, int) {
	if s == trace.NoStack {
		return dst, 0
	}
	if n, ok := d.byHandle[s]; ok {
		return dst, n
	}
	frames := stackFrames(s)
	d.key = appendStackKey(d.key[:0], frames)
	n, ok := d.byContent[string(d.key)]
	if !ok {
		n = len(d.byContent) + 1
		d.byContent[string(d.key)] = n
		dst = appendStackLines(dst, n, frames)
	}
	d.byHandle[s] = n
	return dst, n
}

// appendStackKey encodes frames unambiguously (lengths before strings).
func appendStackKey(dst []byte, frames []trace.StackFrame) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(frames)))
	for _, f := range frames {
		dst = binary.AppendUvarint(dst, f.PC)
		dst = binary.AppendUvarint(dst, uint64(len(f.Func)))
		dst = append(dst, f.Func...)
		dst = binary.AppendUvarint(dst, uint64(len(f.File)))
		dst = append(dst, f.File...)
		dst = binary.AppendUvarint(dst, f.Line)
	}
	return dst
}

func appendStackLines(dst []byte, n int, frames []trace.StackFrame) []byte {
	dst = append(dst, "stack "...)
	dst = appendInt(dst, int64(n))
	dst = append(dst, ' ')
	dst = appendInt(dst, int64(len(frames)))
	dst = append(dst, '\n')
	for _, f := range frames {
		dst = append(dst, "\tframe "...)
		dst = appendPC(dst, f.PC)
		dst = append(dst, ' ')
		dst = appendQuoted(dst, f.Func)
		dst = append(dst, ' ')
		dst = appendQuoted(dst, f.File)
		dst = append(dst, ' ')
		dst = appendUint(dst, f.Line)
		dst = append(dst, '\n')
	}
	return dst
}
