package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Milestone names.
const (
	MilestoneGeneralSubmitted       = "general_submitted"
	MilestoneGeneralReviewed        = "general_reviewed"
	MilestoneCredentialingSubmitted = "credentialing_submitted"
	MilestoneCredentialingReviewed  = "credentialing_reviewed"
	MilestonePortalCreated          = "portal_created"
	MilestoneWebinarWatched         = "webinar_watched"
	MilestoneQuizPassed             = "quiz_passed"
	MilestoneEffectiveDate          = "effective_date"
)

// GuidanceMilestone names the milestone "the network sent the guidance
// email for step" (one of intake's Guidance* steps), as learned by sync.
func GuidanceMilestone(step string) string { return "guidance_sent/" + step }

// GuidanceStep is the step of a GuidanceMilestone name, if name is one.
func GuidanceStep(name string) (string, bool) { return strings.CutPrefix(name, "guidance_sent/") }

// SetMilestone records when a milestone happened. The first record wins: a
// milestone, once reached, keeps its date.
func (s *Store) SetMilestone(ctx context.Context, name string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO milestones (name, at) VALUES (?, ?)
		ON CONFLICT (name) DO NOTHING`, name, formatTime(at))
	if err != nil {
		return fmt.Errorf("record %s: %w", name, err)
	}
	return nil
}

// Milestones returns every milestone reached, by name.
func (s *Store) Milestones(ctx context.Context) (map[string]time.Time, error) {
	return s.timesByKey(ctx, `SELECT name, at FROM milestones`)
}

// SetChecked ticks (done) or unticks a checklist item.
func (s *Store) SetChecked(ctx context.Context, item string, done bool, at time.Time) error {
	var err error
	if done {
		_, err = s.db.ExecContext(ctx, `INSERT INTO checklist (item, done_at) VALUES (?, ?)
			ON CONFLICT (item) DO NOTHING`, item, formatTime(at))
	} else {
		_, err = s.db.ExecContext(ctx, `DELETE FROM checklist WHERE item = ?`, item)
	}
	if err != nil {
		return fmt.Errorf("update checklist item %s: %w", item, err)
	}
	return nil
}

// Checked returns the ticked checklist items with when they were ticked.
func (s *Store) Checked(ctx context.Context) (map[string]time.Time, error) {
	return s.timesByKey(ctx, `SELECT item, done_at FROM checklist`)
}

// PayerStatus is one payer's credentialing status.
type PayerStatus struct {
	Payer     string
	Status    string
	UpdatedAt time.Time
}

// SetPayerStatus records a payer's status as set by the network.
func (s *Store) SetPayerStatus(ctx context.Context, p PayerStatus) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO payer_status (payer, status, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (payer) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
		p.Payer, p.Status, formatTime(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("record status of %s: %w", p.Payer, err)
	}
	return nil
}

// KeepPayers forgets the status of every payer not named in keep: the
// network's feed lists all of the provider's payers, and one it no longer
// lists (the provider unenrolled from it) is not theirs any more.
func (s *Store) KeepPayers(ctx context.Context, keep []string) error {
	query, args := `DELETE FROM payer_status`, make([]any, len(keep))
	if len(keep) > 0 {
		query += ` WHERE payer NOT IN (?` + strings.Repeat(`, ?`, len(keep)-1) + `)`
		for i, p := range keep {
			args[i] = p
		}
	}
	if _, err := s.db.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("forget payers no longer listed: %w", err)
	}
	return nil
}

// PayerStatuses lists every payer's status, by payer name.
func (s *Store) PayerStatuses(ctx context.Context) ([]PayerStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT payer, status, updated_at FROM payer_status ORDER BY payer`)
	if err != nil {
		return nil, fmt.Errorf("load payer statuses: %w", err)
	}
	defer rows.Close()
	var out []PayerStatus
	for rows.Next() {
		var p PayerStatus
		var at string
		if err := rows.Scan(&p.Payer, &p.Status, &at); err != nil {
			return nil, fmt.Errorf("load payer statuses: %w", err)
		}
		if p.UpdatedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("load payer statuses: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) timesByKey(ctx context.Context, query string) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var key, at string
		if err := rows.Scan(&key, &at); err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		t, err := parseTime(at)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", key, err)
		}
		out[key] = t
	}
	return out, rows.Err()
}

// SetMilestoneAt records a milestone the network may change later (the
// effective date): the newest value wins.
func (s *Store) SetMilestoneAt(ctx context.Context, name string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO milestones (name, at) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET at = excluded.at`, name, formatTime(at))
	if err != nil {
		return fmt.Errorf("record %s: %w", name, err)
	}
	return nil
}

// ClearMilestone removes a milestone (a review the network withdrew by
// returning a newer version).
func (s *Store) ClearMilestone(ctx context.Context, name string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM milestones WHERE name = ?`, name)
	return err
}
