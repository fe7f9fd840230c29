// Panic recovery. Go's reader is not hardened against every input (its own
// fuzz test leaves the getters out for that reason), and the oracle must
// report such a panic as a finding rather than die with it.
package main

import (
	"fmt"
	"runtime/debug"
)

// protect runs f and turns a panic inside it into a message. err is f's
// result when it returned normally.
func protect(f func() error) (err error, panicMsg string, panicked bool) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		panicked = true
		switch v := r.(type) {
		case error:
			panicMsg = v.Error()
		default:
			panicMsg = fmt.Sprint(v)
		}
		if traceEnv {
			// The stack is for a human chasing the bug; it never goes into
			// the dump, whose bytes must not depend on the build.
			fmt.Fprintf(stderr, "gotrace-oracle: recovered panic: %s\n%s", panicMsg, debug.Stack())
		}
	}()
	return f(), "", false
}
