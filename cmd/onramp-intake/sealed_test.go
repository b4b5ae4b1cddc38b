package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/seal"
	"onramp/backend/testenv"
)

// network-key, serve --network-key, reveal and reissue through the command
// line, against the real server.
func TestNetworkKeyRevealReissueCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath, keyPath := dbtest.NewDB(t), filepath.Join(dir, "network.key")
	var out bytes.Buffer
	if err := run([]string{"network-key", "--out", keyPath}, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`public key:  (\S+)\nfingerprint: ([0-9a-f]{64})`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("network-key printed:\n%s", out.String())
	}
	pub, err := seal.ParsePublicKey(m[1])
	if err != nil || pub.Fingerprint() != m[2] {
		t.Fatalf("public key %q: %v", m[1], err)
	}
	if _, err := os.Stat(dbPath); !errors.Is(err, os.ErrNotExist) {
		t.Error("network-key made a database")
	}
	if err := run([]string{"network-key", "--out", keyPath}, &out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("network-key over an existing key: %v", err)
	}
	out.Reset()
	if err := run([]string{"invite", "--db", dbPath, "--email", "zoe@example.org"}, &out); err != nil {
		t.Fatal(err)
	}
	code := strings.TrimSpace(out.String())

	url, log, db := startServe(t, dbPath, serveConfig{addr: "127.0.0.1:0", networkKey: keyPath})
	ctx := context.Background()
	if !strings.Contains(log.String(), "sealed fields accepted for the network key "+pub.Fingerprint()) {
		t.Errorf("serve's start:\n%s", log.String())
	}

	c, _ := intake.NewClient(url, "", 10*time.Second)
	enrolled, err := c.EnrollRequest(ctx, intake.EnrollRequest{InvitationCode: code, Installation: "laptop-1", Name: "Zoë", Email: "zoe@example.org"})
	if err != nil || enrolled.NetworkKey != pub.String() {
		t.Fatalf("enroll: %+v %v", enrolled, err)
	}
	const password = "Tr0ub4dor&3-caqh-distinctive"
	d := forms.NewData()
	d.Fields["caqhPassword"] = "••••••••"
	box, _ := seal.Seal(pub, forms.SecretName(forms.FormCredentialing, "caqhPassword"), []byte(password))
	up, _ := json.Marshal(intake.SubmissionUpload{Form: forms.FormCredentialing, Version: 1, SchemaVersion: 1, Hash: d.Hash(),
		SubmittedAt: time.Now(), Data: d.Encode(), Sealed: map[string]string{"caqhPassword": box}, SealedTo: pub.Fingerprint()})
	if err := c.WithToken(enrolled.Token).Submit(ctx, "cred/1", up); err != nil {
		t.Fatal(err)
	}

	otherKey := filepath.Join(dir, "other.key")
	run([]string{"network-key", "--out", otherKey}, &out)
	reveals := []struct {
		args     []string
		want     string // printed, or in the error
		revealed bool
	}{
		{[]string{"--provider", "zoe@example.org", "--field", "caqhPassword", "--key", keyPath, "--as", "ana"}, password, true},
		{[]string{"--provider", "1", "--field", "caqhPassword", "--key", otherKey, "--as", "bo"}, "not to this key", false},
		{[]string{"--provider", "1", "--field", "npi", "--key", keyPath}, "give one of", false},
	}
	for _, tt := range reveals {
		out.Reset()
		err := run(append([]string{"reveal", "--db", dbPath}, tt.args...), &out)
		if tt.revealed {
			if err != nil || strings.TrimSpace(out.String()) != tt.want {
				t.Errorf("reveal %v: %q %v", tt.args, out.String(), err)
			}
		} else if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(out.String()+err.Error(), password) {
			t.Errorf("reveal %v: %q %v", tt.args, out.String(), err)
		}
	}
	os.Chmod(keyPath, 0o644)
	if err := run([]string{"reveal", "--db", dbPath, "--provider", "1", "--field", "caqhPassword", "--key", keyPath}, &out); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("reveal with a world-readable key: %v", err)
	}
	audit, _ := db.RevealAudit(ctx, 1)
	if len(audit) != 2 || audit[0].Who != "ana" || audit[0].Outcome != "revealed" || audit[1].Who != "bo" || audit[0].Host == "" {
		t.Errorf("audit: %+v", audit)
	}
	out.Reset()
	if err := run([]string{"audit", "--db", dbPath, "--provider", "1"}, &out); err != nil ||
		!regexp.MustCompile(`ana on \S+  provider 1 credentialing v1 caqhPassword  key [0-9a-f]{12}…  revealed\n.*bo on .*refused: another key`).MatchString(out.String()) {
		t.Errorf("audit: %v\n%s", err, out.String())
	}
	if strings.Contains(log.String(), password) {
		t.Errorf("the server's log has the password:\n%s", log.String())
	}

	out.Reset()
	if err := run([]string{"reissue", "--db", dbPath, "--provider", "1"}, &out); err != nil {
		t.Fatal(err)
	}
	newCode := strings.SplitN(out.String(), "\n", 2)[0]
	if newCode == code || !strings.Contains(out.String(), "no longer work") {
		t.Fatalf("reissue printed:\n%s", out.String())
	}
	if _, err := c.WithToken(enrolled.Token).Status(ctx); err == nil {
		t.Error("the old token still works")
	}
	if again, err := c.EnrollRequest(ctx, intake.EnrollRequest{InvitationCode: newCode, Installation: "laptop-2", Name: "Zoë", Email: "zoe@example.org"}); err != nil || again.ProviderID != 1 {
		t.Errorf("enroll on the new computer: %+v %v", again, err)
	}
}

// serve without --network-key says it takes no sealed fields; with a key
// file others can read it does not start.
func TestServeSaysWhetherItTakesSealedFields(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "network.key")
	if _, err := seal.WriteKeyFile(keyPath); err != nil {
		t.Fatal(err)
	}
	os.Chmod(keyPath, 0o604)
	var out bytes.Buffer
	if err := run([]string{"serve", "--db", filepath.Join(dir, "intake.db"), "--addr", "127.0.0.1:0", "--network-key", keyPath}, &out); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("served with a world-readable key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "intake.db")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the refused serve made a database")
	}
	db, err := server.Open(context.Background(), filepath.Join(dir, "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var log testenv.Buffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, db, serveConfig{addr: "127.0.0.1:0"}, &log) }()
	testenv.Eventually(t, "the server to start", func() bool {
		return strings.Contains(log.String(), "no --network-key: the server accepts no sealed fields")
	})
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}
