//go:build xexp_legacy

// The version-dependent API (see compat.go) for x/exp from before Go 1.23's
// trace API, such as the version regenerated from Go commit 5879bf7.
package main

import (
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
	Batches  map[string][]struct {
		Thread trace.ThreadID
		Data   []byte
	}
}

// eventSync: this API has no Sync details; the reader numbers its Syncs
// 1, 2, ... in order, so the caller's count is N.
func eventSync(_ trace.Event, count int) syncInfo {
	return syncInfo{N: count}
}

func stackFrames(s trace.Stack) []trace.StackFrame {
	var frames []trace.StackFrame
	s.Frames(func(f trace.StackFrame) bool {
		frames = append(frames, f)
		return true
	})
	return frames
}

func appendValue(dst []byte, v trace.Value) []byte {
	if v.Kind() == trace.ValueUint64 {
		dst = append(dst, 'u', ':')
		return strconv.AppendUint(dst, v.Uint64(), 10)
	}
	return append(dst, "bad"...)
}

// appendExperimentalFields: this API has no experimental events.
func appendExperimentalFields(dst []byte, _ trace.Event) ([]byte, bool) {
	return dst, false
}
