// Command annotations records user annotations: tasks (nested, and one
// ended on a different goroutine than the one that began it), regions
// (nested, and one left open across several generations while its goroutine
// is blocked inside it), and logs with and without a category, inside and
// outside tasks.
package main

import (
	"context"
	"fmt"
	"runtime/trace"
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("User tasks, regions and logs (runtime/trace annotations).",
		seedtrace.Config{Duration: 100 * time.Millisecond, N: 3}, run)
}

func run(cfg seedtrace.Config) error {
	ctx, root := trace.NewTask(context.Background(), "seed")
	trace.Log(ctx, "", "uncategorised log in the root task")
	trace.Log(context.Background(), "phase", "log outside any task")

	// A region open for the whole run, whose goroutine is blocked inside it:
	// the region spans generations, and the goroutine's status in each of
	// them carries the stack of the wait.
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		trace.WithRegion(ctx, "long-wait", func() { <-release })
	}()

	// Workers: a subtask each, nested regions, logs.
	for w := 0; w < cfg.N; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wctx, task := trace.NewTask(ctx, fmt.Sprintf("worker-%d", w))
			defer task.End()
			for i := 0; i < 4; i++ {
				trace.WithRegion(wctx, "step", func() {
					trace.Logf(wctx, "step", "worker %d step %d", w, i)
					r := trace.StartRegion(wctx, "inner")
					time.Sleep(cfg.Duration / 16)
					r.End()
				})
			}
		}()
	}

	// A task begun here and ended on another goroutine.
	hctx, handoff := trace.NewTask(ctx, "handoff")
	trace.Log(hctx, "handoff", "begun by main")
	ended := make(chan struct{})
	go func() {
		trace.Log(hctx, "handoff", "ended by a helper goroutine")
		handoff.End()
		close(ended)
	}()
	<-ended

	time.Sleep(cfg.Duration)
	close(release)
	wg.Wait()
	trace.Log(ctx, "phase", "done")
	root.End()
	return nil
}
