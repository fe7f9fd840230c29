// Differential comparison of two dumps of the same input, with the
// final-line rules of docs/dump-format.md.
package main

import (
	"bytes"
	"fmt"
)

// compareDumps returns the verdict for dumps a (the reference reader) and b.
func compareDumps(a, b *dumpResult) (verdict, string) {
	if a.kind == "declined" || b.kind == "declined" {
		return skip, "declined: " + a.msg + b.msg
	}
	if a.kind == "panic" {
		return fail, "reference reader panicked (a finding about Go's reader): " + a.msg
	}
	if !bytes.Equal(a.body, b.body) {
		return fail, "dumps differ at " + firstDifference(a.body, b.body)
	}
	if a.kind != b.kind {
		return fail, fmt.Sprintf("final lines differ: %q vs %q", a.final, b.final)
	}
	// Two errors agree when their text is equal. The error-class rule
	// (same key phrase of Go's message) comes with the C reader's table.
	if a.kind == "error" && a.msg != b.msg {
		return fail, fmt.Sprintf("error messages differ: %q vs %q", a.final, b.final)
	}
	return pass, ""
}

// firstDifference names the first line where two bodies differ.
func firstDifference(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d: %q vs %q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("length: %d vs %d lines", len(la), len(lb))
}
