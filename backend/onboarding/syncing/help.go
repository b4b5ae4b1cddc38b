package syncing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/progress"
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
	// The same question goes by email to support, from the provider's
	// address, saying how they like to be addressed when that is not their
	// legal name. (Before set-up there is no account: no name.)
	a, _, err := s.store.Account(ctx)
	if err != nil {
		return nil, err
	}
	names, err := s.progress.Names(ctx)
	if err != nil && !errors.Is(err, progress.ErrNotSetUp) {
		return nil, err
	}
	from := fmt.Sprintf("From: %s <%s>\n", names.Legal, a.Email)
	if names.Salutation != names.Legal {
		from += fmt.Sprintf("Goes by: %s\n", names.Salutation)
	}
	b := make([]byte, 8)
	rand.Read(b)
	key := "help/" + hex.EncodeToString(b)
	payload, _ := json.Marshal(helpPayload{Subject: subject, Message: message})
	if _, err := s.store.Enqueue(ctx, store.OutboxItem{Kind: KindHelp, IdempotencyKey: key, Payload: payload, CreatedAt: s.now()}); err != nil {
		return nil, err
	}
	// Support's "Reply" goes to the provider.
	it := s.mail.ItemFor(outmail.KindHelp, "email/"+key, mail.Message{
		ReplyTo: []mail.Address{{Name: names.Salutation, Email: a.Email}},
		Subject: "Help request: " + subject,
		Text:    from + "\n" + message + "\n",
	})
	_, err = s.store.Enqueue(ctx, it)
	return nil, err
}
