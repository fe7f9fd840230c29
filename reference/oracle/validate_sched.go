// Validation of state transitions: every resource's old state must be the
// state its previous transition left it in, and a goroutine or proc that
// starts executing must be bound to the event's thread (and unbound when it
// stops). Goroutines and procs follow the same rules.
package main

import "golang.org/x/exp/trace"

func (v *validator) goTransition(ev trace.Event, tr trace.StateTransition) {
	id := tr.Resource.Goroutine()
	from, to := tr.Goroutine()
	if to == trace.GoUndetermined {
		v.errorf("transition to undetermined state for goroutine %d", id)
	}
	if v.lastSync.N > 1 && from == trace.GoUndetermined {
		v.errorf("undetermined goroutine %d after first global sync", id)
	}
	if to == trace.GoNotExist && len(v.ranges[tr.Resource]) != 0 {
		v.errorf("goroutine %d died with active ranges", id)
	}
	st, ok := v.gs[id]
	if ok {
		if from != st.state {
			v.errorf("bad old state for goroutine %d: got %s, want %s", id, from, st.state)
		}
		st.state = to
	} else {
		if from != trace.GoUndetermined && from != trace.GoNotExist {
			v.errorf("bad old state for unregistered goroutine %d: %s", id, from)
		}
		st = &goValState{state: to}
		v.gs[id] = st
	}
	switch {
	case to.Executing():
		ctx := v.thread(ev)
		if ctx == nil {
			return
		}
		if ctx.G != trace.NoGoroutine && ctx.G != id {
			v.errorf("tried to run goroutine %d when one was already executing (%d) on thread %d", id, ctx.G, ev.Thread())
		}
		ctx.G = id
		st.binding = ctx
	case from.Executing():
		// The goroutine that stops is the one executing the event, so both
		// stacks describe the same moment.
		if tr.Stack != ev.Stack() {
			v.errorf("StateTransition.Stack doesn't match Event.Stack")
		}
		ctx := st.binding
		if ctx == nil {
			v.errorf("stopping goroutine %d not bound to any active context", id)
			return
		}
		if ctx.G != id {
			v.errorf("tried to stop goroutine %d when it wasn't currently executing (currently executing %d) on thread %d", id, ctx.G, ev.Thread())
		}
		ctx.G = trace.NoGoroutine
		st.binding = nil
	}
}

func (v *validator) procTransition(ev trace.Event, tr trace.StateTransition) {
	id := tr.Resource.Proc()
	from, to := tr.Proc()
	if to == trace.ProcUndetermined {
		v.errorf("transition to undetermined state for proc %d", id)
	}
	if v.lastSync.N > 1 && from == trace.ProcUndetermined {
		v.errorf("undetermined proc %d after first global sync", id)
	}
	if to == trace.ProcNotExist && len(v.ranges[tr.Resource]) != 0 {
		v.errorf("proc %d died with active ranges", id)
	}
	st, ok := v.ps[id]
	if ok {
		if from != st.state {
			v.errorf("bad old state for proc %d: got %s, want %s", id, from, st.state)
		}
		st.state = to
	} else {
		if from != trace.ProcUndetermined && from != trace.ProcNotExist {
			v.errorf("bad old state for unregistered proc %d: %s", id, from)
		}
		st = &procValState{state: to}
		v.ps[id] = st
	}
	switch {
	case to.Executing():
		ctx := v.thread(ev)
		if ctx == nil {
			return
		}
		if ctx.P != trace.NoProc && ctx.P != id {
			v.errorf("tried to run proc %d when one was already executing (%d) on thread %d", id, ctx.P, ev.Thread())
		}
		ctx.P = id
		st.binding = ctx
	case from.Executing():
		ctx := st.binding
		if ctx == nil {
			v.errorf("stopping proc %d not bound to any active context", id)
			return
		}
		if ctx.P != id {
			v.errorf("tried to stop proc %d when it wasn't currently executing (currently executing %d) on thread %d", id, ctx.P, ctx.M)
		}
		ctx.P = trace.NoProc
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
