package main

import (
	"strings"
	"testing"

	xtrace "golang.org/x/exp/trace"
)

func transition(t *testing.T, ts xtrace.Time, m xtrace.ThreadID, g xtrace.GoID, tr xtrace.StateTransition) xtrace.Event {
	t.Helper()
	ev, err := xtrace.MakeEvent(xtrace.EventConfig[xtrace.StateTransition]{
		Time: ts, Kind: xtrace.EventStateTransition, Goroutine: g, Proc: 0, Thread: m, Details: tr,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestValidatorAcceptsAConsistentGoroutineLife(t *testing.T) {
	v := newValidator(26)
	evs := []xtrace.Event{
		transition(t, 1, 1, xtrace.NoGoroutine, xtrace.MakeGoStateTransition(7, xtrace.GoNotExist, xtrace.GoRunnable)),
		transition(t, 2, 1, xtrace.NoGoroutine, xtrace.MakeGoStateTransition(7, xtrace.GoRunnable, xtrace.GoRunning)),
		transition(t, 3, 1, 7, xtrace.MakeGoStateTransition(7, xtrace.GoRunning, xtrace.GoWaiting)),
	}
	for _, ev := range evs {
		if errs := v.event(ev); len(errs) != 0 {
			t.Fatalf("violations on %v: %q", ev, errs)
		}
	}
}

func TestValidatorReportsBadOldStateAndTimeOrder(t *testing.T) {
	v := newValidator(26)
	v.event(transition(t, 5, 1, xtrace.NoGoroutine, xtrace.MakeGoStateTransition(7, xtrace.GoNotExist, xtrace.GoRunnable)))
	errs := v.event(transition(t, 5, 1, 7, xtrace.MakeGoStateTransition(7, xtrace.GoRunning, xtrace.GoWaiting)))
	joined := strings.Join(errs, "|")
	for _, want := range []string{
		"timestamp out-of-order (want > 5) for StateTransition event at 5",
		"bad old state for goroutine 7: got Running, want Runnable",
		"stopping goroutine 7 not bound to any active context",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing %q in %q", want, joined)
		}
	}
}

func TestValidatorRejectsRunningTwoGoroutinesOnOneThread(t *testing.T) {
	v := newValidator(26)
	v.event(transition(t, 1, 1, xtrace.NoGoroutine, xtrace.MakeGoStateTransition(1, xtrace.GoUndetermined, xtrace.GoRunning)))
	errs := v.event(transition(t, 2, 1, 1, xtrace.MakeGoStateTransition(2, xtrace.GoUndetermined, xtrace.GoRunning)))
	if len(errs) != 1 || !strings.Contains(errs[0], "tried to run goroutine 2 when one was already executing (1) on thread 1") {
		t.Fatalf("got %q", errs)
	}
}

func TestValidatorChecksStackFramesExceptTheFirst(t *testing.T) {
	v := newValidator(26)
	stk := xtrace.MakeStack([]xtrace.StackFrame{{}, {PC: 1, Func: "f", File: "", Line: 2}})
	errs := v.event(logEvent(t, 1, stk))
	if len(errs) != 1 || !strings.Contains(errs[0], `invalid stack frame pc=0x1 func="f" file="" line=2`) {
		t.Fatalf("got %q", errs)
	}
}

func TestHeaderVersion(t *testing.T) {
	cases := map[string]int{
		"go 1.22 trace\x00\x00\x00":    22,
		"go 1.26 trace\x00\x00\x00":    26,
		"go 1.5 trace\x00\x00\x00\x00": 5,
		"junk":                         0,
		"":                             0,
	}
	for in, want := range cases {
		if got := headerVersion([]byte(in)); got != want {
			t.Errorf("headerVersion(%q) = %d, want %d", in, got, want)
		}
	}
}
