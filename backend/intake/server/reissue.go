package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"onramp/backend/validate"
)

// Reissue gives a provider who moved to a new computer a new invitation
// code, in one transaction: the old computer's token stops working, the
// packet signing key it vouched for is forgotten (the new computer's, sent
// at its enrollment, takes its place), and the provider's invitation is
// re-pointed to the new code, so the old code enrolls nothing and the first
// computer to enroll with the new one becomes the provider's. Everything
// the network holds for the provider (submissions, reviews, payers) stays.
func (d *DB) Reissue(ctx context.Context, provider int64) (string, error) {
	return d.reissue(ctx, provider, nil)
}

// ReissueAs is Reissue by a staff member in the console, written to the
// staff audit in the same transaction.
func (d *DB) ReissueAs(ctx context.Context, by Staff, host string, provider int64) (string, error) {
	return d.reissue(ctx, provider, &AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditReissue, Provider: provider, Host: host})
}

func (d *DB) reissue(ctx context.Context, provider int64, audit *AuditEntry) (string, error) {
	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		return "", err
	}
	// A hash no token has (tokens hash to 64 hex digits): the old token is
	// refused from now on, and the column stays unique.
	revoked := make([]byte, 16)
	if _, err := rand.Read(revoked); err != nil {
		return "", err
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if err := tx.lockProvider(ctx, provider); err != nil {
		return "", err
	}
	var email string
	err = tx.QueryRowContext(ctx, `SELECT email FROM providers WHERE id = ?`, provider).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: no provider %d", ErrNotFound, provider)
	}
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE providers SET token_hash = ?, installation = '' WHERE id = ?`,
		"revoked-"+hex.EncodeToString(revoked), provider); err != nil {
		return "", fmt.Errorf("revoke the old token: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM packet_keys WHERE provider = ?`, provider); err != nil {
		return "", fmt.Errorf("forget the packet signing key: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE invitations SET code = ?, created_at = ? WHERE provider = ?`, code, d.stamp(), provider)
	if err != nil {
		return "", fmt.Errorf("re-point the invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// A provider enrolled before invitations named their provider:
		// give them one.
		if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (code, email, created_at, provider) VALUES (?, ?, ?, ?)`,
			code, email, d.stamp(), provider); err != nil {
			return "", fmt.Errorf("re-point the invitation: %w", err)
		}
	}
	if err := d.queueWelcome(ctx, tx, code, email); err != nil {
		return "", err
	}
	if audit != nil {
		if err := d.audit(ctx, tx, *audit); err != nil {
			return "", err
		}
	}
	if err := tx.Commit(); err != nil {
		return "", err
	}
	return code, nil
}
