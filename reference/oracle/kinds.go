// The kind-specific fields of each event line (the table "Event lines" in
// docs/dump-format.md), one function per family of kinds.
package main

import (
	"slices"

	"golang.org/x/exp/trace"
)

// appendKindFields writes the fields that follow G=. tstk is the dump
// number of the transition stack (0 for none), already defined; sync is
// the event's details when it is a Sync.
func appendKindFields(dst []byte, ev trace.Event, tr trace.StateTransition, tstk int, sync *syncInfo) []byte {
	if sync != nil {
		return appendSync(dst, sync)
	}
	switch kind := ev.Kind(); kind {
	case trace.EventMetric:
		m := ev.Metric()
		dst = append(dst, " name="...)
		dst = appendQuoted(dst, m.Name)
		dst = append(dst, " value="...)
		return appendValue(dst, m.Value)
	case trace.EventLabel:
		l := ev.Label()
		dst = append(dst, " label="...)
		dst = appendQuoted(dst, l.Label)
		dst = append(dst, " res="...)
		return append(dst, l.Resource.String()...)
	case trace.EventRangeBegin, trace.EventRangeActive, trace.EventRangeEnd:
		return appendRange(dst, ev, kind)
	case trace.EventTaskBegin, trace.EventTaskEnd:
		t := ev.Task()
		dst = append(dst, " id="...)
		dst = appendUint(dst, uint64(t.ID))
		dst = append(dst, " parent="...)
		dst = appendUint(dst, uint64(t.Parent))
		dst = append(dst, " type="...)
		return appendQuoted(dst, t.Type)
	case trace.EventRegionBegin, trace.EventRegionEnd:
		r := ev.Region()
		dst = append(dst, " task="...)
		dst = appendUint(dst, uint64(r.Task))
		dst = append(dst, " type="...)
		return appendQuoted(dst, r.Type)
	case trace.EventLog:
		l := ev.Log()
		dst = append(dst, " task="...)
		dst = appendUint(dst, uint64(l.Task))
		dst = append(dst, " cat="...)
		dst = appendQuoted(dst, l.Category)
		dst = append(dst, " msg="...)
		return appendQuoted(dst, l.Message)
	case trace.EventStateTransition:
		return appendTransition(dst, tr, tstk)
	}
	if dst, ok := appendExperimentalFields(dst, ev); ok {
		return dst
	}
	// StackSample has no fields of its own; unknown kinds print as their
	// name ("Bad") with the common fields only.
	return dst
}

func appendSync(dst []byte, s *syncInfo) []byte {
	dst = append(dst, " N="...)
	dst = appendInt(dst, int64(s.N))
	if s.HasClock {
		dst = append(dst, " trace="...)
		dst = appendInt(dst, int64(s.Trace))
		dst = append(dst, " wall="...)
		dst = appendInt(dst, s.Wall.Unix())
		dst = append(dst, '.')
		ns := int64(s.Wall.Nanosecond())
		for div := int64(100000000); div > 0; div /= 10 {
			dst = append(dst, byte('0'+ns/div%10))
		}
		dst = append(dst, " mono="...)
		dst = appendUint(dst, s.Mono)
	}
	return dst
}

// appendExpBatches writes the expbatch lines of a Sync. The reader hands
// them out as a map, so experiments are sorted by name for determinism.
func appendExpBatches(dst []byte, s *syncInfo) []byte {
	names := make([]string, 0, len(s.Batches))
	for name := range s.Batches {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, b := range s.Batches[name] {
			dst = append(dst, "\texpbatch "...)
			dst = appendQuoted(dst, name)
			dst = append(dst, " M="...)
			dst = appendInt(dst, int64(b.Thread))
			dst = append(dst, ' ')
			dst = appendHexBytes(dst, b.Data)
			dst = append(dst, '\n')
		}
	}
	return dst
}

func appendRange(dst []byte, ev trace.Event, kind trace.EventKind) []byte {
	r := ev.Range()
	dst = append(dst, " name="...)
	dst = appendQuoted(dst, r.Name)
	dst = append(dst, " scope="...)
	dst = append(dst, r.Scope.String()...)
	if kind != trace.EventRangeEnd {
		return dst
	}
	dst = append(dst, " attrs=["...)
	for i, a := range ev.RangeAttributes() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendQuoted(dst, a.Name)
		dst = append(dst, '=')
		dst = appendValue(dst, a.Value)
	}
	return append(dst, ']')
}

func appendTransition(dst []byte, tr trace.StateTransition, tstk int) []byte {
	dst = append(dst, " res="...)
	dst = append(dst, tr.Resource.String()...)
	from, to := "Bad", "Bad"
	switch tr.Resource.Kind {
	case trace.ResourceGoroutine:
		f, t := tr.Goroutine()
		from, to = f.String(), t.String()
	case trace.ResourceProc:
		f, t := tr.Proc()
		from, to = f.String(), t.String()
	}
	dst = append(dst, " from="...)
	dst = append(dst, from...)
	dst = append(dst, " to="...)
	dst = append(dst, to...)
	dst = append(dst, " reason="...)
	dst = appendQuoted(dst, tr.Reason)
	if tstk != 0 {
		dst = append(dst, " tstk="...)
		dst = appendInt(dst, int64(tstk))
	}
	return dst
}
