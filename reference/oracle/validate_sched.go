// Validation of state transitions: every resource's old state must be the
// state its previous transition left it in, and a goroutine or proc that
// starts executing must be bound to the event's thread (and unbound when it
// stops). Goroutines and procs follow the same rules, written once in
// checkTransition and parameterised by a resRules per kind.
package main

import "golang.org/x/exp/trace"

// resState is trace.GoState or trace.ProcState.
type resState interface {
	comparable
	Executing() bool
	String() string
}

// resRules is what differs between goroutines and procs.
type resRules[ID comparable, S resState] struct {
	name         string // "goroutine" or "proc", in messages
	undetermined S
	notExist     S
	none         ID                    // NoGoroutine or NoProc
	slot         func(c *schedCtx) *ID // the context's G or P
	stopThread   func(ev trace.Event, c *schedCtx) trace.ThreadID
	// sameStacks asks a stopping resource's transition stack to equal the
	// event's (goroutines only: the goroutine that stops is the one
	// executing the event, so both stacks describe the same moment).
	sameStacks bool
}

var goRules = resRules[trace.GoID, trace.GoState]{
	name: "goroutine", undetermined: trace.GoUndetermined, notExist: trace.GoNotExist,
	none:       trace.NoGoroutine,
	slot:       func(c *schedCtx) *trace.GoID { return &c.G },
	stopThread: func(ev trace.Event, _ *schedCtx) trace.ThreadID { return ev.Thread() },
	sameStacks: true,
}

// Go's validator names the context's thread when a proc stops, the event's
// when a goroutine does; the messages keep that.
var procRules = resRules[trace.ProcID, trace.ProcState]{
	name: "proc", undetermined: trace.ProcUndetermined, notExist: trace.ProcNotExist,
	none:       trace.NoProc,
	slot:       func(c *schedCtx) *trace.ProcID { return &c.P },
	stopThread: func(_ trace.Event, c *schedCtx) trace.ThreadID { return c.M },
}

func (v *validator) goTransition(ev trace.Event, tr trace.StateTransition) {
	from, to := tr.Goroutine()
	checkTransition(v, ev, tr, goRules, v.gs, tr.Resource.Goroutine(), from, to)
}

func (v *validator) procTransition(ev trace.Event, tr trace.StateTransition) {
	from, to := tr.Proc()
	checkTransition(v, ev, tr, procRules, v.ps, tr.Resource.Proc(), from, to)
}

func checkTransition[ID comparable, S resState](v *validator, ev trace.Event, tr trace.StateTransition,
	r resRules[ID, S], states map[ID]*valState[S], id ID, from, to S) {
	if to == r.undetermined {
		v.errorf("transition to undetermined state for %s %v", r.name, id)
	}
	if v.lastSync.N > 1 && from == r.undetermined {
		v.errorf("undetermined %s %v after first global sync", r.name, id)
	}
	if to == r.notExist && len(v.ranges[tr.Resource]) != 0 {
		v.errorf("%s %v died with active ranges", r.name, id)
	}
	st, ok := states[id]
	if ok {
		if from != st.state {
			v.errorf("bad old state for %s %v: got %s, want %s", r.name, id, from, st.state)
		}
		st.state = to
	} else {
		if from != r.undetermined && from != r.notExist {
			v.errorf("bad old state for unregistered %s %v: %s", r.name, id, from)
		}
		st = &valState[S]{state: to}
		states[id] = st
	}
	switch {
	case to.Executing():
		ctx := v.thread(ev)
		if ctx == nil {
			return
		}
		if cur := *r.slot(ctx); cur != r.none && cur != id {
			v.errorf("tried to run %s %v when one was already executing (%v) on thread %d", r.name, id, cur, ev.Thread())
		}
		*r.slot(ctx) = id
		st.binding = ctx
	case from.Executing():
		if r.sameStacks && tr.Stack != ev.Stack() {
			v.errorf("StateTransition.Stack doesn't match Event.Stack")
		}
		ctx := st.binding
		if ctx == nil {
			v.errorf("stopping %s %v not bound to any active context", r.name, id)
			return
		}
		if cur := *r.slot(ctx); cur != id {
			v.errorf("tried to stop %s %v when it wasn't currently executing (currently executing %v) on thread %d", r.name, id, cur, r.stopThread(ev, ctx))
		}
		*r.slot(ctx) = r.none
		st.binding = nil
	}
}

// thread returns the scheduling context of the event's thread, creating it
// on first use. An event that starts executing something must have a
// thread, except a goroutine found in a syscall in a pre-Go 1.22 trace:
// that format did not record threads for it.
func (v *validator) thread(ev trace.Event) *schedCtx {
	m := ev.Thread()
	if m == trace.NoThread && !v.lenientNoThread(ev) {
		v.errorf("must have thread, but thread ID is none")
		return nil
	}
	ctx, ok := v.ms[m]
	if !ok {
		ctx = &schedCtx{M: m, P: trace.NoProc, G: trace.NoGoroutine}
		v.ms[m] = ctx
	}
	return ctx
}

func (v *validator) lenientNoThread(ev trace.Event) bool {
	if v.version >= 22 || ev.Kind() != trace.EventStateTransition {
		return false
	}
	tr := ev.StateTransition()
	if tr.Resource.Kind != trace.ResourceGoroutine {
		return false
	}
	from, to := tr.Goroutine()
	return from == trace.GoUndetermined && to == trace.GoSyscall
}
