package instances

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/packet"
	"onramp/backend/testenv"
)

// The restores docs/deploy.md gives, done as it says while an instance
// serves: PostgreSQL's pg_dump and pg_restore into a new database, and
// SQLite's online backup with the sqlite3 command line. Each restored
// database holds the providers, their submissions and their packet, which
// comes out verified.
func TestBackupAndRestore(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		c := newCluster(t)
		in := c.start()
		fill(t, c, in.url)
		dump := filepath.Join(t.TempDir(), "onramp.dump")
		run(t, c.pg.Program("pg_dump"), "--format=custom", "--file="+dump, c.db)
		restored, err := c.pg.NewDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		run(t, c.pg.Program("pg_restore"), "--no-owner", "--dbname="+restored, dump)
		checkRestored(t, c, restored)
	})
	t.Run("sqlite", func(t *testing.T) {
		sqlite3 := testenv.Path(t, "sqlite3")
		dir := t.TempDir()
		c := newCluster(t)
		c.db = filepath.Join(dir, "intake.db")
		in := c.start()
		fill(t, c, in.url)
		backup := filepath.Join(dir, "backup.db")
		run(t, sqlite3, c.db, ".backup '"+backup+"'")
		in.kill()
		checkRestored(t, c, backup)
	})
}

// fill gives the service two providers, one with a submission and a
// packet.
func fill(t *testing.T, c *cluster, url string) {
	t.Helper()
	client, _ := c.enrolled(url, "zoe@example.org")
	c.enrolled(url, "bo@example.org")
	if err := client.Submit(ctx, "g1", upload(1)); err != nil {
		t.Fatal(err)
	}
	key, _ := packet.GenerateKey()
	d := packet.Data{Format: packet.DataFormat, Version: packet.DataVersion, PacketID: "PKT-7Q4M-K2XD", CreatedAt: time.Now().UTC().Truncate(time.Second),
		Provider: packet.Provider{LegalName: "Zoë Łukasiewicz", LicenseType: "lcsw", NPI: "1234567893"}}
	var buf bytes.Buffer
	if _, err := packet.Make(&buf, d, nil, key, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := client.UploadPacket(ctx, "p1", buf.Bytes()); err != nil {
		t.Fatal(err)
	}
}

func checkRestored(t *testing.T, c *cluster, restored string) {
	t.Helper()
	c.db = restored
	if out := c.command("migrate"); !strings.Contains(out, "up to date") {
		t.Errorf("migrate on the restored database: %s", out)
	}
	out := c.command("providers")
	for _, want := range []string{"zoe@example.org", "bo@example.org", "general        v1  received", "packets: 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("the restored providers lack %q:\n%s", want, out)
		}
	}
	dest := filepath.Join(t.TempDir(), "zoe.onramp")
	c.command("packet", "--id", "PKT-7Q4M-K2XD", "--out", dest)
	if p, problems := packet.OpenFile(dest, packet.Options{}); len(problems) > 0 || p.Manifest.PacketID != "PKT-7Q4M-K2XD" {
		t.Errorf("the restored packet: %v", problems)
	}
}

func run(t *testing.T, program string, args ...string) {
	t.Helper()
	if out, err := exec.Command(program, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(program), strings.Join(args, " "), err, out)
	}
}
