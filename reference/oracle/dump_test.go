package main

import (
	"bytes"
	"errors"
	"runtime/trace"
	"strings"
	"sync"
	"testing"

	xtrace "golang.org/x/exp/trace"
)

func logEvent(t *testing.T, ts xtrace.Time, stk xtrace.Stack) xtrace.Event {
	t.Helper()
	ev, err := xtrace.MakeEvent(xtrace.EventConfig[xtrace.Log]{
		Time: ts, Kind: xtrace.EventLog, Goroutine: 1, Proc: 2, Thread: 3,
		Stack:   stk,
		Details: xtrace.Log{Task: 7, Category: "cat", Message: "m\n"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

var framesA = []xtrace.StackFrame{
	{PC: 0x10, Func: "main.f", File: "a.go", Line: 3},
	{PC: 0x20, Func: "main.main", File: "a.go", Line: 9},
}

func TestStacksNumberedByFirstUseAndDedupedByFrames(t *testing.T) {
	d := newDumper(0, nil)
	// MakeEvent copies the stack into a fresh table per event, so the first
	// two events carry equal frames under different handles, like two
	// generations of a real trace.
	evs := []xtrace.Event{
		logEvent(t, 1, xtrace.MakeStack(framesA)),
		logEvent(t, 2, xtrace.MakeStack(framesA)),
		logEvent(t, 3, xtrace.MakeStack(framesA[1:])),
		logEvent(t, 4, xtrace.NoStack),
	}
	var out []byte
	for _, ev := range evs {
		out = d.appendEvent(out, ev)
	}
	want := `stack 1 2
	frame 0x10 "main.f" "a.go" 3
	frame 0x20 "main.main" "a.go" 9
Log T=1 M=3 P=2 G=1 task=7 cat="cat" msg="m\x0a" stk=1
Log T=2 M=3 P=2 G=1 task=7 cat="cat" msg="m\x0a" stk=1
stack 2 1
	frame 0x20 "main.main" "a.go" 9
Log T=3 M=3 P=2 G=1 task=7 cat="cat" msg="m\x0a" stk=2
Log T=4 M=3 P=2 G=1 task=7 cat="cat" msg="m\x0a"
`
	if string(out) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out, want)
	}
}

func TestStateTransitionWritesTransitionStackAfterEventStack(t *testing.T) {
	tr := xtrace.MakeGoStateTransition(5, xtrace.GoNotExist, xtrace.GoRunnable)
	tr.Stack = xtrace.MakeStack(framesA[1:])
	ev, err := xtrace.MakeEvent(xtrace.EventConfig[xtrace.StateTransition]{
		Time: 10, Kind: xtrace.EventStateTransition, Goroutine: 1, Proc: 0, Thread: 2,
		Stack: xtrace.MakeStack(framesA), Details: tr,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := string(newDumper(0, nil).appendEvent(nil, ev))
	want := `stack 1 2
	frame 0x10 "main.f" "a.go" 3
	frame 0x20 "main.main" "a.go" 9
stack 2 1
	frame 0x20 "main.main" "a.go" 9
StateTransition T=10 M=2 P=0 G=1 res=Goroutine(5) from=NotExist to=Runnable reason="" tstk=2 stk=1
`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestStackWithoutFramesIsDefinedWithZeroFrames(t *testing.T) {
	got := string(newDumper(0, nil).appendEvent(nil, logEvent(t, 1, xtrace.MakeStack(nil))))
	if !strings.HasPrefix(got, "stack 1 0\nLog ") || !strings.HasSuffix(got, " stk=1\n") {
		t.Fatalf("got:\n%s", got)
	}
}

// recordTrace runs a little workload under runtime/trace.
func recordTrace(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Skipf("tracing unavailable: %v", err)
	}
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			trace.Log(t.Context(), "worker", "started")
			ch <- i
		}()
	}
	for range 4 {
		<-ch
	}
	wg.Wait()
	trace.Stop()
	return buf.Bytes()
}

func TestDumpOfRecordedTraceStartsWithSyncAndEndsOK(t *testing.T) {
	var out bytes.Buffer
	res, err := dumpTrace(&out, recordTrace(t), checkValidate)
	if err != nil || res != outcomeOK {
		t.Fatalf("dumpTrace = %v, %v; tail:\n%s", res, err, tail(out.String()))
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if !strings.HasPrefix(lines[0], "Sync ") || !strings.Contains(lines[0], " N=1") {
		t.Errorf("first line %q is not the first Sync", lines[0])
	}
	if last := lines[len(lines)-1]; last != "ok" {
		t.Errorf("last line %q, want ok", last)
	}
	if strings.Contains(out.String(), "\tinvalid ") {
		t.Errorf("validation violations in a runtime trace:\n%s", out.String())
	}
	if !strings.Contains(out.String(), `cat="worker" msg="started"`) {
		t.Errorf("the Log events are missing")
	}
}

func TestDumpIsDeterministic(t *testing.T) {
	data := recordTrace(t)
	var a, b bytes.Buffer
	dumpTrace(&a, data, checkValidate)
	dumpTrace(&b, data, checkValidate)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two dumps of the same bytes differ")
	}
}

func TestDumpOfGarbageIsAnErrorLine(t *testing.T) {
	var out bytes.Buffer
	res, _ := dumpTrace(&out, []byte("not a trace"), 0)
	if res != outcomeError || out.String() != "error: bad file format: not a Go execution trace?\n" {
		t.Fatalf("got %v %q", res, out.String())
	}
}

// panicWriter panics on its n-th write, as a panicking accessor would in
// the middle of a dump, and works normally otherwise.
type panicWriter struct {
	bytes.Buffer
	n int
}

func (w *panicWriter) Write(p []byte) (int, error) {
	w.n--
	if w.n == 0 {
		panic(errors.New("boom\nsecond line"))
	}
	return w.Buffer.Write(p)
}

func TestPanicBecomesFinalLineAndKeepsEarlierLines(t *testing.T) {
	w := &panicWriter{n: 3}
	res, err := dumpTrace(w, recordTrace(t), 0)
	if err != nil || res != outcomePanic {
		t.Fatalf("dumpTrace = %v, %v", res, err)
	}
	lines := strings.Split(strings.TrimSuffix(w.String(), "\n"), "\n")
	if last := lines[len(lines)-1]; last != `panic: boom\x0asecond line` {
		t.Errorf("final line %q", last)
	}
	if !strings.HasPrefix(lines[0], "Sync ") {
		t.Errorf("events before the panic were lost: %q", lines[0])
	}
}

func TestProtectRecoversNonErrorPanics(t *testing.T) {
	err, msg, panicked := protect(func() error { panic(42) })
	if err != nil || msg != "42" || !panicked {
		t.Fatalf("protect = %v, %q, %v", err, msg, panicked)
	}
	err, msg, panicked = protect(func() error { return errors.New("e") })
	if err == nil || msg != "" || panicked {
		t.Fatalf("protect = %v, %q, %v", err, msg, panicked)
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}
