// Running a reader command and reading the parts of its dump that the
// checks need: the body and the final line (docs/dump-format.md).
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// dumpResult is one reader's dump of one input.
type dumpResult struct {
	body  []byte // every line before the final one
	final string // the final line, without its newline
	kind  string // "ok", "error", "panic", "declined" or "" when malformed
	msg   string // the final line's message, \xHH escapes decoded
}

// runReader runs cmd with file appended. The exit code is not an error: a
// reader that found an error exits 1 by contract and the dump says why.
func runReader(cmd []string, file string, timeout time.Duration) (*dumpResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, cmd[0], append(cmd[1:], file)...)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("reader timed out after %v", timeout)
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, fmt.Errorf("running reader: %v", err)
	}
	d := parseDump(stdout.Bytes())
	if d.kind == "" {
		// A crashed reader lands here too; the exit status says how.
		status := "exit 0"
		if exitErr != nil {
			status = exitErr.String()
		}
		return d, fmt.Errorf("malformed dump (%s; final line %q; stderr %q)", status, clip(d.final), clip(firstLine(stderr.String())))
	}
	return d, nil
}

// clip keeps failure reasons readable when a line is huge.
func clip(s string) string {
	const max = 160
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

func parseDump(out []byte) *dumpResult {
	d := &dumpResult{}
	if len(out) == 0 || out[len(out)-1] != '\n' {
		d.final = string(lastLine(out))
		return d
	}
	trimmed := out[:len(out)-1]
	i := bytes.LastIndexByte(trimmed, '\n')
	d.body, d.final = out[:i+1], string(trimmed[i+1:])
	switch {
	case d.final == "ok":
		d.kind = "ok"
	case strings.HasPrefix(d.final, "error: "):
		d.kind, d.msg = "error", unescape(d.final[len("error: "):])
	case strings.HasPrefix(d.final, "panic: "):
		d.kind, d.msg = "panic", unescape(d.final[len("panic: "):])
	case strings.HasPrefix(d.final, "declined: "):
		d.kind, d.msg = "declined", unescape(d.final[len("declined: "):])
	}
	return d
}

// invalidLines returns the validation violations in a dump body.
func (d *dumpResult) invalidLines() []string {
	var out []string
	for _, line := range strings.Split(string(d.body), "\n") {
		if msg, ok := strings.CutPrefix(line, "\tinvalid "); ok {
			out = append(out, unescape(msg))
		}
	}
	return out
}

// unescape decodes the \xHH escapes of a message; anything else is kept.
func unescape(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func lastLine(b []byte) []byte {
	b = bytes.TrimRight(b, "\n")
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return b
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
