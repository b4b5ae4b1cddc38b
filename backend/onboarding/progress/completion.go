package progress

import (
	"context"

	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/store"
)

// completionEmail is where the onboarding-complete email stands. The
// network sends it, from its team, once it sees the four steps done
// (issue 11 part 3): until the status feed lists it sent, it is pending;
// the app no longer sends one of its own.
func (s *Service) completionEmail(ctx context.Context) (journey.Email, error) {
	m, err := s.store.Milestones(ctx)
	if err != nil {
		return journey.Email{}, err
	}
	if at, ok := m[store.GuidanceMilestone(intake.GuidanceComplete)]; ok {
		return journey.Email{State: journey.EmailSent, At: at.Local()}, nil
	}
	return journey.Email{State: journey.EmailPending}, nil
}
