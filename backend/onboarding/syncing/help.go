package syncing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/store"
)

// KindHelp is the outbox kind of a help request to the intake server (its
// email to support is an outmail.KindHelp).
const KindHelp = "help"

type helpPayload struct {
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// AskForHelp queues a help request for support; it goes out when online.
func (s *Service) AskForHelp(ctx context.Context, subject, message string) (*forms.Problem, error) {
	if field, msg := intake.Help.Problem(subject, message); field != "" {
		return &forms.Problem{Field: field, Code: "invalid", Message: msg}, nil
	}
	b := make([]byte, 8)
	rand.Read(b)
	key := "help/" + hex.EncodeToString(b)
	payload, _ := json.Marshal(helpPayload{Subject: subject, Message: message})
	if _, err := s.store.Enqueue(ctx, store.OutboxItem{Kind: KindHelp, IdempotencyKey: key, Payload: payload, CreatedAt: s.now()}); err != nil {
		return nil, err
	}
	// The same question by email to support; support's "Reply" goes to the
	// provider.
	a, _, err := s.store.Account(ctx)
	if err != nil {
		return nil, err
	}
	it := s.mail.ItemFor(outmail.KindHelp, "email/"+key, mail.Message{
		ReplyTo: []mail.Address{{Name: a.LegalName, Email: a.Email}},
		Subject: "Help request: " + subject,
		Text:    fmt.Sprintf("From: %s <%s>\n\n%s\n", a.LegalName, a.Email, message),
	})
	_, err = s.store.Enqueue(ctx, it)
	return nil, err
}
