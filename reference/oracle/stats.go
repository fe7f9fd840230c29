// Stats mode: per generation, which goroutines sat blocked or in a syscall
// for the whole generation and whether their generation-start status event
// carried a stack (the promise of the GoStatusStack change), and how the
// other goroutines spent the generation. docs/oracle.md defines each class.
package main

import (
	"bytes"
	"io"

	"golang.org/x/exp/trace"
)

type goClass int

const (
	classBlocked goClass = iota
	classSyscall
	classUnblockedNeverRan
	classRanWithoutBlocking
	classRan
	classOther
	numClasses
)

var classNames = [numClasses]string{
	"blocked", "syscall", "unblocked_never_ran", "ran_without_blocking", "ran", "other",
}

// counts is one row of the report: goroutines per class, plus how many of
// the blocked and syscall ones had a stack in their status event.
type counts struct {
	Classes          [numClasses]int
	BlockedWithStack int
	SyscallWithStack int
}

func (c *counts) add(o counts) {
	for i := range c.Classes {
		c.Classes[i] += o.Classes[i]
	}
	c.BlockedWithStack += o.BlockedWithStack
	c.SyscallWithStack += o.SyscallWithStack
}

type genStats struct {
	N int // the N of the Sync event that opened the generation
	counts
}

type fileStats struct {
	File        string
	End         string // "ok", "error: ...", or "panic: ..."
	Generations []genStats
	Total       counts
}

// goTrack is what one generation saw of one goroutine.
type goTrack struct {
	transitions int
	startStatus bool          // its first transition was a status event
	startState  trace.GoState // the state that status event announced
	startStack  bool          // that status event had a stack
	ran         bool          // it was Running at some point
	stopped     bool          // it went to Waiting, Syscall or NotExist
	unblocked   bool          // it went from Waiting to Runnable
}

func (t *goTrack) class() goClass {
	whole := t.startStatus && t.transitions == 1
	switch {
	case whole && t.startState == trace.GoWaiting:
		return classBlocked
	case whole && t.startState == trace.GoSyscall:
		return classSyscall
	case t.ran && t.stopped:
		return classRan
	case t.ran:
		return classRanWithoutBlocking
	case t.unblocked:
		return classUnblockedNeverRan
	}
	return classOther
}

// genTracker accumulates one generation.
type genTracker struct {
	n   int
	gs  map[trace.GoID]*goTrack
	ids []trace.GoID // first-seen order, so the report is deterministic
}

func newGenTracker(n int) *genTracker {
	return &genTracker{n: n, gs: make(map[trace.GoID]*goTrack)}
}

func (g *genTracker) track(id trace.GoID) *goTrack {
	t, ok := g.gs[id]
	if !ok {
		t = &goTrack{}
		g.gs[id] = t
		g.ids = append(g.ids, id)
	}
	return t
}

// event records one non-Sync event of the generation.
func (g *genTracker) event(ev trace.Event) {
	if id := ev.Goroutine(); id != trace.NoGoroutine {
		// The goroutine executing an event is running (or in a syscall).
		g.track(id).ran = true
	}
	if ev.Kind() != trace.EventStateTransition {
		return
	}
	tr := ev.StateTransition()
	if tr.Resource.Kind != trace.ResourceGoroutine {
		return
	}
	from, to := tr.Goroutine()
	t := g.track(tr.Resource.Goroutine())
	t.transitions++
	// GoStatus and GoStatusStack are the only transitions that come from
	// Undetermined (first generation) or keep the state (later ones).
	if t.transitions == 1 && (from == trace.GoUndetermined || from == to) {
		t.startStatus, t.startState = true, to
		t.startStack = tr.Stack != trace.NoStack
	}
	switch to {
	case trace.GoRunning:
		t.ran = true
	case trace.GoWaiting, trace.GoSyscall, trace.GoNotExist:
		if !(t.startStatus && t.transitions == 1) {
			t.stopped = true
		}
	case trace.GoRunnable:
		if from == trace.GoWaiting {
			t.unblocked = true
		}
	}
}

func (g *genTracker) result() genStats {
	s := genStats{N: g.n}
	for _, id := range g.ids {
		t := g.gs[id]
		c := t.class()
		s.Classes[c]++
		if c == classBlocked && t.startStack {
			s.BlockedWithStack++
		}
		if c == classSyscall && t.startStack {
			s.SyscallWithStack++
		}
	}
	return s
}

// collectStats reads one trace. A generation is the events from one Sync
// to the next; a Sync that is the last event of the stream opens none.
func collectStats(name string, data []byte) fileStats {
	fs := fileStats{File: name}
	var cur *genTracker
	lastWasSync := false
	syncs := 0
	readErr, panicMsg, panicked := protect(func() error {
		r, err := trace.NewReader(bytes.NewReader(data))
		if err != nil {
			return err
		}
		for {
			ev, err := r.ReadEvent()
			if err != nil {
				return err
			}
			lastWasSync = ev.Kind() == trace.EventSync
			if !lastWasSync {
				if cur == nil {
					// Go's reader always starts with a Sync; this only
					// keeps a reader change from crashing the count.
					cur = newGenTracker(0)
				}
				cur.event(ev)
				continue
			}
			if cur != nil {
				fs.Generations = append(fs.Generations, cur.result())
			}
			syncs++
			cur = newGenTracker(eventSync(ev, syncs).N)
		}
	})
	if cur != nil && !lastWasSync {
		fs.Generations = append(fs.Generations, cur.result())
	}
	switch {
	case panicked:
		fs.End = "panic: " + panicMsg
	case readErr != nil && readErr != io.EOF:
		fs.End = "error: " + readErr.Error()
	default:
		fs.End = "ok"
	}
	for _, g := range fs.Generations {
		fs.Total.add(g.counts)
	}
	return fs
}
