package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"onramp/backend/intake"
	"strings"
	"time"

	"onramp/backend/validate"
)

// ErrNotFound means no such provider or submission.
var ErrNotFound = errors.New("not found")

// Invite issues an invitation code for a provider's email.
func (d *DB) Invite(ctx context.Context, email string) (string, error) {
	if err := validate.Email(email); err != nil {
		return "", err
	}
	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		return "", err
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	email = strings.TrimSpace(email)
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (code, email, created_at) VALUES (?, ?, ?)`, code, email, d.stamp()); err != nil {
		return "", err
	}
	// The welcome email (step one, with the code) stands or falls with the
	// invitation.
	if err := d.queueWelcome(ctx, tx, code, email); err != nil {
		return "", err
	}
	return code, tx.Commit()
}

// AddInvitation registers an invitation code made elsewhere (for example
// printed in a welcome letter) for an email.
func (d *DB) AddInvitation(ctx context.Context, code, email string) error {
	if err := validate.InvitationCode(code); err != nil {
		return err
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO invitations (code, email, created_at) VALUES (?, ?, ?)`,
		validate.FormatInvitationCode(code), strings.TrimSpace(email), d.stamp())
	return err
}

// ProviderSummary is one provider's progress, for support.
type ProviderSummary struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	// AppEmail is the address the provider's app was set up with, as the
	// latest enrollment gave it, when it is not Email: the provider's
	// receipts go there.
	AppEmail      string               `json:"appEmail,omitempty"`
	EnrolledAt    string               `json:"enrolledAt"`
	Forms         []intake.FormStatus  `json:"forms"`
	Payers        []intake.PayerStatus `json:"payers"`
	EffectiveDate string               `json:"effectiveDate,omitempty"`
	PortalCreated bool                 `json:"portalCreated"`
	Packets       int                  `json:"packets"`
	GuidanceMail  MailCounts           `json:"guidanceMail"`
	// Learned is what the app reported and the network concluded:
	// training, start date, checklist, app version, live date, completion.
	Learned
}

