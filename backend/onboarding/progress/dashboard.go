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
	subs, err := s.store.Submissions(ctx, forms.FormCredentialing)
	if err != nil {
		return journey.Dashboard{}, err
	}
	if len(subs) > 0 {
		latest, err := forms.DecodeData(subs[len(subs)-1].Data)
		if err != nil {
			return journey.Dashboard{}, err
		}
		values, err := s.FormValues(ctx)
		if err != nil {
			return journey.Dashboard{}, err
		}
		// Only what the form shows for the provider's license type now: a
		// DEA entered before a change to LCSW is not listed.
		d.Expirations = forms.ShownExpirations(latest, forms.Context{Values: values, Today: s.now().Local()})
		// CAQH re-attestation, counted from the date the provider gave or
		// else from the form's first submission.
		if x, ok := forms.Reattestation(latest, subs[0].SubmittedAt.Local(), s.now().Local()); ok {
			d.Expirations = append(d.Expirations, x)
			sort.SliceStable(d.Expirations, func(i, j int) bool { return d.Expirations[i].DaysLeft < d.Expirations[j].DaysLeft })
		}
	}
	return d, nil
}
