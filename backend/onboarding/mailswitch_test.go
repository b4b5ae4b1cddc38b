package onboarding

import (
	"net"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding/outmail"
	"strconv"
	"strings"
	"testing"
)

// Switching the mail settings while the app runs sends the next email
// through the new relay to the new addresses, on the same store and queue.
func TestSwitchedSendsThroughTheNewRelay(t *testing.T) {
	svc, _ := trainingService(t)
	oldBox, oldRelay := inboxRelay(t)
	newBox, newRelay := inboxRelay(t)
	from := mail.Address{Name: "Onramp", Email: "onramp@localhost"}
	svc.Mail.Use(outmail.Config{Relay: oldRelay, From: from, Support: "old-support@network.example"})
	if p, err := svc.Sync.AskForHelp(ctx, "First question", "How do I attach my license?"); err != nil || p != nil {
		t.Fatal(err, p)
	}
	if rep := svc.Sync.Sync(ctx, ""); rep.EmailsSent != 1 {
		t.Fatalf("first sync: %+v", rep)
	}

	svc.Mail.Use(outmail.Config{Relay: newRelay, From: from, Support: "new-support@network.example"})
	if p, err := svc.Sync.AskForHelp(ctx, "Second question", "Where is my packet?"); err != nil || p != nil {
		t.Fatal(err, p)
	}
	if rep := svc.Sync.Sync(ctx, ""); rep.EmailsSent != 1 {
		t.Fatalf("switched sync: %+v", rep)
	}
	if got := oldBox.Messages(); len(got) != 1 || !strings.Contains(got[0], "First question") {
		t.Errorf("old relay got %d messages", len(got))
	}
	got := newBox.Messages()
	if len(got) != 1 || !strings.Contains(got[0], "Second question") || !strings.Contains(got[0], "new-support@network.example") {
		t.Errorf("new relay got %q", got)
	}
}

// inboxRelay is a real SMTP sink on loopback collecting what it is sent,
// and the relay settings that reach it; it closes when the test ends.
func inboxRelay(t testing.TB) (*mailtest.Inbox, *mail.Relay) {
	t.Helper()
	in := &mailtest.Inbox{}
	sink, err := mail.NewSink("127.0.0.1:0", in.Save)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	host, port, _ := net.SplitHostPort(sink.Addr())
	p, _ := strconv.Atoi(port)
	return in, &mail.Relay{Host: host, Port: p}
}
