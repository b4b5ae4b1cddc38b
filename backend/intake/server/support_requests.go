package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"onramp/backend/intake"
)

// ProviderRequest is one Insurance & Directories request, for support.
type ProviderRequest struct {
	intake.RequestStatus
	Provider      int64  `json:"provider"`
	ProviderEmail string `json:"providerEmail"`
}

// Requests lists Insurance & Directories requests, oldest first: every
// provider's when provider is 0.
func (d *DB) Requests(ctx context.Context, provider int64) ([]ProviderRequest, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT r.id, r.ref, r.kind, r.target, r.reason, r.state, r.decision, r.created_at, r.decided_at, r.provider, p.email
		FROM requests r JOIN providers p ON p.id = r.provider WHERE ? = 0 OR r.provider = ? ORDER BY r.id`, provider, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProviderRequest
	for rows.Next() {
		var r ProviderRequest
		if err := rows.Scan(&r.ID, &r.Ref, &r.Kind, &r.Target, &r.Reason, &r.State, &r.Decision, &r.CreatedAt, &r.DecidedAt,
			&r.Provider, &r.ProviderEmail); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ErrDecided means the request was already approved or declined.
var ErrDecided = errors.New("already decided")

// ApproveRequest approves a pending request and applies it in the same
// transaction: add-payer puts the payer at "submitted" (the network now
// sends the application), unenroll-payer ends the provider's credentialing
// with that payer, enroll-program and leave-program change the enrollment.
// A request the provider's status no longer allows (support changed it in
// the meantime) is refused: decline it instead.
func (d *DB) ApproveRequest(ctx context.Context, id int64) error {
	return d.approveRequest(ctx, id, nil)
}

// ApproveRequestAs is ApproveRequest by a staff member in the console,
// written to the staff audit in the same transaction.
func (d *DB) ApproveRequestAs(ctx context.Context, by Staff, host string, id int64) error {
	return d.approveRequest(ctx, id, &AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditApproved, Host: host})
}

func (d *DB) approveRequest(ctx context.Context, id int64, audit *AuditEntry) error {
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := lockRequestsProvider(ctx, tx, id); err != nil {
		return err
	}
	r, provider, err := pendingRequest(ctx, tx, id)
	if err != nil {
		return err
	}
	offers, err := offeringsFor(ctx, tx, provider)
	if err != nil {
		return err
	}
	o := intake.Offering{Name: r.Target, Kind: intake.OfferingPayer, Status: intake.NotCredentialed}
	if r.Kind == intake.RequestEnrollProgram || r.Kind == intake.RequestLeaveProgram {
		o = intake.Offering{Name: r.Target, Kind: intake.OfferingProgram, Status: intake.NotEnrolled}
	}
	for _, x := range offers {
		if x.Kind == o.Kind && strings.EqualFold(x.Name, r.Target) {
			o = x
		}
	}
	if p := intake.RequestStatusProblem(r.Kind, o); p != "" {
		return fmt.Errorf("request %d can no longer be applied (%s): decline it with a reason instead", id, p)
	}
	now := d.stamp()
	switch r.Kind {
	case intake.RequestAddPayer:
		err = submitToPayer(ctx, tx, provider, o.Name, now)
	case intake.RequestUnenrollPayer:
		_, err = tx.ExecContext(ctx, `DELETE FROM payers WHERE provider = ? AND lower(payer) = lower(?)`, provider, o.Name)
	case intake.RequestEnrollProgram:
		_, err = tx.ExecContext(ctx, `INSERT INTO enrollments (provider, program, enrolled_at) VALUES (?, ?, ?)`, provider, o.Name, now)
	case intake.RequestLeaveProgram:
		_, err = tx.ExecContext(ctx, `DELETE FROM enrollments WHERE provider = ? AND lower(program) = lower(?)`, provider, o.Name)
	default:
		err = fmt.Errorf("request %d is of a kind this server cannot apply (%s)", id, r.Kind)
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET state = ?, decided_at = ? WHERE id = ?`, intake.RequestApproved, now, id); err != nil {
		return err
	}
	if err := auditRequest(ctx, d, tx, audit, provider, r); err != nil {
		return err
	}
	return tx.Commit()
}

// DeclineRequest declines a pending request with a reason the provider
// sees.
func (d *DB) DeclineRequest(ctx context.Context, id int64, reason string) error {
	return d.declineRequest(ctx, id, reason, nil)
}

// DeclineRequestAs is DeclineRequest by a staff member in the console,
// written to the staff audit in the same transaction.
func (d *DB) DeclineRequestAs(ctx context.Context, by Staff, host string, id int64, reason string) error {
	return d.declineRequest(ctx, id, reason, &AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditDeclined, Host: host})
}

func (d *DB) declineRequest(ctx context.Context, id int64, reason string, audit *AuditEntry) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > intake.MaxRequestReason {
		return fmt.Errorf("say why the request is declined (%d characters at most): the provider sees the reason", intake.MaxRequestReason)
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := lockRequestsProvider(ctx, tx, id); err != nil {
		return err
	}
	r, provider, err := pendingRequest(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET state = ?, decision = ?, decided_at = ? WHERE id = ?`,
		intake.RequestDeclined, reason, d.stamp(), id); err != nil {
		return err
	}
	r.Decision = reason
	if err := auditRequest(ctx, d, tx, audit, provider, r); err != nil {
		return err
	}
	return tx.Commit()
}

// auditRequest writes a decision's audit entry (when there is one): the
// provider, and the request and (declined) the reason in words.
func auditRequest(ctx context.Context, d *DB, tx *dbTx, audit *AuditEntry, provider int64, r intake.RequestStatus) error {
	if audit == nil {
		return nil
	}
	a := *audit
	a.Provider = provider
	a.Detail = strings.TrimSpace(r.Kind + " " + r.Target + " " + r.Decision)
	return d.audit(ctx, tx, a)
}

// pendingRequest reads a request that waits for support's decision.
func pendingRequest(ctx context.Context, tx *dbTx, id int64) (intake.RequestStatus, int64, error) {
	var r intake.RequestStatus
	var provider int64
	err := tx.QueryRowContext(ctx, `SELECT kind, target, state, provider FROM requests WHERE id = ?`, id).Scan(&r.Kind, &r.Target, &r.State, &provider)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return r, 0, fmt.Errorf("%w: no request %d", ErrNotFound, id)
	case err != nil:
		return r, 0, err
	case r.State != intake.RequestPending:
		return r, 0, fmt.Errorf("%w: request %d was %s", ErrDecided, id, r.State)
	}
	return r, provider, nil
}

// submitToPayer puts the provider's status with a payer at "submitted",
// whatever the spelling of an earlier status's row (support may have typed
// "aetna" for the catalogue's "Aetna").
func submitToPayer(ctx context.Context, tx *dbTx, provider int64, payer, now string) error {
	res, err := tx.ExecContext(ctx, `UPDATE payers SET status = ?, updated_at = ? WHERE provider = ? AND lower(payer) = lower(?)`,
		intake.PayerSubmitted, now, provider, payer)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO payers (provider, payer, status, updated_at) VALUES (?, ?, ?, ?)`,
		provider, payer, intake.PayerSubmitted, now)
	return err
}

// lockRequestsProvider holds the row of the provider who made request id,
// so that support's decision and the provider's writes queue behind each
// other (two staff deciding at once: the second finds it decided).
func lockRequestsProvider(ctx context.Context, tx *dbTx, id int64) error {
	return tx.eng.lockRows(ctx, tx, `SELECT id FROM providers WHERE id = (SELECT provider FROM requests WHERE id = ?)`, id)
}
