//go:build !xexp_legacy

// The parts of the x/exp/trace API that changed across x/exp versions, for
// the pinned (current) API. compat_legacy.go has the same functions for x/exp
// from before Go 1.23's API (callback Stack.Frames, no Sync details, no
// string values, no experimental events), so gotrace-oracle-xexp can be
// built against such a version with -tags xexp_legacy. Everything else in
// the oracle uses only API common to both.
package main

import (
	"slices"
	"strconv"
	"time"

	"golang.org/x/exp/trace"
)

// syncInfo is what a Sync event tells, whatever the API version.
type syncInfo struct {
	N        int
	HasClock bool
	Trace    trace.Time
	Wall     time.Time
	Mono     uint64
	Batches  map[string][]trace.ExperimentalBatch
}

// eventSync reads a Sync event. count is how many Sync events the caller
// has seen, this one included; the current API does not need it.
func eventSync(ev trace.Event, count int) syncInfo {
	s := ev.Sync()
	info := syncInfo{N: s.N, Batches: s.ExperimentalBatches}
	if c := s.ClockSnapshot; c != nil {
		info.HasClock, info.Trace, info.Wall, info.Mono = true, c.Trace, c.Wall, c.Mono
	}
	return info
}

func stackFrames(s trace.Stack) []trace.StackFrame {
	return slices.Collect(s.Frames())
}

// appendValue writes a trace.Value as u:N or s:"...". A ValueBad cannot come
// out of the reader today; it is written as "bad" rather than panicking so
// that a future reader change shows up as a diff instead of a crash.
func appendValue(dst []byte, v trace.Value) []byte {
	switch v.Kind() {
	case trace.ValueUint64:
		dst = append(dst, 'u', ':')
		return strconv.AppendUint(dst, v.Uint64(), 10)
	case trace.ValueString:
		dst = append(dst, 's', ':')
		return appendQuoted(dst, v.String())
	}
	return append(dst, "bad"...)
}

// appendExperimentalFields writes the fields of an Experimental event and
// reports whether ev was one.
func appendExperimentalFields(dst []byte, ev trace.Event) ([]byte, bool) {
	if ev.Kind() != trace.EventExperimental {
		return dst, false
	}
	x := ev.Experimental()
	dst = append(dst, " name="...)
	dst = append(dst, x.Name...)
	dst = append(dst, " exp="...)
	dst = append(dst, x.Experiment...)
	dst = append(dst, " args=["...)
	for i, arg := range x.Args {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, arg...)
		dst = append(dst, '=')
		dst = appendValue(dst, x.ArgValue(i))
	}
	return append(dst, ']'), true
}
