// oracle_serve measures what serve mode buys: traces per second through one
// long-lived `gotrace-oracle serve` versus one `gotrace-oracle dump` process
// per trace, over the same files, printed side by side with the ratio.
//
// Usage (from anywhere inside the repository):
//
//	go -C bench/oracle_serve run . [-oracle PATH] [-dir DIR] [-time D]
//
// Defaults are build/bin/gotrace-oracle and seeds/real of the repository
// around the working directory. Without traces in DIR, it records a few
// small ones with runtime/trace into a temporary directory first.
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	root := repoRoot()
	oracle := flag.String("oracle", filepath.Join(root, "build", "bin", "gotrace-oracle"), "path of gotrace-oracle")
	dir := flag.String("dir", filepath.Join(root, "seeds", "real"), "directory of trace files")
	minTime := flag.Duration("time", 2*time.Second, "minimum measuring time per mode")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: oracle_serve [-oracle PATH] [-dir DIR] [-time D]")
		flag.PrintDefaults()
		fmt.Fprintln(os.Stderr, "exit codes: 0 measured, 1 a dump failed, 2 usage or setup error")
	}
	flag.Parse()
	if err := run(*oracle, *dir, *minTime); err != nil {
		fmt.Fprintf(os.Stderr, "oracle_serve: %v\n", err)
		os.Exit(2)
	}
}

// repoRoot is the nearest directory above the working directory that holds
// reference/oracle/go.mod, or "." when there is none.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "reference", "oracle", "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}

func run(oracle, dir string, minTime time.Duration) error {
	files, cleanup, err := traceFiles(dir)
	if err != nil {
		return err
	}
	defer cleanup()
	inputs := make([][]byte, len(files))
	total := 0
	for i, f := range files {
		if inputs[i], err = os.ReadFile(f); err != nil {
			return err
		}
		total += len(inputs[i])
	}
	fmt.Printf("traces: %d files, %d bytes in total, from %s\n", len(files), total, filepath.Dir(files[0]))
	fmt.Fprintln(os.Stderr, "oracle_serve: measuring serve mode")
	serveRate, err := measureServe(oracle, inputs, minTime)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "oracle_serve: measuring one dump process per trace")
	dumpRate, err := measureDump(oracle, files, minTime)
	if err != nil {
		return err
	}
	fmt.Printf("%-28s %10.1f traces/s\n", "serve (one process):", serveRate)
	fmt.Printf("%-28s %10.1f traces/s\n", "dump (one process each):", dumpRate)
	fmt.Printf("%-28s %10.1fx\n", "ratio serve/dump:", serveRate/dumpRate)
	return nil
}

// traceFiles lists dir, or records traces into a temporary directory when
// dir has none; cleanup removes what was recorded.
func traceFiles(dir string) (files []string, cleanup func(), err error) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() && e.Name()[0] != '.' && filepath.Ext(e.Name()) != ".md" {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) > 0 {
		return files, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "oracle_serve")
	if err != nil {
		return nil, nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	fmt.Fprintf(os.Stderr, "oracle_serve: %s has no traces; recording into %s\n", dir, tmp)
	for i := range 4 {
		path := filepath.Join(tmp, fmt.Sprintf("recorded-%d.trace", i))
		if err := record(path, 2+6*i); err != nil {
			cleanup()
			return nil, nil, err
		}
		files = append(files, path)
	}
	return files, cleanup, nil
}

// record traces a small workload: goroutines that hand values around,
// block, and log, so the trace has stacks, tasks and state transitions.
func record(path string, workers int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		return err
	}
	ctx, task := trace.NewTask(context.Background(), "bench")
	ch := make(chan int)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			trace.WithRegion(ctx, "work", func() {
				for j := range 20 {
					ch <- w * j
				}
			})
		}()
	}
	go func() { wg.Wait(); close(ch) }()
	for v := range ch {
		trace.Logf(ctx, "value", "%d", v)
	}
	task.End()
	trace.Stop()
	return f.Close()
}

// measureServe sends the inputs round-robin through one server, waiting for
// each answer as a fuzzer would.
func measureServe(oracle string, inputs [][]byte, minTime time.Duration) (float64, error) {
	cmd := exec.Command(oracle, "serve")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	in := bufio.NewWriter(stdin)
	out := bufio.NewReader(stdout)
	start := time.Now()
	n := 0
	var resp []byte
	for time.Since(start) < minTime || n < len(inputs) {
		if resp, err = roundTrip(in, out, inputs[n%len(inputs)], resp); err != nil {
			return 0, err
		}
		n++
	}
	elapsed := time.Since(start)
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return 0, fmt.Errorf("serve exited: %v", err)
	}
	return float64(n) / elapsed.Seconds(), nil
}

func roundTrip(w *bufio.Writer, r *bufio.Reader, req, buf []byte) ([]byte, error) {
	var hdr [4]byte
	binary.LittleEndian.PutUint32(hdr[:], uint32(len(req)))
	w.Write(hdr[:])
	w.Write(req)
	if err := w.Flush(); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("reading answer: %v", err)
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	_, err := io.ReadFull(r, buf)
	return buf, err
}

// measureDump starts one `dump` process per trace, one at a time.
func measureDump(oracle string, files []string, minTime time.Duration) (float64, error) {
	start := time.Now()
	n := 0
	for time.Since(start) < minTime || n < len(files) {
		cmd := exec.Command(oracle, "dump", files[n%len(files)])
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				return 0, err
			}
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
