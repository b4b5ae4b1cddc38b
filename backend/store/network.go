package store

import (
	"context"
	"fmt"
	"time"
)

// NetworkVersion is one submitted form version as the network's status feed
// reports it.
type NetworkVersion struct {
	Form    string
	Version int
	// ReceivedAt is when the network received the version. When the feed
	// gave no time it is when the app first learned of the receipt, and
	// ReceivedExact is false.
	ReceivedAt    time.Time
	ReceivedExact bool
	Review        string // the feed's word: received, reviewed, returned
	Reason        string // why it was returned
	ReviewedAt    time.Time
}

// SetNetworkVersion records what the feed says of a version. A receipt
// time the feed gave replaces any other; one only learned (not exact)
// never replaces a time already recorded, so it stays the first sync's.
func (s *Store) SetNetworkVersion(ctx context.Context, v NetworkVersion) error {
	reviewed := ""
	if !v.ReviewedAt.IsZero() {
		reviewed = formatTime(v.ReviewedAt)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO network_versions (form, version, received_at, received_exact, review, reason, reviewed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (form, version) DO UPDATE SET
			received_at = CASE WHEN excluded.received_exact THEN excluded.received_at ELSE received_at END,
			received_exact = MAX(received_exact, excluded.received_exact),
			review = excluded.review, reason = excluded.reason, reviewed_at = excluded.reviewed_at`,
		v.Form, v.Version, formatTime(v.ReceivedAt), v.ReceivedExact, v.Review, v.Reason, reviewed)
	if err != nil {
		return fmt.Errorf("record the network's word on %s version %d: %w", v.Form, v.Version, err)
	}
	return nil
}

// NetworkVersions lists what the feed said of form's versions, oldest
// first.
func (s *Store) NetworkVersions(ctx context.Context, form string) ([]NetworkVersion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, received_at, received_exact, review, reason, reviewed_at
		FROM network_versions WHERE form = ? ORDER BY version`, form)
	if err != nil {
		return nil, fmt.Errorf("load the network's word on %s: %w", form, err)
	}
	defer rows.Close()
	var out []NetworkVersion
	for rows.Next() {
		v := NetworkVersion{Form: form}
		var received, reviewed string
		if err := rows.Scan(&v.Version, &received, &v.ReceivedExact, &v.Review, &v.Reason, &reviewed); err != nil {
			return nil, fmt.Errorf("load the network's word on %s: %w", form, err)
		}
		if v.ReceivedAt, err = parseTime(received); err != nil {
			return nil, fmt.Errorf("load the network's word on %s version %d: %w", form, v.Version, err)
		}
		if reviewed != "" {
			if v.ReviewedAt, err = parseTime(reviewed); err != nil {
				return nil, fmt.Errorf("load the network's word on %s version %d: %w", form, v.Version, err)
			}
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
