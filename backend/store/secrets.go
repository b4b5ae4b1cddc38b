package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SetSecret stores an already encrypted secret and its mask.
func (s *Store) SetSecret(ctx context.Context, name, sealed, mask string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO secrets (name, sealed, mask, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed, mask = excluded.mask, updated_at = excluded.updated_at`,
		name, sealed, mask, formatTime(at))
	if err != nil {
		return fmt.Errorf("save secret %s: %w", name, err)
	}
	return nil
}

// Secret returns a sealed secret and its mask; ok is false if none is set.
func (s *Store) Secret(ctx context.Context, name string) (sealed, mask string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT sealed, mask FROM secrets WHERE name = ?`, name).Scan(&sealed, &mask)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("load secret %s: %w", name, err)
	}
	return sealed, mask, true, nil
}
