package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/testenv"
)

// buildCommand builds onramp-intake into a temporary folder, for tests that
// run the real program.
func buildCommand(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "onramp-intake")
	if out, err := exec.Command(testenv.Path(t, "go"), "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runIn runs the built command in dir and returns its stdout, stderr and
// exit code.
func runIn(t *testing.T, bin, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// A command line that is misread can start the server: end it rather
	// than hang the test.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ONRAMP_INTAKE_SMTP=")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// A command line onramp-intake does not understand (an unknown command, a
// typo, a missing or malformed flag, for every command) prints the usage
// to stderr, exits 2 and leaves nothing behind: it once made an empty
// intake.db in the current folder first.
func TestBadCommandLineLeavesNothing(t *testing.T) {
	bin := buildCommand(t)
	for _, tt := range []struct {
		name string
		args []string
		says string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"typo with db", []string{"provider", "--db", "intake.db"}, `unknown command "provider"`},
		{"serve half of TLS", []string{"serve", "--tls-cert", "cert.pem"}, "--tls-key"},
		{"serve TLS files missing", []string{"serve", "--tls-cert", "cert.pem", "--tls-key", "key.pem"}, "--tls-cert and --tls-key"},
		{"serve bad address", []string{"serve", "--addr", "8765"}, "HOST:PORT"},
		{"serve bad relay", []string{"serve", "--smtp", "http://relay.example"}, "SMTP relay"},
		{"serve bad from", []string{"serve", "--smtp", "smtp://127.0.0.1:2525", "--mail-from", "not an address"}, "--mail-from"},
		{"serve argument", []string{"serve", "8765"}, `no argument "8765"`},
		{"invite no email", []string{"invite"}, "--email is missing"},
		{"invite bad email", []string{"invite", "--email", "zoe.example.org"}, "email"},
		{"invite flag of another command", []string{"invite", "--email", "zoe@example.org", "--provider", "1"}, "-provider"},
		{"providers unknown flag", []string{"providers", "--jsn"}, "-jsn"},
		{"review no form", []string{"review", "--provider", "1"}, "--form is missing"},
		{"review unknown form", []string{"review", "--provider", "1", "--form", "insurance"}, "general or credentialing"},
		{"review empty reason", []string{"review", "--provider", "1", "--form", "general", "--return", " "}, "--return"},
		{"payer no status", []string{"payer", "--provider", "1", "--payer", "Aetna"}, "--status is missing"},
		{"payer bad status", []string{"payer", "--provider", "1", "--payer", "Aetna", "--status", "ok"}, "in-review"},
		{"effective no date", []string{"effective", "--provider", "1"}, "--date is missing"},
		{"packets bad bool", []string{"packets", "--json=perhaps"}, "-json"},
		{"packet no out", []string{"packet", "--id", "PKT-7Q4M-K2XD"}, "--out is missing"},
		{"forget-key no provider", []string{"forget-key"}, "--provider is missing"},
		{"mail bad retry", []string{"mail", "--retry", "-1"}, "--retry"},
		{"mail retry not a number", []string{"mail", "--retry", "one"}, "-retry"},
		{"empty db", []string{"providers", "--db", ""}, "--db is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			stdout, stderr, code := runIn(t, bin, dir, tt.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if !strings.Contains(stderr, "usage: onramp-intake") || !strings.Contains(stderr, tt.says) {
				t.Errorf("stderr has no usage or no %q:\n%s", tt.says, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			assertEmpty(t, dir)
		})
	}
}

// A command that reads the database does not make one where there is none
// (a mistyped --db); help goes to stdout and exits 0.
func TestNoDatabaseIsMade(t *testing.T) {
	bin := buildCommand(t)
	for _, tt := range []struct {
		args       []string
		code       int
		out, err   string
		wantStdout bool
	}{
		{[]string{"providers"}, 1, "", "no intake database at intake.db", false},
		{[]string{"mail", "--db", "intkae.db"}, 1, "", "no intake database at intkae.db", false},
		{[]string{"review", "--db", "x.db", "--provider", "1", "--form", "general"}, 1, "", "no intake database", false},
		{[]string{"help"}, 0, "forget-key", "", true},
		{[]string{"review", "-h"}, 0, "--return", "", true},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			stdout, stderr, code := runIn(t, bin, dir, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.out) || !strings.Contains(stderr, tt.err) || (stdout != "") != tt.wantStdout {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			assertEmpty(t, dir)
		})
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}
