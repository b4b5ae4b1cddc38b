package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"
)

// Console sessions. A login checks the password (argon2id), keeps the
// failed ones for the lockout, and makes a new session: a random ID that
// only the staff member's cookie holds (the database keeps its SHA-256)
// and a CSRF token for the forms. Sessions live in the database, so every
// instance knows them.

const (
	// SessionIdle ends a session not used for this long.
	SessionIdle = 30 * time.Minute
	// lockoutFailures failed logins within lockoutWindow lock the account
	// for lockoutWindow from the last of them.
	lockoutFailures = 5
	lockoutWindow   = 15 * time.Minute
)

// ErrLogin is every failed login's one answer, whatever failed (no such
// account, a disabled one, a wrong password, a locked one): the answer
// never tells whether an account exists.
var ErrLogin = errors.New("the email or password is not right, or the account is locked for 15 minutes after too many tries")

// ErrNoSession means the session is unknown, ended or idle too long.
var ErrNoSession = errors.New("not signed in")

// StaffSession is a signed-in staff member.
type StaffSession struct {
	Staff Staff
	CSRF  string
}

// dummyHash is checked against when there is no account, so that an
// unknown email takes as long as a wrong password. Made at the first need.
var dummyHash = sync.OnceValue(func() string { return hashPassword("no account has this password, ever") })

// StaffLogin checks an email and password and makes a new session,
// returning its ID (for the cookie) and the session. host is where the
// login came from, for the audit, which records every login and every
// failed one to an account that exists.
func (d *DB) StaffLogin(ctx context.Context, email, password, host string) (string, StaffSession, error) {
	var s Staff
	var stored string
	err := d.db.QueryRowContext(ctx, `SELECT id, email, role, created_at, disabled_at, password_hash FROM staff WHERE lower(email) = lower(?)`,
		strings.TrimSpace(email)).Scan(&s.ID, &s.Email, &s.Role, &s.CreatedAt, &s.DisabledAt, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(dummyHash(), password)
		return "", StaffSession{}, ErrLogin
	}
	if err != nil {
		return "", StaffSession{}, err
	}
	now := d.now()
	locked, err := d.lockedOut(ctx, s.ID, now)
	if err != nil {
		return "", StaffSession{}, err
	}
	ok, err := checkPassword(stored, password)
	if err != nil {
		return "", StaffSession{}, err
	}
	if !ok || locked || s.DisabledAt != "" {
		why := "account disabled"
		switch {
		case !ok:
			why = "wrong password"
			if _, err := d.db.ExecContext(ctx, `INSERT INTO login_failures (staff, at) VALUES (?, ?)`, s.ID, now.UnixMilli()); err != nil {
				return "", StaffSession{}, err
			}
		case locked:
			why = "locked after too many failed logins"
		}
		if err := d.audit(ctx, d.db, AuditEntry{Staff: s.ID, Who: s.Email, Action: AuditLoginFailed, Detail: why, Host: host}); err != nil {
			return "", StaffSession{}, err
		}
		return "", StaffSession{}, ErrLogin
	}
	id, csrf := randomToken(), randomToken()
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return "", StaffSession{}, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions (id_hash, staff, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)`,
		sessionHash(id), s.ID, csrf, now.UnixMilli(), now.UnixMilli()); err != nil {
		return "", StaffSession{}, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE staff = ?`, s.ID); err != nil {
		return "", StaffSession{}, err
	}
	if err := d.audit(ctx, tx, AuditEntry{Staff: s.ID, Who: s.Email, Action: AuditLogin, Host: host}); err != nil {
		return "", StaffSession{}, err
	}
	return id, StaffSession{Staff: s, CSRF: csrf}, tx.Commit()
}

// lockedOut reports whether the account's last lockoutFailures failed
// logins came within lockoutWindow of each other, the last of them less
// than lockoutWindow ago.
func (d *DB) lockedOut(ctx context.Context, staff int64, now time.Time) (bool, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT at FROM login_failures WHERE staff = ? ORDER BY at DESC LIMIT ?`, staff, lockoutFailures)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var at []int64
	for rows.Next() {
		var ms int64
		if err := rows.Scan(&ms); err != nil {
			return false, err
		}
		at = append(at, ms)
	}
	if err := rows.Err(); err != nil || len(at) < lockoutFailures {
		return false, err
	}
	last, first := time.UnixMilli(at[0]), time.UnixMilli(at[len(at)-1])
	return last.Sub(first) <= lockoutWindow && now.Sub(last) < lockoutWindow, nil
}

// StaffSessionFor is the session with this ID, if it is still open: known,
// used within SessionIdle, its account not disabled. Using it keeps it
// open.
func (d *DB) StaffSessionFor(ctx context.Context, id string) (StaffSession, error) {
	if id == "" {
		return StaffSession{}, ErrNoSession
	}
	now := d.now()
	var ss StaffSession
	var lastSeen int64
	err := d.db.QueryRowContext(ctx, `SELECT s.id, s.email, s.role, s.created_at, s.disabled_at, x.csrf, x.last_seen
		FROM staff_sessions x JOIN staff s ON s.id = x.staff WHERE x.id_hash = ?`, sessionHash(id)).
		Scan(&ss.Staff.ID, &ss.Staff.Email, &ss.Staff.Role, &ss.Staff.CreatedAt, &ss.Staff.DisabledAt, &ss.CSRF, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return StaffSession{}, ErrNoSession
	}
	if err != nil {
		return StaffSession{}, err
	}
	if ss.Staff.DisabledAt != "" || now.Sub(time.UnixMilli(lastSeen)) > SessionIdle {
		d.endSession(ctx, d.db, id)
		return StaffSession{}, ErrNoSession
	}
	if _, err := d.db.ExecContext(ctx, `UPDATE staff_sessions SET last_seen = ? WHERE id_hash = ?`, now.UnixMilli(), sessionHash(id)); err != nil {
		return StaffSession{}, err
	}
	return ss, nil
}

// StaffLogout ends the session s, which its staff member asked for from
// host.
func (d *DB) StaffLogout(ctx context.Context, id string, s StaffSession, host string) error {
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := d.endSession(ctx, tx, id); err != nil {
		return err
	}
	if err := d.audit(ctx, tx, AuditEntry{Staff: s.Staff.ID, Who: s.Staff.Email, Action: AuditLogout, Host: host}); err != nil {
		return err
	}
	return tx.Commit()
}

func (d *DB) endSession(ctx context.Context, q execer, id string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM staff_sessions WHERE id_hash = ?`, sessionHash(id))
	return err
}

func sessionHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
