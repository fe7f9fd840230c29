//go:build unix

// Command syscall-blocked records goroutines sitting in a blocking read(2)
// on a pipe for many whole generations. Each such goroutine is "in a
// syscall" to the tracer (sysmon retakes its P), and from go1.23 it should be
// announced with GoStatusStack in every generation it spans.
//
// Two paths into the same syscall: syscall.Read on a raw syscall.Pipe fd,
// and os.File.Read on an os.Pipe after Fd() switched it to blocking mode.
// Without that switch os.File would park the goroutine in the network poller
// instead, which the tracer shows as plain waiting, not a syscall.
package main

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"tracefuzz/seeds/progs/internal/seedtrace"
)

func main() {
	seedtrace.Main("Goroutines blocked in read(2) on pipes (syscall.Read and a blocking os.File).",
		seedtrace.Config{Duration: 200 * time.Millisecond, N: 2}, run)
}

func run(cfg seedtrace.Config) error {
	var wg sync.WaitGroup
	errs := make(chan error, 2*cfg.N)
	var writers []func() error
	for i := 0; i < cfg.N; i++ {
		var p [2]int
		if err := syscall.Pipe(p[:]); err != nil {
			return fmt.Errorf("syscall.Pipe: %w", err)
		}
		rfd, wfd := p[0], p[1]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf [1]byte
			if _, err := syscall.Read(rfd, buf[:]); err != nil {
				errs <- fmt.Errorf("syscall.Read: %w", err)
			}
		}()
		writers = append(writers, func() error {
			_, err := syscall.Write(wfd, []byte{1})
			return err
		})

		r, w, err := os.Pipe()
		if err != nil {
			return err
		}
		r.Fd() // puts the descriptor in blocking mode: see the package comment
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf [1]byte
			if _, err := r.Read(buf[:]); err != nil {
				errs <- fmt.Errorf("os.File.Read: %w", err)
			}
		}()
		writers = append(writers, func() error {
			_, err := w.Write([]byte{1})
			return err
		})
	}
	seedtrace.Settle()
	time.Sleep(cfg.Duration)
	for _, write := range writers {
		if err := write(); err != nil {
			return err
		}
	}
	wg.Wait()
	close(errs)
	return <-errs
}
