//go:build cgo && unix

// Command cgo-callback records C code calling back into Go, three ways:
//
//   - a goroutine calls C, and C calls an exported Go function on the same
//     thread (cgocall then cgocallback);
//   - C threads the Go runtime did not create call into Go; each call
//     borrows an extra M, which the trace shows as a goroutine that appears
//     in and disappears from a syscall (GoCreateSyscall/GoDestroySyscall);
//   - a goroutine sits in a long C call (usleep) for whole generations; to
//     the tracer that is a syscall, so it should carry GoStatusStack.
package main

/*
#include <pthread.h>
#include <unistd.h>

extern void goCallback(int);

static void tf_call_back(int n) {
	for (int i = 0; i < n; i++) goCallback(i);
}

static void *tf_thread_main(void *arg) {
	tf_call_back((int)(long)arg);
	return NULL;
}

// tf_threads_call_back runs tf_call_back(n) on `threads` fresh pthreads, one
// after another, so each one has to borrow an M from the Go runtime.
static int tf_threads_call_back(int threads, int n) {
	for (int t = 0; t < threads; t++) {
		pthread_t th;
		int err = pthread_create(&th, NULL, tf_thread_main, (void *)(long)n);
		if (err != 0) return err;
		err = pthread_join(th, NULL);
		if (err != 0) return err;
	}
	return 0;
}

static void tf_sleep_us(long us) { usleep(us); }
*/
import "C"

import (
	"context"
	"fmt"
	"runtime/trace"
	"sync"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("C calling back into Go from Go-created and C-created threads, and a goroutine in a long C call.",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 3}, run)
}

var (
	mu    sync.Mutex
	calls int
)

//export goCallback
func goCallback(i C.int) {
	// A log and a mutex give the callback goroutine events of its own.
	trace.Log(context.Background(), "cgo", fmt.Sprint("callback ", int(i)))
	mu.Lock()
	calls++
	mu.Unlock()
}

func run(cfg seedtrace.Config) error {
	// The sleeper is in C, hence "in a syscall", for the whole run.
	done := make(chan struct{})
	go func() {
		C.tf_sleep_us(C.long(cfg.Duration / time.Microsecond))
		close(done)
	}()
	seedtrace.Settle()
	rounds := 0
	for end := time.Now().Add(cfg.Duration); time.Now().Before(end); rounds++ {
		C.tf_call_back(C.int(cfg.N))
		if err := C.tf_threads_call_back(C.int(cfg.N), C.int(cfg.N)); err != 0 {
			return fmt.Errorf("pthread: error %d", int(err))
		}
		time.Sleep(20 * time.Millisecond)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	if want := rounds * (cfg.N + cfg.N*cfg.N); calls != want {
		return fmt.Errorf("got %d callbacks, want %d", calls, want)
	}
	return nil
}
