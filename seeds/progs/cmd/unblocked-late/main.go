//go:build go1.25

// Command unblocked-late records goroutines that are unblocked just before a
// generation ends, so that in that generation they were made runnable but
// never ran. The runtime announces such a goroutine with a plain GoStatus
// (waiting, no stack) right before its GoUnblock: the second case where a
// goroutine legitimately has no stack in a generation.
//
// Timing this with the periodic advancer alone is a race, so the program
// ends generations itself (seedtrace.Advancer, a flight recorder snapshot)
// and must run with GOMAXPROCS=1: then the woken goroutines can only run
// after the goroutine that woke them gives up the one P, which it does only
// after the generation boundary. Each round spans three generations:
//
//	A: the waiters start and block;
//	B: they stay blocked the whole generation (GoStatusStack);
//	C: they are unblocked at its very end and do not run;
//
// and in the generation after C they run and exit, while the next round's
// waiters start (that generation is the next round's A).
package main

import (
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines unblocked right before a generation boundary (run with GOMAXPROCS=1). "+
		"-d is the total run time; each round takes about 3ms.",
		seedtrace.Config{Duration: 40 * time.Millisecond, N: 4}, run)
}

func run(cfg seedtrace.Config) error {
	adv, err := seedtrace.StartAdvancer()
	if err != nil {
		return err
	}
	defer adv.Stop()
	const gap = time.Millisecond // let every goroutine reach its state
	for end := time.Now().Add(cfg.Duration); time.Now().Before(end); {
		ch := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < cfg.N; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); <-ch }()
		}
		time.Sleep(gap)
		if err := adv.Advance(); err != nil { // end of A
			return err
		}
		time.Sleep(gap)
		if err := adv.Advance(); err != nil { // end of B
			return err
		}
		time.Sleep(gap)
		// No yield between the unblock and the boundary: with one P the
		// waiters stay in the run queue until Advance has switched
		// generations.
		close(ch)
		if err := adv.Advance(); err != nil { // end of C
			return err
		}
		wg.Wait() // the waiters run in the generation after C
	}
	return nil
}
