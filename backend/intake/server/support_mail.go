package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"onramp/backend/mail"
)

// QueuedMail is one guidance email, for support.
type QueuedMail struct {
	ID            int64  `json:"id"`
	Provider      int64  `json:"provider"` // 0 for an invitation's welcome email
	Invitation    string `json:"invitation,omitempty"`
	ProviderEmail string `json:"providerEmail"`
	Step          string `json:"step"`
	Subject       string `json:"subject"`
	MessageID     string `json:"messageId"`
	State         string `json:"state"` // queued, sending, sent, failed
	Attempts      int    `json:"attempts"`
	NextAt        string `json:"nextAt,omitempty"` // when a queued email is tried next
	LastError     string `json:"lastError,omitempty"`
	QueuedAt      string `json:"queuedAt"`
	SentAt        string `json:"sentAt,omitempty"`
}

// MailQueue lists guidance email, oldest first: every provider's when
// provider is 0.
func (d *DB) MailQueue(ctx context.Context, provider int64) ([]QueuedMail, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, COALESCE(provider, 0), COALESCE(invitation, ''), to_email, step, subject, key, state, attempts, next_at, last_error, created_at, sent_at
		FROM mail_queue WHERE ?1 = 0 OR provider = ?1 OR invitation IN (SELECT code FROM invitations WHERE provider = ?1) ORDER BY id`, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QueuedMail
	for rows.Next() {
		var q QueuedMail
		var next int64
		if err := rows.Scan(&q.ID, &q.Provider, &q.Invitation, &q.ProviderEmail, &q.Step, &q.Subject, &q.MessageID, &q.State, &q.Attempts, &next, &q.LastError, &q.QueuedAt, &q.SentAt); err != nil {
			return nil, err
		}
		q.MessageID = "<" + queuedMessageID(q.Step, q.MessageID) + ">"
		if q.State == "queued" {
			q.NextAt = time.UnixMilli(next).UTC().Format(time.RFC3339)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// queuedMessageID is the Message-ID of the email queued under key: a
// submitted message's own, a guidance email's made from its key.
func queuedMessageID(step, key string) string {
	if step == StepSubmitted {
		if _, id, ok := strings.Cut(strings.TrimPrefix(key, "submitted/"), "/"); ok {
			return id
		}
	}
	return mail.MessageID(key)
}

// RetryMail queues a failed guidance email again, due now.
func (d *DB) RetryMail(ctx context.Context, id int64) error {
	res, err := d.db.ExecContext(ctx, `UPDATE mail_queue SET state = 'queued', attempts = 0, next_at = ? WHERE id = ? AND state = 'failed'`,
		d.now().UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: no failed guidance email %d", ErrNotFound, id)
	}
	return nil
}

// MailCounts counts a provider's guidance email (not what the provider's
// app submitted) by state; sending counts as queued.
type MailCounts struct {
	Queued int `json:"queued"`
	Sent   int `json:"sent"`
	Failed int `json:"failed"`
}

func (d *DB) mailCounts(ctx context.Context, provider int64) (MailCounts, error) {
	var c MailCounts
	err := d.db.QueryRowContext(ctx, `SELECT
		COUNT(*) FILTER (WHERE state IN ('queued', 'sending')),
		COUNT(*) FILTER (WHERE state = 'sent'),
		COUNT(*) FILTER (WHERE state = 'failed')
		FROM mail_queue WHERE (provider = ?1 OR invitation IN (SELECT code FROM invitations WHERE provider = ?1)) AND raw IS NULL`, provider).Scan(&c.Queued, &c.Sent, &c.Failed)
	return c, err
}
