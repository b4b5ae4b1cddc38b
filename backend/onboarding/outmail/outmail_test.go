package outmail

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"onramp/backend/mail"
)

// An item carries the sender in use when it was composed, its key as
// idempotency key and Message-ID, and the clock's time.
func TestItemComposesFromTheSettingsInUse(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s := New(Config{From: mail.Address{Name: "Onramp", Email: "a@network.example"}}, func() time.Time { return at })
	it := s.ItemFor(KindHelp, "email/help/1", mail.Message{Subject: "Help", Text: "Hi", ReplyTo: []mail.Address{{Email: "zoe@example.org"}}})
	var m mail.Message
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		t.Fatal(err)
	}
	if it.Kind != KindHelp || it.IdempotencyKey != "email/help/1" || !it.CreatedAt.Equal(at) {
		t.Errorf("item %+v", it)
	}
	if m.From.Email != "a@network.example" || m.ID != mail.MessageID("email/help/1") || !m.Date.Equal(at) || m.ReplyTo[0].Email != "zoe@example.org" {
		t.Errorf("message %+v", m)
	}
	s.Use(Config{From: mail.Address{Email: "b@network.example"}})
	if err := json.Unmarshal(s.Item(KindReceipt, "k", nil, "s", "t").Payload, &m); err != nil || m.From.Email != "b@network.example" {
		t.Errorf("after a switch: %+v %v", m, err)
	}
}

// Switching while others read is safe (run with -race): each reader sees
// one whole configuration.
func TestUseIsSafeWhileRead(t *testing.T) {
	s := New(Config{Support: "one"}, time.Now)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				if i%2 == 0 {
					s.Use(Config{Support: "two", Credentialing: "two"})
				} else if c := s.Config(); c.Support == "two" && c.Credentialing != "two" {
					t.Error("a torn configuration")
				}
			}
		}()
	}
	wg.Wait()
}

func TestSendTimeoutGrowsWithAttachments(t *testing.T) {
	tests := []struct {
		name     string
		attached int
		atLeast  time.Duration
		atMost   time.Duration
	}{
		{"a receipt", 0, time.Minute, time.Minute},
		{"a small packet", 1 << 20, time.Minute, time.Minute},
		{"the largest packet emailed, 20 MiB", 20 << 20, 4 * time.Minute, 5 * time.Minute},
	}
	for _, tt := range tests {
		m := mail.Message{Text: "Hello"}
		if tt.attached > 0 {
			m.Attachments = []mail.Attachment{{Name: "p.onramp", Data: make([]byte, tt.attached)}}
		}
		if got := SendTimeout(m); got < tt.atLeast || got > tt.atMost {
			t.Errorf("%s: %v, want between %v and %v", tt.name, got, tt.atLeast, tt.atMost)
		}
	}
}
