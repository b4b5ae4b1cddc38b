package server

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/retry"
)

func attempt(n, score int, at string) intake.QuizAttempt {
	return intake.QuizAttempt{Number: n, At: at, Score: score, Passed: score >= 80}
}

// Each report endpoint refuses what is wrong with a plain-words 400 and
// stores nothing; a replay of the same key and body gets the first answer.
func TestReportEndpointsRefuseBadInput(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	at := "2026-11-20T10:00:00-05:00"
	tests := []struct {
		name, path string
		body       any
		code, says string
	}{
		{"training: no version", "/v1/training", intake.TrainingReport{WatchedShare: 0.5}, "bad-training", "webinarVersion"},
		{"training: share over 1", "/v1/training", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1.5}, "bad-training", "between 0 and 1"},
		{"training: negative share", "/v1/training", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: -0.1}, "bad-training", "between 0 and 1"},
		{"training: bad watchedAt", "/v1/training", intake.TrainingReport{WebinarVersion: "v1", WatchedAt: "yesterday"}, "bad-training", "watchedAt"},
		{"training: attempts out of order", "/v1/training", intake.TrainingReport{WebinarVersion: "v1",
			Attempts: []intake.QuizAttempt{attempt(2, 50, at), attempt(1, 90, at)}}, "bad-training", "numbered"},
		{"training: attempt twice", "/v1/training", intake.TrainingReport{WebinarVersion: "v1",
			Attempts: []intake.QuizAttempt{attempt(1, 50, at), attempt(1, 90, at)}}, "bad-training", "numbered"},
		{"training: attempt without time", "/v1/training", intake.TrainingReport{WebinarVersion: "v1",
			Attempts: []intake.QuizAttempt{attempt(1, 50, "")}}, "bad-training", "date and time"},
		{"training: score over 100", "/v1/training", intake.TrainingReport{WebinarVersion: "v1",
			Attempts: []intake.QuizAttempt{attempt(1, 101, at)}}, "bad-training", "0 to 100"},
		{"training: bad completedAt", "/v1/training", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1,
			Attempts: []intake.QuizAttempt{attempt(1, 90, at)}, CompletedAt: "2026-11-20"}, "bad-training", "completedAt"},
		{"training: unknown field", "/v1/training", map[string]any{"webinarVersion": "v1", "score": 90}, "bad-json", "expected JSON"},
		{"start date: not a date", "/v1/start-date", intake.StartDateReport{Date: "12/01/2026", ReportedAt: at}, "bad-date", "YYYY-MM-DD"},
		{"start date: far future", "/v1/start-date", intake.StartDateReport{Date: "2999-01-01", ReportedAt: at}, "bad-date", "YYYY-MM-DD"},
		{"start date: no reportedAt", "/v1/start-date", intake.StartDateReport{Date: "2026-12-01"}, "bad-reported-at", "reportedAt"},
		{"checklist: unknown item", "/v1/checklist", intake.ChecklistReport{ReportedAt: at,
			Items: []intake.ChecklistEntry{{ID: "buy-a-boat", Done: true, DoneAt: at}}}, "bad-checklist", "not one of"},
		{"checklist: item twice", "/v1/checklist", intake.ChecklistReport{ReportedAt: at,
			Items: []intake.ChecklistEntry{{ID: journey.ItemPayouts}, {ID: journey.ItemPayouts}}}, "bad-checklist", "twice"},
		{"checklist: done without a time", "/v1/checklist", intake.ChecklistReport{ReportedAt: at,
			Items: []intake.ChecklistEntry{{ID: journey.ItemPayouts, Done: true}}}, "bad-checklist", "doneAt"},
		{"checklist: not done with a time", "/v1/checklist", intake.ChecklistReport{ReportedAt: at,
			Items: []intake.ChecklistEntry{{ID: journey.ItemPayouts, DoneAt: at}}}, "bad-checklist", "no doneAt"},
		{"app version: empty", "/v1/app-version", intake.AppVersionReport{ReportedAt: at}, "bad-version", "version"},
		{"app version: spaces", "/v1/app-version", intake.AppVersionReport{Version: "1.2 beta", ReportedAt: at}, "bad-version", "spaces"},
		{"app version: too long", "/v1/app-version", intake.AppVersionReport{Version: strings.Repeat("9", 65), ReportedAt: at}, "bad-version", "64"},
		{"app version: no reportedAt", "/v1/app-version", intake.AppVersionReport{Version: "1.2.0"}, "bad-reported-at", "reportedAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.call("POST", tt.path, tok, "k-"+tt.name, mustJSON(tt.body))
			msg, _ := body["error"].(map[string]any)["message"].(string)
			if status != 400 || errCode(body) != tt.code || !strings.Contains(msg, tt.says) {
				t.Errorf("%d %v, want 400 %s saying %q", status, body, tt.code, tt.says)
			}
		})
	}
	valid := map[string]any{"/v1/training": intake.TrainingReport{WebinarVersion: "v1"}, "/v1/start-date": intake.StartDateReport{Date: "2026-12-01", ReportedAt: at},
		"/v1/checklist": intake.ChecklistReport{ReportedAt: at}, "/v1/app-version": intake.AppVersionReport{Version: "1", ReportedAt: at}}
	for path, body := range valid {
		if status, body := e.call("POST", path, tok, "", mustJSON(body)); status != 400 || errCode(body) != "no-idempotency-key" {
			t.Errorf("%s without a key: %d %v", path, status, body)
		}
		if status, _ := e.call("POST", path, "", "k", mustJSON(body)); status != 401 {
			t.Errorf("%s without a token: %d", path, status)
		}
	}
	ps, err := e.db.Providers(ctx)
	if err != nil || ps[0].Learned.Training != nil || ps[0].StartDate != "" || ps[0].Checklist != nil || ps[0].AppVersion != "" {
		t.Errorf("a refused report left something: %+v %v", ps[0].Learned, err)
	}
}

