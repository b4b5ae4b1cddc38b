package server

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding/packets"
)

// Addresses the submission tests allow.
const (
	routeFrom    = "onboarding@network.test"
	supportAddr  = "support@network.test"
	credAddr     = "credentialing@network.test"
	providerAddr = "zoe@example.org"
)

// mailEnv is an intake server with its submission service on loopback and
// one enrolled provider.
type mailEnv struct {
	*env
	svc      *MailSubmission
	addr     string // HOST:PORT of the submission service
	provider int64
	token    string
}

func newMailEnv(t *testing.T, ip string, cfg MailSubmissionConfig) *mailEnv {
	t.Helper()
	e := newEnv(t)
	cfg.From, cfg.Support, cfg.Credentialing = routeFrom, supportAddr, credAddr
	svc := NewMailSubmission(e.db, cfg)
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	go svc.Serve(ln)
	t.Cleanup(func() { svc.Close() })
	tok := e.enroll(providerAddr, "i1")
	id, _, err := e.db.providerByToken(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	return &mailEnv{env: e, svc: svc, addr: ln.Addr().String(), provider: id, token: tok}
}

// relay is the submission service as the app's mail.Send sees it.
func (m *mailEnv) relay() mail.Relay {
	host, port, _ := net.SplitHostPort(m.addr)
	p, _ := strconv.Atoi(port)
	return mail.Relay{Host: host, Port: p, Username: SubmissionUser(m.provider), Password: m.token}
}

// queued counts the submitted messages in the mail queue.
func (m *mailEnv) queued(t testing.TB) int {
	t.Helper()
	var n int
	if err := m.db.db.QueryRow(`SELECT COUNT(*) FROM mail_queue WHERE step = ?`, StepSubmitted).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func rawMessage(id, from, to string, body string) []byte {
	return []byte("From: Onramp <" + from + ">\r\nTo: <" + to + ">\r\nSubject: Received\r\nMessage-ID: <" + id + ">\r\n" +
		"Date: Mon, 30 Nov 2026 09:00:00 +0000\r\n\r\n" + body + "\r\n")
}

// dialog is a hand-driven SMTP session, for what a well-behaved client
// never sends.
type dialog struct {
	t *testing.T
	c *textproto.Conn
}

func dial(t *testing.T, addr string) *dialog {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	d := &dialog{t, textproto.NewConn(conn)}
	t.Cleanup(func() { d.c.Close() })
	d.read() // the greeting
	return d
}

// say sends one line and returns the answer's code (0 when the connection
// is gone).
func (d *dialog) say(line string) int {
	d.t.Helper()
	if err := d.c.PrintfLine("%s", line); err != nil {
		return 0
	}
	return d.read()
}

func (d *dialog) read() int {
	code, _, err := d.c.ReadResponse(0)
	if err != nil && code == 0 {
		return 0
	}
	return code
}

func plainAuth(user, pass string) string {
	return "AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00"+user+"\x00"+pass))
}

// signedIn is a session past EHLO and AUTH.
func (m *mailEnv) signedIn(t *testing.T) *dialog {
	t.Helper()
	d := dial(t, m.addr)
	d.say("EHLO test")
	if code := d.say(plainAuth(SubmissionUser(m.provider), m.token)); code != 235 {
		t.Fatalf("AUTH: %d", code)
	}
	return d
}

// data sends DATA and msg; the answer to the message.
func (d *dialog) data(msg []byte) int {
	d.t.Helper()
	if code := d.say("DATA"); code != 354 {
		return code
	}
	w := d.c.DotWriter()
	w.Write(msg)
	w.Close()
	return d.read()
}

