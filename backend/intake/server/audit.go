package server

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// The staff audit: every action a staff member takes in the console (and
// every sign-in, failed or not, to an account that exists), append-only —
// the table refuses UPDATE and DELETE.

// Audit actions.
const (
	AuditLogin         = "login"
	AuditLoginFailed   = "login-failed"
	AuditLogout        = "logout"
	AuditReviewed      = "reviewed"
	AuditReturned      = "returned"
	AuditPayer         = "payer-status"
	AuditEffective     = "effective-date"
	AuditReveal        = "reveal"
	AuditReissue       = "reissue"
	AuditApproved      = "request-approved"
	AuditDeclined      = "request-declined"
	AuditPacket        = "packet-download"
	AuditAttachment    = "attachment-open"
	AuditRoster        = "roster-export"
	AuditStaffAdded    = "staff-added"
	AuditStaffDisabled = "staff-disabled"
	AuditStaffPassword = "staff-password"
	AuditTicketReply   = "ticket-reply"
	AuditTicketState   = "ticket-state"
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

// AuditQuery asks for one page of the staff audit.
type AuditQuery struct {
	Staff    int64  // one account's entries; 0: everyone's
	Who      string // or by the name they were written under ("command line: root"); "": anyone
	Provider int64  // entries on one provider; 0: any
	From, To string // days, YYYY-MM-DD, both included; "": open
	Page     int    // from 1
}

// AuditPageSize is how many entries a page of the audit shows.
const AuditPageSize = 100

// AuditLog is one page of the staff audit, newest first, and how many
// entries match in all.
func (d *DB) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if q.Staff != 0 {
		where, args = append(where, "staff = ?"), append(args, q.Staff)
	}
	if q.Who != "" {
		where, args = append(where, "lower(who) = lower(?)"), append(args, q.Who)
	}
	if q.Provider != 0 {
		where, args = append(where, "provider = ?"), append(args, q.Provider)
	}
	// Stamps are RFC 3339 in UTC: a day's entries sort between the day and
	// the next.
	if q.From != "" {
		where, args = append(where, "at >= ?"), append(args, q.From)
	}
	if q.To != "" {
		next, err := time.Parse(time.DateOnly, q.To)
		if err != nil {
			return nil, 0, fmt.Errorf("give the last day as YYYY-MM-DD")
		}
		where, args = append(where, "at < ?"), append(args, next.AddDate(0, 0, 1).Format(time.DateOnly))
	}
	if q.From != "" {
		if _, err := time.Parse(time.DateOnly, q.From); err != nil {
			return nil, 0, fmt.Errorf("give the first day as YYYY-MM-DD")
		}
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_audit WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page := max(q.Page, 1)
	rows, err := d.db.QueryContext(ctx, `SELECT id, at, COALESCE(staff, 0), who, action, COALESCE(provider, 0), detail, host FROM staff_audit
		WHERE `+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, AuditPageSize, (page-1)*AuditPageSize)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Staff, &e.Who, &e.Action, &e.Provider, &e.Detail, &e.Host); err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