// Start date, checklist and app version keep the report the app made
// last, whatever order they arrive in; a replay answers as the first time.
func TestReportsKeepTheLatestMade(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	early, late := "2026-11-20T10:00:00Z", "2026-11-20T11:00:00-05:00"
	tests := []struct {
		name, path    string
		older, newer  any
		stored        func(Learned) string
		wantStoredNew string
	}{
		{"start date", "/v1/start-date",
			intake.StartDateReport{Date: "2026-12-01", ReportedAt: early}, intake.StartDateReport{Date: "2027-01-04", ReportedAt: late},
			func(l Learned) string { return l.StartDate }, "2027-01-04"},
		{"checklist", "/v1/checklist",
			intake.ChecklistReport{ReportedAt: early, Items: []intake.ChecklistEntry{{ID: journey.ItemPayouts, Done: true, DoneAt: early}}},
			intake.ChecklistReport{ReportedAt: late, Items: []intake.ChecklistEntry{{ID: journey.ItemPayouts}, {ID: journey.ItemFirstClient, Done: true, DoneAt: late}}},
			func(l Learned) string {
				var s []string
				for _, it := range l.Checklist {
					if it.Done {
						s = append(s, it.ID)
					}
				}
				return strings.Join(s, ",")
			}, journey.ItemFirstClient},
		{"app version", "/v1/app-version",
			intake.AppVersionReport{Version: "1.4.0", OS: "darwin", ReportedAt: early}, intake.AppVersionReport{Version: "1.5.0", OS: "windows", ReportedAt: late},
			func(l Learned) string { return l.AppVersion + "/" + l.AppOS }, "1.5.0/windows"},
	}
	stored := func(get func(Learned) string) string {
		t.Helper()
		ps, err := e.db.Providers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return get(ps[0].Learned)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The newer report arrives first, then the older one late (a
			// retry that lost its answer): the newer one stays.
			status, first := e.call("POST", tt.path, tok, tt.name+"-new", mustJSON(tt.newer))
			if status != 200 || first["applied"] != true {
				t.Fatalf("newer: %d %v", status, first)
			}
			status, body := e.call("POST", tt.path, tok, tt.name+"-old", mustJSON(tt.older))
			if status != 200 || body["applied"] != false {
				t.Errorf("older, late: %d %v", status, body)
			}
			if got := stored(tt.stored); got != tt.wantStoredNew {
				t.Errorf("after the late older report: %q, want %q", got, tt.wantStoredNew)
			}
			status, replay := e.call("POST", tt.path, tok, tt.name+"-new", mustJSON(tt.newer))
			if status != 200 || replay["receivedAt"] != first["receivedAt"] {
				t.Errorf("replay: %d %v, first %v", status, replay, first)
			}
			if status, body := e.call("POST", tt.path, tok, tt.name+"-new", mustJSON(tt.older)); status != 409 || errCode(body) != "idempotency-conflict" {
				t.Errorf("the key again with another body: %d %v", status, body)
			}
		})
	}
}

