package main

import (
	"context"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding/settings"
	"onramp/backend/testenv"
)

// Saving the settings switches the running app at once: the background
// sync loop reaches the new intake server, and queued email goes out through
// the new relay to the new addresses, without a restart. A refused save
// changes nothing.
func TestSaveSettingsSwitchesTheRunningApp(t *testing.T) {
	a := newTestApp(t) // started with no intake server and no relay: offline
	ctx := context.Background()
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acct := a.Status().Account
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	defer srv.Close()
	first, second := &mailtest.Inbox{}, &mailtest.Inbox{}
	sink1, sink2 := startSink(t, first), startSink(t, second)

	if p, err := a.AskForHelp("Before the settings", "Where do I start?"); err != nil || p != nil {
		t.Fatal(err, p)
	}
	view, err := a.Settings()
	if err != nil || view.Saved || view.Settings.IntakeURL != "" || view.Settings.SMTPHost != "" {
		t.Fatalf("defaults: %v %+v", err, view)
	}

	in := view.Settings
	in.IntakeURL = "http://intake.network.example"
	in.SMTPHost, in.SMTPPort = splitAddr(t, sink1)
	in.MailFrom, in.SupportEmail, in.CredentialingEmail = "onramp@localhost", "support@network.localhost", "cred@network.localhost"
	res, err := a.SaveSettings(in, "", false)
	if err != nil || len(res.Problems) != 1 || res.Problems[0].Field != settings.FieldIntakeURL || res.Problems[0].Code != "insecure-url" {
		t.Fatalf("plain http to another computer: %v %+v", err, res.Problems)
	}
	if a.core.Connection().Mail.Relay != nil {
		t.Fatal("a refused save changed the connection")
	}

	in.IntakeURL = srv.URL
	if res, err := a.SaveSettings(in, "", false); err != nil || len(res.Problems) > 0 {
		t.Fatalf("save: %v %+v", err, res.Problems)
	}
	testenv.Eventually(t, "the sync loop reaches the new intake server", func() bool {
		rep := a.LastSync()
		return rep.Configured && rep.Online && rep.Enrolled
	})
	if ps, _ := db.Providers(ctx); len(ps) != 1 || ps[0].Email != acct.Email {
		t.Fatalf("the intake server enrolled %+v", ps)
	}
	testenv.Eventually(t, "the queued help email through the first relay", func() bool { return len(first.Messages()) == 1 })
	if got := first.Messages()[0]; !strings.Contains(got, "support@network.localhost") || !strings.Contains(got, "Before the settings") {
		t.Errorf("first relay got %.300s", got)
	}

	// Another relay and support address: the next email goes there.
	in.SMTPHost, in.SMTPPort = splitAddr(t, sink2)
	in.SupportEmail = "help-desk@network.localhost"
	if res, err := a.SaveSettings(in, "", false); err != nil || len(res.Problems) > 0 {
		t.Fatalf("save: %v %+v", err, res.Problems)
	}
	if p, err := a.AskForHelp("After the switch", "Is the packet through?"); err != nil || p != nil {
		t.Fatal(err, p)
	}
	a.core.KickSync()
	testenv.Eventually(t, "the next help email through the second relay", func() bool { return len(second.Messages()) == 1 })
	if got := second.Messages()[0]; !strings.Contains(got, "help-desk@network.localhost") || !strings.Contains(got, "After the switch") {
		t.Errorf("second relay got %.300s", got)
	}
	if n := len(first.Messages()); n != 1 {
		t.Errorf("the first relay got %d messages after the switch", n)
	}
	if view, _ := a.Settings(); !view.Saved || view.Settings.IntakeURL != srv.URL {
		t.Errorf("settings after saving: %+v", view)
	}
}

// Test connection through the bound method: the intake server answers; a
// relay nobody listens on is reported in plain words; nothing is saved.
func TestTestSettingsBound(t *testing.T) {
	a := newTestApp(t)
	db, err := server.Open(context.Background(), filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(server.NewServer(db).Handler())
	defer srv.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	res, err := a.TestSettings(settings.ConnectionSettings{IntakeURL: srv.URL, SMTPHost: "127.0.0.1", SMTPPort: port,
		MailFrom: "onramp@localhost", SupportEmail: "s@network.localhost", CredentialingEmail: "c@network.localhost"}, "", false)
	if err != nil || len(res.Problems) > 0 || res.Intake.Status != settings.CheckOK || res.Mail.Status != settings.CheckFailed ||
		!strings.Contains(res.Mail.Message, "Nothing answered") {
		t.Fatalf("%v %+v", err, res)
	}
	if view, _ := a.Settings(); view.Saved {
		t.Error("testing saved the settings")
	}
}

func startSink(t *testing.T, in *mailtest.Inbox) string {
	t.Helper()
	s, err := mail.NewSink("127.0.0.1:0", in.Save)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.Addr()
}

func splitAddr(t *testing.T, addr string) (string, string) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return host, port
}
