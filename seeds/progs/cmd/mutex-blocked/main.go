// Command mutex-blocked records goroutines blocked on a sync.Mutex and on a
// sync.RWMutex (readers and a writer) that main holds for many whole
// generations. Each blocked goroutine should be announced in every such
// generation with GoStatusStack (go1.23+).
package main

import (
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines blocked on sync.Mutex.Lock, sync.RWMutex.RLock and RWMutex.Lock.",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 2}, run)
}

func run(cfg seedtrace.Config) error {
	var mu sync.Mutex
	var rw sync.RWMutex
	var wg sync.WaitGroup
	mu.Lock()
	rw.Lock()
	for i := 0; i < cfg.N; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); mu.Lock(); mu.Unlock() }()
		go func() { defer wg.Done(); rw.RLock(); rw.RUnlock() }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); rw.Lock(); rw.Unlock() }()
	seedtrace.Settle()
	time.Sleep(cfg.Duration)
	mu.Unlock()
	rw.Unlock()
	wg.Wait()
	return nil
}
