package syncing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/onboarding/progress"
	"onramp/backend/store"
)

var reviewMilestones = map[string]string{
	forms.FormGeneral:       store.MilestoneGeneralReviewed,
	forms.FormCredentialing: store.MilestoneCredentialingReviewed,
}

// applyStatus turns the network's feed into the journey's state. A review
// counts only for the version the provider last submitted.
func (s *Service) applyStatus(ctx context.Context, st intake.Status) error {
	now := s.now()
	for _, f := range st.Forms {
		subs, err := s.store.Submissions(ctx, f.Form)
		if err != nil {
			return err
		}
		milestone, known := reviewMilestones[f.Form]
		if !known || len(subs) == 0 {
			continue
		}
		latest := subs[len(subs)-1].Version
		switch {
		case f.Review == "reviewed" && f.LatestVersion == latest:
			err = s.store.SetMilestone(ctx, milestone, now)
		case f.Review == "returned" && f.LatestVersion == latest:
			err = errors.Join(s.store.ClearMilestone(ctx, milestone),
				s.store.SetSetting(ctx, progress.ReturnedSetting(f.Form), fmt.Sprintf("%d|%s", latest, f.Reason)))
		}
		if err != nil {
			return err
		}
		if f.Review != "returned" {
			if err := s.store.SetSetting(ctx, progress.ReturnedSetting(f.Form), ""); err != nil {
				return err
			}
		}
	}
	for _, p := range st.Payers {
		at, _ := time.Parse(time.RFC3339Nano, p.UpdatedAt)
		if err := s.store.SetPayerStatus(ctx, store.PayerStatus{Payer: p.Payer, Status: p.Status, UpdatedAt: at}); err != nil {
			return err
		}
	}
	if st.EffectiveDate != "" {
		if d, err := time.Parse("2006-01-02", st.EffectiveDate); err == nil {
			if err := s.store.SetMilestoneAt(ctx, store.MilestoneEffectiveDate, d); err != nil {
				return err
			}
		}
	}
	if st.PortalCreated {
		if err := s.store.SetMilestone(ctx, store.MilestonePortalCreated, now); err != nil {
			return err
		}
	}
	return s.progress.QueueCompletion(ctx)
}
