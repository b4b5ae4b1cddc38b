package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"onramp/backend/forms"
)

// Reminders: the network emails each provider when a license, DEA
// registration, board certification or liability policy in their latest
// Insurance form comes within 90 and 30 days of expiring and on the day it
// does, and 30 days before each CAQH re-attestation and on the day it is
// due (the rule and its words are forms.Reminders'). Each reminder is
// recorded in the transaction that queues its email, under the provider
// and the reminder's key, so it is sent once whatever restarts happen and
// however many instances look at once.
//
// A pass reads only the providers who have something to be reminded of:
// reminder_schedule keeps, for each provider, the day one of their
// credentials next reaches a threshold (forms.NextThreshold), and a new
// Insurance form version makes it "now". A pass reads the rows whose day
// has come through an index, typically a few a day among thousands,
// rather than every provider with an expired credential or a CAQH
// re-attestation due within 30 days (a quarter of them at any time, the
// window being 30 days of every 120).

// reminderMigration is the same on both engines but for INTEGER
// (postgresReminders).
const reminderMigration = `
-- One row per reminder queued: the key names the credential, its date and
-- the threshold (forms.Reminder.Key).
CREATE TABLE reminders (
	provider  INTEGER NOT NULL REFERENCES providers (id),
	key       TEXT NOT NULL,
	queued_at TEXT NOT NULL,
	PRIMARY KEY (provider, key)
);
-- The day (YYYY-MM-DD, the server's calendar) each provider's reminders
-- are next looked at: '' for the next pass (a new Insurance form version).
-- A provider with nothing left to remind of has no row.
CREATE TABLE reminder_schedule (
	provider INTEGER PRIMARY KEY REFERENCES providers (id),
	next_on  TEXT NOT NULL
);
CREATE INDEX reminder_schedule_due ON reminder_schedule (next_on, provider);
INSERT INTO reminder_schedule (provider, next_on)
	SELECT provider, '' FROM submissions WHERE form = 'credentialing' AND latest = 1;`

var postgresReminders = strings.ReplaceAll(reminderMigration, "INTEGER", "BIGINT")

// StepReminder is the mail queue's step of a reminder's email.
const StepReminder = "reminder"

// ReminderResult counts what a reminder pass did.
type ReminderResult struct {
	Providers int // providers looked at
	Queued    int // reminder emails queued
}

