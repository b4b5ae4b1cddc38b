package server

import (
	"context"
	"io"
	"net"
	"net/http/httptest"
	netmail "net/mail"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"onramp/backend/clocktest"
	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/retry"
	"onramp/backend/testenv"
)

// relay is a real SMTP server on loopback. It answers the first DATA of
// each message in tempFail with 451, refuses recipients in rejected with
// 550, and keeps every message it accepts.
type relay struct {
	mu       sync.Mutex
	tempFail map[string]bool // recipient -> answer its next DATA with 451
	rejected map[string]bool
	got      []*netmail.Message
	bodies   []string
}

func startRelay(t *testing.T) (*relay, mail.Relay) {
	t.Helper()
	r := &relay{tempFail: map[string]bool{}, rejected: map[string]bool{}}
	srv := smtp.NewServer(r)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return r, mail.Relay{Host: "127.0.0.1", Port: p}
}

func (r *relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

// messages returns the Message-IDs received, in order.
func (r *relay) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, m := range r.got {
		ids = append(ids, m.Header.Get("Message-Id"))
	}
	return ids
}

func (r *relay) set(m map[string]bool, addr string, on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m[addr] = on
}

type relaySession struct {
	r  *relay
	to []string
}

func (s *relaySession) Reset()                               { s.to = nil }
func (s *relaySession) Logout() error                        { return nil }
func (s *relaySession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.rejected[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable: " + to}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *relaySession) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(msg.Body)
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, to := range s.to {
		if s.r.tempFail[to] {
			s.r.tempFail[to] = false
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Local error in processing"}
		}
	}
	s.r.got = append(s.r.got, msg)
	s.r.bodies = append(s.r.bodies, string(body))
	return nil
}

var from = mail.Address{Name: "Onramp onboarding", Email: "onboarding@network.localhost"}

// Every step sends the provider exactly one guidance email, however often
// the app retries its uploads and support repeats a review.
func TestGuidanceEmailOncePerStep(t *testing.T) {
	e := newEnv(t)
	r, rl := startRelay(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { NewMailer(e.db, rl, from, retry.GuidanceMail).Run(ctx, 20*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	tok := e.enroll("zoe@example.org", "i1")
	want := []string{}
	step := func(name string, wantStep string, do func()) {
		t.Helper()
		do()
		if wantStep != "" {
			want = append(want, "<intake/guidance/1/"+wantStep+"@onramp.invalid>")
			testenv.Eventually(t, name, func() bool { return len(r.messages()) == len(want) })
		}
		// Give a duplicate time to show up.
		time.Sleep(100 * time.Millisecond)
		if got := r.messages(); !slices.Equal(got, want) {
			t.Fatalf("after %s: %v, want %v", name, got, want)
		}
	}
	general := submission("general", 1, "g")
	step("General form", GuidanceInsurance, func() {
		e.call("POST", "/v1/submissions", tok, "g1", general)
		e.call("POST", "/v1/submissions", tok, "g1", general) // the app's retry after a lost answer
		e.call("POST", "/v1/submissions", tok, "g1-again", general)
	})
	step("General form version 2", "", func() {
		e.call("POST", "/v1/submissions", tok, "g2", submission("general", 2, "g2"))
	})
	cred := submission("credentialing", 1, "c")
	step("Insurance form", GuidanceReview, func() {
		e.call("POST", "/v1/submissions", tok, "c1", cred)
		e.call("POST", "/v1/submissions", tok, "c1", cred)
	})
	// A return emails its reason, once for the version returned.
	want = append(want, "<intake/returned/1/credentialing/1@onramp.invalid>")
	step("one form reviewed, one returned", "", func() {
		e.db.Review(ctx, 1, "general", true, "")
		e.db.Review(ctx, 1, "credentialing", false, "Add your CAQH ID.")
		e.db.Review(ctx, 1, "credentialing", false, "Add your CAQH ID.")
	})
	step("both forms reviewed", GuidancePortal, func() {
		e.db.Review(ctx, 1, "credentialing", true, "")
		e.db.Review(ctx, 1, "credentialing", true, "")
	})
	pw := mustJSON(intake.PasswordRequest{Password: "Blue-Kettle-42-rain"})
	step("portal password", GuidanceTraining, func() {
		e.call("POST", "/v1/portal-password", tok, "p1", pw)
		e.call("POST", "/v1/portal-password", tok, "p1", pw)
		e.call("POST", "/v1/portal-password", tok, "p2", mustJSON(intake.PasswordRequest{Password: "Green-Kettle-43-rain"}))
	})

	r.mu.Lock()
	defer r.mu.Unlock()
	subjects := map[string]string{}
	for i, m := range r.got {
		to, _ := m.Header.AddressList("To")
		if len(to) != 1 || to[0].Address != "zoe@example.org" || !strings.Contains(m.Header.Get("From"), from.Email) {
			t.Errorf("%s: To %v From %s", m.Header.Get("Message-Id"), to, m.Header.Get("From"))
		}
		subjects[m.Header.Get("Message-Id")] = m.Header.Get("Subject")
		if !strings.Contains(r.bodies[i], "Hello Zo") {
			t.Errorf("%s does not greet the provider:\n%s", m.Header.Get("Message-Id"), r.bodies[i])
		}
	}
	for step, words := range map[string]string{GuidanceInsurance: "Insurance form", GuidanceReview: "review", GuidancePortal: "portal password", GuidanceTraining: "webinar"} {
		if s := subjects["<intake/guidance/1/"+step+"@onramp.invalid>"]; !strings.Contains(s, words) {
			t.Errorf("%s: subject %q does not name %q", step, s, words)
		}
	}
	ps, _ := e.db.Providers(ctx)
	if ps[0].GuidanceMail != (MailCounts{Sent: 5}) {
		t.Errorf("providers: %+v", ps[0].GuidanceMail)
	}
}

// The Insurance form guidance is not sent when the Insurance form is
// already in.
func TestGuidanceSkipsAStepAlreadyDone(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	e.call("POST", "/v1/submissions", tok, "c1", submission("credentialing", 1, "c"))
	e.call("POST", "/v1/submissions", tok, "g1", submission("general", 1, "g"))
	q, _ := e.db.MailQueue(ctx, 0)
	if len(q) != 1 || q[0].Step != GuidanceReview {
		t.Errorf("queued: %+v", q)
	}
}

// Mail queued when the server stopped goes out after it starts again, once;
// so does an email whose send was cut off by a crash.
func TestGuidanceSurvivesRestart(t *testing.T) {
	path := dbtest.NewDB(t)
	clock := clocktest.New(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	db, err := Open(ctx, path, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(db).Handler())
	e := &env{t, db, srv}
	a := e.enroll("a@example.org", "ia")
	b := e.enroll("b@example.org", "ib")
	// No relay yet: the server keeps the mail.
	e.call("POST", "/v1/submissions", a, "g1", submission("general", 1, "a"))
	e.call("POST", "/v1/submissions", b, "g1", submission("general", 1, "b"))
	// A's email is claimed, then the process dies before it is sent.
	crashed := NewMailer(db, mail.Relay{}, from, retry.GuidanceMail)
	if batch, err := crashed.claim(ctx); err != nil || len(batch) != 2 {
		t.Fatalf("claim: %v %v", batch, err)
	}
	db.db.Exec(`UPDATE mail_queue SET state = 'queued', attempts = 0 WHERE to_email = 'b@example.org'`)
	srv.Close()
	db.Close()

	r, rl := startRelay(t)
	db, err = Open(ctx, path, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := NewMailer(db, rl, from, retry.GuidanceMail)
	if res, err := m.SendDue(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("after the restart: %+v %v", res, err)
	}
	clock.Add(retry.GuidanceMail.Stale)
	if res, err := m.SendDue(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("the send cut off by the crash: %+v %v", res, err)
	}
	clock.Add(time.Hour)
	if res, err := m.SendDue(ctx); err != nil || res != (MailResult{}) {
		t.Fatalf("nothing more is due: %+v %v", res, err)
	}
	want := []string{"<intake/guidance/2/insurance-form@onramp.invalid>", "<intake/guidance/1/insurance-form@onramp.invalid>"}
	if got := r.messages(); !slices.Equal(got, want) {
		t.Errorf("received %v, want %v", got, want)
	}
}

// 4xx answers and an unreachable relay are retried with backoff; a 5xx
// answer fails the email with the reason at once, and support can retry it.
func TestGuidanceRetriesAndFailures(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	db, err := Open(ctx, dbtest.NewDB(t), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(db).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	e := &env{t, db, srv}
	r, rl := startRelay(t)
	r.set(r.tempFail, "slow@example.org", true)
	r.set(r.rejected, "gone@example.org", true)
	for _, email := range []string{"slow@example.org", "gone@example.org"} {
		tok := e.enroll(email, email)
		e.call("POST", "/v1/submissions", tok, "g1", submission("general", 1, email))
	}
	policy := retry.Policy{Base: time.Minute, Max: 10 * time.Minute, MaxAttempts: 3, Stale: 5 * time.Minute}
	m := NewMailer(db, rl, from, policy)
	state := func() map[string]QueuedMail {
		q, err := db.MailQueue(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]QueuedMail{}
		for _, x := range q {
			out[x.ProviderEmail] = x
		}
		return out
	}

	if res, _ := m.SendDue(ctx); res != (MailResult{Retrying: 1, Failed: 1}) {
		t.Fatalf("first try: %+v", res)
	}
	st := state()
	if s := st["slow@example.org"]; s.State != "queued" || s.Attempts != 1 || !strings.Contains(s.LastError, "451") {
		t.Errorf("451: %+v", s)
	}
	if g := st["gone@example.org"]; g.State != "failed" || !strings.Contains(g.LastError, "550") || !strings.Contains(g.LastError, "Mailbox unavailable") {
		t.Errorf("550: %+v", g)
	}
	if res, _ := m.SendDue(ctx); res != (MailResult{}) {
		t.Errorf("retried before its backoff: %+v", res)
	}
	clock.Add(policy.Base)
	if res, _ := m.SendDue(ctx); res != (MailResult{Sent: 1}) {
		t.Errorf("after the backoff: %+v", res)
	}

	// Support retries the refused one once the address works.
	r.set(r.rejected, "gone@example.org", false)
	if err := db.RetryMail(ctx, state()["gone@example.org"].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryMail(ctx, state()["slow@example.org"].ID); err == nil {
		t.Error("retried an email that was sent")
	}
	if res, _ := m.SendDue(ctx); res != (MailResult{Sent: 1}) {
		t.Errorf("support's retry: %+v", res)
	}
	if n := len(r.messages()); n != 2 {
		t.Errorf("%d messages arrived, want 2", n)
	}

	// A relay that never answers: retried, then failed after MaxAttempts.
	down := NewMailer(db, mail.Relay{Host: "127.0.0.1", Port: 1}, from, policy)
	tok := e.enroll("late@example.org", "il")
	e.call("POST", "/v1/submissions", tok, "g1", submission("general", 1, "late"))
	for i := 0; i < policy.MaxAttempts; i++ {
		down.SendDue(ctx)
		clock.Add(policy.Max)
	}
	if l := state()["late@example.org"]; l.State != "failed" || l.Attempts != 3 || !strings.Contains(l.LastError, "gave up after 3 tries") {
		t.Errorf("unreachable relay: %+v", l)
	}
}
