package server

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"onramp/backend/mail"
	"onramp/backend/retry"
)

// Mailer sends the mail queue through an SMTP relay: the guidance emails,
// written from their subject and body, and the email providers submitted
// (see MailSubmission), relayed as received.
type Mailer struct {
	db     *DB
	relay  mail.Relay
	from   mail.Address
	policy retry.Policy
	log    *slog.Logger
	stats  *Metrics // nil: not counted

	mu sync.Mutex // one SendDue at a time
}

// NewMailer sends the database's guidance email through relay, from from,
// retrying on policy's schedule (retry.GuidanceMail in the server).
func NewMailer(db *DB, relay mail.Relay, from mail.Address, policy retry.Policy) *Mailer {
	return &Mailer{db: db, relay: relay, from: from, policy: policy, log: slog.Default()}
}

// WithLogger logs to l instead of slog's default logger.
func (m *Mailer) WithLogger(l *slog.Logger) *Mailer {
	m.log = l
	return m
}

// WithMetrics counts what is sent and what failed in stats.
func (m *Mailer) WithMetrics(stats *Metrics) *Mailer {
	m.stats = stats
	return m
}

// MailResult counts what SendDue did.
type MailResult struct {
	Sent, Retrying, Failed int
}

// Run sends due email every interval until ctx ends.
func (m *Mailer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := m.SendDue(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("mail queue", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// queuedMail is one claimed email.
type queuedMail struct {
	id       int64
	key      string
	to       mail.Address
	subject  string
	body     string
	created  string
	attempts int
	raw      bool // a submitted message: its bytes and envelope are in the row
}

// SendDue sends every email that is due, batch by batch, until none is.
func (m *Mailer) SendDue(ctx context.Context) (MailResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var res MailResult
	for {
		batch, err := m.claim(ctx)
		if err != nil || len(batch) == 0 {
			return res, err
		}
		for _, q := range batch {
			if err := m.deliver(ctx, q, &res); err != nil {
				return res, err
			}
		}
	}
}

// claim marks up to 32 due emails as sending and returns them; one whose
// send was left unfinished longer than policy.Stale is due again.
func (m *Mailer) claim(ctx context.Context) ([]queuedMail, error) {
	now := m.db.now()
	rows, err := m.db.db.QueryContext(ctx, `UPDATE mail_queue SET state = 'sending', claimed_at = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM mail_queue
			WHERE (state = 'queued' AND next_at <= ?) OR (state = 'sending' AND claimed_at <= ?)
			ORDER BY id LIMIT 32`+m.db.db.eng.skipLocked()+`)
		RETURNING id, key, to_name, to_email, subject, body, created_at, attempts, raw IS NOT NULL`,
		now.UnixMilli(), now.UnixMilli(), now.Add(-m.policy.Stale).UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("claim guidance email: %w", err)
	}
	defer rows.Close()
	var out []queuedMail
	for rows.Next() {
		var q queuedMail
		if err := rows.Scan(&q.id, &q.key, &q.to.Name, &q.to.Email, &q.subject, &q.body, &q.created, &q.attempts, &q.raw); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	// Oldest first: RETURNING's order is not the subquery's.
	slices.SortFunc(out, func(a, b queuedMail) int { return cmp.Compare(a.id, b.id) })
	return out, rows.Err()
}

// deliver sends one claimed email and records the outcome: sent, due again
// after a backoff (a 4xx answer or no answer), or failed with the reason (a
// 5xx answer, or too many tries).
func (m *Mailer) deliver(ctx context.Context, q queuedMail, res *MailResult) error {
	sendCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	err := m.send(sendCtx, q)
	cancel()
	if err == nil {
		res.Sent++
		if m.stats != nil {
			m.stats.mailSent.Inc()
		}
		return m.record(ctx, q.id, `UPDATE mail_queue SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?`, m.db.stamp(), q.id)
	}
	if ctx.Err() != nil {
		// Shutting down: leave it to be claimed again as stale.
		return ctx.Err()
	}
	again, reason := retry.ShouldRetry(err)
	if again && !m.policy.GiveUp(q.attempts) {
		res.Retrying++
		next := m.db.now().Add(m.policy.Backoff(q.attempts))
		m.log.Warn("email not sent, trying again", "key", q.key, "to", q.to.Email, "error", err, "next", next.UTC().Format(time.RFC3339))
		return m.record(ctx, q.id, `UPDATE mail_queue SET state = 'queued', next_at = ?, last_error = ? WHERE id = ?`, next.UnixMilli(), err.Error(), q.id)
	}
	if again {
		reason = fmt.Sprintf("gave up after %d tries: %s", q.attempts, reason)
	}
	res.Failed++
	if m.stats != nil {
		m.stats.mailFail.Inc()
	}
	m.log.Error("email failed", "key", q.key, "to", q.to.Email, "reason", reason)
	return m.record(ctx, q.id, `UPDATE mail_queue SET state = 'failed', last_error = ? WHERE id = ?`, reason, q.id)
}

// send writes a guidance email from its row, or relays a submitted one
// with the envelope it came with.
func (m *Mailer) send(ctx context.Context, q queuedMail) error {
	if !q.raw {
		date, _ := time.Parse(time.RFC3339Nano, q.created)
		msg := mail.Message{ID: mail.MessageID(q.key), From: m.from, To: []mail.Address{q.to}, Subject: q.subject, Text: q.body, Date: date}
		return mail.Send(ctx, m.relay, msg)
	}
	var raw []byte
	var from, to string
	err := m.db.db.QueryRowContext(ctx, `SELECT raw, envelope_from, envelope_to FROM mail_queue WHERE id = ?`, q.id).Scan(&raw, &from, &to)
	if err != nil {
		return fmt.Errorf("read queued email %d: %w", q.id, err)
	}
	return mail.SendRaw(ctx, m.relay, from, strings.Split(to, "\n"), raw)
}

func (m *Mailer) record(ctx context.Context, id int64, query string, args ...any) error {
	if _, err := m.db.db.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("record guidance email %d: %w", id, err)
	}
	return nil
}
