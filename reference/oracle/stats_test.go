package main

import (
	"bytes"
	"encoding/json"
	"testing"

	xtrace "golang.org/x/exp/trace"
)

func TestClassesFollowTheDefinitions(t *testing.T) {
	g := newGenTracker(1)
	status := func(id xtrace.GoID, to xtrace.GoState, stk xtrace.Stack) {
		tr := xtrace.MakeGoStateTransition(id, xtrace.GoUndetermined, to)
		tr.Stack = stk
		ev, err := xtrace.MakeEvent(xtrace.EventConfig[xtrace.StateTransition]{
			Kind: xtrace.EventStateTransition, Goroutine: xtrace.NoGoroutine, Thread: 1, Stack: stk, Details: tr,
		})
		if err != nil {
			t.Fatal(err)
		}
		g.event(ev)
	}
	move := func(id xtrace.GoID, from, to xtrace.GoState) {
		g.event(transition(t, 1, 1, xtrace.NoGoroutine, xtrace.MakeGoStateTransition(id, from, to)))
	}
	stk := xtrace.MakeStack(framesA)
	status(1, xtrace.GoWaiting, stk)            // blocked all generation, with stack
	status(2, xtrace.GoWaiting, xtrace.NoStack) // blocked all generation, no stack
	status(3, xtrace.GoSyscall, stk)            // in a syscall all generation
	status(4, xtrace.GoWaiting, xtrace.NoStack) // unblocked, never ran
	move(4, xtrace.GoWaiting, xtrace.GoRunnable)
	status(5, xtrace.GoRunnable, xtrace.NoStack) // ran without blocking
	move(5, xtrace.GoRunnable, xtrace.GoRunning)
	status(6, xtrace.GoRunning, xtrace.NoStack) // ran and blocked
	move(6, xtrace.GoRunning, xtrace.GoWaiting)
	status(7, xtrace.GoRunnable, xtrace.NoStack) // runnable, never ran

	got := g.result()
	want := [numClasses]int{2, 1, 1, 1, 1, 1}
	if got.Classes != want || got.BlockedWithStack != 1 || got.SyscallWithStack != 1 {
		t.Fatalf("got %+v, want classes %v with 1 blocked and 1 syscall stack", got, want)
	}
}

func TestStatsOfRecordedTraceCountsGenerations(t *testing.T) {
	data := recordTrace(t)
	st := collectStats("rec", data)
	if st.End != "ok" || len(st.Generations) == 0 {
		t.Fatalf("got end %q with %d generations", st.End, len(st.Generations))
	}
	// The reader's trailing Sync opens no generation.
	var dump bytes.Buffer
	dumpTrace(&dump, data, 0)
	if syncs := bytes.Count(dump.Bytes(), []byte("\nSync ")) + 1; len(st.Generations) != syncs-1 {
		t.Errorf("%d generations for %d Sync events", len(st.Generations), syncs)
	}
	var out bytes.Buffer
	if err := writeStatsJSON(&out, []fileStats{st}); err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Generations int
		Total       map[string]int
	}
	if err := json.Unmarshal(out.Bytes(), &parsed); err != nil || parsed.Generations != len(st.Generations) {
		t.Fatalf("JSON %s: %v", out.String(), err)
	}
	if parsed.Total["ran"]+parsed.Total["ran_without_blocking"] == 0 {
		t.Errorf("no goroutine ran in a recorded trace: %s", out.String())
	}
}

func TestStatsGenerationRuleIgnoresTrailingSync(t *testing.T) {
	st := collectStats("garbage", []byte("junk"))
	if st.End == "ok" || len(st.Generations) != 0 {
		t.Fatalf("got %+v", st)
	}
}
