package onboarding

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/journey"
	"onramp/backend/mail"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/retry"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
	"onramp/backend/webinar"
)

// intakeFor runs a real intake server on loopback that knows the test
// account's invitation code.
func intakeFor(t testing.TB, st *store.Store, now func() time.Time) (*server.DB, *httptest.Server) {
	t.Helper()
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	acct, _, _ := st.Account(ctx)
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}
	return db, srv
}

// submitInsurance stores an Insurance form version the way the app queues
// one, at the app's time now (its full validation is covered by the forms
// tests).
func submitInsurance(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	d := forms.NewData()
	d.Fields["npi"] = "1234567893"
	_, err := st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 1, Data: d.Encode(), Hash: d.Hash(), SubmittedAt: now},
		store.MilestoneCredentialingSubmitted, func(v int) []store.OutboxItem {
			return formfill.SubmissionOutbox(forms.FormCredentialing, v, d, now)(v)
		})
	if err != nil {
		t.Fatal(err)
	}
}

// A resubmitted form whose new version the network has not reviewed yet
// means onboarding is not complete, before and after the next sync; the
// review of the new version completes it again.
func TestResubmittedFormWaitsForItsReview(t *testing.T) {
	svc, st := trainingService(t)
	db, srv := intakeFor(t, st, time.Now)
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	submitInsurance(t, st, fixedNow())
	svc.Sync.Sync(ctx, srv.URL)
	db.Review(ctx, 1, forms.FormGeneral, true, "")
	db.Review(ctx, 1, forms.FormCredentialing, true, "")
	svc.Sync.Sync(ctx, srv.URL)
	if p, err := svc.Sync.CreatePortalPassword(ctx, srv.URL, "Blue-Kettle-42-rain"); p != nil || err != nil {
		t.Fatal(p, err)
	}
	play(t, svc, 0, svc.Training.Video().DurationSeconds)
	if _, err := svc.Training.SubmitQuiz(ctx, webinar.AnswerKey()); err != nil {
		t.Fatal(err)
	}
	if d, _ := svc.Progress.Dashboard(ctx); !d.Complete {
		t.Fatalf("not complete with everything done: %+v", d.Steps)
	}

	// Version 2 of the General form: waiting for its review.
	v, _ := svc.Forms.StartResubmission(ctx, forms.FormGeneral)
	changed := v.Data.Clone()
	changed.Fields["cashPayRate"] = "200"
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, changed); err != nil || res.Version != 2 {
		t.Fatal(err, res)
	}
	notComplete := func(when string) {
		t.Helper()
		d, err := svc.Progress.Dashboard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d.Complete || d.CompletedOn != "" {
			t.Errorf("%s: onboarding complete with version 2 unreviewed", when)
		}
		if r := d.Steps[0].Review; r == nil || r.State != journey.ReviewWaiting {
			t.Errorf("%s: General form review = %+v", when, r)
		}
		if tr, _ := svc.Training.Training(ctx); tr.Onboarding.Complete {
			t.Errorf("%s: the training screen says onboarding is complete", when)
		}
	}
	notComplete("before the sync")
	svc.Sync.Sync(ctx, srv.URL)
	notComplete("after the sync")

	db.Review(ctx, 1, forms.FormGeneral, true, "")
	svc.Sync.Sync(ctx, srv.URL)
	d, _ := svc.Progress.Dashboard(ctx)
	if !d.Complete || d.Steps[0].Review == nil || d.Steps[0].Review.State != journey.ReviewReviewed || d.Steps[0].Review.On == "" {
		t.Errorf("after the review of version 2: complete %v, review %+v", d.Complete, d.Steps[0].Review)
	}
}

// The dashboard says the confirmation email is pending (the network's to
// send) until the network's status feed lists it sent, then sent, with the
// date. The app sends none of its own (the network does, from its team).
func TestCompletionEmailPendingThenSent(t *testing.T) {
	svc, st := trainingService(t)
	for _, m := range []string{store.MilestoneGeneralSubmitted, store.MilestoneCredentialingSubmitted,
		store.MilestoneGeneralReviewed, store.MilestoneCredentialingReviewed, store.MilestonePortalCreated,
		store.MilestoneWebinarWatched, store.MilestoneQuizPassed} {
		st.SetMilestone(ctx, m, fixedNow())
	}
	d, err := svc.Progress.Dashboard(ctx)
	if err != nil || !d.Complete || d.CompletionEmail == nil || d.CompletionEmail.State != journey.EmailPending {
		t.Fatalf("before the network sent it: %+v %v", d.CompletionEmail, err)
	}
	inbox, relay := inboxRelay(t)
	svc.Mail.Use(outmail.Config{Relay: relay, From: mail.Address{Name: "Onramp", Email: "onramp@localhost"}})
	if rep := svc.Sync.Sync(ctx, ""); rep.EmailsSent != 0 || len(inbox.Messages()) != 0 {
		t.Fatalf("the app sent email of its own: %+v %v", rep, inbox.Messages())
	}
	// What applyStatus records when the feed lists the network's email.
	if err := st.SetMilestoneAt(ctx, store.GuidanceMilestone(intake.GuidanceComplete), fixedNow()); err != nil {
		t.Fatal(err)
	}
	d, _ = svc.Progress.Dashboard(ctx)
	if e := d.CompletionEmail; e == nil || e.State != journey.EmailSent || e.SentOn != "2026-11-25" {
		t.Errorf("after the network sent it: %+v", e)
	}
}

