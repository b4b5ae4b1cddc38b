package store

import (
	"context"
	"fmt"
	"time"
)

// RemindersShown is the set of reminder keys already shown.
func (s *Store) RemindersShown(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key FROM reminders_shown`)
	if err != nil {
		return nil, fmt.Errorf("read reminders shown: %w", err)
	}
	defer rows.Close()
	shown := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		shown[k] = true
	}
	return shown, rows.Err()
}

// ReminderShown records that a reminder was shown; recording it again
// changes nothing.
func (s *Store) ReminderShown(ctx context.Context, key string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO reminders_shown (key, shown_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		key, at.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("record reminder shown: %w", err)
	}
	return nil
}
