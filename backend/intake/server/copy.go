package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// copyOrder lists every table, each after the tables it refers to.
var copyOrder = []string{
	"invitations", "providers", "submissions", "payers", "effective_dates", "portal_passwords", "tickets",
	"idempotency", "packets", "packet_keys", "mail_queue", "sealed_fields", "reveal_audit", "offerings",
	"enrollments", "requests", "training", "quiz_attempts", "start_dates", "checklists", "app_versions",
	"completions", "releases", "staff", "staff_sessions", "login_failures", "staff_audit",
	"ticket_replies", "reminders", "reminder_schedule",
}

// CopyReport is what Copy moved and checked.
type CopyReport struct {
	Tables  []TableCount // rows in each table, the same on both sides
	Packets int          // packets whose archive was hashed again on arrival
}

// TableCount is one table's rows.
type TableCount struct {
	Table string
	Rows  int64
}

// ErrNotEmpty means the destination already holds a network's data.
var ErrNotEmpty = errors.New("the destination database already holds providers, invitations or email: copy only into a new, empty database")

// CopyTo moves everything in d (a SQLite deployment) into to (a new
// PostgreSQL database, or any empty one), in one transaction, and checks
// the result: the same number of rows in every table, and every stored
// packet's archive hashing to the SHA-256 recorded when it arrived. A copy
// that fails any check leaves nothing in the destination.
func (d *DB) CopyTo(ctx context.Context, to *DB, progress func(table string, rows int64)) (CopyReport, error) {
	var report CopyReport
	t, err := to.db.BeginTx(ctx)
	if err != nil {
		return report, err
	}
	defer t.Rollback()
	var used int
	if err := t.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM providers) + (SELECT COUNT(*) FROM invitations) + (SELECT COUNT(*) FROM mail_queue)`).Scan(&used); err != nil {
		return report, err
	}
	if used > 0 {
		return report, ErrNotEmpty
	}
	// The catalogue the new database was seeded with gives way to the
	// network's own.
	if _, err := t.ExecContext(ctx, `DELETE FROM offerings`); err != nil {
		return report, err
	}
	for _, table := range copyOrder {
		n, err := d.copyTable(ctx, t, table)
		if err != nil {
			return report, fmt.Errorf("copy %s: %w", table, err)
		}
		if progress != nil {
			progress(table, n)
		}
		report.Tables = append(report.Tables, TableCount{table, n})
	}
	if err := to.db.eng.afterCopy(ctx, t); err != nil {
		return report, err
	}
	if report.Packets, err = verifyCopy(ctx, d, t, report.Tables); err != nil {
		return report, err
	}
	return report, t.Commit()
}

// copyTable copies one table's rows, the columns named as the destination
// has them.
func (d *DB) copyTable(ctx context.Context, t *dbTx, table string) (int64, error) {
	cols, bools, err := t.eng.columns(ctx, t, table)
	if err != nil {
		return 0, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	insert := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)`
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, isBool := range bools {
			if v, ok := values[i].(int64); ok && isBool {
				values[i] = v != 0 // SQLite keeps booleans as 0 and 1
			}
		}
		if _, err := t.ExecContext(ctx, insert, values...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// verifyCopy counts every table on both sides and hashes every packet's
// archive where it arrived.
func verifyCopy(ctx context.Context, from *DB, to *dbTx, copied []TableCount) (int, error) {
	for _, c := range copied {
		var have, had int64
		if err := to.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+c.Table).Scan(&have); err != nil {
			return 0, err
		}
		if err := from.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+c.Table).Scan(&had); err != nil {
			return 0, err
		}
		if have != had || have != c.Rows {
			return 0, fmt.Errorf("%s: %d rows in the source, %d copied, %d in the destination", c.Table, had, c.Rows, have)
		}
	}
	rows, err := to.QueryContext(ctx, `SELECT provider, packet_id, archive_sha256, archive FROM packets`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var provider int64
		var id, want string
		var archive []byte
		if err := rows.Scan(&provider, &id, &want, &archive); err != nil {
			return n, err
		}
		sum := sha256.Sum256(archive)
		if hex.EncodeToString(sum[:]) != want {
			return n, fmt.Errorf("packet %s of provider %d: its archive does not hash to the SHA-256 recorded when it arrived", id, provider)
		}
		n++
	}
	return n, rows.Err()
}

// columnsFrom runs an engine's query for a table's columns (name, type):
// the names in order, and which are booleans.
func columnsFrom(ctx context.Context, q querier, query, table string) ([]string, []bool, error) {
	rows, err := q.QueryContext(ctx, query, table)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var cols []string
	var bools []bool
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, nil, err
		}
		cols = append(cols, name)
		bools = append(bools, strings.EqualFold(typ, "boolean"))
	}
	if len(cols) == 0 && rows.Err() == nil {
		return nil, nil, fmt.Errorf("no table %s in the destination", table)
	}
	return cols, bools, rows.Err()
}
