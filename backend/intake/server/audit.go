package server

import (
	"context"
	"database/sql"
)

// The staff audit: every action a staff member takes in the console (and
// every sign-in, failed or not, to an account that exists), append-only —
// the table refuses UPDATE and DELETE.

// Audit actions.
const (
	AuditLogin       = "login"
	AuditLoginFailed = "login-failed"
	AuditLogout      = "logout"
	AuditReviewed    = "reviewed"
	AuditReturned    = "returned"
	AuditPayer       = "payer-status"
	AuditEffective   = "effective-date"
	AuditReveal      = "reveal"
	AuditReissue     = "reissue"
	AuditApproved    = "request-approved"
	AuditDeclined    = "request-declined"
	AuditPacket      = "packet-download"
	AuditAttachment  = "attachment-open"
	AuditRoster      = "roster-export"
)

// AuditEntry is one row of the staff audit.
type AuditEntry struct {
	ID       int64  `json:"id"`
	At       string `json:"at"`
	Staff    int64  `json:"staff,omitempty"`
	Who      string `json:"who"`
	Action   string `json:"action"`
	Provider int64  `json:"provider,omitempty"`
	Detail   string `json:"detail,omitempty"`
	Host     string `json:"host,omitempty"`
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// audit writes one entry (At is the database's clock's).
func (d *DB) audit(ctx context.Context, q execer, e AuditEntry) error {
	_, err := q.ExecContext(ctx, `INSERT INTO staff_audit (at, staff, who, action, provider, detail, host) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.stamp(), nullID(e.Staff), e.Who, e.Action, nullID(e.Provider), e.Detail, e.Host)
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// StaffAudit lists the audit, newest first: every entry, or one staff
// member's or one provider's (0: any).
func (d *DB) StaffAudit(ctx context.Context, staff, provider int64) ([]AuditEntry, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, at, COALESCE(staff, 0), who, action, COALESCE(provider, 0), detail, host FROM staff_audit
		WHERE (? = 0 OR staff = ?) AND (? = 0 OR provider = ?) ORDER BY id DESC`, staff, staff, provider, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Staff, &e.Who, &e.Action, &e.Provider, &e.Detail, &e.Host); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// audited runs one write and, when audit is given, writes the entry in
// the same transaction.
func (d *DB) audited(ctx context.Context, audit *AuditEntry, query string, args ...any) error {
	if audit == nil {
		_, err := d.db.ExecContext(ctx, query, args...)
		return err
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	if err := d.audit(ctx, tx, *audit); err != nil {
		return err
	}
	return tx.Commit()
}

// RecordAs writes one staff action that changes nothing else (a packet
// downloaded, an attachment opened, the roster exported) to the audit.
func (d *DB) RecordAs(ctx context.Context, by Staff, host, action string, provider int64, detail string) error {
	return d.audit(ctx, d.db, AuditEntry{Staff: by.ID, Who: by.Email, Action: action, Provider: provider, Detail: detail, Host: host})
}