// RunReminders queues the reminders due at once, then every interval until
// ctx ends (hourly in serve: a threshold reached at midnight is emailed
// within the hour, and a pass missed while no instance ran is made up by
// the next).
func (d *DB) RunReminders(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		res, err := d.QueueReminders(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("reminders", "error", err)
		case res.Queued > 0:
			log.Info(fmt.Sprintf("reminder emails queued: %d", res.Queued), "queued", res.Queued, "providers", res.Providers)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// QueueReminders queues the email of every reminder due today, by the
// server's clock, that has not been sent, for the providers whose day in
// the schedule has come.
func (d *DB) QueueReminders(ctx context.Context) (ReminderResult, error) {
	now := d.now()
	today := now.Format(time.DateOnly)
	var res ReminderResult
	var after int64
	for {
		batch, err := d.dueForReminders(ctx, today, after)
		if err != nil || len(batch) == 0 {
			return res, err
		}
		queued, looked, err := d.remindBatch(ctx, batch, now)
		res.Queued += queued
		res.Providers += looked
		if err != nil {
			return res, err
		}
		after = batch[len(batch)-1]
	}
}

// dueForReminders lists a batch of providers (up to 50: a batch holds the
// write lock some 10 ms on SQLite) after the one given whose day
// in the schedule is today or before.
func (d *DB) dueForReminders(ctx context.Context, today string, after int64) ([]int64, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT provider FROM reminder_schedule WHERE next_on <= ? AND provider > ?
		ORDER BY provider LIMIT 50`, today, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// remindBatch queues the reminders due now of a batch of providers and
// schedules each one's next look, in one transaction that holds them: a new
// Insurance form version waits for it or comes first, and of two instances'
// passes the second finds the work done. One transaction per batch, not
// per provider: the first pass after an upgrade looks at every provider
// with an Insurance form, and a durable commit each would hold the write
// lock for seconds against the apps' syncs.
func (d *DB) remindBatch(ctx context.Context, providers []int64, now time.Time) (queued, looked int, err error) {
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	for _, provider := range providers {
		n, ok, err := d.remind(ctx, tx, provider, now)
		if err != nil {
			return 0, 0, fmt.Errorf("reminders for provider %d: %w", provider, err)
		}
		queued += n
		if ok {
			looked++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	return queued, looked, nil
}

// remind queues one provider's reminders due now and schedules the next
// look, in the batch's transaction.
func (d *DB) remind(ctx context.Context, tx *dbTx, provider int64, now time.Time) (queued int, looked bool, err error) {
	if err := tx.lockProvider(ctx, provider); err != nil {
		return 0, false, err
	}
	var next string
	err = tx.QueryRowContext(ctx, `SELECT next_on FROM reminder_schedule WHERE provider = ?`, provider).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) || err == nil && next > now.Format(time.DateOnly) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	p, err := readCredentials(ctx, tx, provider)
	if err != nil {
		return 0, false, err
	}
	exps := p.expirations(now)
	for _, r := range forms.Reminders(exps) {
		res, err := tx.ExecContext(ctx, `INSERT INTO reminders (provider, key, queued_at) VALUES (?, ?, ?)
			ON CONFLICT (provider, key) DO NOTHING`, provider, r.Key, d.stamp())
		if err != nil {
			return 0, false, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return 0, false, err
			}
			continue // sent before
		}
		if err := d.queueMail(ctx, tx, reminderRow(provider, p.to, r)); err != nil {
			return 0, false, err
		}
		queued++
	}
	if err := schedule(ctx, tx, provider, exps, now); err != nil {
		return 0, false, err
	}
	return queued, true, nil
}

// credentials is what a provider's reminders are worked out from: their
// latest Insurance form data and when they first submitted the form.
type credentials struct {
	to        mailTo
	data      forms.Data
	submitted time.Time
}

func readCredentials(ctx context.Context, tx *dbTx, provider int64) (credentials, error) {
	var c credentials
	var data, submitted sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT name, email,
		(SELECT data FROM submissions WHERE provider = p.id AND form = ? ORDER BY version DESC LIMIT 1),
		(SELECT submitted_at FROM submissions WHERE provider = p.id AND form = ? ORDER BY version LIMIT 1)
		FROM providers p WHERE id = ?`, forms.FormCredentialing, forms.FormCredentialing, provider).
		Scan(&c.to.name, &c.to.email, &data, &submitted)
	if err != nil {
		return c, err
	}
	if c.data, err = forms.DecodeData([]byte(data.String)); err != nil {
		c.data = forms.NewData() // no form, or unreadable: no credential to remind of
	}
	c.submitted, _ = time.Parse(time.RFC3339Nano, submitted.String)
	return c, nil
}

// expirations are the provider's credentials and next CAQH
// re-attestation as of now, the day read on the server's calendar.
func (c credentials) expirations(now time.Time) []forms.Expiration {
	exps := forms.Expirations(c.data, now)
	if c.submitted.IsZero() {
		return exps
	}
	if x, ok := forms.Reattestation(c.data, c.submitted.In(now.Location()), now); ok {
		exps = append(exps, x)
	}
	return exps
}

// schedule keeps the day the provider's reminders are next looked at: the
// soonest threshold still ahead, or none.
func schedule(ctx context.Context, tx *dbTx, provider int64, exps []forms.Expiration, now time.Time) error {
	var next time.Time
	for _, x := range exps {
		if day, ok := forms.NextThreshold(x, now); ok && (next.IsZero() || day.Before(next)) {
			next = day
		}
	}
	if next.IsZero() {
		_, err := tx.ExecContext(ctx, `DELETE FROM reminder_schedule WHERE provider = ?`, provider)
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE reminder_schedule SET next_on = ? WHERE provider = ?`, next.Format(time.DateOnly), provider)
	return err
}

// scheduleNow has the next pass look at the provider's reminders: their
// latest Insurance form version just changed.
func scheduleNow(ctx context.Context, tx *dbTx, provider int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO reminder_schedule (provider, next_on) VALUES (?, '')
		ON CONFLICT (provider) DO UPDATE SET next_on = ''`, provider)
	return err
}

// reminderRow is a reminder's email. Its key, and so its Message-ID, is
// the provider's and the reminder's: readable, and with a digest of the
// reminder's key so that two credentials never share one.
func reminderRow(provider int64, to mailTo, r forms.Reminder) queuedRow {
	sum := sha256.Sum256([]byte(r.Key))
	return queuedRow{
		key:      fmt.Sprintf("intake/reminder/%d/%s-%s-%s-%s", provider, r.Kind, r.Date, r.Level, hex.EncodeToString(sum[:6])),
		provider: provider, step: StepReminder, to: to, subject: r.Subject,
		body: hello(to.name) + r.Body + "\n\n" +
			"Onramp's dashboard lists each of your credentials with the date it expires." + signature,
	}
}