// A training report merges into what the network has: the watched share
// only grows, attempts are kept by number, completion keeps its first
// time. An earlier report arriving late changes nothing.
func TestTrainingReportsMerge(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	a1, a2 := attempt(1, 60, "2026-11-20T10:00:00-05:00"), attempt(2, 90, "2026-11-20T10:30:00-05:00")
	reports := []struct {
		key  string
		in   intake.TrainingReport
		want intake.TrainingStatus
	}{
		{"half", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 0.5},
			intake.TrainingStatus{WatchedShare: 0.5}},
		{"watched, one attempt", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1, WatchedAt: "2026-11-20T09:50:00-05:00",
			Attempts: []intake.QuizAttempt{a1}}, intake.TrainingStatus{WatchedShare: 1, Attempts: 1, BestScore: 60}},
		{"passed", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1, Attempts: []intake.QuizAttempt{a1, a2},
			CompletedAt: a2.At}, intake.TrainingStatus{WatchedShare: 1, Attempts: 2, BestScore: 90, PassedAt: a2.At, CompletedAt: a2.At}},
		// The first report again, under a new key (queued twice by the
		// app): nothing goes back.
		{"half, late", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 0.5},
			intake.TrainingStatus{WatchedShare: 1, Attempts: 2, BestScore: 90, PassedAt: a2.At, CompletedAt: a2.At}},
		{"completed again later", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1, Attempts: []intake.QuizAttempt{a1, a2},
			CompletedAt: "2026-11-21T08:00:00-05:00"}, intake.TrainingStatus{WatchedShare: 1, Attempts: 2, BestScore: 90, PassedAt: a2.At, CompletedAt: a2.At}},
	}
	client, err := intake.NewClient(e.srv.URL, tok, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		status, body := e.call("POST", "/v1/training", tok, r.key, mustJSON(r.in))
		if status != 200 {
			t.Fatalf("%s: %d %v", r.key, status, body)
		}
		st, err := client.Status(ctx)
		if err != nil || st.Training == nil {
			t.Fatalf("%s: feed %+v %v", r.key, st, err)
		}
		got := *st.Training
		got.ReceivedAt = ""
		if got != r.want {
			t.Errorf("%s: feed training %+v, want %+v", r.key, got, r.want)
		}
	}
}

