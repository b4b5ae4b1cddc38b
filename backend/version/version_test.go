package version

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"onramp/backend/testenv"
)

// productVersion is wails.json's info.productVersion: the one place the
// version is written.
func productVersion(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../wails.json")
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Info struct {
			ProductVersion string `json:"productVersion"`
		} `json:"info"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	if w.Info.ProductVersion == "" {
		t.Fatal("wails.json has no info.productVersion")
	}
	return w.Info.ProductVersion
}

// A build the Makefile did not stamp says it is a development build.
func TestUnstampedBuild(t *testing.T) {
	if got := String(); got != Unstamped {
		t.Errorf("version %q, want %q", got, Unstamped)
	}
	if got, want := UserAgent("linux"), "Onramp/"+Unstamped+" (linux)"; got != want {
		t.Errorf("User-Agent %q, want %q", got, want)
	}
}

// The Makefile's link flag carries wails.json's version, and it reaches
// String(): a program built with exactly that flag prints the version (a
// renamed variable or package would leave it printing Unstamped).
func TestMakefileStampsWailsJSONVersion(t *testing.T) {
	testenv.Need(t, "make")
	want := productVersion(t)
	flag, err := exec.Command("make", "-s", "-C", "../..", "print-stamp").Output()
	if err != nil {
		t.Fatalf("make print-stamp: %v", err)
	}
	stamp := strings.TrimSpace(string(flag))
	if !strings.HasSuffix(stamp, "="+want) {
		t.Errorf("the Makefile stamps %q, wails.json says %q", stamp, want)
	}
	bin := filepath.Join(t.TempDir(), "printversion")
	build := exec.Command("go", "build", "-o", bin, "-ldflags", stamp, "./testdata/printversion")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("the stamped program says %q, want %q (runtime %s)", got, want, runtime.GOOS)
	}
}
