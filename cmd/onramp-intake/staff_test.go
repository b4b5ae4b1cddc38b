package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onramp/backend/dbtest"
)

// staff add, list, password and disable from the command line; the
// password comes from standard input, never a flag.
func TestStaffCommands(t *testing.T) {
	db := dbtest.NewDB(t)
	var out bytes.Buffer
	staff := func(stdin string, args ...string) error {
		out.Reset()
		return runWith(append([]string{"staff", args[0], "--db", db}, args[1:]...), strings.NewReader(stdin), &out)
	}
	if err := run([]string{"migrate", "--db", db}, &out); err != nil {
		t.Fatal(err)
	}
	if err := staff("", "list"); err != nil || !strings.Contains(out.String(), "No staff accounts yet") {
		t.Fatalf("empty list: %v %s", err, out.String())
	}
	for _, tt := range []struct {
		stdin string
		args  []string
		says  string
	}{
		{"Copper-Lantern-73-moss\n", []string{"add", "--email", "ann@network.example"}, "--role must be one of support, credentialing, admin"},
		{"Copper-Lantern-73-moss\n", []string{"add", "--email", "ann@network.example", "--role", "boss"}, "--role must be one of"},
		{"", []string{"add", "--email", "ann@network.example", "--role", "admin"}, "no password"},
		{"short\n", []string{"add", "--email", "ann@network.example", "--role", "admin"}, "12"},
		{"Copper-Lantern-73-moss\n", []string{"add", "--role", "admin"}, "--email is missing"},
		{"", []string{"disable", "--email", "nobody@network.example"}, "no staff account"},
	} {
		if err := staff(tt.stdin, tt.args...); err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("staff %v: %v, want %q", tt.args, err, tt.says)
		}
	}
	// A first run refused for its password leaves no database behind.
	fresh := filepath.Join(t.TempDir(), "intake.db")
	if err := runWith([]string{"staff", "add", "--db", fresh, "--email", "ann@network.example", "--role", "admin"}, strings.NewReader("short\n"), &out); err == nil {
		t.Error("a short password was taken")
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused first run left %s: %v", fresh, err)
	}
	if err := staff("Copper-Lantern-73-moss\n", "add", "--email", "ann@network.example", "--role", "admin"); err != nil ||
		!strings.Contains(out.String(), "ann@network.example, admin") {
		t.Fatalf("add: %v %s", err, out.String())
	}
	if err := staff("Copper-Lantern-73-moss\n", "add", "--email", "Ann@Network.example", "--role", "support"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("the same email again: %v", err)
	}
	if err := staff("Second-Copper-Lantern-74\r\n", "password", "--email", "ann@network.example"); err != nil || !strings.Contains(out.String(), "new password") {
		t.Errorf("password: %v %s", err, out.String())
	}
	if err := staff("", "disable", "--email", "ann@network.example"); err != nil {
		t.Fatal(err)
	}
	if err := staff("", "list"); err != nil || !strings.Contains(out.String(), "ann@network.example") || !strings.Contains(out.String(), "admin") {
		t.Errorf("list: %v %s", err, out.String())
	}
	if strings.Contains(out.String(), "Lantern") {
		t.Errorf("a password was printed: %s", out.String())
	}
}
