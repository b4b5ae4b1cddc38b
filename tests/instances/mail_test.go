package instances

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/testenv"
)

// With two instances sending the one mail queue, every email goes out
// once: a backlog of 100 welcome emails both start on, then 12 providers
// taken from invitation to completion, alternating between the instances,
// who get their welcome, guidance and completion emails exactly once each.
func TestTwoInstancesSendEachEmailOnce(t *testing.T) {
	var inbox mailtest.Inbox
	// A relay that takes 10 ms a message, so that a backlog keeps both
	// instances' mail loops busy at once.
	sink, err := mail.NewSink("127.0.0.1:0", func(from string, to []string, data []byte) error {
		time.Sleep(10 * time.Millisecond)
		return inbox.Save(from, to, data)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	c := newCluster(t)
	// A backlog first: 100 welcome emails waiting when both instances
	// start.
	c.command("migrate")
	const backlog = 100
	for i := range backlog {
		c.command("invite", "--email", fmt.Sprintf("waiting%d@example.org", i))
	}
	a, b := c.startTwo("--smtp", "smtp://onramp:onramp@"+sink.Addr())
	const providers = 12
	for i := range providers {
		url := []string{a.url, b.url}[i%2]
		other := []string{a.url, b.url}[(i+1)%2]
		email := fmt.Sprintf("provider%d@example.org", i)
		client, token := c.enrolled(url, email)
		onboard(t, c, client, strconv.Itoa(i+1))
		// The forms again through the other instance (the app retrying
		// after a lost answer): nothing changes, nothing more is sent.
		again, _ := intake.NewClient(other, token, 10*time.Second)
		for _, form := range []string{"general", "credentialing"} {
			if err := again.Submit(ctx, form[:1]+"1", formUpload(form)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Five emails each: welcome, two guidance emails as the forms arrive,
	// the portal invitation after review, and completion.
	want := backlog + providers*5
	db := c.sqlDB()
	testenv.Eventually(t, "every email to be sent", func() bool {
		sent, err := c.count(db, `SELECT COUNT(*) FROM mail_queue WHERE state = 'sent'`)
		return err == nil && sent == want && len(inbox.Messages()) >= want
	})
	time.Sleep(3 * time.Second) // a second send would come within the mail loop's 2 s
	msgs := inbox.Messages()
	ids := map[string]int{}
	idPattern := regexp.MustCompile(`(?m)^Message-Id: (<[^>]+>)`)
	for _, m := range msgs {
		match := idPattern.FindStringSubmatch(m)
		if match == nil {
			t.Fatalf("an email without a Message-ID:\n%s", m)
		}
		ids[match[1]]++
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s sent %d times", id, n)
		}
	}
	if len(msgs) != want || len(ids) != want {
		t.Errorf("%d emails arrived (%d different), want %d", len(msgs), len(ids), want)
	}
	for i := range providers {
		if n := countContaining(msgs, fmt.Sprintf("Message-Id: <intake/guidance/%d/complete@", i+1)); n != 1 {
			t.Errorf("provider %d's completion email arrived %d times", i+1, n)
		}
	}
	sentBy := []float64{a.metric("onramp_intake_mail_sent_total"), b.metric("onramp_intake_mail_sent_total")}
	if sentBy[0]+sentBy[1] != float64(want) || sentBy[0] == 0 || sentBy[1] == 0 {
		t.Errorf("the instances count %v emails sent, want %d in all, shared between them", sentBy, want)
	}
	t.Logf("%d emails, each once; sent by each instance: %v", len(msgs), sentBy)
}

// onboard takes one enrolled provider through every step, as the app and
// support would: training and start date, both forms, support's reviews
// and effective date, the portal password.
func onboard(t *testing.T, c *cluster, client *intake.Client, id string) {
	t.Helper()
	at := "2026-11-20T15:00:00Z"
	steps := []func() error{
		func() error {
			return client.Training(ctx, "t1", intake.TrainingReport{WebinarVersion: "v1", WatchedShare: 1, CompletedAt: at,
				Attempts: []intake.QuizAttempt{{Number: 1, At: at, Score: 100, Passed: true}}})
		},
		func() error {
			return client.StartDate(ctx, "s1", intake.StartDateReport{Date: "2026-11-16", ReportedAt: "2026-11-01T10:00:00Z"})
		},
		func() error { return client.Submit(ctx, "g1", formUpload("general")) },
		func() error { return client.Submit(ctx, "c1", formUpload("credentialing")) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	c.command("effective", "--provider", id, "--date", "2026-11-18")
	c.command("review", "--provider", id, "--form", "general")
	c.command("review", "--provider", id, "--form", "credentialing")
	if err := client.PortalPassword(ctx, "p1", "Blue-Kettle-42-rain"); err != nil {
		t.Fatal(err)
	}
}

func formUpload(form string) []byte {
	d := forms.NewData()
	d.Fields["note"] = form
	raw, _ := json.Marshal(intake.SubmissionUpload{Form: form, Version: 1, SchemaVersion: 1, Hash: d.Hash(),
		SubmittedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Data: d.Encode()})
	return raw
}

func countContaining(msgs []string, s string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m, s) {
			n++
		}
	}
	return n
}
