package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OutboxItem is one piece of work to send when online.
type OutboxItem struct {
	ID             int64
	Kind           string
	IdempotencyKey string
	Payload        []byte // JSON
	State          string // queued, sending, delivered, failed
	Attempts       int
	LastError      string
	NextAttemptAt  time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time // the last change of state: when it was delivered, for a delivered item
}

// Enqueue adds an item unless one with the same idempotency key exists; it
// reports whether it added one. Queuing the same thing twice is harmless.
func (s *Store) Enqueue(ctx context.Context, it OutboxItem) (bool, error) {
	at := formatTime(it.CreatedAt)
	res, err := s.db.ExecContext(ctx, `INSERT INTO outbox (kind, idempotency_key, payload, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
		it.Kind, it.IdempotencyKey, string(it.Payload), at, at, at)
	if err != nil {
		return false, fmt.Errorf("queue %s: %w", it.Kind, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Outbox lists every item, oldest first.
func (s *Store) Outbox(ctx context.Context) ([]OutboxItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, idempotency_key, payload, state, attempts, last_error, next_attempt_at, created_at FROM outbox ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var payload, next, at string
		if err := rows.Scan(&it.ID, &it.Kind, &it.IdempotencyKey, &payload, &it.State, &it.Attempts, &it.LastError, &next, &at); err != nil {
			return nil, fmt.Errorf("load outbox: %w", err)
		}
		it.Payload = []byte(payload)
		if it.CreatedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		it.NextAttemptAt, _ = parseTime(next)
		out = append(out, it)
	}
	return out, rows.Err()
}

// OutboxItemByKey returns the item queued with an idempotency key, if there
// is one (the dashboard says whether the onboarding-complete email went out).
func (s *Store) OutboxItemByKey(ctx context.Context, key string) (OutboxItem, bool, error) {
	var it OutboxItem
	var payload, next, at, updated string
	err := s.db.QueryRowContext(ctx, `SELECT id, kind, idempotency_key, payload, state, attempts, last_error, next_attempt_at, created_at, updated_at
		FROM outbox WHERE idempotency_key = ?`, key).
		Scan(&it.ID, &it.Kind, &it.IdempotencyKey, &payload, &it.State, &it.Attempts, &it.LastError, &next, &at, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxItem{}, false, nil
	}
	if err != nil {
		return OutboxItem{}, false, fmt.Errorf("load outbox item %s: %w", key, err)
	}
	it.Payload = []byte(payload)
	it.NextAttemptAt, _ = parseTime(next)
	if it.CreatedAt, err = parseTime(at); err != nil {
		return OutboxItem{}, false, err
	}
	if it.UpdatedAt, err = parseTime(updated); err != nil {
		return OutboxItem{}, false, err
	}
	return it, true, nil
}

// Outbox states.
const (
	OutboxQueued    = "queued"
	OutboxSending   = "sending"
	OutboxDelivered = "delivered"
	OutboxFailed    = "failed" // permanent: shown with its reason and a retry action
)

// ClaimDue marks up to limit items of the given kinds (all kinds when none
// is given) whose time has come as sending and returns them, oldest first,
// in one statement.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int, kinds ...string) ([]OutboxItem, error) {
	kindFilter := ""
	args := []any{formatTime(now), limit}
	if len(kinds) > 0 {
		marks := make([]string, len(kinds))
		for i, k := range kinds {
			marks[i] = "?" + strconv.Itoa(i+3) // ?1 and ?2 are taken
			args = append(args, k)
		}
		kindFilter = " AND kind IN (" + strings.Join(marks, ",") + ")"
	}
	rows, err := s.db.QueryContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?1
		WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1`+kindFilter+` ORDER BY id LIMIT ?2)
		RETURNING id, kind, idempotency_key, payload, state, attempts, created_at`, args...)
	if err != nil {
		return nil, fmt.Errorf("claim outbox items: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var payload, at string
		if err := rows.Scan(&it.ID, &it.Kind, &it.IdempotencyKey, &payload, &it.State, &it.Attempts, &at); err != nil {
			return nil, err
		}
		it.Payload = []byte(payload)
		it.CreatedAt, _ = parseTime(at)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// MarkDelivered records a delivered item.
func (s *Store) MarkDelivered(ctx context.Context, id int64, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = 'delivered', last_error = '', updated_at = ? WHERE id = ?`, formatTime(now), id)
	return err
}

// MarkRetry puts an item back in the queue until next, with why it failed.
func (s *Store) MarkRetry(ctx context.Context, id int64, reason string, next, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = 'queued', last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
		reason, formatTime(next), formatTime(now), id)
	return err
}

// MarkFailed moves an item to the dead-letter state with its reason.
func (s *Store) MarkFailed(ctx context.Context, id int64, reason string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?`, reason, formatTime(now), id)
	return err
}

// RetryNow re-queues a failed item (the provider's "retry"), due now.
func (s *Store) RetryNow(ctx context.Context, id int64, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'failed'`,
		formatTime(now), formatTime(now), id)
	return err
}

// ReleaseStale puts items left "sending" by a crash or a closed lid back in
// the queue. Their idempotency keys make the resend harmless.
func (s *Store) ReleaseStale(ctx context.Context, olderThan, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ?
		WHERE state = 'sending' AND updated_at <= ?`, formatTime(now), formatTime(now), formatTime(olderThan))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// MarkDeliveredMany records many delivered items in one transaction.
func (s *Store) MarkDeliveredMany(ctx context.Context, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `UPDATE outbox SET state = 'delivered', last_error = '', updated_at = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	at := formatTime(now)
	for _, id := range ids {
		if _, err := stmt.ExecContext(ctx, at, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// EnqueueAll adds items in one transaction: all of them or none. Items whose
// idempotency key is already queued are skipped, as with Enqueue.
func (s *Store) EnqueueAll(ctx context.Context, items ...OutboxItem) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	defer tx.Rollback()
	for _, it := range items {
		at := formatTime(it.CreatedAt)
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, idempotency_key, payload, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
			it.Kind, it.IdempotencyKey, string(it.Payload), at, at, at); err != nil {
			return fmt.Errorf("queue %s: %w", it.Kind, err)
		}
	}
	return tx.Commit()
}
