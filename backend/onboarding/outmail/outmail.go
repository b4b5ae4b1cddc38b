// Package outmail is what the app emails: the mail settings in use (relay,
// From, support's and the credentialing team's addresses), the outbox kinds
// of email, and messages composed into outbox items whose idempotency key
// is also their Message-ID.
package outmail

import (
	"encoding/json"
	"sync/atomic"
	"time"

	"onramp/backend/mail"
	"onramp/backend/store"
)

// Outbox kinds of email.
const (
	KindReceipt = "email.receipt" // a submission's receipt to the provider
	KindHelp    = "email.help"    // a help request to support
	KindPacket  = "email.packet"  // a support packet to the credentialing team
)

// Kinds lists every kind of queued email, for the dispatcher that sends
// them through the relay. (The onboarding-complete confirmation is the
// network's to send, from its team: the app reports the training and the
// server queues it.)
var Kinds = []string{KindReceipt, KindHelp, KindPacket}

// Config is how the app sends email: the relay, who mail comes from, and
// where help requests and packets go.
type Config struct {
	Relay         *mail.Relay // nil: no relay configured; email waits in the outbox
	From          mail.Address
	Support       string
	Credentialing string // where support packets are emailed
}

// Settings holds the mail settings in use. The Settings screen switches
// them while the app runs; work already under way keeps the Config it read.
type Settings struct {
	cfg atomic.Pointer[Config]
	now func() time.Time
}

// New holds cfg as the settings in use; now stamps composed messages.
func New(cfg Config, now func() time.Time) *Settings {
	s := &Settings{now: now}
	s.Use(cfg)
	return s
}

// Config is the configuration in use now.
func (s *Settings) Config() Config { return *s.cfg.Load() }

// Use switches to cfg.
func (s *Settings) Use(cfg Config) { s.cfg.Store(&cfg) }

// Item composes a message from the configured sender and queues it as an
// outbox item of kind; key is its idempotency key and Message-ID.
func (s *Settings) Item(kind, key string, to []mail.Address, subject, text string) store.OutboxItem {
	return s.ItemFor(kind, key, mail.Message{To: to, Subject: subject, Text: text})
}

// ItemFor queues m (its To, Subject, Text, Reply-To and attachments) from
// the configured sender, with key as its idempotency key and Message-ID.
func (s *Settings) ItemFor(kind, key string, m mail.Message) store.OutboxItem {
	now := s.now()
	m.ID, m.From, m.Date = mail.MessageID(key), s.Config().From, now
	payload, _ := json.Marshal(m) // a Message always encodes
	return store.OutboxItem{Kind: kind, IdempotencyKey: key, Payload: payload, CreatedAt: now}
}

// SendTimeout bounds one email's SMTP session: a minute, and for a big
// attachment as long as it takes at about 1 Mbit/s once base64-encoded (a
// 20 MiB packet gets almost 5 minutes instead of the minute that would cut
// it off on an office line).
func SendTimeout(m mail.Message) time.Duration {
	n := len(m.Text)
	for _, a := range m.Attachments {
		n += len(a.Data) * 4 / 3
	}
	return max(time.Minute, time.Duration(n/(96<<10))*time.Second)
}
