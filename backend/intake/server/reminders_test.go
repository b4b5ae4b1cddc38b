package server

import (
	"io"
	"mime/quotedprintable"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/retry"
)

// reminderEnv is a server on a clock the test moves, over a database it
// can reopen (a restart).
type reminderEnv struct {
	*env
	path  string
	clock *clocktest.Clock
}

func newReminderEnv(t *testing.T, start time.Time) *reminderEnv {
	t.Helper()
	r := &reminderEnv{env: &env{t: t}, path: dbtest.NewDB(t), clock: clocktest.New(start)}
	r.open()
	t.Cleanup(func() { r.srv.Close(); r.db.Close() })
	return r
}

func (r *reminderEnv) open() {
	db, err := Open(ctx, r.path, r.clock.Now)
	if err != nil {
		r.t.Fatal(err)
	}
	r.db, r.srv = db, httptest.NewServer(NewServer(db).Handler())
}

// restart stops the server and starts a new one over the same database.
func (r *reminderEnv) restart() {
	r.srv.Close()
	r.db.Close()
	r.open()
}

// on moves the clock to the morning of day.
func (r *reminderEnv) on(day string) {
	r.t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		r.t.Fatal(err)
	}
	r.clock.Add(d.Add(9 * time.Hour).Sub(r.clock.Now()))
}

// pass runs a reminder pass and returns the subjects of the reminder
// emails it queued.
func (r *reminderEnv) pass() []string {
	r.t.Helper()
	before := r.reminderMail()
	res, err := r.db.QueueReminders(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	after := r.reminderMail()
	if res.Queued != len(after)-len(before) {
		r.t.Errorf("the pass says %d queued, the queue grew by %d", res.Queued, len(after)-len(before))
	}
	var subjects []string
	for _, q := range after[len(before):] {
		subjects = append(subjects, q.Subject)
	}
	return subjects
}

func (r *reminderEnv) reminderMail() []QueuedMail {
	r.t.Helper()
	q, err := r.db.MailQueue(ctx, 0)
	if err != nil {
		r.t.Fatal(err)
	}
	return slices.DeleteFunc(q, func(m QueuedMail) bool { return m.Step != StepReminder })
}

// insurance is an Insurance form version with one license and, unless
// attested is "", the date of the last CAQH attestation.
func insurance(version int, licenseExpires, attested string, submitted time.Time) []byte {
	d := forms.NewData()
	d.Fields["npi"] = "1234567893"
	if attested != "" {
		d.Fields[forms.FieldCAQHAttested] = attested
	}
	d.Groups["licenses"] = []map[string]string{{"state": "CA", "type": "LCSW", "number": "123", "expires": licenseExpires}}
	return mustJSON(intake.SubmissionUpload{Form: forms.FormCredentialing, Version: version, SchemaVersion: 3, Hash: d.Hash(), SubmittedAt: submitted, Data: d.Encode()})
}

func wantSubjects(t *testing.T, when string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: queued %q, want %q", when, got, want)
	}
}

