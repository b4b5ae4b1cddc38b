package progress

import (
	"context"
	"sort"

	"onramp/backend/forms"
	"onramp/backend/journey"
)

// Dashboard computes the dashboard for today.
func (s *Service) Dashboard(ctx context.Context) (journey.Dashboard, error) {
	st, err := s.State(ctx)
	if err != nil {
		return journey.Dashboard{}, err
	}
	d := journey.Build(st, s.now().Local())
	if d.Names, err = s.Names(ctx); err != nil {
		return journey.Dashboard{}, err
	}
	if d.Returned, err = s.returned(ctx); err != nil {
		return journey.Dashboard{}, err
	}
	if st.StepStates()[journey.StepPortal].Status == journey.Done {
		if d.Portal, err = s.PortalAccess(ctx); err != nil {
			return journey.Dashboard{}, err
		}
	}
	if d.Expirations, err = s.expirations(ctx); err != nil {
		return journey.Dashboard{}, err
	}
	return d, nil
}

// expirations lists the credentials in the latest submitted Insurance form
// and the next CAQH re-attestation, soonest first.
func (s *Service) expirations(ctx context.Context) ([]forms.Expiration, error) {
	subs, err := s.store.Submissions(ctx, forms.FormCredentialing)
	if err != nil || len(subs) == 0 {
		return []forms.Expiration{}, err
	}
	latest, err := forms.DecodeData(subs[len(subs)-1].Data)
	if err != nil {
		return nil, err
	}
	values, err := s.FormValues(ctx)
	if err != nil {
		return nil, err
	}
	today := s.now().Local()
	// Only what the form shows for the provider's license type now: a DEA
	// entered before a change to LCSW is not listed.
	exps := forms.ShownExpirations(latest, forms.Context{Values: values, Today: today})
	// CAQH re-attestation, counted from the date the provider gave or else
	// from the form's first submission.
	if x, ok := forms.Reattestation(latest, subs[0].SubmittedAt.Local(), today); ok {
		exps = append(exps, x)
		sort.SliceStable(exps, func(i, j int) bool { return exps[i].DaysLeft < exps[j].DaysLeft })
	}
	return exps, nil
}

// RemindersDue are the reminders due today (forms.Reminders) not yet
// shown as desktop notifications.
func (s *Service) RemindersDue(ctx context.Context) ([]forms.Reminder, error) {
	exps, err := s.expirations(ctx)
	if err != nil {
		return nil, err
	}
	shown, err := s.store.RemindersShown(ctx)
	if err != nil {
		return nil, err
	}
	var due []forms.Reminder
	for _, r := range forms.Reminders(exps) {
		if !shown[r.Key] {
			due = append(due, r)
		}
	}
	return due, nil
}

// ReminderShown records a reminder as shown, so it is not shown again.
func (s *Service) ReminderShown(ctx context.Context, key string) error {
	return s.store.ReminderShown(ctx, key, s.now())
}
