// Command seeds gathers one seed corpus for both fuzzers of
// bench/fuzz_speed.sh: it copies every file of the given directories into
// OUTDIR as raw bytes, decoding files in Go's fuzz corpus encoding ("go test
// fuzz v1" and one []byte(...) value, as in x/exp/trace's
// testdata/fuzz/FuzzReader) and keeping any other file as it is. Files of
// the same content are written once. libFuzzer reads OUTDIR as a corpus
// directory, and bench/gofuzz's FuzzReadEvents adds each file with f.Add.
//
// Usage: go run ./seeds OUTDIR DIR...
// Exit codes: 0 done, 1 a file could not be read, decoded or written,
// 2 usage.
package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
)

const header = "go test fuzz v1\n"

// decode returns the []byte value of a Go fuzz corpus file.
func decode(data []byte) ([]byte, error) {
	expr, err := parser.ParseExpr(string(bytes.TrimSpace(data[len(header):])))
	if err != nil {
		return nil, err
	}
	call, ok := expr.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil, fmt.Errorf("not a conversion call")
	}
	if t, ok := call.Fun.(*ast.ArrayType); !ok || t.Len != nil || fmt.Sprint(t.Elt) != "byte" {
		return nil, fmt.Errorf("not a []byte value")
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return nil, fmt.Errorf("not a string literal")
	}
	s, err := strconv.Unquote(lit.Value)
	return []byte(s), err
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: seeds OUTDIR DIR...")
		os.Exit(2)
	}
	out := os.Args[1]
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "seeds:", err)
		os.Exit(1)
	}
	seen := map[[sha256.Size]byte]bool{}
	for _, dir := range os.Args[2:] {
		files, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil || len(files) == 0 {
			fmt.Fprintf(os.Stderr, "seeds: %s: no files\n", dir)
			os.Exit(1)
		}
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err == nil && bytes.HasPrefix(data, []byte(header)) {
				data, err = decode(data)
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "seeds: %s: %v\n", name, err)
				os.Exit(1)
			}
			h := sha256.Sum256(data)
			if seen[h] {
				continue
			}
			seen[h] = true
			dst := filepath.Join(out, fmt.Sprintf("%s-%s", filepath.Base(dir), filepath.Base(name)))
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "seeds:", err)
				os.Exit(1)
			}
		}
	}
}
