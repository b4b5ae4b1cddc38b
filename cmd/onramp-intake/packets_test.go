package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/packet"
)

// uploaded runs a real intake server over the database file, enrolls a
// provider and uploads one packet through the app's client.
func uploaded(t *testing.T, dbPath, email, id string) packet.Made {
	t.Helper()
	ctx := context.Background()
	db, err := server.Open(ctx, dbPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(server.NewServer(db).Handler())
	defer srv.Close()
	code, err := db.Invite(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := intake.NewClient(srv.URL, "", 10*time.Second)
	token, err := c.Enroll(ctx, code, "install-"+email, "Zoë Łukasiewicz", email)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := packet.GenerateKey()
	d := packet.Data{Format: packet.DataFormat, Version: packet.DataVersion, PacketID: id, CreatedAt: time.Now().UTC().Truncate(time.Second),
		Provider: packet.Provider{LegalName: "Zoë Łukasiewicz", LicenseType: "lcsw", NPI: "1234567893"}}
	var buf bytes.Buffer
	made, err := packet.Make(&buf, d, nil, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WithToken(token).UploadPacket(ctx, "k-"+id, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	return made
}

func TestPacketCommands(t *testing.T) {
	dir := t.TempDir()
	db := dbtest.NewDB(t)
	made := uploaded(t, db, "zoe@example.org", "PKT-7Q4M-K2XD")
	uploaded(t, db, "ann@example.org", "PKT-ANN0-0001")
	var out bytes.Buffer

	if err := run([]string{"packets", "--db", db}, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "1 zoe@example.org") || !strings.Contains(s, "PKT-7Q4M-K2XD") ||
		!strings.Contains(s, packet.ShortFingerprint(made.Fingerprint)) || !strings.Contains(s, "PKT-ANN0-0001") {
		t.Errorf("packets:\n%s", s)
	}
	out.Reset()
	if err := run([]string{"packets", "--db", db, "--provider", "ann@example.org"}, &out); err != nil || strings.Contains(out.String(), "PKT-7Q4M") {
		t.Errorf("packets of one provider: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run([]string{"providers", "--db", db}, &out); err != nil || strings.Count(out.String(), "packets: 1") != 2 {
		t.Errorf("providers: %v\n%s", err, out.String())
	}

	dest := filepath.Join(dir, "zoe.onramp")
	out.Reset()
	if err := run([]string{"packet", "--db", db, "--id", "PKT-7Q4M-K2XD", "--out", dest}, &out); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "OK "+packet.ShortFingerprint(made.Fingerprint) {
		t.Errorf("packet printed %q", got)
	}
	if p, problems := packet.OpenFile(dest, packet.Options{}); len(problems) > 0 || p.Manifest.PacketID != "PKT-7Q4M-K2XD" {
		t.Errorf("the written packet: %v", problems)
	}

	// A stored packet damaged in the database is reported, and nothing is
	// written.
	driver := "sqlite3"
	if server.IsPostgres(db) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE packets SET archive = substr(archive, 1, length(archive) - 100) WHERE packet_id = 'PKT-ANN0-0001'`); err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(dir, "ann.onramp")
	err = run([]string{"packet", "--db", db, "--id", "PKT-ANN0-0001", "--out", damaged}, &out)
	if err == nil || !strings.Contains(err.Error(), "failed verification") || !strings.Contains(err.Error(), packet.CodeTruncated) {
		t.Errorf("damaged packet: %v", err)
	}
	if _, err := os.Stat(damaged); !os.IsNotExist(err) {
		t.Errorf("a packet that failed verification was written: %v", err)
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(tmps) > 0 {
		t.Errorf("left behind: %v", tmps)
	}

	for _, args := range [][]string{
		{"packet", "--db", db, "--id", "PKT-NOPE-NOPE", "--out", damaged},
		{"packet", "--db", db, "--out", damaged},
		{"packets", "--db", db, "--provider", "nobody@example.org"},
		{"forget-key", "--db", db},
	} {
		if err := run(args, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
