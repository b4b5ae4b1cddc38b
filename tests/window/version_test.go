package window

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"
)

// The built app says the version wails.json names: the Makefile stamped it
// through wails build's link flags (a plain `go build` says 0.0.0-dev).
func TestBuiltAppSaysItsVersion(t *testing.T) {
	bin := binary(t)
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
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", bin, err)
	}
	if got, want := string(out), "Onramp "+w.Info.ProductVersion+"\n"; got != want {
		t.Errorf("%s --version printed %q, want %q", bin, got, want)
	}
}
