package onboarding

import (
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"onramp/backend/clocktest"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// flakyRelay is a real SMTP server that answers each message's first DATA
// with 421, its second with 451 and accepts the third, and refuses
// recipients in rejected with 550. It counts what it stored per Message-ID
// and what it refused per recipient.
type flakyRelay struct {
	mu       sync.Mutex
	rejected map[string]bool
	attempts map[string]int // Message-ID -> DATA attempts
	accepted map[string]int // Message-ID -> messages stored
	refused  map[string]int // recipient -> 550 answers
}

func startFlakyRelay(t *testing.T, rejected ...string) (*flakyRelay, mail.Relay) {
	t.Helper()
	r := &flakyRelay{rejected: map[string]bool{}, attempts: map[string]int{}, accepted: map[string]int{}, refused: map[string]int{}}
	for _, addr := range rejected {
		r.rejected[addr] = true
	}
	srv := smtp.NewServer(r)
	srv.Domain = "localhost"
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

// accept lets a refused recipient's mail through from now on.
func (r *flakyRelay) accept(addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.rejected, addr)
}

func (r *flakyRelay) counts(id string) (attempts, accepted int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts[id], r.accepted[id]
}

func (r *flakyRelay) refusals(addr string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused[addr]
}

func (r *flakyRelay) NewSession(*smtp.Conn) (smtp.Session, error) { return &flakySession{r: r}, nil }

type flakySession struct{ r *flakyRelay }

func (s *flakySession) Reset()                               {}
func (s *flakySession) Logout() error                        { return nil }
func (s *flakySession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *flakySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.rejected[to] {
		s.r.refused[to]++
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable: " + to}
	}
	return nil
}

func (s *flakySession) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, msg.Body)
	id := strings.Trim(msg.Header.Get("Message-Id"), "<>")
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.attempts[id]++
	switch s.r.attempts[id] {
	case 1:
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Service shutting down, try later"}
	case 2:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Local error in processing"}
	}
	s.r.accepted[id]++
	return nil
}

// The app's mail dispatcher against a relay that answers 421, then 451,
// then accepts: every email arrives exactly once. A help request to an
// address the relay refuses with 550 fails with the reason after one try,
// stays failed however often sync runs, and "retry" queues it again.
func TestMailDispatcherThroughSMTPFaults(t *testing.T) {
	clk := clocktest.New(fixedNow())
	st := storetest.New(t)
	svc := New(st, clk.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if p, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || p != nil {
		t.Fatal(err, p)
	}
	relaySrv, relay := startFlakyRelay(t, "nobody@network.example")
	cfg := outmail.Config{Relay: &relay, From: mail.Address{Name: "Onramp", Email: "onramp@localhost"}, Support: "nobody@network.example"}
	svc.Mail.Use(cfg)

	if res, err := svc.Forms.SubmitForm(ctx, "general", generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	acct, _, _ := st.Account(ctx)
	for i := 1; i <= 4; i++ {
		it := svc.Mail.Item(outmail.KindReceipt, fmt.Sprintf("email/test/%d", i), []mail.Address{{Name: acct.LegalName, Email: acct.Email}}, fmt.Sprintf("Note %d", i), "Hello.\n")
		if _, err := st.Enqueue(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if p, err := svc.Sync.AskForHelp(ctx, "Where is my packet?", "It has been a week."); p != nil || err != nil {
		t.Fatal(p, err)
	}

	emails := func() (ok []store.OutboxItem, help store.OutboxItem) {
		items, _ := st.Outbox(ctx)
		for _, it := range items {
			switch it.Kind {
			case outmail.KindHelp:
				help = it
			case outmail.KindReceipt:
				ok = append(ok, it)
			}
		}
		return ok, help
	}

	// The first sync: each message got a 421 and waits for its retry, in
	// view with the reason; the help email failed for good.
	svc.Sync.Sync(ctx, "")
	queued, help := emails()
	if len(queued) != 5 {
		t.Fatalf("%d emails queued, want 5", len(queued))
	}
	for _, it := range queued {
		if it.State != store.OutboxQueued || it.Attempts != 1 || !strings.Contains(it.LastError, "421") {
			t.Errorf("after a 421 %s is %s, %d tries, %q", it.IdempotencyKey, it.State, it.Attempts, it.LastError)
		}
	}
	if help.State != store.OutboxFailed || !strings.Contains(help.LastError, "550") || !strings.Contains(help.LastError, "Mailbox unavailable") {
		t.Errorf("after a 550 the help email is %s: %q", help.State, help.LastError)
	}
	entries, _ := svc.Sync.Outbox(ctx)
	for _, e := range entries {
		if e.What == "Email: Note 1" && e.NextTry == "" {
			t.Errorf("a retrying email shows no next try: %+v", e)
		}
	}

	sent := 0
	for round := 0; round < 6; round++ {
		clk.Add(time.Hour) // past every backoff
		sent += svc.Sync.Sync(ctx, "").EmailsSent
	}
	delivered, help := emails()
	for _, it := range delivered {
		id, _ := svc.Sync.MessageID(ctx, it.IdempotencyKey)
		attempts, accepted := relaySrv.counts(id)
		if it.State != store.OutboxDelivered || attempts != 3 || accepted != 1 {
			t.Errorf("%s: %s after %d tries, relay saw %d attempts and stored %d", it.IdempotencyKey, it.State, it.Attempts, attempts, accepted)
		}
	}
	if sent != 5 {
		t.Errorf("syncs reported %d emails sent, want 5", sent)
	}
	if help.State != store.OutboxFailed || help.Attempts != 1 || relaySrv.refusals("nobody@network.example") != 1 {
		t.Errorf("the refused email was retried blindly: %s, %d tries, %d refusals", help.State, help.Attempts, relaySrv.refusals("nobody@network.example"))
	}

	// The support address is fixed; "retry" queues the email again and the
	// next sync sends it, once.
	relaySrv.accept("nobody@network.example")
	if err := svc.Sync.RetryItem(ctx, help.ID); err != nil {
		t.Fatal(err)
	}
	if _, help = emails(); help.State != store.OutboxQueued {
		t.Fatalf("after retry the help email is %s", help.State)
	}
	for round := 0; round < 3; round++ {
		svc.Sync.Sync(ctx, "")
		clk.Add(time.Hour)
	}
	_, help = emails()
	helpID, _ := svc.Sync.MessageID(ctx, help.IdempotencyKey)
	if _, accepted := relaySrv.counts(helpID); help.State != store.OutboxDelivered || accepted != 1 {
		t.Errorf("retried help email: %s, stored %d times", help.State, accepted)
	}
}