// A license is reminded of once at 90 days, once at 30 and once on the
// day, whatever passes and restarts happen in between; the CAQH
// re-attestation 30 days before and on the day, counted from the
// attestation date; a renewed license only at its own thresholds. Each
// email goes out through the mail loop to the provider, and the provider
// page's timeline shows it.
func TestRemindersOncePerThreshold(t *testing.T) {
	r := newReminderEnv(t, time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	tok := r.enroll("zoe@example.org", "i1")
	// Attested 2025-12-20: re-attestation due 2026-04-19.
	if s, b := r.call("POST", "/v1/submissions", tok, "c1", insurance(1, "2026-04-11", "2025-12-20", r.clock.Now())); s != 201 {
		t.Fatalf("submit: %d %v", s, b)
	}
	relay, rl := startRelay(t)
	mailer := func() *Mailer { return NewMailer(r.db, rl, from, retry.GuidanceMail) }

	wantSubjects(t, "100 days before", r.pass())
	r.on("2026-01-11")
	wantSubjects(t, "90 days before", r.pass(), "CA LCSW license 123 expires on April 11, 2026")
	wantSubjects(t, "the same day again", r.pass())

	// The email goes out through the mail loop, to the provider, from the
	// network's team, with a Message-ID made from the provider and the
	// reminder.
	if res, err := mailer().SendDue(ctx); err != nil || res.Sent != 2 { // and the guidance email
		t.Fatalf("send: %+v %v", res, err)
	}
	relay.mu.Lock()
	msg, body := relay.got[1], relay.bodies[1]
	relay.mu.Unlock()
	to, _ := msg.Header.AddressList("To")
	if len(to) != 1 || to[0].Address != "zoe@example.org" || !strings.Contains(msg.Header.Get("From"), from.Email) ||
		!strings.HasPrefix(msg.Header.Get("Message-Id"), "<intake/reminder/1/license-2026-04-11-90-") {
		t.Errorf("To %v From %s Message-Id %s", to, msg.Header.Get("From"), msg.Header.Get("Message-Id"))
	}
	if got := msg.Header.Get("Subject"); got != "CA LCSW license 123 expires on April 11, 2026" {
		t.Errorf("subject %q", got)
	}
	if msg.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
		if err != nil {
			t.Fatal(err)
		}
		body = string(text)
	}
	flat := strings.Join(strings.Fields(body), " ")
	for _, want := range []string{"Hello Zoë Ł,", "Your CA LCSW license 123 expires on April 11, 2026, in 90 days.",
		"Renew your license, then upload the renewed license and resubmit the Insurance form.", "The network's onboarding team"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the email does not say %q:\n%s", want, body)
		}
	}
	events, err := r.db.ProviderTimeline(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(e TimelineEvent) bool {
		return e.What == "Reminder sent: CA LCSW license 123 expires on April 11, 2026" && e.At != ""
	}) {
		t.Errorf("the timeline has no reminder: %+v", events)
	}
	// The app's feed lists guidance, not reminders (its dashboard shows
	// the same dates).
	for _, g := range r.feed(tok).Guidance {
		if g.Step == StepReminder {
			t.Errorf("the feed lists a reminder as guidance: %+v", g)
		}
	}

	r.restart()
	wantSubjects(t, "after a restart", r.pass())
	r.on("2026-01-12")
	if res, err := r.db.QueueReminders(ctx); err != nil || res != (ReminderResult{}) {
		t.Errorf("the day after: looked at %+v %v, want nobody (next threshold in March)", res, err)
	}
	r.on("2026-03-12")
	wantSubjects(t, "30 days before", r.pass(), "CA LCSW license 123 expires on April 11, 2026")
	r.on("2026-03-20")
	wantSubjects(t, "30 days before the re-attestation", r.pass(), "Your CAQH re-attestation is due on April 19, 2026")
	r.on("2026-04-11")
	wantSubjects(t, "on the day", r.pass(), "CA LCSW license 123 expires today")
	wantSubjects(t, "on the day, again", r.pass())

	// Renewed: the new date has its own thresholds, two years on.
	if s, b := r.call("POST", "/v1/submissions", tok, "c2", insurance(2, "2028-04-11", "2025-12-20", r.clock.Now())); s != 201 {
		t.Fatalf("submit the renewal: %d %v", s, b)
	}
	wantSubjects(t, "renewed", r.pass())
	r.on("2026-04-19")
	wantSubjects(t, "re-attestation day", r.pass(), "Your CAQH re-attestation is due today")
	r.on("2028-01-12")
	wantSubjects(t, "90 days before the renewed license expires", r.pass(), "CA LCSW license 123 expires on April 11, 2028")

	if res, err := mailer().SendDue(ctx); err != nil || res.Sent != 5 {
		t.Fatalf("send the rest: %+v %v", res, err)
	}
	if n := len(relay.messages()); n != 7 {
		t.Errorf("the relay has %d emails, want 7 (the guidance and six reminders)", n)
	}
	var kept int
	r.db.db.QueryRow(`SELECT COUNT(*) FROM reminders WHERE provider = 1`).Scan(&kept)
	if kept != 6 {
		t.Errorf("%d reminders recorded, want 6", kept)
	}
}

