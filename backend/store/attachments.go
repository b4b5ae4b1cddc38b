package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Attachment is an uploaded document's record.
type Attachment struct {
	Hash    string
	Name    string
	Size    int64
	Type    string
	AddedAt time.Time
}

// AddAttachment records a stored file; the same content twice keeps the
// first record.
func (s *Store) AddAttachment(ctx context.Context, a Attachment) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO attachments (hash, name, size, type, added_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (hash) DO NOTHING`, a.Hash, a.Name, a.Size, a.Type, formatTime(a.AddedAt))
	if err != nil {
		return fmt.Errorf("record attachment: %w", err)
	}
	return nil
}

// Attachment returns a file's record; ok is false if unknown.
func (s *Store) Attachment(ctx context.Context, hash string) (Attachment, bool, error) {
	a := Attachment{Hash: hash}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT name, size, type, added_at FROM attachments WHERE hash = ?`, hash).Scan(&a.Name, &a.Size, &a.Type, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("load attachment: %w", err)
	}
	a.AddedAt, err = parseTime(at)
	return a, err == nil, err
}
