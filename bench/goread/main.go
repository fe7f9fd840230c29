// Command goread reads every event of a trace with Go's reader
// (golang.org/x/exp/trace) and prints how many there were and how long it
// took, as one line of JSON. It is the Go side of bench/readbench: the same
// work the C reader does when it pulls every event, and nothing more.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/exp/trace"
)

type result struct {
	Events  int64   `json:"events"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

func main() {
	if len(os.Args) != 2 || os.Args[1] == "-h" || os.Args[1] == "--help" {
		fmt.Fprintln(os.Stderr, "usage: goread FILE\nexit codes: 0 read to the end, 1 the reader reported an error, 2 usage or I/O error")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
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
