package syncing

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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

// applyStatus turns the network's feed into the journey's state.
func (s *Service) applyStatus(ctx context.Context, st intake.Status) error {
	now := s.now()
	for _, f := range st.Forms {
		if err := s.applyReview(ctx, f, now); err != nil {
			return err
		}
		if err := s.applyVersions(ctx, f, now); err != nil {
			return err
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
	if err := s.applyPortal(ctx, st, now); err != nil {
		return err
	}
	for _, g := range st.Guidance {
		at, err := time.Parse(time.RFC3339Nano, g.SentAt)
		if err != nil {
			at = now // sent, at a time we can't read: learned now
		}
		if err := s.store.SetMilestoneAt(ctx, store.GuidanceMilestone(g.Step), at); err != nil {
			return err
		}
	}
	if err := s.recordTickets(ctx, st.Tickets); err != nil {
		return err
	}
	return s.dirs.Record(ctx, st)
}

// applyReview records the network's word on a form. A review counts only
// for the version the provider last submitted: the milestone is set, with
// the network's review date and the version it is for, when that version
// is reviewed, and cleared when it is not (a newer version waits for its
// own review; a returned one waits for a resubmission).
func (s *Service) applyReview(ctx context.Context, f intake.FormStatus, now time.Time) error {
	milestone, known := reviewMilestones[f.Form]
	if !known {
		return nil
	}
	subs, err := s.store.Submissions(ctx, f.Form)
	if err != nil || len(subs) == 0 {
		return err
	}
	latest := subs[len(subs)-1].Version
	current := f.LatestVersion == latest
	switch {
	case f.Review == "reviewed" && current:
		at, perr := time.Parse(time.RFC3339Nano, f.ReviewedAt)
		if perr != nil {
			at = now
		}
		err = errors.Join(s.store.SetSetting(ctx, progress.ReviewedSetting(f.Form), strconv.Itoa(latest)),
			s.store.SetMilestoneAt(ctx, milestone, at))
	case f.Review == "returned" && current:
		err = errors.Join(s.store.ClearMilestone(ctx, milestone),
			s.store.SetSetting(ctx, progress.ReturnedSetting(f.Form), fmt.Sprintf("%d|%s", latest, f.Reason)))
	default:
		err = s.store.ClearMilestone(ctx, milestone)
	}
	if err != nil {
		return err
	}
	if f.Review != "returned" {
		return s.store.SetSetting(ctx, progress.ReturnedSetting(f.Form), "")
	}
	return nil
}

// applyVersions records when the network received each version of the form
// and its review of each. A server that does not list versions yet still
// says which version is its latest; one that gives no receipt time leaves
// the time this sync learned of the receipt (the first such sync's), later
// than the truth rather than earlier, so nothing is called overdue early.
func (s *Service) applyVersions(ctx context.Context, f intake.FormStatus, now time.Time) error {
	versions := f.Versions
	if len(versions) == 0 && f.LatestVersion > 0 {
		versions = []intake.FormVersion{{Version: f.LatestVersion, ReceivedAt: f.ReceivedAt, Review: f.Review, Reason: f.Reason, ReviewedAt: f.ReviewedAt}}
	}
	for _, v := range versions {
		nv := store.NetworkVersion{Form: f.Form, Version: v.Version, Review: v.Review, Reason: v.Reason}
		at, err := time.Parse(time.RFC3339Nano, v.ReceivedAt)
		nv.ReceivedAt, nv.ReceivedExact = at, err == nil
		if err != nil {
			nv.ReceivedAt = now
		}
		if v.Review == "reviewed" {
			if nv.ReviewedAt, err = time.Parse(time.RFC3339Nano, v.ReviewedAt); err != nil {
				nv.ReviewedAt = now
			}
		}
		if err := s.store.SetNetworkVersion(ctx, nv); err != nil {
			return err
		}
	}
	return nil
}

// applyPortal records when the portal password was created (the network's
// time when the feed gives it) and where and as whom the provider logs in.
func (s *Service) applyPortal(ctx context.Context, st intake.Status, now time.Time) error {
	if at, err := time.Parse(time.RFC3339Nano, st.PortalCreatedAt); err == nil {
		if err := s.store.SetMilestoneAt(ctx, store.MilestonePortalCreated, at); err != nil {
			return err
		}
	} else if st.PortalCreated {
		if err := s.store.SetMilestone(ctx, store.MilestonePortalCreated, now); err != nil {
			return err
		}
	}
	if st.Portal == nil {
		return nil
	}
	return errors.Join(s.store.SetSetting(ctx, progress.PortalURLSetting, st.Portal.URL),
		s.store.SetSetting(ctx, progress.PortalUserSetting, st.Portal.Username))
}
