// Command gomaxprocs records GOMAXPROCS changes while goroutines run: main
// steps GOMAXPROCS through a fixed sequence (each change stops the world and
// creates or retires Ps), while N goroutines alternate short computing bursts
// with short sleeps, so there is something to schedule on the Ps that come
// and go.
package main

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("GOMAXPROCS stepped through 1, 4, 2, 3 while goroutines compute and sleep.",
		seedtrace.Config{Duration: 120 * time.Millisecond, N: 3}, run)
}

var sink atomic.Uint64

func run(cfg seedtrace.Config) error {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < cfg.N; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := uint64(i + 1)
			for !stop.Load() {
				for j := 0; j < 1<<16; j++ {
					x = x*6364136223846793005 + 1442695040888963407
				}
				time.Sleep(500 * time.Microsecond)
			}
			sink.Add(x)
		}()
	}
	steps := []int{1, 4, 2, 3}
	step := cfg.Duration / 12
	for i := 0; i < 12; i++ {
		runtime.GOMAXPROCS(steps[i%len(steps)])
		time.Sleep(step)
	}
	stop.Store(true)
	wg.Wait()
	return nil
}
