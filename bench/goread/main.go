// Command goread reads every event of a trace with Go's reader
// (golang.org/x/exp/trace) and prints how many there were and how long it
// took, as one line of JSON. It is the Go side of bench/readbench: the same
// work the C reader does when it pulls every event, and nothing more.
//
// With -dir DIR it reads every file of DIR from memory instead, -reps times
// over, as a fuzzer's inputs are read: many small traces, most of them
// ending in an error.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/exp/trace"
)

type result struct {
	Inputs  int64   `json:"inputs,omitempty"`
	Events  int64   `json:"events"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

func main() {
	dir := flag.String("dir", "", "read every file of this directory from memory instead of one trace")
	reps := flag.Int("reps", 10, "with -dir: how many times each file is read")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: goread FILE\n       goread -dir DIR [-reps N]\nexit codes: 0 read to the end (with -dir: every file read, errors included), 1 the reader reported an error, 2 usage or I/O error")
	}
	flag.Parse()
	if *dir != "" {
		if flag.NArg() != 0 || *reps < 1 {
			flag.Usage()
			os.Exit(2)
		}
		res, err := readDir(*dir, *reps)
		if err != nil {
			fmt.Fprintln(os.Stderr, "goread:", err)
			os.Exit(2)
		}
		if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
			os.Exit(2)
		}
		return
	}
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "goread:", err)
		os.Exit(2)
	}
	defer f.Close()

	start := time.Now()
	res := read(bufio.NewReaderSize(f, 1<<20))
	res.Seconds = time.Since(start).Seconds()
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		os.Exit(2)
	}
	if res.Error != "" {
		os.Exit(1)
	}
}

// readDir loads every regular file of dir, then reads each one reps times
// (whatever the outcome) and reports the events read and the time taken.
func readDir(dir string, reps int) (result, error) {
	var res result
	ents, err := os.ReadDir(dir)
	if err != nil {
		return res, err
	}
	var inputs [][]byte
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return res, err
		}
		inputs = append(inputs, b)
	}
	start := time.Now()
	for i := 0; i < reps; i++ {
		for _, b := range inputs {
			res.Events += read(bytes.NewReader(b)).Events
		}
	}
	res.Seconds = time.Since(start).Seconds()
	res.Inputs = int64(len(inputs)) * int64(reps)
	return res, nil
}

func read(r io.Reader) result {
	var res result
	tr, err := trace.NewReader(r)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	for {
		_, err := tr.ReadEvent()
		if err == io.EOF {
			return res
		}
		if err != nil {
			res.Error = err.Error()
			return res
		}
		res.Events++
	}
}
