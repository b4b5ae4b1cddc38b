package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// release-key and release add through the command line: the key file is
// private and never overwritten, and the recorded manifest verifies with
// the public key release-key printed.
func TestReleaseCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath, keyPath := dbtest.NewDB(t), filepath.Join(dir, "release.key")
	file, notes := filepath.Join(dir, "onramp_0.2.0_amd64.deb"), filepath.Join(dir, "notes.txt")
	os.WriteFile(file, []byte("the package"), 0o644)
	os.WriteFile(notes, []byte("Fixes the sync panel.\n"), 0o644)
	var out bytes.Buffer
	if err := run([]string{"release-key", "--out", keyPath}, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`public key:  (\S+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("release-key printed:\n%s", out.String())
	}
	pub, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("public key %q: %v", m[1], err)
	}
	if info, err := os.Stat(keyPath); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v, want mode 0600", info, err)
	}
	before, _ := os.ReadFile(keyPath)
	if err := run([]string{"release-key", "--out", keyPath}, &out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("release-key over an existing key: %v", err)
	}
	if after, _ := os.ReadFile(keyPath); !bytes.Equal(before, after) {
		t.Error("release-key changed an existing key file")
	}
	if err := run([]string{"invite", "--db", dbPath, "--email", "zoe@example.org"}, &out); err != nil {
		t.Fatal(err)
	}
	add := []string{"release", "add", "--db", dbPath, "--version", "0.2.0", "--platform", "linux-deb", "--file", file, "--notes", notes, "--key", keyPath}
	out.Reset()
	if err := run(add, &out); err != nil || !strings.Contains(out.String(), "0.2.0 for linux-deb") {
		t.Fatalf("release add: %v\n%s", err, out.String())
	}
	var bad *usageError
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
	}{
		{"same version again", add, false},
		{"unknown platform", replace(add, "linux-deb", "mac"), true},
		{"not a version", replace(add, "0.2.0", "two"), true},
		{"no notes file", replace(add, notes, filepath.Join(dir, "none.txt")), true},
		{"the network's key", replace(add, keyPath, file), true},
	} {
		if err := run(tc.args, &out); err == nil || errors.As(err, &bad) != tc.usage {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	db, err := server.Open(context.Background(), dbPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rels, err := db.Releases(context.Background())
	if err != nil || len(rels) != 1 {
		t.Fatalf("releases: %+v %v", rels, err)
	}
	want := intake.ReleaseManifest{Version: "0.2.0", Platform: "linux-deb", FileName: "onramp_0.2.0_amd64.deb", Size: 11,
		SHA256: "ab326f16dec533ba65139949246581c016b9d4c77d0de0046e65f48e575372a3", Notes: "Fixes the sync panel."}
	if got := rels[0].Manifest; got != want {
		t.Errorf("manifest %+v, want %+v", got, want)
	}
}

// replace returns args with one value swapped.
func replace(args []string, old, new string) []string {
	out := append([]string(nil), args...)
	for i, a := range out {
		if a == old {
			out[i] = new
		}
	}
	return out
}
