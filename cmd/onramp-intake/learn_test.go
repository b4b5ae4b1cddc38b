package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/journey"
)

// providers and providers --json show what the app reported through the
// client: training, start date, checklist, app version, the live date and
// the received times.
func TestProvidersShowWhatTheNetworkLearned(t *testing.T) {
	ctx := context.Background()
	dbPath := dbtest.NewDB(t)
	db, err := server.Open(ctx, dbPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	code, err := db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := intake.NewClient(srv.URL, "", 10*time.Second)
	token, err := c.Enroll(ctx, code, "install-1", "Zoë Łukasiewicz", "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithToken(token)
	at := "2026-11-20T10:00:00-05:00"
	for _, err := range []error{
		c.Training(ctx, "t1", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1,
			Attempts: []intake.QuizAttempt{{Number: 1, At: at, Score: 90, Passed: true}}, CompletedAt: at}),
		c.StartDate(ctx, "s1", intake.StartDateReport{Date: "2026-12-01", ReportedAt: at}),
		c.Checklist(ctx, "c1", intake.ChecklistReport{ReportedAt: at, Items: []intake.ChecklistEntry{
			{ID: journey.ItemPayouts, Done: true, DoneAt: at}, {ID: journey.ItemFirstClient}}}),
		c.AppVersion(ctx, "a1", intake.AppVersionReport{Version: "1.5.0", OS: "darwin", ReportedAt: at}),
		db.SetEffective(ctx, 1, "2026-11-25"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	srv.Close()
	db.Close()

	var out bytes.Buffer
	if err := run([]string{"providers", "--db", dbPath}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"training: watched 100%, 1 quiz attempts, best 90%, completed 2026-11-20 15:00 UTC",
		"contracted start: 2026-12-01", "checklist: 1 of 2 done " + journey.ItemPayouts, "app: 1.5.0 darwin",
		"directory profile live: 2026-12-01"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("providers has no %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run([]string{"providers", "--db", dbPath, "--json"}, &out); err != nil {
		t.Fatal(err)
	}
	var ps []server.ProviderSummary
	if err := json.Unmarshal(out.Bytes(), &ps); err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Training == nil || ps[0].Training.BestScore != 90 || ps[0].StartDate != "2026-12-01" ||
		len(ps[0].Checklist) != 2 || ps[0].AppVersion != "1.5.0" || ps[0].ProfileLiveDate != "2026-12-01" {
		t.Errorf("providers --json: %s", out.String())
	}
	if err := run([]string{"serve", "--db", dbPath, "--portal-url", "portal.example.org"}, &out); err == nil || !strings.Contains(err.Error(), "--portal-url") {
		t.Errorf("serve took a portal URL without a scheme: %v", err)
	}
}
