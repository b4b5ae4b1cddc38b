package server

import (
	"net/http/httptest"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"onramp/backend/retry"
)

// The status feed tells the app which guidance emails went out and when:
// one still queued is not in it, one sent is, with the time it was sent.
func TestStatusFeedListsGuidanceSent(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	db, err := Open(ctx, dbtest.NewDB(t), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(db).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	e := &env{t, db, srv}
	tok := e.enroll("zoe@example.org", "i1")
	client, err := intake.NewClient(srv.URL, tok, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	feed := func() intake.Status {
		t.Helper()
		st, err := client.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	e.call("POST", "/v1/submissions", tok, "g1", submission("general", 1, "g"))
	if got := feed().Guidance; len(got) != 0 {
		t.Fatalf("queued guidance reported as sent: %+v", got)
	}
	_, rl := startRelay(t)
	clock.Add(2 * time.Hour)
	if res, err := NewMailer(db, rl, from, retry.GuidanceMail).SendDue(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("send: %+v %v", res, err)
	}
	got := feed().Guidance
	if len(got) != 1 || got[0].Step != intake.GuidanceInsurance || got[0].SentAt != "2026-11-20T11:00:00Z" {
		t.Errorf("guidance in the feed: %+v", got)
	}
}

// Support can set only the statuses the wire package lists; each has the
// words the app shows.
func TestPayerStatusesAreTheWirePackages(t *testing.T) {
	e := newEnv(t)
	e.enroll("zoe@example.org", "i1")
	for _, status := range intake.PayerStates() {
		if err := e.db.SetPayer(ctx, 1, "Aetna", status); err != nil {
			t.Errorf("%s refused: %v", status, err)
		}
		if label := intake.PayerLabel(status); label == status || label == "" {
			t.Errorf("%s has no label of its own: %q", status, label)
		}
	}
	for _, status := range []string{"pending", "Approved", ""} {
		if err := e.db.SetPayer(ctx, 1, "Aetna", status); err == nil {
			t.Errorf("%q accepted", status)
		}
	}
}
