package onboarding

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"onramp/backend/forms"
	"onramp/backend/mail"
	"onramp/backend/outbox"
	"onramp/backend/store"
)

// Email kinds in the outbox.
const (
	KindEmailReceipt  = "email.receipt"
	KindEmailComplete = "email.onboarding-complete"
	KindEmailHelp     = "email.help"
)

var emailKinds = []string{KindEmailReceipt, KindEmailComplete, KindEmailHelp, KindEmailPacket}

// MailConfig is how the app sends email: the relay, who mail comes from,
// and where help requests go.
type MailConfig struct {
	Relay         *mail.Relay // nil: no relay configured; email waits in the outbox
	From          mail.Address
	Support       string
	Credentialing string // where exported support packets are emailed
}

// WithMail sets the email configuration.
func (s *Service) WithMail(cfg MailConfig) *Service {
	s.mailCfg = cfg
	return s
}

// emailItem queues a message; the idempotency key is also its Message-ID.
func (s *Service) emailItem(kind, key string, to []mail.Address, subject, text string) store.OutboxItem {
	m := mail.Message{ID: mail.MessageID(key), From: s.mailCfg.From, To: to, Subject: subject, Text: text, Date: s.now()}
	payload, _ := json.Marshal(m)
	return store.OutboxItem{Kind: kind, IdempotencyKey: key, Payload: payload, CreatedAt: s.now()}
}

func formTitle(id string) string {
	return map[string]string{forms.FormGeneral: "General Onboarding form", forms.FormCredentialing: "Insurance form"}[id]
}

// receipt is the email confirming a submission to the provider.
func (s *Service) receipt(a store.Account, id string, version int, hash string, at time.Time) store.OutboxItem {
	title := formTitle(id)
	text := fmt.Sprintf("Hello %s,\n\nOnramp recorded your %s, version %d, on %s.\nIts fingerprint is %s.\n\n"+
		"It goes to the network as soon as your computer is online; you'll hear about the next step within one business day after that.\n\n— Onramp\n",
		a.LegalName, title, version, at.Local().Format("Monday, January 2, 2006 at 3:04 PM"), hash)
	return s.emailItem(KindEmailReceipt, fmt.Sprintf("email/receipt/%s/%d/%s", id, version, hash[:16]),
		[]mail.Address{{Name: a.LegalName, Email: a.Email}}, fmt.Sprintf("Received: your %s (version %d)", title, version), text)
}

// mailDispatcher sends queued email through the relay.
func (s *Service) mailDispatcher() *outbox.Dispatcher {
	send := outbox.SenderFunc(func(ctx context.Context, it store.OutboxItem) error {
		var m mail.Message
		if it.Kind == KindEmailPacket {
			var err error
			if m, err = s.packetMessage(it); err != nil {
				return err
			}
		} else if err := json.Unmarshal(it.Payload, &m); err != nil {
			return err
		}
		if it.Kind == KindEmailHelp && len(m.To) == 0 {
			m.To = []mail.Address{{Name: "Onramp support", Email: s.mailCfg.Support}}
		}
		return mail.Send(ctx, *s.mailCfg.Relay, m)
	})
	senders := map[string]outbox.Sender{}
	for _, k := range emailKinds {
		senders[k] = send
	}
	return outbox.New(s.store, senders, s.now, outbox.DefaultPolicy)
}
