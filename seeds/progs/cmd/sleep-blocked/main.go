// Command sleep-blocked records goroutines asleep in time.Sleep and waiting
// on a timer channel for many whole generations. A sleeping goroutine is
// "waiting" to the tracer, so it too should carry GoStatusStack in every
// generation it spans (go1.23+).
package main

import (
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines in time.Sleep and blocked on a time.Timer channel.",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 3}, run)
}

func run(cfg seedtrace.Config) error {
	var wg sync.WaitGroup
	for i := 0; i < cfg.N; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); time.Sleep(cfg.Duration) }()
		go func() {
			defer wg.Done()
			t := time.NewTimer(cfg.Duration)
			<-t.C
		}()
	}
	// main itself waits on the WaitGroup, a third wait reason.
	wg.Wait()
	return nil
}
