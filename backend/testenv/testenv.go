// Package testenv is how a test says what it needs from outside Go: a
// program on PATH, a module of Debian's Python, the built frontend, a
// display. When something is missing the test skips and says what and how
// to get it, so `go test ./...` passes on a machine with only Go; with
// ONRAMP_REQUIRE_ALL=1 (as `make test` runs) it fails instead, so no check
// passes there by being skipped.
package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireAll is the variable that turns a missing tool into a failure.
const RequireAll = "ONRAMP_REQUIRE_ALL"

// DebianPython is the interpreter that sees Debian's python3-* packages;
// the python3 first on PATH may be another one. $ONRAMP_PYTHON names
// another.
const DebianPython = "/usr/bin/python3"

// PythonEnv is the variable naming another interpreter than DebianPython.
const PythonEnv = "ONRAMP_PYTHON"

// debianPackage names the Debian package of a program tests run, for the
// message; tools/setup.sh installs them all.
func debianPackage(program string) string {
	switch program {
	case "pdftotext", "pdffonts":
		return "poppler-utils"
	case "Xvfb":
		return "xvfb"
	case "xdpyinfo":
		return "x11-utils"
	case "tesseract":
		return "tesseract-ocr"
	case "import", "convert":
		return "imagemagick"
	case "gcc", "cc":
		return "build-essential"
	}
	return program
}

// Missing skips the test, or fails it under ONRAMP_REQUIRE_ALL=1, saying
// what it needs.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := "needs " + fmt.Sprintf(format, args...)
	if os.Getenv(RequireAll) == "1" {
		t.Fatalf("%s (%s=1: nothing may be skipped)", msg, RequireAll)
	}
	t.Skipf("%s: skipped (%s=1 makes this a failure)", msg, RequireAll)
}

// Need checks that every program is on PATH, naming all that are not.
func Need(t testing.TB, programs ...string) {
	t.Helper()
	var missing []string
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, describe(p))
		}
	}
	if len(missing) > 0 {
		Missing(t, "%s on PATH (tools/setup.sh installs them)", strings.Join(missing, ", "))
	}
}

// Path is the full path of one program on PATH.
func Path(t testing.TB, program string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		Missing(t, "%s on PATH (tools/setup.sh installs it)", describe(program))
	}
	return path
}

func describe(program string) string {
	if pkg := debianPackage(program); pkg != program {
		return fmt.Sprintf("%s (Debian package %s)", program, pkg)
	}
	return program
}

// NeedPython returns Debian's Python (or $ONRAMP_PYTHON) once it imports
// every module; each is named by its Debian package, python3-NAME.
func NeedPython(t testing.TB, modules ...string) string {
	t.Helper()
	python := os.Getenv(PythonEnv)
	if python == "" {
		python = DebianPython
	}
	if _, err := os.Stat(python); err != nil {
		Missing(t, "%s (Debian package python3) with %s (tools/setup.sh installs them)", python, debianModules(modules))
	}
	for _, m := range modules {
		if out, err := exec.Command(python, "-c", "import "+m).CombinedOutput(); err != nil {
			Missing(t, "the Python module %s for %s (Debian package python3-%s; tools/setup.sh installs it): %v %s", m, python, m, err, firstLine(out))
		}
	}
	return python
}

func debianModules(modules []string) string {
	var s []string
	for _, m := range modules {
		s = append(s, "python3-"+m)
	}
	if len(s) == 0 {
		return "no extra module"
	}
	return strings.Join(s, ", ")
}

func firstLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// NeedFrontend returns the repository's root folder once the frontend is
// built there (`make frontend`): frontend/dist for `wails dev` and its
// packed copy that package main embeds.
func NeedFrontend(t testing.TB) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"frontend/dist/index.html", "frontend/bundle/dist.zip"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			Missing(t, "the built frontend (%s is missing: run `make frontend`, which needs Node and npm)", f)
		}
	}
	return root
}

// NeedDisplay returns $DISPLAY once it is set and an X server answers on it.
func NeedDisplay(t testing.TB) string {
	t.Helper()
	d := os.Getenv("DISPLAY")
	if d == "" {
		Missing(t, "a display (DISPLAY is not set: tools/with-display.sh starts Xvfb)")
	}
	Need(t, "xdpyinfo")
	if out, err := exec.Command("xdpyinfo", "-display", d).CombinedOutput(); err != nil {
		Missing(t, "a display that answers (xdpyinfo on %s: %v %s)", d, err, firstLine(out))
	}
	return d
}

// RepoRoot is the folder holding the module's go.mod, found from the
// working directory (a test runs in its package's folder).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(string(b), "module onramp\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testenv: no go.mod of module onramp above the working directory")
		}
		dir = parent
	}
}

// Eventually waits up to 15 s for ok, checking every 20 ms, and fails the
// test naming what it waited for: for what another goroutine or process
// does in its own time (a sync loop, a mailer, a server starting).
func Eventually(t testing.TB, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// Buffer collects what a process or a server's goroutines write while the
// test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Bytes is a copy of what was written so far.
func (b *Buffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte{}, b.b.Bytes()...)
}
