package syncing

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/onboarding/directories"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/packets"
	"onramp/backend/onboarding/reports"
	"onramp/backend/store"
)

// OutboxEntry is one queued item as the sync panel lists it.
type OutboxEntry struct {
	ID        int64  `json:"id"`
	What      string `json:"what"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"lastError,omitempty"`
	NextTry   string `json:"nextTry,omitempty"`
	QueuedAt  string `json:"queuedAt"`
	// Background is a report Onramp sends the network by itself (training,
	// start date, checklist, app version): the panel folds those away once
	// delivered, so the provider's own forms, packets, emails and requests
	// stand out.
	Background bool `json:"background"`
}

// Outbox lists the queued, sent and failed items, newest first.
func (s *Service) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	items, err := s.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]OutboxEntry, 0, len(items))
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		if it.Kind == packets.KindBuild && it.State == store.OutboxDelivered {
			continue // made: its upload stands for it from then on
		}
		e := OutboxEntry{ID: it.ID, What: describe(it), State: it.State, Attempts: it.Attempts, LastError: it.LastError,
			QueuedAt: it.CreatedAt.Local().Format(time.RFC3339), Background: slices.Contains(reports.Kinds, it.Kind)}
		if it.State == store.OutboxQueued && it.Attempts > 0 {
			e.NextTry = it.NextAttemptAt.Local().Format(time.RFC3339)
		}
		out = append(out, e)
	}
	return out, nil
}

// describe names an item for the sync panel. A payload that no longer
// reads still gets a name.
func describe(it store.OutboxItem) string {
	switch it.Kind {
	case formfill.KindSubmission:
		var up intake.SubmissionUpload
		json.Unmarshal(it.Payload, &up)
		return fmt.Sprintf("%s, version %d", forms.Title(up.Form), up.Version)
	case KindHelp:
		var h helpPayload
		json.Unmarshal(it.Payload, &h)
		return "Help request: " + h.Subject
	case directories.KindRequest:
		return directories.Describe(it)
	case reports.KindTraining, reports.KindStartDate, reports.KindChecklist, reports.KindAppVersion:
		return reports.Describe(it)
	case packets.KindUpload, packets.KindBuild, outmail.KindPacket:
		return packets.Describe(it)
	case outmail.KindReceipt, outmail.KindHelp:
		var m struct{ Subject string }
		json.Unmarshal(it.Payload, &m)
		if rest, ok := strings.CutPrefix(m.Subject, "Received: "); ok && it.Kind == outmail.KindReceipt {
			return "Receipt email: " + rest // not "Email: Received: …"
		}
		return "Email: " + m.Subject
	}
	return it.Kind
}

// RetryItem queues a failed item again.
func (s *Service) RetryItem(ctx context.Context, id int64) error {
	return s.store.RetryNow(ctx, id, s.now())
}
