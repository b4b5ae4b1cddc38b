package formfill

import (
	"context"

	"onramp/backend/store"
)

// versions summarises the submitted versions of form with what the
// network said of each.
func (s *Service) versions(ctx context.Context, form string, subs []store.Submission) ([]VersionSummary, error) {
	network, err := s.store.NetworkVersions(ctx, form)
	if err != nil {
		return nil, err
	}
	byVersion := make(map[int]store.NetworkVersion, len(network))
	for _, n := range network {
		byVersion[n.Version] = n
	}
	out := make([]VersionSummary, 0, len(subs))
	for i, sub := range subs {
		v := VersionSummary{Version: sub.Version, SubmittedAt: sub.SubmittedAt.Local().Format(timeLayout), Hash: sub.Hash, Review: ReviewNotReceived}
		if n, ok := byVersion[sub.Version]; ok {
			v.Review, v.Reason = n.Review, n.Reason
			v.ReceivedAt = n.ReceivedAt.Local().Format(timeLayout)
			if !n.ReviewedAt.IsZero() {
				v.ReviewedAt = n.ReviewedAt.Local().Format(timeLayout)
			}
			v.AwaitingReview = i == len(subs)-1 && n.Review == ReviewReceived
		}
		out = append(out, v)
	}
	return out, nil
}
