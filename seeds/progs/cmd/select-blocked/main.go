// Command select-blocked records goroutines blocked in select statements for
// many whole generations: a select over several channels none of which is
// ready, and a select with no cases at all (which never returns). Both wait
// reasons differ from a plain channel operation, and both should produce
// GoStatusStack in every generation they span (go1.23+).
package main

import (
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines blocked in a multi-case select and in select {}.",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 3}, run)
}

func run(cfg seedtrace.Config) error {
	a, b := make(chan int), make(chan string)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < cfg.N; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-a:
			case b <- "x":
			case <-release:
			}
		}()
	}
	// select {} parks forever; the process exit ends it.
	go func() { select {} }()
	seedtrace.Settle()
	time.Sleep(cfg.Duration)
	close(release)
	wg.Wait()
	return nil
}
