// Command chan-blocked records goroutines blocked on channel operations for
// many whole generations: receivers on a channel nobody sends to, senders on
// a channel nobody receives from, and receivers on a nil channel. From go1.23
// the runtime announces each of them, in every generation they stay blocked,
// with GoStatusStack and a non-zero stack.
package main

import (
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines blocked on channel send, receive and nil-channel receive.",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 2}, run)
}

func run(cfg seedtrace.Config) error {
	recv := make(chan int)
	send := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < cfg.N; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); <-recv }()
		go func() { defer wg.Done(); send <- 1 }()
		// A receive from a nil channel never returns: this goroutine is
		// still parked when tracing stops and the process exits.
		go func() {
			var never chan int
			<-never
		}()
	}
	seedtrace.Settle()
	time.Sleep(cfg.Duration)
	// Release the senders and receivers, so the last generation shows
	// their wake-ups too.
	close(recv)
	for i := 0; i < cfg.N; i++ {
		<-send
	}
	wg.Wait()
	return nil
}
