package store

import (
	"context"
	"fmt"
)

// QueueReport queues it as the one pending report of its kind, when its
// digest (the report's content without its time) differs from the last
// one queued: a report nothing changed is not sent again, and a newer
// report replaces one still waiting in the queue instead of piling up
// behind it (one being sent, or failed, stays). It reports whether it
// queued it.
func (s *Store) QueueReport(ctx context.Context, it OutboxItem, digest string) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("queue %s: %w", it.Kind, err)
	}
	defer tx.Rollback()
	setting := "report-digest/" + it.Kind
	var last string
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM settings WHERE key = ?), '')`, setting).Scan(&last); err != nil {
		return false, fmt.Errorf("queue %s: %w", it.Kind, err)
	}
	if last == digest {
		return false, nil
	}
	at := formatTime(it.CreatedAt)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM outbox WHERE kind = ? AND state = 'queued'`, []any{it.Kind}},
		{`INSERT INTO outbox (kind, idempotency_key, payload, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
			[]any{it.Kind, it.IdempotencyKey, string(it.Payload), at, at, at}},
		{`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, []any{setting, digest}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return false, fmt.Errorf("queue %s: %w", it.Kind, err)
		}
	}
	return true, tx.Commit()
}

// DropUnsent removes the items of kind not yet delivered: a kind the app no
// longer sends (an upgrade left it queued) would otherwise wait in the sync
// panel forever. It reports how many it removed.
func (s *Store) DropUnsent(ctx context.Context, kind string) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM outbox WHERE kind = ? AND state != 'delivered'`, kind)
	if err != nil {
		return 0, fmt.Errorf("drop unsent %s: %w", kind, err)
	}
	return res.RowsAffected()
}
