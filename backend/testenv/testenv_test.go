package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands in for a test: it records a skip or a failure and stops
// the helper there, as testing.T would.
type recorder struct {
	testing.TB
	kind, msg string
}

type stopped struct{}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.kind, r.msg = "skip", fmt.Sprintf(format, args...)
	panic(stopped{})
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.kind, r.msg = "fail", fmt.Sprintf(format, args...)
	panic(stopped{})
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func outcome(t *testing.T, f func(tb testing.TB)) (kind, msg string) {
	r := &recorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != nil {
				if _, ok := p.(stopped); !ok {
					panic(p)
				}
			}
		}()
		f(r)
	}()
	return r.kind, r.msg
}

func TestMissingSkipsOrFails(t *testing.T) {
	for _, tt := range []struct {
		name       string
		requireAll string
		need       func(tb testing.TB)
		kind       string
		says       []string
	}{
		{"a program is there", "", func(tb testing.TB) { Need(tb, "go") }, "", nil},
		{"a program is there, all required", "1", func(tb testing.TB) { Need(tb, "go") }, "", nil},
		{"a program is missing", "", func(tb testing.TB) { Need(tb, "go", "onramp-no-such-tool") },
			"skip", []string{"needs onramp-no-such-tool on PATH", "tools/setup.sh", "ONRAMP_REQUIRE_ALL=1"}},
		{"two are missing, all required", "1", func(tb testing.TB) { Need(tb, "onramp-no-such-tool", "onramp-nor-this") },
			"fail", []string{"onramp-no-such-tool, onramp-nor-this", "nothing may be skipped"}},
		{"anything but 1 is not required", "yes", func(tb testing.TB) { Need(tb, "onramp-no-such-tool") }, "skip", nil},
		{"the Debian package is named", "", func(tb testing.TB) { withEmptyPath(tb); Path(tb, "pdftotext") },
			"skip", []string{"pdftotext (Debian package poppler-utils)"}},
		{"a Python module is missing", "", func(tb testing.TB) { NeedPython(tb, "onramp_no_such_module") },
			"skip", []string{"python3"}},
		{"no Python there", "", func(tb testing.TB) { tb.Setenv(PythonEnv, "/onramp/no/python3"); NeedPython(tb, "aiosmtpd") },
			"skip", []string{"/onramp/no/python3", "python3-aiosmtpd"}},
		{"no display", "1", func(tb testing.TB) { tb.Setenv("DISPLAY", ""); NeedDisplay(tb) },
			"fail", []string{"DISPLAY is not set"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(RequireAll, tt.requireAll)
			kind, msg := outcome(t, tt.need)
			if kind != tt.kind {
				t.Errorf("outcome %q (%s), want %q", kind, msg, tt.kind)
			}
			for _, s := range tt.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not say %q", msg, s)
				}
			}
		})
	}
}

func withEmptyPath(tb testing.TB) { tb.Setenv("PATH", tb.TempDir()) }

func TestPathFindsProgram(t *testing.T) {
	if p := Path(t, "go"); !filepath.IsAbs(p) {
		t.Errorf("Path(go) = %q", p)
	}
}

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "backend", "testenv", "testenv.go")); err != nil {
		t.Errorf("RepoRoot() = %s: %v", root, err)
	}
}