func TestSubmissionAcceptsAndDropsARepeatedMessageID(t *testing.T) {
	m := newMailEnv(t, "127.0.0.1", MailSubmissionConfig{})
	for i := range 2 {
		// The second is the app's retry after an acknowledgement it never got.
		if err := mail.SendRaw(ctx, m.relay(), routeFrom, []string{providerAddr, supportAddr}, rawMessage("r1@onramp.invalid", routeFrom, providerAddr, "hello")); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if err := mail.SendRaw(ctx, m.relay(), providerAddr, []string{credAddr}, rawMessage("r2@onramp.invalid", providerAddr, credAddr, "packet")); err != nil {
		t.Fatalf("from the provider's own address: %v", err)
	}
	if n := m.queued(t); n != 2 {
		t.Fatalf("queued %d messages, want 2 (the repeated Message-ID once)", n)
	}
	q, err := m.db.MailQueue(ctx, m.provider)
	if err != nil || len(q) != 2 || q[0].MessageID != "<r1@onramp.invalid>" || q[0].Subject != "Received" {
		t.Fatalf("mail queue: %+v %v", q, err)
	}
	st, err := m.db.status(ctx, m.provider)
	if err != nil || len(st.Guidance) != 0 {
		t.Errorf("submitted email listed as guidance in the feed: %+v %v", st.Guidance, err)
	}
	ps, err := m.db.Providers(ctx)
	if err != nil || len(ps) != 1 || ps[0].GuidanceMail != (MailCounts{}) {
		t.Errorf("submitted email counted as guidance mail: %+v %v", ps, err)
	}
}

// TestSubmissionRefusesHostileSessions: each session is refused with the
// right code and nothing is queued.
func TestSubmissionRefusesHostileSessions(t *testing.T) {
	good := func(id string) []byte { return rawMessage(id, routeFrom, providerAddr, "hi") }
	tests := []struct {
		name string
		cfg  MailSubmissionConfig
		run  func(m *mailEnv, t *testing.T) int // the refusal's code
		want int
	}{
		{"no AUTH", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			d := dial(t, m.addr)
			d.say("EHLO test")
			return d.say("MAIL FROM:<" + routeFrom + ">")
		}, 530},
		{"wrong token", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			d := dial(t, m.addr)
			d.say("EHLO test")
			return d.say(plainAuth(SubmissionUser(m.provider), strings.Repeat("0", 64)))
		}, 535},
		{"another provider's user name", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			d := dial(t, m.addr)
			d.say("EHLO test")
			return d.say(plainAuth(SubmissionUser(m.provider+1), m.token))
		}, 535},
		{"envelope from outside", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			return m.signedIn(t).say("MAIL FROM:<ceo@bank.example>")
		}, 550},
		{"header From outside", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			d := m.signedIn(t)
			d.say("MAIL FROM:<" + routeFrom + ">")
			d.say("RCPT TO:<" + providerAddr + ">")
			return d.data(rawMessage("h1@x", "ceo@bank.example", providerAddr, "hi"))
		}, 550},
		{"recipient outside", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			d := m.signedIn(t)
			d.say("MAIL FROM:<" + routeFrom + ">")
			return d.say("RCPT TO:<someone@elsewhere.example>")
		}, 550},
		{"too many recipients", MailSubmissionConfig{MaxRecipients: 2}, func(m *mailEnv, t *testing.T) int {
			d := m.signedIn(t)
			d.say("MAIL FROM:<" + routeFrom + ">")
			d.say("RCPT TO:<" + providerAddr + ">")
			d.say("RCPT TO:<" + supportAddr + ">")
			return d.say("RCPT TO:<" + credAddr + ">")
		}, 452},
		{"no Message-ID", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			d := m.signedIn(t)
			d.say("MAIL FROM:<" + routeFrom + ">")
			d.say("RCPT TO:<" + providerAddr + ">")
			return d.data([]byte("From: <" + routeFrom + ">\r\nSubject: x\r\n\r\nhi\r\n"))
		}, 550},
		{"oversized, announced", MailSubmissionConfig{MaxMessageBytes: 64 << 10}, func(m *mailEnv, t *testing.T) int {
			return m.signedIn(t).say("MAIL FROM:<" + routeFrom + "> SIZE=1000000")
		}, 552},
		{"oversized, not announced", MailSubmissionConfig{MaxMessageBytes: 64 << 10}, func(m *mailEnv, t *testing.T) int {
			d := m.signedIn(t)
			d.say("MAIL FROM:<" + routeFrom + ">")
			d.say("RCPT TO:<" + providerAddr + ">")
			return d.data(rawMessage("big@x", routeFrom, providerAddr, strings.Repeat("0123456789abcdef\r\n", 8000)))
		}, 552},
		{"over the rate limit", MailSubmissionConfig{Rate: RateLimit{Burst: 1, Every: time.Hour}}, func(m *mailEnv, t *testing.T) int {
			d := m.signedIn(t)
			d.say("MAIL FROM:<" + routeFrom + ">") // spends the only token
			d.say("RSET")
			return d.say("MAIL FROM:<" + routeFrom + ">")
		}, 451},
		{"pipelining flood", MailSubmissionConfig{}, func(m *mailEnv, t *testing.T) int {
			d := m.signedIn(t)
			// Everything in one write, without waiting for an answer.
			var b strings.Builder
			b.WriteString("MAIL FROM:<" + routeFrom + ">\r\nRCPT TO:<" + providerAddr + ">\r\n")
			for i := range 200 {
				fmt.Fprintf(&b, "RCPT TO:<victim%d@elsewhere.example>\r\n", i)
			}
			b.WriteString("DATA\r\n" + string(good("flood@x")) + ".\r\nQUIT\r\n")
			d.c.W.WriteString(b.String())
			d.c.W.Flush()
			last := 0
			for {
				code, _, err := d.c.ReadResponse(0)
				if code == 0 && err != nil {
					return last // the server hung up
				}
				if code >= 400 {
					last = code
				}
				if code == 221 {
					t.Error("the whole flood was read through to QUIT")
					return code
				}
			}
		}, 421},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMailEnv(t, "127.0.0.1", tt.cfg)
			if got := tt.run(m, t); got != tt.want {
				t.Errorf("answered %d, want %d", got, tt.want)
			}
			if n := m.queued(t); n != 0 {
				t.Errorf("%d messages queued", n)
			}
		})
	}
}

