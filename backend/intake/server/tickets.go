package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"onramp/backend/intake"
)

// Tickets: the help requests providers send from the app, support's
// replies (by email and, through the status feed, in the app's Help), and
// whether support has closed them.

// GuidanceTicketReply is the mail queue's step of a reply's email.
const GuidanceTicketReply = "ticket-reply"

// Ticket is one help request with its thread, for support.
type Ticket struct {
	intake.TicketStatus
	Provider int64
	Thread   []TicketPost // replies with who wrote them
}

// TicketPost is one reply as support sees it.
type TicketPost struct {
	At, Who, Body string
}

// Tickets lists a provider's help requests, oldest first, with their
// replies.
func (d *DB) Tickets(ctx context.Context, provider int64) ([]Ticket, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT t.id, t.subject, t.message, t.state, t.created_at,
		COALESCE(r.created_at, ''), COALESCE(r.who, ''), COALESCE(r.body, '')
		FROM tickets t LEFT JOIN ticket_replies r ON r.ticket = t.id
		WHERE t.provider = ? ORDER BY t.id, r.id`, provider)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		var t Ticket
		var post TicketPost
		if err := rows.Scan(&t.ID, &t.Subject, &t.Message, &t.State, &t.CreatedAt, &post.At, &post.Who, &post.Body); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != t.ID {
			t.Provider = provider
			out = append(out, t)
		}
		if post.At != "" {
			last := &out[len(out)-1]
			last.Thread = append(last.Thread, post)
			last.Replies = append(last.Replies, intake.TicketReply{At: post.At, Body: post.Body})
		}
	}
	return out, rows.Err()
}

// statusTickets is the feed's tickets: the thread without who wrote each
// reply (the provider hears from "support").
func (d *DB) statusTickets(ctx context.Context, provider int64) ([]intake.TicketStatus, error) {
	ts, err := d.Tickets(ctx, provider)
	if err != nil {
		return nil, err
	}
	var out []intake.TicketStatus
	for _, t := range ts {
		out = append(out, t.TicketStatus)
	}
	return out, nil
}

// ticketOf reads a ticket's provider and subject, holding the provider's
// row.
func ticketOf(ctx context.Context, tx *dbTx, ticket int64) (provider int64, subject string, err error) {
	if err := tx.eng.lockRows(ctx, tx, `SELECT id FROM providers WHERE id = (SELECT provider FROM tickets WHERE id = ?)`, ticket); err != nil {
		return 0, "", err
	}
	err = tx.QueryRowContext(ctx, `SELECT provider, subject FROM tickets WHERE id = ?`, ticket).Scan(&provider, &subject)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("%w: no ticket %d", ErrNotFound, ticket)
	}
	return provider, subject, err
}

// ReplyTicketAs answers a ticket: the reply joins its thread (the app
// shows it after its next sync), an email with it goes to the provider,
// and the staff audit records it, in one transaction.
func (d *DB) ReplyTicketAs(ctx context.Context, by Staff, host string, ticket int64, body string) error {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > intake.MaxTicketReply {
		return fmt.Errorf("write the reply (%d characters at most): the provider reads it in the app and by email", intake.MaxTicketReply)
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	provider, subject, err := ticketOf(ctx, tx, ticket)
	if err != nil {
		return err
	}
	var reply int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_replies (ticket, staff, who, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		ticket, nullID(by.ID), by.Email, body, d.stamp()).Scan(&reply); err != nil {
		return err
	}
	var name, email string
	if err := tx.QueryRowContext(ctx, `SELECT name, email FROM providers WHERE id = ?`, provider).Scan(&name, &email); err != nil {
		return err
	}
	hello := "Hello,\n\n"
	if name = strings.TrimSpace(name); name != "" {
		hello = "Hello " + name + ",\n\n"
	}
	if err := d.queueMail(ctx, tx, queuedRow{key: fmt.Sprintf("ticket-reply/%d", reply), provider: provider, step: GuidanceTicketReply,
		to: mailTo{name, email}, subject: "Re: " + subject,
		body: hello + "Support answered your question “" + subject + "”:\n\n" + body +
			"\n\nThe answer is in Onramp too: open Help (F1) and look under Your questions." + signature}); err != nil {
		return err
	}
	if err := d.audit(ctx, tx, AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditTicketReply, Provider: provider,
		Detail: fmt.Sprintf("ticket %d: %s", ticket, subject), Host: host}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetTicketStateAs closes or reopens a ticket, audited in the same
// transaction.
func (d *DB) SetTicketStateAs(ctx context.Context, by Staff, host string, ticket int64, state string) error {
	if state != intake.TicketOpen && state != intake.TicketClosed {
		return fmt.Errorf("a ticket is %s or %s", intake.TicketOpen, intake.TicketClosed)
	}
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	provider, subject, err := ticketOf(ctx, tx, ticket)
	if err != nil {
		return err
	}
	closedAt := ""
	if state == intake.TicketClosed {
		closedAt = d.stamp()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tickets SET state = ?, closed_at = ? WHERE id = ?`, state, closedAt, ticket); err != nil {
		return err
	}
	if err := d.audit(ctx, tx, AuditEntry{Staff: by.ID, Who: by.Email, Action: AuditTicketState, Provider: provider,
		Detail: fmt.Sprintf("ticket %d %s: %s", ticket, state, subject), Host: host}); err != nil {
		return err
	}
	return tx.Commit()
}
