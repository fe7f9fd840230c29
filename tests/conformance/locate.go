// Finding the tools and test data: the oracle binary, the repository, the
// pinned x/exp module (through the go command and the module cache), GOROOT,
// and a gotraceraw converter built on demand.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// defaultOracle prefers the oracle built next to this binary (both land in
// the build tree's bin/), then one on PATH.
func defaultOracle() string {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "gotrace-oracle")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "gotrace-oracle"
}

// repoRoot walks up from the working directory to the directory holding
// reference/oracle/go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "reference", "oracle", "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the repository (reference/oracle/go.mod) above the working directory; pass -oracle-module and -gotraceraw")
		}
		dir = parent
	}
}

func (cfg *config) oracleModule() (string, error) {
	if cfg.oracleMod != "" {
		return cfg.oracleMod, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "reference", "oracle"), nil
}

// xexpModuleDir asks the go command where the oracle's pinned x/exp lives,
// downloading it into the module cache if it is not there yet.
func (cfg *config) xexpModuleDir() (string, error) {
	if cfg.xexpDir != "" {
		return cfg.xexpDir, nil
	}
	mod, err := cfg.oracleModule()
	if err != nil {
		return "", err
	}
	var info struct{ Dir, Version string }
	if err := goJSON(mod, &info, "list", "-m", "-json", "golang.org/x/exp"); err == nil && info.Dir != "" {
		return info.Dir, nil
	}
	if err := goJSON(mod, &info, "mod", "download", "-json", "golang.org/x/exp"); err != nil {
		return "", err
	}
	if info.Dir == "" {
		return "", errors.New("go mod download gave no directory for golang.org/x/exp")
	}
	return info.Dir, nil
}

func goJSON(dir string, v any, args ...string) error {
	c := exec.Command("go", args...)
	c.Dir = dir
	out, err := c.Output()
	if err != nil {
		return fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return json.Unmarshal(out, v)
}

func goroot() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// converter returns the gotraceraw to use, building one into a temporary
// directory when -gotraceraw was not given. cleanup removes it.
func (cfg *config) converter() (path string, cleanup func(), err error) {
	if cfg.gotraceraw != "" {
		return cfg.gotraceraw, func() {}, nil
	}
	mod, err := cfg.oracleModule()
	if err != nil {
		return "", nil, err
	}
	root := filepath.Join(mod, "..", "..")
	tmp, err := os.MkdirTemp("", "gotraceraw")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	path = filepath.Join(tmp, "gotraceraw")
	src := filepath.Join(root, "tests", "conformance", "gotraceraw", "main.go")
	if err := buildGotraceraw(src, path, tmp); err != nil {
		cleanup()
		return "", nil, err
	}
	return path, cleanup, nil
}

// buildGotraceraw compiles src as a command inside GOROOT's std module, so
// it may import internal/trace/raw. The overlay maps it into place; GOROOT
// itself is not modified.
func buildGotraceraw(src, out, tmp string) error {
	gr, err := goroot()
	if err != nil {
		return err
	}
	const pkg = "internal/trace/testdata/cmd/gotraceraw"
	overlay := map[string]map[string]string{
		"Replace": {filepath.Join(gr, "src", pkg, "main.go"): src},
	}
	data, err := json.Marshal(overlay)
	if err != nil {
		return err
	}
	ovl := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ovl, data, 0o644); err != nil {
		return err
	}
	c := exec.Command("go", "build", "-tags", "gotraceraw", "-overlay", ovl, "-o", out, "./"+pkg)
	c.Dir = filepath.Join(gr, "src")
	if msg, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("building gotraceraw: %v\n%s", err, msg)
	}
	return nil
}
