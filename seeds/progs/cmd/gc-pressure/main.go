// Command gc-pressure records the garbage collector under pressure: N
// goroutines allocate short-lived garbage while a live heap stays reachable,
// and the collector runs on its own. The trace holds GC cycles with
// stop-the-world phases, mark assists (a goroutine status can arrive with an
// active assist range), sweeping, heap-size and heap-goal metrics, and GC
// work crossing generation boundaries (GCActive at a generation start).
//
// Run it with GOMAXPROCS=1. With more Ps, the background sweeper spins on
// Gosched while an allocating goroutine's thread (descheduled by the OS in
// the middle of sweeping a span) still counts as a sweeper, and every spin
// is a GoStop/GoStart pair: on a loaded machine that made the trace 50 KB one
// run and 500 KB the next. With one P nobody is ever mid-sweep when the
// background sweeper runs.
package main

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Allocation-heavy goroutines and a low GOGC.",
		seedtrace.Config{Duration: 150 * time.Millisecond, N: 1}, run)
}

type node struct {
	next *node
	pad  [48]byte
}

// live keeps a heap the collector has to mark on every cycle, so cycles last
// long enough for mark assists to happen.
var live []*node

// sink defeats escape analysis: the garbage must really reach the heap.
var sink atomic.Pointer[node]

func run(cfg seedtrace.Config) error {
	// A low GOGC makes cycles frequent without needing a big heap.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	for i := 0; i < 1<<15; i++ {
		live = append(live, &node{})
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < cfg.N; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				var head *node
				for j := 0; j < 256; j++ {
					head = &node{next: head}
				}
				sink.Store(head)
				// Pace the allocation: unpaced, the heap metrics alone
				// make the trace megabytes long. Paced, it still holds
				// a collection every few milliseconds.
				time.Sleep(50 * time.Microsecond)
			}
		}()
	}
	time.Sleep(cfg.Duration)
	stop.Store(true)
	wg.Wait()
	// No runtime.GC here: it waits for concurrent sweeping by calling
	// Gosched in a loop, which fills the trace with tens of thousands of
	// GoStop/GoStart pairs (an unpredictable number of them).
	runtime.KeepAlive(live)
	return nil
}
