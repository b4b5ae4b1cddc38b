package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SetSetting stores a small value by key.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

// Setting returns a stored value, or "" if none.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSettingWithSecret stores a setting and the secret that goes with it in
// one transaction, so neither is ever saved without the other. An empty
// sealed value removes the secret.
func (s *Store) SetSettingWithSecret(ctx context.Context, key, value, secretName, sealed, mask string, at time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	defer tx.Rollback()
	if sealed == "" {
		_, err = tx.ExecContext(ctx, `DELETE FROM secrets WHERE name = ?`, secretName)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO secrets (name, sealed, mask, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed, mask = excluded.mask, updated_at = excluded.updated_at`,
			secretName, sealed, mask, formatTime(at))
	}
	if err != nil {
		return fmt.Errorf("save secret %s: %w", secretName, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return tx.Commit()
}