// TestSubmissionWantsTLSOffLoopback: without STARTTLS, AUTH and MAIL are
// refused off loopback (a real other address of this computer, and the
// rule forced on loopback); after STARTTLS the message goes in.
func TestSubmissionWantsTLSOffLoopback(t *testing.T) {
	places := []struct {
		name       string
		ip         func(t *testing.T) string
		requireTLS bool
	}{
		{"loopback, TLS required", func(*testing.T) string { return "127.0.0.1" }, true},
		{"another address of this computer", func(t *testing.T) string { return mailtest.OtherAddress(t) }, false},
	}
	for _, p := range places {
		t.Run(p.name, func(t *testing.T) {
			ip := p.ip(t)
			cert, pool := mailtest.SelfSigned(t, ip)
			m := newMailEnv(t, ip, MailSubmissionConfig{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}, RequireTLS: p.requireTLS})
			d := dial(t, m.addr)
			d.say("EHLO test")
			if code := d.say(plainAuth(SubmissionUser(m.provider), m.token)); code != 530 {
				t.Errorf("AUTH in the clear: %d, want 530", code)
			}
			if code := d.say("MAIL FROM:<" + routeFrom + ">"); code != 530 {
				t.Errorf("MAIL in the clear: %d, want 530", code)
			}
			if n := m.queued(t); n != 0 {
				t.Fatalf("%d queued in the clear", n)
			}
			conn, err := net.Dial("tcp", m.addr)
			if err != nil {
				t.Fatal(err)
			}
			host, _, _ := net.SplitHostPort(m.addr)
			c, err := smtp.NewClientStartTLS(conn, &tls.Config{RootCAs: pool, ServerName: host})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.SendMail(routeFrom, []string{providerAddr}, strings.NewReader(string(rawMessage("tls@x", routeFrom, providerAddr, "hi")))); err == nil {
				t.Fatal("sent over TLS without AUTH")
			}
			if err := c.Auth(sasl.NewPlainClient("", SubmissionUser(m.provider), m.token)); err != nil {
				t.Fatalf("AUTH over TLS: %v", err)
			}
			if err := c.SendMail(routeFrom, []string{providerAddr}, strings.NewReader(string(rawMessage("tls@x", routeFrom, providerAddr, "hi")))); err != nil {
				t.Fatalf("send over TLS: %v", err)
			}
			if n := m.queued(t); n != 1 {
				t.Errorf("%d queued over TLS, want 1", n)
			}
		})
	}
}

func TestRateLimitRefills(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	l := newRateLimiter(RateLimit{Burst: 2, Every: time.Minute}, func() time.Time { return now })
	got := []bool{l.take(1), l.take(1), l.take(1), l.take(2)}
	now = now.Add(time.Minute)
	got = append(got, l.take(1), l.take(1))
	want := []bool{true, true, false, true, true, false}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("takes: %v, want %v", got, want)
	}
}

// The app emails support packets of up to packets.MaxPacketEmailBytes as
// attachments: base64 and MIME make them a third bigger, and the message
// must still be under the size the service announces.
func TestLargestPacketEmailFits(t *testing.T) {
	m := mail.Message{ID: "p@onramp.invalid", From: mail.Address{Email: routeFrom}, To: []mail.Address{{Email: credAddr}},
		Subject: "Credentialing packet", Text: "The packet is attached.", Date: time.Now(),
		Attachments: []mail.Attachment{{Name: "p.onramp", Type: "application/vnd.onramp.packet", Data: make([]byte, packets.MaxPacketEmailBytes)}}}
	raw, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) >= DefaultMaxMessageBytes {
		t.Errorf("the largest packet email is %d bytes, over the service's %d", len(raw), DefaultMaxMessageBytes)
	}
}
