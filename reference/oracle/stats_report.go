// The stats command: reads every file, prints a table or JSON.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

func runStats(args []string, stdout io.Writer) int {
	fs := newFlags("stats")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "gotrace-oracle stats: want at least one FILE\n")
		return exitUsage
	}
	var files []fileStats
	code := exitOK
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "gotrace-oracle stats: %v\n", err)
			return exitUsage
		}
		st := collectStats(name, data)
		if st.End != "ok" {
			code = exitFinding
		}
		files = append(files, st)
	}
	var err error
	if *asJSON {
		err = writeStatsJSON(stdout, files)
	} else {
		err = writeStatsText(stdout, files)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gotrace-oracle stats: %v\n", err)
		return exitUsage
	}
	return code
}

func formatCounts(c counts) string {
	var sb strings.Builder
	for i, n := range c.Classes {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%s=%d", classNames[i], n)
		switch goClass(i) {
		case classBlocked:
			fmt.Fprintf(&sb, " blocked_with_stack=%d", c.BlockedWithStack)
		case classSyscall:
			fmt.Fprintf(&sb, " syscall_with_stack=%d", c.SyscallWithStack)
		}
	}
	return sb.String()
}

func writeStatsText(w io.Writer, files []fileStats) error {
	var all counts
	gens := 0
	for _, f := range files {
		fmt.Fprintf(w, "%s: generations=%d end=%s\n", f.File, len(f.Generations), escapeLine(f.End))
		for _, g := range f.Generations {
			fmt.Fprintf(w, "  gen %d: %s\n", g.N, formatCounts(g.counts))
		}
		fmt.Fprintf(w, "  total: %s\n", formatCounts(f.Total))
		all.add(f.Total)
		gens += len(f.Generations)
	}
	_, err := fmt.Fprintf(w, "overall: files=%d generations=%d %s\n", len(files), gens, formatCounts(all))
	return err
}

func escapeLine(s string) string {
	return string(appendMessage(nil, s))
}

// jsonCounts spells the classes out as named fields for scripts.
func jsonCounts(c counts) map[string]int {
	m := make(map[string]int, numClasses+2)
	for i, n := range c.Classes {
		m[classNames[i]] = n
	}
	m["blocked_with_stack"] = c.BlockedWithStack
	m["syscall_with_stack"] = c.SyscallWithStack
	return m
}

func writeStatsJSON(w io.Writer, files []fileStats) error {
	type jsonGen struct {
		N      int            `json:"n"`
		Counts map[string]int `json:"counts"`
	}
	type jsonFile struct {
		File        string         `json:"file"`
		End         string         `json:"end"`
		Generations []jsonGen      `json:"generations"`
		Total       map[string]int `json:"total"`
	}
	out := struct {
		Files       []jsonFile     `json:"files"`
		Generations int            `json:"generations"`
		Total       map[string]int `json:"total"`
	}{Files: []jsonFile{}}
	var all counts
	for _, f := range files {
		jf := jsonFile{File: f.File, End: f.End, Generations: []jsonGen{}, Total: jsonCounts(f.Total)}
		for _, g := range f.Generations {
			jf.Generations = append(jf.Generations, jsonGen{N: g.N, Counts: jsonCounts(g.counts)})
		}
		out.Files = append(out.Files, jf)
		out.Generations += len(f.Generations)
		all.add(f.Total)
	}
	out.Total = jsonCounts(all)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
