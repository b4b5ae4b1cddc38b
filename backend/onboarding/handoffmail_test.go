package onboarding

import (
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/retry"
)

// TestHandoffMailWithoutRelay: the provider configures no SMTP relay. The
// receipt waits until the app enrolls, then goes to the network's mail
// submission service (the route from the enrollment answer, signed in with
// the app's token) and out through the network's upstream relay, once;
// a relay named in Settings still wins.
func TestHandoffMailWithoutRelay(t *testing.T) {
	svc, st := trainingService(t) // no relay configured
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acct, _, _ := st.Account(ctx)
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}
	sub := server.NewMailSubmission(db, server.MailSubmissionConfig{From: "onboarding@network.example", FromName: "Network onboarding",
		Support: "support@network.example", Credentialing: "credentialing@network.example"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go sub.Serve(ln)
	defer sub.Close()
	srv := httptest.NewServer(server.NewServer(db, server.WithMailRoute(sub.Route(ln.Addr().String(), ""))).Handler())
	defer srv.Close()
	upstream, relay := inboxRelay(t)
	mailer := server.NewMailer(db, *relay, mail.Address{Name: "Network onboarding", Email: "onboarding@network.example"}, retry.GuidanceMail)

	if _, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil {
		t.Fatal(err)
	}
	if rep := svc.Sync.Sync(ctx, ""); rep.EmailsSent != 0 {
		t.Fatalf("email sent before enrollment with no relay: %+v", rep)
	}
	rep := svc.Sync.Sync(ctx, srv.URL)
	if !rep.Enrolled || rep.EmailsSent != 1 || rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.EmailsSent != 0 {
		t.Errorf("second sync sent again: %+v", rep)
	}
	if _, err := mailer.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	receipts := 0
	for _, m := range upstream.Messages() {
		if !strings.Contains(m, "Subject: Received: your General Onboarding form (version 1)") {
			continue
		}
		receipts++
		for _, want := range []string{`From: "Network onboarding" <onboarding@network.example>`, acct.Email, "Message-Id: <email/receipt/general/1/"} {
			if !strings.Contains(m, want) {
				t.Errorf("the receipt has no %q:\n%s", want, m)
			}
		}
	}
	if receipts != 1 {
		t.Fatalf("%d receipts arrived upstream, want 1: %q", receipts, upstream.Messages())
	}
	items, _ := svc.Sync.Outbox(ctx)
	for _, it := range items {
		if it.State != "delivered" {
			t.Errorf("outbox item not delivered: %+v", it)
		}
	}

	// A relay named in Settings wins over the route.
	own, ownRelay := inboxRelay(t)
	svc.Mail.Use(outmail.Config{Relay: ownRelay, From: mail.Address{Name: "Onramp", Email: "zoe@example.org"}, Support: "help@own.example"})
	if _, err := svc.Sync.AskForHelp(ctx, "Where is my packet?", "Hello"); err != nil {
		t.Fatal(err)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.EmailsSent != 1 || len(own.Messages()) != 1 {
		t.Fatalf("with a relay in Settings: %+v, %d at that relay", rep, len(own.Messages()))
	}
	if _, err := mailer.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	for _, m := range upstream.Messages() {
		if strings.Contains(m, "Help request") {
			t.Errorf("the help email also went the network's way:\n%s", m)
		}
	}
}
