package onboarding

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"onramp/backend/clocktest"
	"onramp/backend/forms"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// faultyRelay is a real SMTP server that fails a fifth of its sessions at
// random, in the ways a relay does (421 at MAIL, 451 after DATA, the
// connection dropped mid-message), storing nothing then, and counts what
// it stores by Message-ID.
type faultyRelay struct {
	mu     sync.Mutex
	rnd    *rand.Rand
	stored map[string]int
	faults int
}

func (r *faultyRelay) fault() int { // 0: none, 1: 421 at MAIL, 2: 451 after DATA, 3: drop
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rnd.IntN(5) != 0 {
		return 0
	}
	r.faults++
	return 1 + r.rnd.IntN(3)
}

func (r *faultyRelay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &faultySession{r: r, fault: r.fault(), conn: c}, nil
}

type faultySession struct {
	r     *faultyRelay
	fault int
	conn  *smtp.Conn
}

func (s *faultySession) Mail(string, *smtp.MailOptions) error {
	if s.fault == 1 {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Try again later"}
	}
	return nil
}
func (s *faultySession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *faultySession) Data(r io.Reader) error {
	if s.fault == 3 {
		s.conn.Conn().Close()
		return io.ErrUnexpectedEOF
	}
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, msg.Body)
	if s.fault == 2 {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Local error, try again"}
	}
	s.r.mu.Lock()
	s.r.stored[msg.Header.Get("Message-Id")]++
	s.r.mu.Unlock()
	return nil
}
func (s *faultySession) Reset()        {}
func (s *faultySession) Logout() error { return nil }

// 1,000 queued emails through a relay that fails 20% of sessions: every
// one is stored exactly once, none lost, none left in the outbox.
func TestThousandEmailsThroughTwentyPercentFaults(t *testing.T) {
	const n = 1000
	relay := &faultyRelay{rnd: rand.New(rand.NewPCG(7, 11)), stored: map[string]int{}}
	srv := smtp.NewServer(relay)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)

	clock := clocktest.New(time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC))
	st := storetest.New(t)
	svc := New(st, clock.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if problems, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	acct, _, _ := st.Account(ctx)
	names, _ := svc.Progress.Names(ctx)
	for i := 1; i <= n; i++ {
		if _, err := st.Enqueue(ctx, svc.Forms.Receipt(acct.Email, names, forms.FormGeneral, i, fmt.Sprintf("%064x", i), clock.Now())); err != nil {
			t.Fatal(err)
		}
	}
	svc.Mail.Use(outmail.Config{Relay: &mail.Relay{Host: "127.0.0.1", Port: p}, From: mail.Address{Name: "Onramp", Email: "onramp@localhost"}})
	sent := 0
	for round := 0; round < 40 && sent < n; round++ {
		sent += svc.Sync.Sync(ctx, "").EmailsSent
		clock.Add(time.Hour) // every retry comes due
	}
	items, _ := st.Outbox(ctx)
	left := 0
	for _, it := range items {
		// Only email: the reports for the intake server (start date, app
		// version) wait for it, and there is none in this test.
		if strings.HasPrefix(it.Kind, "email.") && it.State != store.OutboxDelivered {
			left++
		}
	}
	relay.mu.Lock()
	defer relay.mu.Unlock()
	dupes := 0
	for id, c := range relay.stored {
		if c != 1 || !strings.HasSuffix(strings.Trim(id, "<>"), "@onramp.invalid") {
			dupes++
		}
	}
	t.Logf("%d faults injected over %d messages", relay.faults, n)
	if sent != n || len(relay.stored) != n || dupes != 0 || left != 0 || relay.faults < n/10 {
		t.Fatalf("sent %d, stored %d distinct (%d not exactly once), %d left in the outbox, %d faults", sent, len(relay.stored), dupes, left, relay.faults)
	}
}
