package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"onramp/backend/dbtest"
)

// migrate says where the schema stands; copy moves a SQLite deployment to
// PostgreSQL once, and refuses what it cannot do in plain words.
func TestMigrateAndCopyCommands(t *testing.T) {
	var out bytes.Buffer
	db := dbtest.NewDB(t)
	if err := run([]string{"migrate", "--db", db}, &out); err != nil || !strings.Contains(out.String(), "up to date") {
		t.Fatalf("migrate: %v %s", err, out.String())
	}
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"copy", "--from", "a.db"}, "copy needs --from"},
		{[]string{"copy", "--from", "postgres://x@y/z", "--to", "postgres://x@y/w"}, "--from is the SQLite file"},
		{[]string{"copy", "--from", "a.db", "--to", "b.db"}, "--to is the PostgreSQL database's URL"},
		{[]string{"copy", "--from", filepath.Join(t.TempDir(), "none.db"), "--to", "postgres://x@y/w"}, "no intake database at"},
	} {
		if err := run(tt.args, &out); err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.says)
		}
	}
	if dbtest.Engine() != "postgres" {
		return // copy moves into PostgreSQL: its run covers the rest
	}
	src := filepath.Join(t.TempDir(), "intake.db")
	for _, email := range []string{"zoe@example.org", "bo@example.org"} {
		if err := run([]string{"invite", "--db", src, "--email", email}, &out); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	if err := run([]string{"copy", "--from", src, "--to", db}, &out); err != nil ||
		!strings.Contains(out.String(), "invitations       2 rows") || !strings.Contains(out.String(), "all 0 packets hash") {
		t.Fatalf("copy: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run([]string{"mail", "--db", db}, &out); err != nil || strings.Count(out.String(), "welcome") != 2 {
		t.Errorf("the copied mail queue: %v\n%s", err, out.String())
	}
	if err := run([]string{"copy", "--from", src, "--to", db}, &out); err == nil || !strings.Contains(err.Error(), "nothing was copied: the destination database already holds") {
		t.Errorf("a second copy: %v", err)
	}
}