// The dashboard says "sent on …" once the status feed reports the
// network's guidance email went out, and offers "contact support" only
// while it is overdue and not sent.
func TestGuidanceSentLearnedBySync(t *testing.T) {
	clk := clocktest.New(fixedNow()) // Wednesday, November 25, 2026
	st := storetest.New(t)
	svc := New(st, clk.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if p, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || p != nil {
		t.Fatal(err, p)
	}
	db, srv := intakeFor(t, st, clk.Now)
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	svc.Sync.Sync(ctx, srv.URL)
	d, _ := svc.Progress.Dashboard(ctx)
	if g := d.NextStep; g == nil || g.Step != intake.GuidanceInsurance || g.DueBy != "2026-11-27" || g.SentOn != "" || g.Overdue {
		t.Fatalf("queued on the server: %+v", g)
	}
	clk.Add(5 * 24 * time.Hour) // Monday, November 30: past the due date, still not sent
	svc.Sync.Sync(ctx, srv.URL)
	if d, _ = svc.Progress.Dashboard(ctx); !d.NextStep.Overdue {
		t.Errorf("not sent and past its date, yet not overdue: %+v", d.NextStep)
	}

	_, relay := inboxRelay(t)
	if res, err := server.NewMailer(db, *relay, mail.Address{Email: "onboarding@network.localhost"}, retry.GuidanceMail).SendDue(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("the server's mailer: %+v %v", res, err)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	d, _ = svc.Progress.Dashboard(ctx)
	if g := d.NextStep; g == nil || g.SentOn != "2026-11-30" || g.Overdue {
		t.Errorf("after the server sent it: %+v", g)
	}
}

// A DEA registration on an Insurance version submitted while the provider
// was a prescriber (or before hidden fields were pruned) is not listed once
// the General form says the license type has none: the dashboard reads the
// latest version through what the form shows now.
func TestDashboardListsNoHiddenExpirations(t *testing.T) {
	svc, st := trainingService(t)
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatalf("submit general: %v %+v", err, res.Problems)
	}
	cred := forms.NewData()
	for k, v := range map[string]string{"deaNumber": "ML1234563", "deaState": "CA", "deaExpires": "2027-01-10", "carrier": "CPH & Associates", "policyNumber": "PL-1", "policyExpires": "2027-02-01"} {
		cred.Fields[k] = v
	}
	if _, err := st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 1, Data: cred.Encode(), Hash: cred.Hash(),
		SubmittedAt: fixedNow()}, store.MilestoneCredentialingSubmitted, nil); err != nil {
		t.Fatal(err)
	}
	kinds := func() map[string]bool {
		d, err := svc.Progress.Dashboard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, x := range d.Expirations {
			out[x.Kind] = true
		}
		return out
	}
	if k := kinds(); !k["dea"] || !k["liability"] {
		t.Fatalf("a prescriber's expirations: %v", k)
	}
	lcsw := generalData()
	lcsw.Fields["licenseType"], lcsw.Fields["credentials"] = "lcsw", "LCSW"
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, lcsw); err != nil || res.Version != 2 {
		t.Fatalf("resubmit general as LCSW: %v %+v", err, res.Problems)
	}
	if k := kinds(); k["dea"] || !k["liability"] {
		t.Errorf("an LCSW's expirations: %v", k)
	}
}

// With a real intake server: a form submitted Wednesday while the server
// is not reached has no due date and nothing overdue, however many days
// pass; once a sync delivers it on Friday, the guidance is due the next
// business day after that (Monday), not after the Wednesday submit, and
// the window counts 45 days from Friday.
func TestGuidanceCountsFromTheServersReceipt(t *testing.T) {
	clk := clocktest.New(fixedNow()) // Wednesday, November 25, 2026
	st := storetest.New(t)
	svc := New(st, clk.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if p, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || p != nil {
		t.Fatal(err, p)
	}
	_, srv := intakeFor(t, st, clk.Now)
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	submitInsurance(t, st, clk.Now())
	clk.Add(2 * 24 * time.Hour) // Friday, still not synced
	d, err := svc.Progress.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g := d.NextStep; g == nil || g.Waiting == "" || g.DueBy != "" || g.Overdue || g.Support != nil {
		t.Errorf("before the network has the forms: %+v", g)
	}
	if w := d.Credentialing; w == nil || w.State != journey.WindowWaiting || w.ExpectedBy != "" {
		t.Errorf("window before the network has the form: %+v", w)
	}
	if r := d.Steps[1].Review; r == nil || !r.NotReceived {
		t.Errorf("the Insurance step's review before the network has it: %+v", r)
	}

	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" || rep.Delivered == 0 {
		t.Fatalf("sync: %+v", rep)
	}
	d, _ = svc.Progress.Dashboard(ctx)
	if g := d.NextStep; g == nil || g.Step != intake.GuidanceReview || g.DoneOn != "2026-11-27" || g.DueBy != "2026-11-30" || g.Overdue {
		t.Errorf("after the network received the forms on Friday: %+v", g)
	}
	if w := d.Credentialing; w == nil || w.State != journey.WindowOpen || w.ReceivedOn != "2026-11-27" || w.ExpectedBy != "2027-01-11" {
		t.Errorf("window after the network received the form: %+v", w)
	}
	if r := d.Steps[1].Review; r == nil || r.NotReceived {
		t.Errorf("the Insurance step's review once the network has it: %+v", r)
	}
}
