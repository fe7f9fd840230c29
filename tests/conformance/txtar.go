// A minimal reader of txtar archives (the container of Go's trace tests):
// a comment, then files, each introduced by a line "-- NAME --". Written
// here because the harness takes no third-party dependencies.
package main

import (
	"bytes"
	"strings"
)

type txtarFile struct {
	name string
	data []byte
}

func parseTxtar(data []byte) []txtarFile {
	var files []txtarFile
	cur := -1
	for len(data) > 0 {
		line := data
		next := len(data)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, next = data[:i+1], i+1
		}
		data = data[next:]
		if name, ok := markerName(string(line)); ok {
			files = append(files, txtarFile{name: name})
			cur = len(files) - 1
			continue
		}
		if cur >= 0 {
			files[cur].data = append(files[cur].data, line...)
		}
	}
	return files
}

// markerName recognises "-- NAME --" (with or without the trailing newline).
func markerName(line string) (string, bool) {
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if !strings.HasPrefix(line, "-- ") || !strings.HasSuffix(line, " --") || len(line) < 7 {
		return "", false
	}
	name := strings.TrimSpace(line[3 : len(line)-3])
	return name, name != ""
}
