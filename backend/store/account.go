package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Account is the provider's first-run setup.
type Account struct {
	LegalName      string
	PreferredName  string // the name to greet them by, "" when not given
	Email          string
	LicenseType    string
	ContractStart  time.Time // a calendar date
	InvitationCode string
	CreatedAt      time.Time
}

const dateLayout = "2006-01-02"

// ErrAccountExists means first-run setup was already done.
var ErrAccountExists = errors.New("an account is already set up")

// Account returns the account, or false before first-run setup.
func (s *Store) Account(ctx context.Context) (Account, bool, error) {
	var a Account
	var start, created string
	err := s.db.QueryRowContext(ctx, `SELECT legal_name, preferred_name, email, license_type, contract_start, invitation_code, created_at
		FROM account WHERE id = 1`).Scan(&a.LegalName, &a.PreferredName, &a.Email, &a.LicenseType, &start, &a.InvitationCode, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, false, nil
	}
	if err != nil {
		return Account{}, false, fmt.Errorf("load account: %w", err)
	}
	if a.ContractStart, err = time.Parse(dateLayout, start); err != nil {
		return Account{}, false, fmt.Errorf("load account: contract start: %w", err)
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return Account{}, false, fmt.Errorf("load account: created at: %w", err)
	}
	return a, true, nil
}

// CreateAccount records first-run setup; it refuses a second one.
func (s *Store) CreateAccount(ctx context.Context, a Account) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO account
		(id, legal_name, preferred_name, email, license_type, contract_start, invitation_code, created_at)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		a.LegalName, a.PreferredName, a.Email, a.LicenseType, a.ContractStart.Format(dateLayout), a.InvitationCode, formatTime(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("save account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrAccountExists
	}
	return nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }
