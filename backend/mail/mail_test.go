package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"onramp/backend/mail/mailtest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
)

func sample() Message {
	return Message{
		ID:      MessageID("email/receipt/general/1"),
		From:    Address{Name: "Onramp", Email: "noreply@onramp.example"},
		To:      []Address{{Name: "Zoë Łukasiewicz", Email: "zoe@example.org"}},
		Subject: "Received: your General Onboarding form — version 1 ✓",
		Text:    "Dzień dobry, Zoë!\nWe received version 1.\n",
		Date:    time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
	}
}

func TestBuildReadsBack(t *testing.T) {
	m := sample()
	m.Attachments = []Attachment{{Name: "packet.pdf", Type: "application/pdf", Data: []byte("%PDF-1.4 fake\x00\x01")}}
	raw, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := r.Header.Subject()
	to, _ := r.Header.AddressList("To")
	id, _ := r.Header.MessageID()
	if subj != m.Subject || len(to) != 1 || to[0].Name != "Zoë Łukasiewicz" || id != "email/receipt/general/1@onramp.invalid" {
		t.Errorf("headers: %q %v %q", subj, to, id)
	}
	var text string
	var att []byte
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			text = string(body)
		case *gomail.AttachmentHeader:
			if name, _ := h.Filename(); name == "packet.pdf" {
				att = body
			}
		}
	}
	if strings.ReplaceAll(text, "\r\n", "\n") != m.Text || !bytes.Equal(att, m.Attachments[0].Data) {
		t.Errorf("body %q, attachment %q", text, att)
	}
	if bytes.Contains(raw, []byte("Łukasiewicz")) {
		t.Error("a non-ASCII name was written raw in the headers")
	}
}

func TestSendToSink(t *testing.T) {
	inbox := &mailtest.Inbox{}
	sink, err := NewSink("127.0.0.1:0", inbox.Save)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	host, port, _ := net.SplitHostPort(sink.Addr())
	p, _ := strconv.Atoi(port)
	relay := Relay{Host: host, Port: p, Username: "onramp", Password: "secret"}
	if err := Send(context.Background(), relay, sample()); err != nil {
		t.Fatal(err)
	}
	got := inbox.Messages()
	if len(got) != 1 || !strings.Contains(got[0], "Message-Id: <email/receipt/general/1@onramp.invalid>") {
		t.Fatalf("sink got %d messages: %.300s", len(got), got)
	}
}

// faultBackend answers DATA with the scripted codes, then accepts.
type faultBackend struct {
	mu     sync.Mutex
	codes  []int
	stored int
}

func (b *faultBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &faultSession{b: b}, nil }

type faultSession struct{ b *faultBackend }

func (s *faultSession) Reset()                               {}
func (s *faultSession) Logout() error                        { return nil }
func (s *faultSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *faultSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *faultSession) Data(r io.Reader) error {
	io.Copy(io.Discard, r)
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if len(s.b.codes) > 0 {
		code := s.b.codes[0]
		s.b.codes = s.b.codes[1:]
		return &smtp.SMTPError{Code: code, Message: "scripted " + strconv.Itoa(code)}
	}
	s.b.stored++
	return nil
}

func TestTemporaryAndPermanentFailures(t *testing.T) {
	be := &faultBackend{codes: []int{421, 451, 550}}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(ln)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	relay := Relay{Host: "127.0.0.1", Port: p}
	for i, wantTemp := range []bool{true, true, false} {
		err := Send(context.Background(), relay, sample())
		var me *Error
		if !errors.As(err, &me) || me.Temporary() != wantTemp {
			t.Fatalf("attempt %d: %v, want temporary=%v", i+1, err, wantTemp)
		}
	}
	if err := Send(context.Background(), relay, sample()); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	if be.stored != 1 {
		t.Errorf("stored %d", be.stored)
	}
	down := Relay{Host: "127.0.0.1", Port: 1}
	var me *Error
	if err := Send(context.Background(), down, sample()); !errors.As(err, &me) || !me.Temporary() {
		t.Errorf("unreachable relay: %v", err)
	}
}

func TestParseRelay(t *testing.T) {
	r, err := ParseRelay("smtp://onramp:p%40ss@mail.example.org:2525")
	if err != nil || r.Host != "mail.example.org" || r.Port != 2525 || r.Username != "onramp" || r.Password != "p@ss" {
		t.Errorf("relay = %+v %v", r, err)
	}
	if r, _ := ParseRelay("smtp://mail.example.org"); r.Port != 587 {
		t.Errorf("default port %d", r.Port)
	}
	for _, bad := range []string{"http://x", "smtp://", "mail.example.org"} {
		if _, err := ParseRelay(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	if !loopback("127.0.0.1") || !loopback("::1") || !loopback("localhost") || loopback("mail.example.org") || loopback("10.0.0.1") {
		t.Error("loopback check")
	}
	if strings.Contains(MessageID("a b<c>@d"), " ") {
		t.Error("Message-ID has a space")
	}
}

// A relay address that can't be used is refused without repeating its
// password (it ends up in logs and on the terminal).
func TestParseRelayErrorsHideThePassword(t *testing.T) {
	for _, s := range []string{"http://user:s3cr3t-pw@relay.example", "smtp://user:s3cr3t-pw@:25", "smtp://user:s3cr3t-pw@relay.example:port", "smtp://user:s3cr3t-pw@relay example:25\x7f"} {
		_, err := ParseRelay(s)
		if err == nil {
			t.Errorf("%q accepted", s)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("the error repeats the password: %v", err)
		}
	}
}
