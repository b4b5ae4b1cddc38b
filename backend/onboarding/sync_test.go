package onboarding

import (
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/store"
	"onramp/backend/version"
)

// The whole loop against a real intake server on loopback: offline submit
// stays queued; online it is delivered once; the network's review, payer
// status and effective date come back through the feed; the portal password
// is created once both forms are reviewed.
func TestSyncWithIntakeServer(t *testing.T) {
	svc, st := trainingService(t)
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acct, _, _ := st.Account(ctx)
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}

	// Offline: the submission is queued.
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	down := httptest.NewServer(server.NewServer(db).Handler())
	url := down.URL
	down.Close()
	if rep := svc.Sync.Sync(ctx, url); rep.Online || rep.Delivered != 0 {
		t.Fatalf("offline sync: %+v", rep)
	}
	// Newest first: the app's version (queued by the sync), the receipt,
	// the submission, and the start date set-up queued for the network.
	items, _ := svc.Sync.Outbox(ctx)
	if len(items) != 4 || items[2].State != store.OutboxQueued || items[2].What != "General Onboarding form, version 1" ||
		items[1].What != "Receipt email: your General Onboarding form (version 1)" || items[0].What != "For the network: the version of Onramp you use ("+version.String()+")" ||
		items[3].What != "For the network: your contracted start date, December 1, 2026" {
		t.Fatalf("outbox offline: %+v", items)
	}
	// The reports are background (the panel folds them once delivered);
	// the form and its receipt are not.
	if !items[0].Background || items[1].Background || items[2].Background || !items[3].Background {
		t.Errorf("background flags: %+v", items)
	}

	// Email goes out through the relay (a real SMTP server on loopback),
	// whether or not the intake server answers.
	inbox, relay := inboxRelay(t)
	svc.Mail.Use(outmail.Config{Relay: relay, From: mail.Address{Name: "Onramp", Email: "onramp@localhost"}, Support: "support@network.example"})
	if rep := svc.Sync.Sync(ctx, url); rep.EmailsSent != 1 || rep.Online {
		t.Fatalf("email while the intake server is down: %+v", rep)
	}
	if got := inbox.Messages(); len(got) != 1 || !strings.Contains(got[0], "Subject: Received: your General Onboarding form (version 1)") {
		t.Fatalf("inbox: %v", got)
	}

	srv := httptest.NewServer(server.NewServer(db).Handler())
	defer srv.Close()
	rep := svc.Sync.Sync(ctx, srv.URL)
	if !rep.Online || !rep.Enrolled || rep.Delivered != 3 || rep.Error != "" { // the submission and two reports
		t.Fatalf("online sync: %+v", rep)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Delivered != 0 {
		t.Errorf("second sync resent: %+v", rep)
	}
	subs, _ := db.Submissions(ctx, 1)
	if len(subs) != 1 || subs[0].Hash != generalData().Hash() {
		t.Fatalf("server submissions: %+v", subs)
	}

	// The credentialing form (stored as a submission directly: its full
	// validation is tested elsewhere) goes up too.
	cred := forms.NewData()
	cred.Fields["npi"] = "1234567893"
	st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 1, Data: cred.Encode(), Hash: cred.Hash(), SubmittedAt: fixedNow()},
		store.MilestoneCredentialingSubmitted, formfill.SubmissionOutbox(forms.FormCredentialing, 1, cred, time.Now()))
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Delivered != 1 {
		t.Fatalf("credentialing upload: %+v", rep)
	}

	if _, err := svc.Sync.CreatePortalPassword(ctx, srv.URL, "Blue-Kettle-42-rain"); !errors.Is(err, syncing.ErrPortalLocked) {
		t.Fatalf("portal before review: %v", err)
	}
	// Returned with a reason: the dashboard says so, until it is reviewed.
	db.Review(ctx, 1, forms.FormGeneral, false, "Add the ZIP code of your office.")
	svc.Sync.Sync(ctx, srv.URL)
	if d, _ := svc.Progress.Dashboard(ctx); len(d.Returned) != 1 || d.Returned[0].Reason != "Add the ZIP code of your office." || d.Returned[0].Item != "general-form" {
		t.Fatalf("returned: %+v", d.Returned)
	}
	db.Review(ctx, 1, forms.FormGeneral, true, "")
	db.Review(ctx, 1, forms.FormCredentialing, true, "")
	db.SetPayer(ctx, 1, "Aetna", "approved")
	db.SetEffective(ctx, 1, "2026-12-15")
	svc.Sync.Sync(ctx, srv.URL)
	d, _ := svc.Progress.Dashboard(ctx)
	if d.Steps[2].Status != "available" {
		t.Fatalf("portal step after reviews: %+v", d.Steps[2])
	}
	if d.Credentialing == nil || d.Credentialing.EffectiveDate != "2026-12-15" || len(d.Credentialing.Payers) != 1 || d.Credentialing.Payers[0].Status != "approved" {
		t.Errorf("credentialing window: %+v", d.Credentialing)
	}
	if p, _ := svc.Sync.CreatePortalPassword(ctx, srv.URL, "short"); p == nil || p.Code != "weak-password" {
		t.Errorf("weak password: %+v", p)
	}
	if p, err := svc.Sync.CreatePortalPassword(ctx, srv.URL, "Blue-Kettle-42-rain"); p != nil || err != nil {
		t.Fatalf("portal password: %+v %v", p, err)
	}
	if ok, _ := db.CheckPortalPassword(ctx, 1, "Blue-Kettle-42-rain"); !ok {
		t.Error("server does not hold the password")
	}
	d, _ = svc.Progress.Dashboard(ctx)
	if d.Steps[2].Status != "done" {
		t.Errorf("portal step: %+v", d.Steps[2])
	}

	// A help request goes out with the next sync.
	if p, err := svc.Sync.AskForHelp(ctx, "When is my effective date?", "I submitted last week."); p != nil || err != nil {
		t.Fatal(p, err)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Delivered != 1 || rep.EmailsSent != 1 {
		t.Errorf("help request: %+v", rep)
	}
	got := inbox.Messages()
	last := got[len(got)-1]
	if !strings.Contains(last, "To: \"Onramp support\" <support@network.example>") || !strings.Contains(last, "When is my effective date?") {
		t.Errorf("help email: %s", last)
	}
}
