package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"
)

// A provider who moved computers (the network reissued their invitation)
// starts this app afresh, numbering forms from version 1, while the network
// already holds versions from the old computer. The network's numbering is
// the one that counts (its latest version is the highest number), so the
// enrollment answer says the latest version the network holds from another
// computer of the provider's: the floor. Submit numbers after it, and the
// versions submitted here before the floor was known (offline since set-up)
// are raised above it once, with what is queued for them, before any of
// them is sent (RaiseVersions).

func migrateRaisableVersions(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- A submitted version's content stays immutable; its number may be raised,
-- never lowered, when the network's numbering says it must follow versions
-- the provider sent from another computer (RaiseVersions).
DROP TRIGGER submissions_immutable;
CREATE TRIGGER submissions_immutable BEFORE UPDATE OF id, form, schema_version, data, hash, submitted_at ON submissions
BEGIN SELECT RAISE(ABORT, 'submitted forms cannot be changed'); END;
CREATE TRIGGER submissions_raised_only BEFORE UPDATE OF version ON submissions WHEN NEW.version <= OLD.version
BEGIN SELECT RAISE(ABORT, 'a submitted version''s number can only be raised'); END;`)
	return err
}

// floorSetting is the settings key of a form's floor.
func floorSetting(form string) string { return "network_floor/" + form }

// VersionFloor is the latest version of form the network holds from
// another computer, as the last enrollment said; 0 for none.
func (s *Store) VersionFloor(ctx context.Context, form string) (int, error) {
	v, err := s.Setting(ctx, floorSetting(form))
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.Atoi(v)
}

// Rewrite says what becomes of an outbox item when versions are raised by
// shifts (per form, how much each of its local versions went up): the
// item to keep instead (changed: it is queued again as out), or drop.
type Rewrite func(it OutboxItem, shifts map[string]int) (out OutboxItem, changed, drop bool, err error)

// RaiseVersions records floors (per form; a floor only rises) and, for each
// form whose local versions start at or below its floor, raises them all by
// the same amount so that the first follows the floor, in order, unless
// sent says some version of the form already reached the network (its
// number is the network's then: raising it would send it twice). rewrite
// is then given every outbox item, delivered or not, to renumber what was
// queued for those versions. All in one transaction; it returns the shifts
// (nil when nothing moved).
func (s *Store) RaiseVersions(ctx context.Context, floors map[string]int, sent map[string]bool, now time.Time, rewrite Rewrite) (map[string]int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var shifts map[string]int
	for form, floor := range floors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE CAST(settings.value AS INTEGER) < CAST(excluded.value AS INTEGER)`,
			floorSetting(form), strconv.Itoa(floor)); err != nil {
			return nil, fmt.Errorf("record the network's versions of %s: %w", form, err)
		}
		var lowest int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(version), 0) FROM submissions WHERE form = ?`, form).Scan(&lowest); err != nil {
			return nil, err
		}
		if lowest == 0 || lowest > floor || sent[form] {
			continue
		}
		shift := floor - lowest + 1
		if err := raiseOneByOne(ctx, tx, form, shift); err != nil {
			return nil, fmt.Errorf("raise the versions of %s: %w", form, err)
		}
		if shifts == nil {
			shifts = map[string]int{}
		}
		shifts[form] = shift
	}
	if shifts == nil {
		return nil, tx.Commit()
	}
	if err := rewriteOutbox(ctx, tx, shifts, now, rewrite); err != nil {
		return nil, err
	}
	return shifts, tx.Commit()
}

// raiseOneByOne raises form's versions by shift one at a time, highest
// first: the UNIQUE (form, version) constraint is checked row by row.
func raiseOneByOne(ctx context.Context, tx *sql.Tx, form string, shift int) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM submissions WHERE form = ? ORDER BY version DESC`, form)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET version = version + ? WHERE id = ?`, shift, id); err != nil {
			return err
		}
	}
	return nil
}

func rewriteOutbox(ctx context.Context, tx *sql.Tx, shifts map[string]int, now time.Time, rewrite Rewrite) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, idempotency_key, payload, state FROM outbox ORDER BY id`)
	if err != nil {
		return err
	}
	var items []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var payload string
		if err := rows.Scan(&it.ID, &it.Kind, &it.IdempotencyKey, &payload, &it.State); err != nil {
			rows.Close()
			return err
		}
		it.Payload = []byte(payload)
		items = append(items, it)
	}
	rows.Close()
	at := formatTime(now)
	for _, it := range items {
		out, changed, drop, err := rewrite(it, shifts)
		switch {
		case err != nil:
			return fmt.Errorf("renumber the queued %s: %w", it.Kind, err)
		case drop:
			_, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, it.ID)
		case changed:
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET kind = ?, idempotency_key = ?, payload = ?, state = 'queued', attempts = 0,
				last_error = '', next_attempt_at = ?, updated_at = ? WHERE id = ?`, out.Kind, out.IdempotencyKey, string(out.Payload), at, at, it.ID)
		}
		if err != nil {
			return fmt.Errorf("renumber the queued %s: %w", it.Kind, err)
		}
	}
	return nil
}
