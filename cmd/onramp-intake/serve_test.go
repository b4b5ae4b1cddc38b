package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/testenv"
)

// startServe runs serve with cfg over the database at dbPath until the
// test ends, and returns the API's address, what serve printed (safe to
// read while it runs) and the database, open for the test to look into.
func startServe(t *testing.T, dbPath string, cfg serveConfig) (string, *testenv.Buffer, *server.DB) {
	t.Helper()
	url, log, db, _ := runServe(t, dbPath, cfg)
	return url, log, db
}

// runServe is startServe with stop, which ends serve (a restart) before
// the test does.
func runServe(t *testing.T, dbPath string, cfg serveConfig) (string, *testenv.Buffer, *server.DB, func()) {
	t.Helper()
	db, err := server.Open(context.Background(), dbPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	log := &testenv.Buffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, db, cfg, log) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
			db.Close()
		})
	}
	t.Cleanup(stop)
	var url string
	testenv.Eventually(t, "the server to listen", func() bool {
		if m := regexp.MustCompile(`listening on ([^\s"]+)`).FindStringSubmatch(log.String()); m != nil {
			url = m[1]
		}
		return url != ""
	})
	return url, log, db, stop
}

// serve --smtp sends the guidance email a submission calls for to the
// relay; mail and providers show it sent.
func TestServeSendsGuidanceEmail(t *testing.T) {
	inbox, sink, dbPath, code := invitedWithSink(t)

	url, log, db := startServe(t, dbPath, serveConfig{addr: "127.0.0.1:0", smtp: "smtp://onramp:onramp@" + sink.Addr(), mailFrom: "Network onboarding <onboarding@network.example>"})
	ctx := context.Background()
	if strings.Contains(log.String(), "onramp:onramp") {
		t.Errorf("the relay password is in the log:\n%s", log.String())
	}

	c, _ := intake.NewClient(url, "", 10*time.Second)
	token, err := c.Enroll(ctx, code, "install-1", "Zoë Łukasiewicz", "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	d := forms.NewData()
	up, _ := json.Marshal(intake.SubmissionUpload{Form: "general", Version: 1, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
	for range 2 {
		if err := c.WithToken(token).Submit(ctx, "general/1", up); err != nil {
			t.Fatal(err)
		}
	}
	// The welcome email invite queued goes first, then the guidance.
	testenv.Eventually(t, "the guidance email", func() bool { return len(inbox.Messages()) == 2 })
	if welcome := inbox.Messages()[0]; !strings.Contains(welcome, code) || !strings.Contains(welcome, "Message-Id: <intake/welcome/"+code) {
		t.Errorf("the welcome email does not carry the invitation code %s:\n%s", code, welcome)
	}
	msg := inbox.Messages()[1]
	for _, want := range []string{"Message-Id: <intake/guidance/1/insurance-form@onramp.invalid>", "To: =?utf-8?", "zoe@example.org",
		`From: "Network onboarding" <onboarding@network.example>`, "Subject: Next step: your Insurance form"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the email has no %q:\n%s", want, msg)
		}
	}

	// The relay has the email before the mailer records it as sent.
	sent := regexp.MustCompile(`2\s+1 zoe@example.org\s+insurance-form\s+sent\s+1`)
	var out bytes.Buffer
	testenv.Eventually(t, "the email recorded as sent", func() bool {
		out.Reset()
		err := run([]string{"mail", "--db", dbPath}, &out)
		return err == nil && sent.MatchString(out.String())
	})
	out.Reset()
	if err := run([]string{"providers", "--db", dbPath}, &out); err != nil || !strings.Contains(out.String(), "guidance mail: 2 sent, 0 queued, 0 failed") {
		t.Errorf("providers: %v\n%s", err, out.String())
	}
	if err := run([]string{"mail", "--db", dbPath, "--retry", "2"}, &out); err == nil {
		t.Error("retried an email that was sent")
	}
	if err := serve(ctx, db, serveConfig{addr: "127.0.0.1:0", smtp: "http://nope", mailFrom: "x@example.org"}, &out); err == nil {
		t.Error("served with a bad relay address")
	}
	if err := serve(ctx, db, serveConfig{addr: "127.0.0.1:0", smtp: "smtp://" + sink.Addr(), mailFrom: "not an address"}, &out); err == nil {
		t.Error("served with a bad From address")
	}
}

// serve looks for credential reminders as it starts: after a restart, a
// provider whose license expires in 20 days is emailed, once, through the
// relay; another restart sends nothing more.
func TestServeSendsReminders(t *testing.T) {
	inbox, sink, dbPath, code := invitedWithSink(t)
	cfg := serveConfig{addr: "127.0.0.1:0", smtp: "smtp://" + sink.Addr(), mailFrom: "Network onboarding <onboarding@network.example>"}
	url, _, _, stop := runServe(t, dbPath, cfg)
	ctx := context.Background()
	c, _ := intake.NewClient(url, "", 10*time.Second)
	token, err := c.Enroll(ctx, code, "install-1", "Zoë Łukasiewicz", "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	expires := time.Now().AddDate(0, 0, 20)
	d := forms.NewData()
	d.Groups["licenses"] = []map[string]string{{"state": "OR", "type": "LPC", "number": "C9", "expires": expires.Format(time.DateOnly)}}
	up, _ := json.Marshal(intake.SubmissionUpload{Form: forms.FormCredentialing, Version: 1, SchemaVersion: 3, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
	if err := c.WithToken(token).Submit(ctx, "credentialing/1", up); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, "the welcome and guidance email", func() bool { return len(inbox.Messages()) == 2 })
	stop()

	_, log, _, stop := runServe(t, dbPath, cfg)
	testenv.Eventually(t, "the reminder", func() bool { return len(inbox.Messages()) == 3 })
	msg := inbox.Messages()[2]
	for _, want := range []string{"Message-Id: <intake/reminder/1/license-" + expires.Format(time.DateOnly) + "-30-", "zoe@example.org",
		"Subject: OR LPC license C9 expires on " + expires.Format("January 2, 2006"), `From: "Network onboarding" <onboarding@network.example>`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the reminder has no %q:\n%s", want, msg)
		}
	}
	if !strings.Contains(log.String(), "reminder emails queued: 1") {
		t.Errorf("serve does not say it queued the reminder:\n%s", log.String())
	}
	stop()

	_, log, _, _ = runServe(t, dbPath, cfg)
	time.Sleep(300 * time.Millisecond) // the pass at start, and the mail loop
	if n := len(inbox.Messages()); n != 3 || strings.Contains(log.String(), "reminder emails queued") {
		t.Errorf("after another restart: %d emails (want 3)\n%s", n, log.String())
	}
}

// invitedWithSink starts an SMTP sink on loopback for the server to relay
// to (closed when the test ends) and makes a database holding one
// invitation, for zoe@example.org; it returns the sink's inbox, the sink,
// the database and the invitation code.
func invitedWithSink(t *testing.T) (*mailtest.Inbox, *mail.Sink, string, string) {
	t.Helper()
	inbox := &mailtest.Inbox{}
	sink, err := mail.NewSink("127.0.0.1:0", inbox.Save)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	dbPath := dbtest.NewDB(t)
	var out bytes.Buffer
	if err := run([]string{"invite", "--db", dbPath, "--email", "zoe@example.org"}, &out); err != nil {
		t.Fatal(err)
	}
	return inbox, sink, dbPath, strings.TrimSpace(out.String())
}
