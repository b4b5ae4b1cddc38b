package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Draft is a form being edited.
type Draft struct {
	Form      string
	Data      []byte // JSON, forms.Data
	Revision  int64  // increases with every save
	UpdatedAt time.Time
}

// ErrNoDraft means the form has no draft.
var ErrNoDraft = errors.New("no draft")

// SaveDraft stores the draft and returns its new revision. The write is
// durable when it returns (synchronous=FULL).
func (s *Store) SaveDraft(ctx context.Context, form string, data []byte, at time.Time) (int64, error) {
	var rev int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO drafts (form, data, revision, updated_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (form) DO UPDATE SET data = excluded.data, revision = drafts.revision + 1, updated_at = excluded.updated_at
		RETURNING revision`, form, string(data), formatTime(at)).Scan(&rev)
	if err != nil {
		return 0, fmt.Errorf("save draft of %s: %w", form, err)
	}
	return rev, nil
}

// Draft returns a form's draft, or ErrNoDraft.
func (s *Store) Draft(ctx context.Context, form string) (Draft, error) {
	d := Draft{Form: form}
	var data, at string
	err := s.db.QueryRowContext(ctx, `SELECT data, revision, updated_at FROM drafts WHERE form = ?`, form).Scan(&data, &d.Revision, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNoDraft
	}
	if err != nil {
		return d, fmt.Errorf("load draft of %s: %w", form, err)
	}
	d.Data = []byte(data)
	d.UpdatedAt, err = parseTime(at)
	return d, err
}

// DiscardDraft deletes a form's draft.
func (s *Store) DiscardDraft(ctx context.Context, form string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM drafts WHERE form = ?`, form)
	return err
}

// Submission is one immutable submitted version of a form.
type Submission struct {
	Form          string
	Version       int
	SchemaVersion int
	Data          []byte
	Hash          string
	SubmittedAt   time.Time
}

// Submit stores the next version of a form (after the network's floor), removes its draft, records the
// milestone and queues what must be sent (built by outbox, which is given
// the version number), all in one transaction. It returns the version.
func (s *Store) Submit(ctx context.Context, sub Submission, milestone string, outbox func(version int) []OutboxItem) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// After this computer's latest and after the latest the network holds
	// from another computer of the provider's (the floor: see versions.go).
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT MAX(COALESCE(MAX(version), 0),
		COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?), 0)) + 1 FROM submissions WHERE form = ?`,
		floorSetting(sub.Form), sub.Form).Scan(&version); err != nil {
		return 0, err
	}
	at := formatTime(sub.SubmittedAt)
	if _, err := tx.ExecContext(ctx, `INSERT INTO submissions (form, version, schema_version, data, hash, submitted_at) VALUES (?, ?, ?, ?, ?, ?)`,
		sub.Form, version, sub.SchemaVersion, string(sub.Data), sub.Hash, at); err != nil {
		return 0, fmt.Errorf("submit %s: %w", sub.Form, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE form = ?`, sub.Form); err != nil {
		return 0, err
	}
	if milestone != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO milestones (name, at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, milestone, at); err != nil {
			return 0, err
		}
	}
	if outbox != nil {
		for _, it := range outbox(version) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, idempotency_key, payload, next_attempt_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`, it.Kind, it.IdempotencyKey, string(it.Payload), at, at, at); err != nil {
				return 0, fmt.Errorf("queue %s: %w", it.Kind, err)
			}
		}
	}
	return version, tx.Commit()
}

// LatestVersion is the number of a form's latest submitted version, 0
// before any (the dashboard asks on every load; it needs no data).
func (s *Store) LatestVersion(ctx context.Context, form string) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM submissions WHERE form = ?`, form).Scan(&v); err != nil {
		return 0, fmt.Errorf("latest version of %s: %w", form, err)
	}
	return v, nil
}

// Submissions lists a form's submitted versions, oldest first.
func (s *Store) Submissions(ctx context.Context, form string) ([]Submission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, schema_version, data, hash, submitted_at FROM submissions WHERE form = ? ORDER BY version`, form)
	if err != nil {
		return nil, fmt.Errorf("load submissions of %s: %w", form, err)
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		sub := Submission{Form: form}
		var data, at string
		if err := rows.Scan(&sub.Version, &sub.SchemaVersion, &data, &sub.Hash, &at); err != nil {
			return nil, err
		}
		sub.Data = []byte(data)
		if sub.SubmittedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}