// Without an attestation date the re-attestation is counted from the
// Insurance form's first submission, not a later version's; once the
// provider gives a date, from that date. A provider first seen 10 days
// before a license expires gets the 30-day reminder only, and one whose
// license has already expired the "has expired" one, once; a pass that
// comes only after a threshold (no server ran on the day) sends it then.
func TestRemindersCAQHAndFirstSeen(t *testing.T) {
	r := newReminderEnv(t, time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC))
	bo := r.enroll("bo@example.org", "i-bo")
	// First submitted 2026-01-05: re-attestation due 2026-05-05.
	r.call("POST", "/v1/submissions", bo, "c1", insurance(1, "2030-01-01", "", r.clock.Now()))
	r.on("2026-02-01")
	r.call("POST", "/v1/submissions", bo, "c2", insurance(2, "2030-06-01", "", r.clock.Now()))
	wantSubjects(t, "a second version", r.pass())
	r.on("2026-04-04")
	wantSubjects(t, "31 days before", r.pass())
	r.on("2026-04-05")
	wantSubjects(t, "30 days before, from the first submission", r.pass(), "Your CAQH re-attestation is due on May 5, 2026")
	r.on("2026-05-05")
	wantSubjects(t, "due", r.pass(), "Your CAQH re-attestation is due today")
	// Attested on 2026-05-05 and said so: next due 2026-09-02.
	r.call("POST", "/v1/submissions", bo, "c3", insurance(3, "2030-06-01", "2026-05-05", r.clock.Now()))
	wantSubjects(t, "attested", r.pass())
	r.on("2026-08-03")
	wantSubjects(t, "30 days before, from the attestation date", r.pass(), "Your CAQH re-attestation is due on September 2, 2026")
	// A new version with a license that expires sooner than anything
	// before is looked at by the next pass, not on the day scheduled.
	r.call("POST", "/v1/submissions", bo, "c4", insurance(4, "2026-08-25", "2026-05-05", r.clock.Now()))
	wantSubjects(t, "a license expiring in 22 days added", r.pass(), "CA LCSW license 123 expires on August 25, 2026")

	cy := r.enroll("cy@example.org", "i-cy")
	r.call("POST", "/v1/submissions", cy, "c1", insurance(1, "2026-08-13", "2026-08-01", r.clock.Now()))
	wantSubjects(t, "first seen 10 days before", r.pass(), "CA LCSW license 123 expires on August 13, 2026")
	if m := r.reminderMail(); !strings.Contains(m[len(m)-1].MessageID, "-30-") || m[len(m)-1].ProviderEmail != "cy@example.org" {
		t.Errorf("want cy's 30-day reminder: %+v", m[len(m)-1])
	}
	di := r.enroll("di@example.org", "i-di")
	r.call("POST", "/v1/submissions", di, "c1", insurance(1, "2026-07-01", "2026-08-01", r.clock.Now()))
	wantSubjects(t, "already expired", r.pass(), "CA LCSW license 123 has expired")
	r.on("2026-08-20")
	wantSubjects(t, "a week after cy's license expired", r.pass(), "CA LCSW license 123 has expired")
	if m := r.reminderMail(); m[len(m)-1].ProviderEmail != "cy@example.org" {
		t.Errorf("want cy's: %+v", m[len(m)-1])
	}
	wantSubjects(t, "again", r.pass())
}

// Passes running at once, on two servers over one database, queue each
// reminder exactly once.
func TestRemindersConcurrentPasses(t *testing.T) {
	r := newReminderEnv(t, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	const providers = 12
	for i := range providers {
		tok := r.enroll("p"+string(rune('a'+i))+"@example.org", "i"+string(rune('a'+i)))
		// 20 days left, CAQH due in 120: one reminder each.
		r.call("POST", "/v1/submissions", tok, "c1", insurance(1, "2026-03-21", "", r.clock.Now()))
	}
	other, err := Open(ctx, r.path, r.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	queued := make([]int, 4)
	for i, db := range []*DB{r.db, other, r.db, other} {
		wg.Go(func() {
			res, err := db.QueueReminders(ctx)
			if err != nil {
				t.Error(err)
			}
			queued[i] = res.Queued
		})
	}
	wg.Wait()
	total := queued[0] + queued[1] + queued[2] + queued[3]
	mail := r.reminderMail()
	if total != providers || len(mail) != providers {
		t.Fatalf("the passes queued %v (%d), the queue holds %d reminders; want %d", queued, total, len(mail), providers)
	}
	to := map[string]bool{}
	for _, m := range mail {
		to[m.ProviderEmail] = true
	}
	if len(to) != providers {
		t.Errorf("%d providers reminded, want %d", len(to), providers)
	}
	relay, rl := startRelay(t)
	if res, err := NewMailer(other, rl, from, retry.GuidanceMail).SendDue(ctx); err != nil || res.Sent != 2*providers {
		t.Errorf("sent %+v %v, want %d (guidance and reminders)", res, err, 2*providers)
	}
	if ids := relay.messages(); len(ids) != 2*providers || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 2*providers {
		t.Errorf("the relay got %d emails, %d different", len(ids), len(slices.Compact(slices.Sorted(slices.Values(ids)))))
	}
}
