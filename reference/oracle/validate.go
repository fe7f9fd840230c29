// Validation mode: the per-event checks that Go's own trace tests run on
// every event they read (the Validator of Go's internal/trace/testtrace),
// rewritten here over the public API because that package is internal.
// Messages are this file's own and deterministic: they never print Go
// structs or pointers, so dumps stay comparable byte for byte.
package main

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/exp/trace"
)

// schedCtx is what one thread is running: the goroutine and proc bound to
// it by the transitions seen so far.
type schedCtx struct {
	M trace.ThreadID
	P trace.ProcID
	G trace.GoID
}

// valState is what the validator knows of one goroutine (S = GoState) or
// proc (S = ProcState): its state and the thread context it is bound to.
type valState[S any] struct {
	state   S
	binding *schedCtx
}

type validator struct {
	version  int // minor Go version of the trace header, 0 if unknown
	lastTs   trace.Time
	lastSync syncInfo
	syncs    int // Sync events so far
	gs       map[trace.GoID]*valState[trace.GoState]
	ps       map[trace.ProcID]*valState[trace.ProcState]
	ms       map[trace.ThreadID]*schedCtx
	ranges   map[trace.ResourceID][]string
	tasks    map[trace.TaskID]string
	errs     []string
}

func newValidator(version int) *validator {
	return &validator{
		version: version,
		gs:      make(map[trace.GoID]*valState[trace.GoState]),
		ps:      make(map[trace.ProcID]*valState[trace.ProcState]),
		ms:      make(map[trace.ThreadID]*schedCtx),
		ranges:  make(map[trace.ResourceID][]string),
		tasks:   make(map[trace.TaskID]string),
	}
}

func (v *validator) errorf(format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf(format, args...))
}

// event checks ev as the next event of the stream and returns the rules it
// breaks, in the order they were checked.
func (v *validator) event(ev trace.Event) []string {
	v.errs = v.errs[:0]
	v.checkTime(ev)
	v.checkStack(ev.Stack())
	switch ev.Kind() {
	case trace.EventSync:
		v.syncs++
		v.checkSync(eventSync(ev, v.syncs))
	case trace.EventMetric:
		v.checkMetric(ev.Metric())
	case trace.EventLabel:
		v.checkLabel(ev.Label())
	case trace.EventStateTransition:
		tr := ev.StateTransition()
		v.checkStack(tr.Stack)
		switch tr.Resource.Kind {
		case trace.ResourceGoroutine:
			v.goTransition(ev, tr)
		case trace.ResourceProc:
			v.procTransition(ev, tr)
		}
	case trace.EventRangeBegin, trace.EventRangeActive, trace.EventRangeEnd:
		v.checkRange(ev.Kind(), ev.Range())
	case trace.EventTaskBegin:
		v.taskBegin(ev.Task())
	case trace.EventTaskEnd:
		v.taskEnd(ev.Task())
	case trace.EventLog:
		// Category and message are user data; only the accessor is checked.
		_ = ev.Log()
	}
	return v.errs
}

// checkTime requires strictly increasing times. An out-of-order time does
// not become the new reference, as in Go's validator.
func (v *validator) checkTime(ev trace.Event) {
	if v.lastTs != 0 && ev.Time() <= v.lastTs {
		v.errorf("timestamp out-of-order (want > %d) for %s event at %d", v.lastTs, ev.Kind(), ev.Time())
		return
	}
	v.lastTs = ev.Time()
}

// checkStack requires complete frames, except that the first frame may be
// all zero (Go's tests tolerate one such frame).
func (v *validator) checkStack(stk trace.Stack) {
	for i, f := range stackFrames(stk) {
		if i > 0 && (f.Func == "" || f.File == "" || f.PC == 0 || f.Line == 0) {
			v.errorf("invalid stack frame pc=0x%x func=%q file=%q line=%d: missing information", f.PC, f.Func, f.File, f.Line)
		}
	}
}

// checkSync requires consecutive sync numbers and, from Go 1.25 on, a
// complete and increasing clock snapshot. The reader's synthetic final sync
// (N > 1 without a snapshot) is exempt.
func (v *validator) checkSync(s syncInfo) {
	if s.N != v.lastSync.N+1 {
		v.errorf("sync count is not sequential: expected %d, got %d", v.lastSync.N+1, s.N)
	}
	if v.version >= 25 && !(s.N > 1 && !s.HasClock) {
		v.checkClock(s)
	}
	v.lastSync = s
}

