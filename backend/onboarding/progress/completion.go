package progress

import (
	"context"
	"fmt"

	"onramp/backend/journey"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
)

// CompletionEmailKey is the idempotency key of the onboarding-complete
// email: one per installation's account, so it is queued once.
const CompletionEmailKey = "email/onboarding-complete"

// QueueCompletion queues the onboarding-complete email once all four steps
// are done. It is idempotent, and it also runs when the dashboard loads, so
// a crash between a milestone and this insert loses nothing.
func (s *Service) QueueCompletion(ctx context.Context) error {
	st, err := s.State(ctx)
	if err != nil {
		return err
	}
	at, ok := st.CompletedAt()
	if !ok {
		return nil
	}
	a, err := s.StoredAccount(ctx)
	if err != nil {
		return err
	}
	names, err := s.namesOf(ctx, a)
	if err != nil {
		return err
	}
	on := journey.Date(at).Format("Monday, January 2, 2006")
	text := fmt.Sprintf("Hello %s,\n\nYou completed every onboarding step on %s: both forms are reviewed, your portal password is set "+
		"and your insurance training is done.\n\nWelcome to the network.\n\n— Onramp\n", names.Salutation, on)
	_, err = s.store.Enqueue(ctx, s.mail.Item(outmail.KindComplete, CompletionEmailKey,
		[]mail.Address{{Name: names.Legal, Email: a.Email}}, "Your onboarding is complete", text))
	return err
}
