// Command cond-blocked records goroutines waiting on a sync.Cond for many
// whole generations, then wakes one with Signal and the rest with Broadcast.
// Each waiter should carry GoStatusStack in every generation it spans
// (go1.23+).
package main

import (
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines blocked in sync.Cond.Wait, woken by Signal and Broadcast.",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 4}, run)
}

func run(cfg seedtrace.Config) error {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	released := 0
	var wg sync.WaitGroup
	for i := 0; i < cfg.N; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			for released == 0 {
				cond.Wait()
			}
			mu.Unlock()
		}()
	}
	seedtrace.Settle()
	time.Sleep(cfg.Duration)
	mu.Lock()
	released = 1
	mu.Unlock()
	// Signal first so the trace holds both wake-up paths.
	cond.Signal()
	time.Sleep(time.Millisecond)
	cond.Broadcast()
	wg.Wait()
	return nil
}
