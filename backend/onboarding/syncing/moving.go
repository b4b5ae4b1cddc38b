package syncing

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"onramp/backend/intake"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/packets"
	"onramp/backend/store"
)

// raiseVersions takes the enrollment answer's versions: the latest version
// of each form the network holds from another computer of the provider's
// (they moved computers and support reissued their invitation). This
// computer numbers its versions after them from now on, and those it
// numbered before it knew (submitted offline since set-up) are raised above
// them, with their uploads, receipts and packets, before anything is sent:
// the network receives them as its next versions, each once.
func (s *Service) raiseVersions(ctx context.Context, floors map[string]int) error {
	if len(floors) == 0 {
		return nil
	}
	sent, err := s.sentForms(ctx)
	if err != nil {
		return err
	}
	shifts, err := s.store.RaiseVersions(ctx, floors, sent, s.now(), renumberQueued)
	if err != nil {
		return fmt.Errorf("number this computer's forms after the network's: %w", err)
	}
	for form, shift := range shifts {
		log.Printf("sync: %s versions raised by %d to follow the network's (submitted on another computer)", form, shift)
	}
	return nil
}

// sentForms are the forms some version of which reached the network from
// this computer. On a computer enrolling for the first time there are none;
// one that sent versions before it was told of other computers' keeps their
// numbers (they are the network's), and only its new versions follow.
func (s *Service) sentForms(ctx context.Context) (map[string]bool, error) {
	items, err := s.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	sent := map[string]bool{}
	for _, it := range items {
		if it.Kind != formfill.KindSubmission || it.State != store.OutboxDelivered {
			continue
		}
		var up intake.SubmissionUpload
		if err := json.Unmarshal(it.Payload, &up); err != nil {
			return nil, fmt.Errorf("read a sent submission: %w", err)
		}
		sent[up.Form] = true
	}
	return sent, nil
}

// renumberQueued is store.Rewrite over every kind that names a version.
func renumberQueued(it store.OutboxItem, shifts map[string]int) (store.OutboxItem, bool, bool, error) {
	if out, changed, err := formfill.RenumberQueued(it, shifts); err != nil || changed {
		return out, changed, false, err
	}
	return packets.RenumberQueued(it, shifts)
}
