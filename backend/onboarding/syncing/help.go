package syncing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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

// threadsSetting keeps the tickets of the last status feed: the provider's
// questions to support as the network holds them, with its replies.
const threadsSetting = "help/threads"

// ThreadWaiting is the state of a question queued here and not sent yet
// (the network's are intake.TicketOpen and intake.TicketClosed).
const ThreadWaiting = "waiting"

// HelpThread is one question to support as the Help drawer shows it.
type HelpThread struct {
	Subject string               `json:"subject"`
	Message string               `json:"message"`
	AskedAt string               `json:"askedAt"` // RFC 3339
	State   string               `json:"state"`   // ThreadWaiting, intake.TicketOpen or intake.TicketClosed
	Replies []intake.TicketReply `json:"replies"`
}

// recordTickets keeps the feed's tickets; applyStatus calls it with every
// feed it applies.
func (s *Service) recordTickets(ctx context.Context, ts []intake.TicketStatus) error {
	raw, err := json.Marshal(ts)
	if err != nil {
		return err
	}
	return s.store.SetSetting(ctx, threadsSetting, string(raw))
}

// HelpThreads lists the provider's questions to support, newest first:
// those still waiting to be sent, then the network's with their replies.
func (s *Service) HelpThreads(ctx context.Context) ([]HelpThread, error) {
	out := []HelpThread{}
	items, err := s.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		if it.Kind != KindHelp || it.State == store.OutboxDelivered {
			continue
		}
		var p helpPayload
		if json.Unmarshal(it.Payload, &p) == nil {
			out = append(out, HelpThread{Subject: p.Subject, Message: p.Message, AskedAt: it.CreatedAt.UTC().Format(time.RFC3339), State: ThreadWaiting, Replies: []intake.TicketReply{}})
		}
	}
	raw, err := s.store.Setting(ctx, threadsSetting)
	if err != nil || raw == "" {
		return out, err
	}
	var ts []intake.TicketStatus
	if err := json.Unmarshal([]byte(raw), &ts); err != nil {
		return out, fmt.Errorf("read your questions from the last sync: %w", err)
	}
	for i := len(ts) - 1; i >= 0; i-- {
		t := ts[i]
		replies := t.Replies
		if replies == nil {
			replies = []intake.TicketReply{}
		}
		out = append(out, HelpThread{Subject: t.Subject, Message: t.Message, AskedAt: t.CreatedAt, State: t.State, Replies: replies})
	}
	return out, nil
}
