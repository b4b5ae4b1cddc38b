package server

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one connection's conversation with the submission service.
type session struct {
	svc   *MailSubmission
	conn  *smtp.Conn
	guard *guardedConn

	provider int64 // signed in as; 0 before AUTH
	own      ownAddresses
	from     string
	to       []string

	refusals, commands int
}

// Refusals, in plain words with their SMTP codes.
func refusal(code int, enh smtp.EnhancedCode, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}
}

var (
	errNeedTLS     = refusal(530, smtp.EnhancedCode{5, 7, 0}, "Encryption required: send STARTTLS first.")
	errNeedAuth    = refusal(530, smtp.EnhancedCode{5, 7, 0}, "Sign in first (AUTH PLAIN with your Onramp token).")
	errBadLogin    = refusal(535, smtp.EnhancedCode{5, 7, 8}, "The user name or token is not valid. Enroll again with your invitation code.")
	errMechanism   = refusal(504, smtp.EnhancedCode{5, 7, 4}, "Only AUTH PLAIN is offered.")
	errFlood       = refusal(421, smtp.EnhancedCode{4, 7, 0}, "Too many refused or repeated commands: closing the connection.")
	errRate        = refusal(451, smtp.EnhancedCode{4, 7, 1}, "Too many messages from your account just now: try again in a few minutes.")
	errNoMessageID = refusal(550, smtp.EnhancedCode{5, 6, 0}, "The message needs a Message-ID header (at most 250 characters).")
	errHeaders     = refusal(550, smtp.EnhancedCode{5, 6, 0}, "The message's headers can't be read.")
	errQueue       = refusal(451, smtp.EnhancedCode{4, 3, 0}, "The message could not be queued just now: try again shortly.")
	errSignInBusy  = refusal(454, smtp.EnhancedCode{4, 7, 0}, "Signing in is not possible just now: try again shortly.")
)

func (s *session) errSender() *smtp.SMTPError {
	return refusal(550, smtp.EnhancedCode{5, 7, 1}, fmt.Sprintf("Send from %s or your own address (%s).", s.svc.cfg.From, s.own))
}

func (s *session) errRecipient() *smtp.SMTPError {
	return refusal(550, smtp.EnhancedCode{5, 7, 1}, "You can write only to your own address, support or the credentialing team.")
}

func (s *session) errTooMany() *smtp.SMTPError {
	return refusal(452, smtp.EnhancedCode{4, 5, 3}, fmt.Sprintf("At most %d recipients per message.", s.svc.cfg.MaxRecipients))
}

// refuse counts a refusal; past maxRefusals the session hangs up after
// saying so.
func (s *session) refuse(err *smtp.SMTPError) error {
	s.refusals++
	if s.refusals > maxRefusals {
		return s.hangup()
	}
	return err
}

// hangup answers 421 and closes the connection right after.
func (s *session) hangup() error {
	if s.guard != nil {
		s.guard.hangup.Store(true)
	}
	return errFlood
}

// command counts a command and says whether the session is over.
func (s *session) command() error {
	s.commands++
	if (s.guard != nil && s.guard.hangup.Load()) || s.commands > maxCommands {
		return s.hangup()
	}
	return nil
}

func (s *session) AuthMechanisms() []string {
	if !s.svc.plainAllowed(s.conn) {
		return nil // AUTH is not offered before STARTTLS off loopback
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	if err := s.command(); err != nil {
		return nil, err
	}
	if !s.svc.plainAllowed(s.conn) {
		return nil, s.refuse(errNeedTLS)
	}
	if mech != sasl.Plain {
		return nil, s.refuse(errMechanism)
	}
	return sasl.NewPlainServer(func(identity, user, token string) error {
		if identity != "" && identity != user {
			return s.refuse(errBadLogin)
		}
		id, own, err := s.svc.db.providerByToken(context.Background(), token)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && user != SubmissionUser(id)) {
			return s.refuse(errBadLogin)
		}
		if err != nil {
			s.svc.cfg.Log.Error("mail submission sign-in", "error", err)
			return errSignInBusy
		}
		s.provider, s.own = id, own
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := s.command(); err != nil {
		return err
	}
	switch {
	case !s.svc.plainAllowed(s.conn):
		return s.refuse(errNeedTLS)
	case s.provider == 0:
		return s.refuse(errNeedAuth)
	case !s.svc.allowedFrom(from, s.own):
		return s.refuse(s.errSender())
	case !s.svc.limiter.take(s.provider):
		return s.refuse(errRate)
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.command(); err != nil {
		return err
	}
	switch {
	case s.from == "":
		return s.refuse(errNeedAuth)
	case len(s.to) >= s.svc.cfg.MaxRecipients:
		return s.refuse(s.errTooMany())
	case !s.svc.allowedTo(to, s.own):
		return s.refuse(s.errRecipient())
	}
	s.to = append(s.to, to)
	return nil
}

// Data queues the message, committed before its 250, once per
// Message-ID: the same message again (a retry after a lost
// acknowledgement) is answered 250 and queued nothing.
func (s *session) Data(r io.Reader) error {
	// go-smtp's read deadline, set at the DATA line, would give a 30 MiB
	// packet email 2 minutes; it gets as long as a packet upload to the API.
	s.conn.Conn().SetReadDeadline(time.Now().Add(uploadTime))
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // over the size limit: go-smtp's 552
	}
	if (s.guard != nil && s.guard.hangup.Load()) || s.from == "" || len(s.to) == 0 {
		return s.hangup()
	}
	m, refused := s.read(raw)
	if refused != nil {
		return s.refuse(refused)
	}
	if err := s.svc.commits.queue(m); err != nil {
		s.svc.cfg.Log.Error("mail submission", "provider", s.provider, "error", err)
		return errQueue
	}
	return nil
}

// read checks a message's headers (one From the provider may use, a
// Message-ID) and makes it a submitted message of this transaction.
func (s *session) read(raw []byte) (submitted, *smtp.SMTPError) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return submitted{}, errHeaders
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || !s.svc.allowedFrom(from[0].Address, s.own) {
		return submitted{}, s.errSender()
	}
	id := strings.Trim(strings.TrimSpace(msg.Header.Get("Message-Id")), "<>")
	if id == "" || len(id) > 250 || strings.ContainsAny(id, " \t\r\n") {
		return submitted{}, errNoMessageID
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	return submitted{provider: s.provider, messageID: id, from: s.from, to: s.to, subject: subject, raw: raw}, nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// providerByToken is the provider a token belongs to, and their own
// addresses.
func (d *DB) providerByToken(ctx context.Context, token string) (id int64, own ownAddresses, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT id, email, enrolled_email FROM providers WHERE token_hash = ?`, tokenHash(token)).
		Scan(&id, &own.invitation, &own.enrolled)
	return id, own, err
}