// The network computes the live date with journey.ProfileLiveDate and sees
// onboarding complete when all four steps are done, whichever comes last;
// the completion email is queued once, in the transaction of that write.
func TestCompletionAndLiveDate(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC))
	db, err := Open(ctx, dbtest.NewDB(t), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(db).WithPortal("https://portal.network.example/login").Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	e := &env{t, db, srv}
	tok := e.enroll("zoe@example.org", "i1")
	client, _ := intake.NewClient(srv.URL, tok, 5*time.Second)
	feed := func() intake.Status {
		t.Helper()
		st, err := client.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	steps := func() []string {
		q, err := db.MailQueue(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, m := range q {
			s = append(s, m.Step)
		}
		return s
	}

	// Training first: done before the portal opens, so no training email.
	passed := attempt(1, 100, "2026-11-20T21:30:00-05:00") // Nov 21 in UTC, Nov 20 for the provider
	trained := intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1, Attempts: []intake.QuizAttempt{passed}, CompletedAt: passed.At}
	e.call("POST", "/v1/training", tok, "t1", mustJSON(trained))
	e.call("POST", "/v1/start-date", tok, "s1", mustJSON(intake.StartDateReport{Date: "2026-11-16", ReportedAt: "2026-11-01T10:00:00Z"}))
	if st := feed(); st.ProfileLiveDate != "" || st.CompletedAt != "" || st.Portal != nil {
		t.Errorf("no effective date yet: live %q, completed %q, portal %+v", st.ProfileLiveDate, st.CompletedAt, st.Portal)
	}
	if err := db.SetEffective(ctx, 1, "2026-11-18"); err != nil {
		t.Fatal(err)
	}
	// Latest of Nov 18 (effective), Nov 16 (start), Nov 20 (trained, on the
	// provider's calendar): the rule the app uses.
	if st := feed(); st.ProfileLiveDate != "2026-11-20" {
		t.Errorf("live date %q, want 2026-11-20", st.ProfileLiveDate)
	}
	e.call("POST", "/v1/submissions", tok, "g1", submission("general", 1, "g"))
	clock.Add(time.Hour)
	e.call("POST", "/v1/submissions", tok, "c1", submission("credentialing", 1, "c"))
	db.Review(ctx, 1, "general", true, "")
	db.Review(ctx, 1, "credentialing", true, "")
	if st := feed(); st.CompletedAt != "" {
		t.Fatalf("complete without the portal password: %+v", st)
	}
	clock.Add(time.Hour)
	pw := mustJSON(intake.PasswordRequest{Password: "Blue-Kettle-42-rain"})
	e.call("POST", "/v1/portal-password", tok, "p1", pw)
	e.call("POST", "/v1/portal-password", tok, "p1", pw)
	e.call("POST", "/v1/training", tok, "t2", mustJSON(trained))

	st := feed()
	if st.CompletedAt != "2026-11-20T16:00:00Z" || st.PortalCreatedAt != "2026-11-20T16:00:00Z" {
		t.Errorf("completed %q, portal created %q", st.CompletedAt, st.PortalCreatedAt)
	}
	if st.Portal == nil || *st.Portal != (intake.PortalAccess{URL: "https://portal.network.example/login", Username: "zoe@example.org"}) {
		t.Errorf("portal access: %+v", st.Portal)
	}
	for _, f := range st.Forms {
		if len(f.Versions) != 1 || f.ReceivedAt == "" || f.Versions[0].ReceivedAt != f.ReceivedAt || f.Versions[0].Review != "reviewed" {
			t.Errorf("%s: received %q, versions %+v", f.Form, f.ReceivedAt, f.Versions)
		}
	}
	want := []string{GuidanceInsurance, GuidanceReview, GuidancePortal, GuidanceComplete}
	if got := steps(); !slices.Equal(got, want) {
		t.Errorf("queued %v, want %v (no training email: it was done)", got, want)
	}
	r, rl := startRelay(t)
	m := NewMailer(db, rl, from, retry.GuidanceMail)
	for range 2 {
		if _, err := m.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.messages(); len(got) != 4 || got[3] != "<intake/guidance/1/complete@onramp.invalid>" {
		t.Errorf("sent %v", got)
	}
	r.mu.Lock()
	body := r.bodies[3]
	r.mu.Unlock()
	if !strings.Contains(body, "Friday, November 20, 2026") || !strings.Contains(body, "onboarding team") {
		t.Errorf("the completion email does not give the live date or come from the team:\n%s", body)
	}
	// A newer version and its review later do not complete it again.
	e.call("POST", "/v1/submissions", tok, "g2", submission("general", 2, "g2"))
	db.Review(ctx, 1, "general", true, "")
	if got := steps(); !slices.Equal(got, want) {
		t.Errorf("after a later review: %v", got)
	}
	if st := feed(); st.CompletedAt != "2026-11-20T16:00:00Z" || len(st.Guidance) != 4 || st.Guidance[3].Step != GuidanceComplete {
		t.Errorf("completed %q, guidance %+v", st.CompletedAt, st.Guidance)
	}
}

// The portal needs an address to lead somewhere: without --portal-url the
// feed gives no portal access, only the time the password was made.
func TestPortalAccessNeedsTheURL(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	for _, f := range []string{"general", "credentialing"} {
		e.call("POST", "/v1/submissions", tok, f, submission(f, 1, f))
		e.db.Review(ctx, 1, f, true, "")
	}
	e.call("POST", "/v1/portal-password", tok, "p1", mustJSON(intake.PasswordRequest{Password: "Blue-Kettle-42-rain"}))
	client, _ := intake.NewClient(e.srv.URL, tok, 5*time.Second)
	st, err := client.Status(ctx)
	if err != nil || st.Portal != nil || !st.PortalCreated || st.PortalCreatedAt == "" {
		t.Errorf("portal %+v created %v at %q: %v", st.Portal, st.PortalCreated, st.PortalCreatedAt, err)
	}
	q, _ := e.db.MailQueue(ctx, 1)
	if q[len(q)-1].Step != GuidanceTraining {
		t.Errorf("the training email was not queued while the training is not done: %+v", q)
	}
}

// invite queues the welcome email with the code, keyed by the invitation;
// once the provider enrolls, the feed lists it sent.
func TestInviteQueuesTheWelcomeEmail(t *testing.T) {
	e := newEnv(t)
	code, err := e.db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	q, err := e.db.MailQueue(ctx, 0)
	if err != nil || len(q) != 1 || q[0].Step != GuidanceWelcome || q[0].Invitation != code || q[0].Provider != 0 ||
		q[0].MessageID != "<intake/welcome/"+code+"@onramp.invalid>" {
		t.Fatalf("queued: %+v %v", q, err)
	}
	r, rl := startRelay(t)
	if res, err := NewMailer(e.db, rl, from, retry.GuidanceMail).SendDue(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("send: %+v %v", res, err)
	}
	r.mu.Lock()
	body := r.bodies[0]
	r.mu.Unlock()
	if !strings.Contains(body, code) {
		t.Errorf("the welcome email does not carry the code %s:\n%s", code, body)
	}
	status, b := e.call("POST", "/v1/enroll", "", "", mustJSON(intake.EnrollRequest{InvitationCode: code, Installation: "i1", Name: "Zoë"}))
	if status != 200 {
		t.Fatalf("enroll: %d %v", status, b)
	}
	client, _ := intake.NewClient(e.srv.URL, b["token"].(string), 5*time.Second)
	st, err := client.Status(ctx)
	if err != nil || len(st.Guidance) != 1 || st.Guidance[0].Step != GuidanceWelcome {
		t.Errorf("feed guidance: %+v %v", st.Guidance, err)
	}
	if q, _ := e.db.MailQueue(ctx, 1); len(q) != 1 {
		t.Errorf("the provider's mail does not list the welcome email: %+v", q)
	}
	if ps, _ := e.db.Providers(ctx); ps[0].GuidanceMail != (MailCounts{Sent: 1}) {
		t.Errorf("providers: %+v", ps[0].GuidanceMail)
	}
}

// A returned form emails its reason once per returned version.
func TestReturnedFormEmailsTheReason(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	e.call("POST", "/v1/submissions", tok, "c1", submission("credentialing", 1, "c"))
	e.db.Review(ctx, 1, "credentialing", false, "Add your CAQH ID.\nAnd the malpractice policy.")
	e.db.Review(ctx, 1, "credentialing", false, "Add your CAQH ID.")
	e.call("POST", "/v1/submissions", tok, "c2", submission("credentialing", 2, "c2"))
	e.db.Review(ctx, 1, "credentialing", false, "The policy has expired.")
	q, _ := e.db.MailQueue(ctx, 1)
	var keys []string
	for _, m := range q {
		if m.Step == GuidanceReturned {
			keys = append(keys, m.MessageID)
		}
	}
	want := []string{"<intake/returned/1/credentialing/1@onramp.invalid>", "<intake/returned/1/credentialing/2@onramp.invalid>"}
	if !slices.Equal(keys, want) {
		t.Errorf("returned emails %v, want %v", keys, want)
	}
	var body string
	e.db.db.QueryRow(`SELECT body FROM mail_queue WHERE key = 'intake/returned/1/credentialing/1'`).Scan(&body)
	if !strings.Contains(body, "    Add your CAQH ID.\n    And the malpractice policy.") || !strings.Contains(body, "Insurance") {
		t.Errorf("the email does not quote the first reason:\n%s", body)
	}
}
