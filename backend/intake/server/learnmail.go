package server

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/journey"
)

// The emails the network sends besides the step guidance: the welcome
// email with the invitation code (before any provider exists), the reason
// a form came back, and the onboarding-complete confirmation. All go
// through the same mail queue and Mailer, from the network's address.

const (
	GuidanceWelcome  = intake.GuidanceWelcome
	GuidanceReturned = intake.GuidanceReturned
	GuidanceComplete = intake.GuidanceComplete
)

// invitationMail lets the mail queue hold email for an invitation, which
// has no provider row yet: mail_queue.provider becomes nullable and a
// mail_queue.invitation column names the invitation code instead. SQLite
// cannot drop a NOT NULL, so the table is rebuilt from its own stored
// definition (with every column an earlier migration added) and its
// indexes are made again.
func invitationMail(tx *sql.Tx) error {
	var def string
	if err := tx.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'mail_queue'`).Scan(&def); err != nil {
		return fmt.Errorf("read mail_queue: %w", err)
	}
	const notNull = "provider   INTEGER NOT NULL REFERENCES providers (id)"
	if !strings.Contains(def, notNull) {
		return fmt.Errorf("mail_queue's provider column is not as expected: %s", def)
	}
	def = strings.Replace(def, notNull, "provider   INTEGER REFERENCES providers (id)", 1)
	def = strings.Replace(def, "CREATE TABLE mail_queue", "CREATE TABLE mail_queue_new", 1)
	var indexes []string
	rows, err := tx.Query(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mail_queue' AND sql IS NOT NULL`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		indexes = append(indexes, s)
	}
	rows.Close()
	steps := append([]string{def,
		`INSERT INTO mail_queue_new SELECT * FROM mail_queue`,
		`DROP TABLE mail_queue`,
		`ALTER TABLE mail_queue_new RENAME TO mail_queue`,
		`ALTER TABLE mail_queue ADD COLUMN invitation TEXT`},
		indexes...)
	for _, s := range steps {
		if _, err := tx.Exec(s); err != nil {
			return fmt.Errorf("make room for invitation mail: %w", err)
		}
	}
	return nil
}

// queuedRow is one email to queue: for a provider, or (provider 0) for an
// invitation.
type queuedRow struct {
	key        string
	provider   int64
	invitation string
	step       string
	to         mailTo
	subject    string
	body       string
}

type mailTo struct{ name, email string }

// queueMail queues row once per key, in tx.
func (d *DB) queueMail(ctx context.Context, tx *dbTx, row queuedRow) error {
	var provider, invitation any
	if row.provider != 0 {
		provider = row.provider
	}
	if row.invitation != "" {
		invitation = row.invitation
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_queue (key, provider, invitation, step, to_name, to_email, subject, body, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		row.key, provider, invitation, row.step, row.to.name, row.to.email, row.subject, row.body, d.now().UnixMilli(), d.stamp())
	if err != nil {
		return fmt.Errorf("queue %s email: %w", row.step, err)
	}
	return nil
}

// queueWelcome queues the welcome email for an invitation, in the
// transaction that made the invitation: step one, with the code. It is
// keyed by the code, so a new code (a reissue) sends a new welcome and a
// retry of the same one nothing.
func (d *DB) queueWelcome(ctx context.Context, tx *dbTx, code, email string) error {
	return d.queueMail(ctx, tx, queuedRow{key: "intake/welcome/" + code, invitation: code, step: GuidanceWelcome,
		to: mailTo{email: email}, subject: "Welcome to the network: your invitation code",
		body: "Hello,\n\nWelcome: the network has invited you to join as a provider.\n\n" +
			"Your invitation code is:\n\n    " + code + "\n\n" +
			"Step one: install Onramp, open it and set up your account. When it asks for your invitation code, " +
			"enter the code above. Onramp then walks you through the rest: two forms, your portal password and " +
			"a short insurance training.\n\n" +
			"Keep this code to yourself: it connects your computer to your network account." + signature})
}

// afterReturn emails the provider why a form came back: once per returned
// version, so a second return of the same version sends nothing and a
// return of the next version sends its own reason.
func (d *DB) afterReturn(ctx context.Context, tx *dbTx, provider int64, form, reason string) error {
	var name, email string
	var version int
	err := tx.QueryRowContext(ctx, `SELECT p.name, p.email, (SELECT MAX(version) FROM submissions WHERE provider = p.id AND form = ?)
		FROM providers p WHERE p.id = ?`, form, provider).Scan(&name, &email, &version)
	if err != nil {
		return fmt.Errorf("returned form email for provider %d: %w", provider, err)
	}
	title := forms.Title(form)
	return d.queueMail(ctx, tx, queuedRow{key: fmt.Sprintf("intake/returned/%d/%s/%d", provider, form, version),
		provider: provider, step: GuidanceReturned, to: mailTo{name, email},
		subject: "Your " + title + " needs a change",
		body: hello(name) + "The onboarding team read your " + title + " and returned it to you with this note:\n\n" +
			quote(reason) + "\n\n" +
			"Open Onramp: the form shows the note. Make the change and submit the form again; the team reviews the new " +
			"version as soon as it arrives." + signature})
}

// queueCompletionMail queues the onboarding-complete confirmation, from the
// network's onboarding team, once per provider. live is the directory
// profile's live date when known.
func (d *DB) queueCompletionMail(ctx context.Context, tx *dbTx, provider int64, live string) error {
	var name, email string
	if err := tx.QueryRowContext(ctx, `SELECT name, email FROM providers WHERE id = ?`, provider).Scan(&name, &email); err != nil {
		return fmt.Errorf("completion email for provider %d: %w", provider, err)
	}
	liveLine := "Your directory profile goes live once your credentialing effective date and your contracted start date " +
		"are both reached; Onramp's dashboard shows the date as soon as it is known."
	if t, err := time.Parse("2006-01-02", live); err == nil {
		liveLine = "Your directory profile goes live on " + t.Format("Monday, January 2, 2006") + "."
	}
	on := journey.Date(d.now()).Format("Monday, January 2, 2006")
	return d.queueMail(ctx, tx, queuedRow{key: guidanceKey(provider, GuidanceComplete), provider: provider, step: GuidanceComplete,
		to: mailTo{name, email}, subject: "Your onboarding is complete",
		body: hello(name) + "Congratulations: as of " + on + " you have completed every onboarding step. Both of your forms " +
			"are reviewed, your portal password is set and your insurance training is done.\n\n" +
			liveLine + "\n\nWelcome to the network." + signature})
}

func hello(name string) string {
	if name = strings.TrimSpace(name); name != "" {
		return "Hello " + name + ",\n\n"
	}
	return "Hello,\n\n"
}

// quote indents each line of s, so the reason stands apart from our words.
func quote(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "    " + strings.TrimRight(l, " \t\r")
	}
	return strings.Join(lines, "\n")
}
