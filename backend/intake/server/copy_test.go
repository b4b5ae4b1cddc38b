package server

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/intake"
)

// A SQLite deployment moves whole into the engine under test (PostgreSQL,
// or on the SQLite run another file): every table's rows, the packets
// intact, the ids carrying on after the copied ones, the network's own
// catalogue instead of the seeded one; a second copy is refused.
func TestCopy(t *testing.T) {
	src, err := Open(ctx, filepath.Join(t.TempDir(), "src.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(src).Handler())
	t.Cleanup(func() { srv.Close(); src.Close() })
	e := &env{t, src, srv}
	tok := e.enroll("zoe@example.org", "i-1")
	steps := []struct {
		path, key string
		body      []byte
	}{
		{"/v1/submissions", "s1", submission("general", 1, "first")},
		{"/v1/help", "h1", mustJSON(map[string]string{"subject": "Login", "message": "Help"})},
		{"/v1/training", "t1", mustJSON(intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1,
			Attempts: []intake.QuizAttempt{attempt(1, 90, "2026-11-20T10:00:00Z")}})},
	}
	for _, s := range steps {
		if status, body := e.call("POST", s.path, tok, s.key, s.body); status >= 300 {
			t.Fatalf("%s: %d %v", s.path, status, body)
		}
	}
	if status, body := e.upload(tok, "p1", makePacket(t, newKey(t), "PKT-7Q4M-K2XD", "Zoë Łukasiewicz")); status >= 300 {
		t.Fatalf("packet: %d %v", status, body)
	}
	mustInvite(t, src, "bo@example.org")
	if err := src.AddOffering(ctx, "Zeta Health", intake.OfferingPayer); err != nil {
		t.Fatal(err)
	}

	dst, err := Open(ctx, dbtest.NewDB(t), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	report, err := src.CopyTo(ctx, dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, c := range report.Tables {
		rows[c.Table] = c.Rows
	}
	if report.Packets != 1 || rows["providers"] != 1 || rows["invitations"] != 2 || rows["submissions"] != 1 ||
		rows["tickets"] != 1 || rows["quiz_attempts"] != 1 || rows["offerings"] != 8 || rows["idempotency"] != 4 || rows["mail_queue"] < 2 {
		t.Errorf("copied %+v", report)
	}
	if len(report.Tables) != len(copyOrder) {
		t.Errorf("%d tables copied, want %d", len(report.Tables), len(copyOrder))
	}
	// Every table of the schema is in copyOrder: a table added later must
	// be added there too, or copy would leave it behind.
	tables, err := src.db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for tables.Next() {
		var name string
		tables.Scan(&name)
		if !slices.Contains(copyOrder, name) {
			t.Errorf("copy leaves table %s behind: add it to copyOrder", name)
		}
	}
	tables.Close()

	// The copy serves the same provider, and new rows get new ids.
	de := &env{t, dst, httptest.NewServer(NewServer(dst).Handler())}
	defer de.srv.Close()
	if status, body := de.call("POST", "/v1/help", tok, "h2", mustJSON(map[string]string{"subject": "Again", "message": "Still"})); status != 201 || body["ticket"] != float64(2) {
		t.Errorf("a new ticket after the copy: %d %v", status, body)
	}
	if status, body := de.call("POST", "/v1/help", tok, "h1", mustJSON(map[string]string{"subject": "Login", "message": "Help"})); status != 201 || body["ticket"] != float64(1) {
		t.Errorf("a retry of a copied write is answered as before: %d %v", status, body)
	}
	if _, err := src.CopyTo(ctx, dst, nil); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("a second copy: %v", err)
	}
}
