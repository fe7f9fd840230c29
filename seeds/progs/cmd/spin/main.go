// Command spin records goroutines that compute without ever blocking across
// many generations, next to a main goroutine that sleeps. Such a goroutine
// is running or runnable when each generation starts and never waits, so
// the runtime announces it with a plain GoStatus (no stack): one of the two
// cases where a goroutine legitimately has no stack in a generation.
//
// Run it with GOMAXPROCS greater than N so the tracer's own goroutines find a
// free P and the spinners are never descheduled for lack of one.
package main

import (
	"sync"
	"sync/atomic"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines spinning without blocking across generations.",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 1}, run)
}

// sink keeps the spin loop's work observable so the compiler cannot drop it.
var sink atomic.Uint64

func run(cfg seedtrace.Config) error {
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < cfg.N; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := uint64(i + 1)
			for !stop.Load() {
				// xorshift: cheap, no allocation, no blocking.
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
			}
			sink.Add(x)
		}()
	}
	time.Sleep(cfg.Duration)
	stop.Store(true)
	wg.Wait()
	return nil
}
