package onboarding

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/journey"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/retry"
	"onramp/backend/version"
	"onramp/backend/webinar"
)

// The network learns the training and sees onboarding complete: the app's
// real service syncs with a real intake server whose mailer sends through
// a real SMTP sink (its upstream relay). The completion email arrives once,
// from the network's address, and the app's own relay carries none.
func TestHandoffTraining(t *testing.T) {
	svc, st := trainingService(t)
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).WithPortal("https://portal.network.example").Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	acct, _, _ := st.Account(ctx)
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}
	network := mail.Address{Name: "The network's onboarding team", Email: "onboarding@network.example"}
	upstream, upstreamRelay := inboxRelay(t)
	mailer := server.NewMailer(db, *upstreamRelay, network, retry.GuidanceMail)
	ownInbox, ownRelay := inboxRelay(t)
	svc.Mail.Use(outmail.Config{Relay: ownRelay, From: mail.Address{Name: "Onramp", Email: "onramp@localhost"}, Support: "support@network.example"})
	sync := func(times int) {
		t.Helper()
		for range times {
			if rep := svc.Sync.Sync(ctx, srv.URL); !rep.Enrolled || rep.Error != "" || rep.Failed != 0 {
				t.Fatalf("sync: %+v", rep)
			}
		}
	}
	sendNetworkMail := func() {
		t.Helper()
		for range 2 {
			if _, err := mailer.SendDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Steps 1 to 3, with the network's reviews.
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	submitInsurance(t, st, fixedNow())
	sync(1)
	db.Review(ctx, 1, forms.FormGeneral, true, "")
	db.Review(ctx, 1, forms.FormCredentialing, true, "")
	sync(1)
	if p, err := svc.Sync.CreatePortalPassword(ctx, srv.URL, "Blue-Kettle-42-rain"); p != nil || err != nil {
		t.Fatal(p, err)
	}

	// Step 4, half watched: the network hears of it, nothing is complete.
	play(t, svc, 0, svc.Training.Video().DurationSeconds/2)
	sync(1)
	ps, err := db.Providers(ctx)
	if err != nil || len(ps) != 1 || ps[0].Training == nil || ps[0].Training.WatchedShare != 0.5 || ps[0].CompletedAt != "" {
		t.Fatalf("after half the webinar: %+v %v", ps, err)
	}
	if ps[0].StartDate != acct.ContractStart.Format("2006-01-02") || ps[0].AppVersion != version.String() {
		t.Errorf("start date %q, app version %q", ps[0].StartDate, ps[0].AppVersion)
	}

	// The rest of the webinar and a pass: the network completes onboarding
	// and sends the email, once, however often the app syncs and the
	// mailer runs.
	play(t, svc, svc.Training.Video().DurationSeconds/2, svc.Training.Video().DurationSeconds)
	if _, err := svc.Training.SubmitQuiz(ctx, webinar.AnswerKey()); err != nil {
		t.Fatal(err)
	}
	sync(2)
	sendNetworkMail()
	sync(2)
	sendNetworkMail()

	ps, _ = db.Providers(ctx)
	if p := ps[0]; p.Training == nil || p.Training.CompletedAt == "" || p.Training.Attempts != 1 || p.Training.BestScore != 100 || p.CompletedAt == "" {
		t.Errorf("the network's record: training %+v, completed %q", p.Training, p.CompletedAt)
	}
	var complete []string
	for _, m := range upstream.Messages() {
		if strings.Contains(m, "Subject: Your onboarding is complete") {
			complete = append(complete, m)
		}
	}
	if len(complete) != 1 {
		t.Fatalf("%d completion emails reached the network's relay, want 1 (of %d)", len(complete), len(upstream.Messages()))
	}
	for _, want := range []string{"From: \"The network's onboarding team\" <onboarding@network.example>", "zoe@example.org",
		"Message-Id: <intake/guidance/1/complete@onramp.invalid>"} {
		if !strings.Contains(complete[0], want) {
			t.Errorf("the completion email has no %q:\n%s", want, complete[0])
		}
	}
	for _, m := range ownInbox.Messages() {
		if strings.Contains(m, "onboarding is complete") {
			t.Errorf("the app sent a completion email through the provider's relay:\n%s", m)
		}
	}
	// The dashboard reads "sent" from the network's feed.
	d, err := svc.Progress.Dashboard(ctx)
	if err != nil || !d.Complete || d.CompletionEmail == nil || d.CompletionEmail.State != journey.EmailSent {
		t.Errorf("the app's dashboard: complete %v, email %+v, %v", d.Complete, d.CompletionEmail, err)
	}
	items, _ := svc.Sync.Outbox(ctx)
	for _, it := range items {
		if it.State != "delivered" {
			t.Errorf("left in the outbox: %+v", it)
		}
	}
}