// Providers lists every enrolled provider with their progress.
func (d *DB) Providers(ctx context.Context) ([]ProviderSummary, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name, email, CASE WHEN lower(enrolled_email) = lower(email) THEN '' ELSE enrolled_email END, created_at
		FROM providers ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var out []ProviderSummary
	for rows.Next() {
		var p ProviderSummary
		if err := rows.Scan(&p.ID, &p.Name, &p.Email, &p.AppEmail, &p.EnrolledAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	for i := range out {
		st, err := d.status(ctx, out[i].ID)
		if err != nil {
			return nil, err
		}
		out[i].Forms, out[i].Payers, out[i].EffectiveDate, out[i].PortalCreated = st.Forms, st.Payers, st.EffectiveDate, st.PortalCreated
		if out[i].Packets, err = d.packetCount(ctx, out[i].ID); err != nil {
			return nil, err
		}
		if out[i].GuidanceMail, err = d.mailCounts(ctx, out[i].ID); err != nil {
			return nil, err
		}
		if out[i].Learned, err = d.learnedSummary(ctx, out[i].ID, st); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Review marks a provider's latest submitted version of a form reviewed, or
// returned with a reason the provider will see.
func (d *DB) Review(ctx context.Context, provider int64, form string, reviewed bool, reason string) error {
	return d.review(ctx, provider, form, reviewed, reason, nil)
}

// ReviewAs is Review by a staff member in the console, written to the
// staff audit in the same transaction.
func (d *DB) ReviewAs(ctx context.Context, by Staff, host string, provider int64, form string, reviewed bool, reason string) error {
	action := AuditReviewed
	if !reviewed {
		action = AuditReturned
	}
	return d.review(ctx, provider, form, reviewed, reason, &AuditEntry{Staff: by.ID, Who: by.Email, Action: action,
		Provider: provider, Detail: strings.TrimSpace(form + " " + reason), Host: host})
}

func (d *DB) review(ctx context.Context, provider int64, form string, reviewed bool, reason string, audit *AuditEntry) error {
	state := "reviewed"
	if !reviewed {
		state = "returned"
		if strings.TrimSpace(reason) == "" {
			return errors.New("say why the form is returned: the provider sees the reason")
		}
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.lockProvider(ctx, provider); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE submissions SET review = ?, review_reason = ?, reviewed_at = ?
		WHERE provider = ? AND form = ? AND version = (SELECT MAX(version) FROM submissions WHERE provider = ? AND form = ?)`,
		state, strings.TrimSpace(reason), d.stamp(), provider, form, provider, form)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: provider %d has no %s submission", ErrNotFound, provider, form)
	}
	if reviewed {
		if err := d.afterReview(ctx, tx, provider); err != nil {
			return err
		}
		// The last review can complete onboarding (training done first).
		if err := d.checkCompletion(ctx, tx, provider); err != nil {
			return err
		}
	} else if err := d.afterReturn(ctx, tx, provider, form, reason); err != nil {
		return err
	}
	if audit != nil {
		if err := d.audit(ctx, tx, *audit); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// SetPayer records one payer's credentialing status for a provider.
func (d *DB) SetPayer(ctx context.Context, provider int64, payer, status string) error {
	return d.setPayer(ctx, provider, payer, status, nil)
}

// SetPayerAs is SetPayer by a staff member in the console, audited.
func (d *DB) SetPayerAs(ctx context.Context, by Staff, host string, provider int64, payer, status string) error {
	return d.setPayer(ctx, provider, payer, status, &AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditPayer,
		Provider: provider, Detail: strings.TrimSpace(payer) + ": " + status, Host: host})
}

func (d *DB) setPayer(ctx context.Context, provider int64, payer, status string, audit *AuditEntry) error {
	payer = strings.TrimSpace(payer)
	if payer == "" || len(payer) > 80 {
		return errors.New("name the payer (80 characters at most)")
	}
	if !intake.ValidPayerState(status) {
		return fmt.Errorf("status must be one of %s", strings.Join(intake.PayerStates(), ", "))
	}
	if err := d.providerExists(ctx, provider); err != nil {
		return err
	}
	return d.audited(ctx, audit, `INSERT INTO payers (provider, payer, status, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (provider, payer) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
		provider, payer, status, d.stamp())
}

// SetEffective sets the provider's credentialing effective start date.
func (d *DB) SetEffective(ctx context.Context, provider int64, date string) error {
	return d.setEffective(ctx, provider, date, nil)
}

// SetEffectiveAs is SetEffective by a staff member in the console,
// audited.
func (d *DB) SetEffectiveAs(ctx context.Context, by Staff, host string, provider int64, date string) error {
	return d.setEffective(ctx, provider, date, &AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditEffective,
		Provider: provider, Detail: date, Host: host})
}

func (d *DB) setEffective(ctx context.Context, provider int64, date string, audit *AuditEntry) error {
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return errors.New("give the date as YYYY-MM-DD")
	}
	if err := d.providerExists(ctx, provider); err != nil {
		return err
	}
	err := d.audited(ctx, audit, `INSERT INTO effective_dates (provider, date) VALUES (?, ?)
		ON CONFLICT (provider) DO UPDATE SET date = excluded.date`, provider, date)
	return err
}

func (d *DB) providerExists(ctx context.Context, provider int64) error {
	var one int
	err := d.db.QueryRowContext(ctx, `SELECT 1 FROM providers WHERE id = ?`, provider).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: no provider %d", ErrNotFound, provider)
	}
	return err
}

// Submission is one received form version, for support.
type Submission struct {
	Form       string `json:"form"`
	Version    int    `json:"version"`
	Hash       string `json:"hash"`
	Data       string `json:"data"`
	ReceivedAt string `json:"receivedAt"`
}

// Submissions lists what a provider submitted, oldest first.
func (d *DB) Submissions(ctx context.Context, provider int64) ([]Submission, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT form, version, hash, data, received_at FROM submissions WHERE provider = ? ORDER BY id`, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		var s Submission
		if err := rows.Scan(&s.Form, &s.Version, &s.Hash, &s.Data, &s.ReceivedAt); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
