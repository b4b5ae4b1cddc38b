package store

import (
	"context"
	"fmt"
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
	CreatedAt      time.Time
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
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, idempotency_key, payload, state, attempts, created_at FROM outbox ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var payload, at string
		if err := rows.Scan(&it.ID, &it.Kind, &it.IdempotencyKey, &payload, &it.State, &it.Attempts, &at); err != nil {
			return nil, fmt.Errorf("load outbox: %w", err)
		}
		it.Payload = []byte(payload)
		if it.CreatedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