func (v *validator) checkClock(s syncInfo) {
	c := s
	if !c.HasClock {
		v.errorf("sync %d has no clock snapshot", s.N)
		return
	}
	if c.Wall.IsZero() {
		v.errorf("sync %d has zero wall time", s.N)
	}
	if c.Mono == 0 {
		v.errorf("sync %d has zero mono time", s.N)
	}
	if c.Trace == 0 {
		v.errorf("sync %d has zero trace time", s.N)
	}
	prev := v.lastSync
	if s.N < 2 || !prev.HasClock {
		return
	}
	if !c.Wall.After(prev.Wall) {
		v.errorf("sync %d has non-increasing wall time: %d vs %d", s.N, c.Wall.UnixNano(), prev.Wall.UnixNano())
	}
	if c.Mono <= prev.Mono {
		v.errorf("sync %d has non-increasing mono time: %d vs %d", s.N, c.Mono, prev.Mono)
	}
	if c.Trace <= prev.Trace {
		v.errorf("sync %d has non-increasing trace time: %d vs %d", s.N, c.Trace, prev.Trace)
	}
}

func (v *validator) checkMetric(m trace.Metric) {
	if !strings.Contains(m.Name, ":") {
		// runtime/metrics names carry their unit after a colon.
		v.errorf("invalid metric name %q", m.Name)
	}
	if m.Value.Kind() == trace.ValueBad {
		v.errorf("invalid value")
	}
}

func (v *validator) checkLabel(l trace.Label) {
	if l.Label == "" {
		v.errorf("invalid label %q", l.Label)
	}
	known := true
	switch l.Resource.Kind {
	case trace.ResourceNone:
		v.errorf("label resource none")
	case trace.ResourceGoroutine:
		_, known = v.gs[l.Resource.Goroutine()]
	case trace.ResourceProc:
		_, known = v.ps[l.Resource.Proc()]
	case trace.ResourceThread:
		_, known = v.ms[l.Resource.Thread()]
	}
	if !known {
		v.errorf("label for invalid %s", l.Resource)
	}
}

func (v *validator) checkRange(kind trace.EventKind, r trace.Range) {
	switch kind {
	case trace.EventRangeBegin:
		if v.hasRange(r.Scope, r.Name) {
			v.errorf("already active range %q on %s begun again", r.Name, r.Scope)
		}
		v.ranges[r.Scope] = append(v.ranges[r.Scope], r.Name)
	case trace.EventRangeActive:
		if !v.hasRange(r.Scope, r.Name) {
			v.ranges[r.Scope] = append(v.ranges[r.Scope], r.Name)
		}
	case trace.EventRangeEnd:
		if !v.hasRange(r.Scope, r.Name) {
			v.errorf("inactive range %q on %s ended", r.Name, r.Scope)
			return
		}
		names := v.ranges[r.Scope]
		i := slices.Index(names, r.Name)
		v.ranges[r.Scope] = slices.Delete(names, i, i+1)
	}
}

func (v *validator) hasRange(res trace.ResourceID, name string) bool {
	return slices.Contains(v.ranges[res], name)
}

func (v *validator) taskBegin(t trace.Task) {
	if t.ID == trace.NoTask || t.ID == trace.BackgroundTask {
		v.errorf("found invalid task ID for task of type %q", t.Type)
	}
	if t.Parent == trace.BackgroundTask {
		v.errorf("found background task as the parent for task of type %q", t.Type)
	}
	v.tasks[t.ID] = t.Type
}

// taskEnd checks only tasks whose begin was seen: a task may have begun
// before the trace started.
func (v *validator) taskEnd(t trace.Task) {
	typ, ok := v.tasks[t.ID]
	if !ok {
		return
	}
	if t.Type != typ {
		v.errorf("task end type %q doesn't match task start type %q for task %d", t.Type, typ, t.ID)
	}
	delete(v.tasks, t.ID)
}

// headerVersion returns the minor Go version named by a trace header
// ("go 1.NN trace\x00\x00\x00"), or 0 when the header is not one. The
// validator needs it and the public API does not expose it.
func headerVersion(data []byte) int {
	const prefix = "go 1."
	s := string(data[:min(len(data), 16)])
	if !strings.HasPrefix(s, prefix) {
		return 0
	}
	v := 0
	for _, c := range s[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		v = v*10 + int(c-'0')
	}
	return v
}
