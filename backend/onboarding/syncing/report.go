package syncing

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"

	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/packets"
	"onramp/backend/outbox"
	"onramp/backend/store"
)

// The sync panel shows what went wrong in plain words: the sync report's
// Error and each outbox item's reason. A Go error's own text (a dial
// error, a wrapped SQL error) never reaches it; it goes to the log.

// syncProblem says what stopped a sync, for the panel, and logs err.
func syncProblem(err error) string {
	log.Printf("sync: %v", err)
	var ce *intake.ClientError
	switch {
	case errors.Is(err, ErrNetworkKeyChanged):
		return "The network's encryption key changed since this computer first connected, so Onramp sends nothing more (your CAQH login, SSN and date of birth are sealed to the first key). Please contact support."
	case errors.Is(err, intake.ErrInsecureURL):
		return "The network's server address in Settings must start with https:// (plain http:// works only for a server on this computer)."
	case errors.As(err, &ce):
		return serverProblem(ce)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "The sync was cut short. It carries on where it stopped at the next sync."
	}
	return "Something went wrong while syncing. Nothing you entered is lost, and Onramp tries again by itself; if this keeps happening, contact support."
}

// addressProblem says why the intake server's address can't be used.
func addressProblem(err error) string {
	if errors.Is(err, intake.ErrInsecureURL) {
		return syncProblem(err)
	}
	log.Printf("sync: %v", err)
	return "The network's server address in Settings isn't a web address (https://…). Check it in Settings."
}

// serverProblem says what the intake server's answer (or its absence)
// means for the provider.
func serverProblem(ce *intake.ClientError) string {
	switch {
	case ce.Status == 0:
		return "The network's server can't be reached right now. Onramp tries again by itself."
	case ce.Code == "unknown-invitation" || ce.Code == "invitation-used":
		return ce.Message // the server's own words for the provider
	case ce.Code == "network-key-mismatch":
		return "The network's server can't take your sealed CAQH login, SSN and date of birth right now: its encryption key isn't the one this computer trusts. Onramp tries again by itself; if this lasts, contact support."
	case ce.Code == "bad-packet":
		return "The network's server refused the packet" + problemList(ce)
	case ce.Status == http.StatusUnauthorized:
		return "The network's server didn't recognize this computer. Onramp signs in again with your invitation code at the next sync."
	case ce.Temp:
		return "The network's server had a problem answering. Onramp tries again by itself."
	case ce.Message != "" && ce.Code != "":
		return ce.Message // a refusal the server explains to the provider
	}
	return "The network's server refused this. If it keeps happening, contact support."
}

func problemList(ce *intake.ClientError) string {
	var msgs []string
	for _, p := range ce.Problems {
		if p.Message != "" {
			msgs = append(msgs, p.Message)
		}
	}
	if len(msgs) == 0 {
		return "."
	}
	return ": " + strings.Join(msgs, " ")
}

// mailProblem says why the relay did not take an email.
func mailProblem(me *mail.Error) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(me, &unknown) || errors.As(me, &host) || errors.As(me, &verify):
		return "The mail server's certificate can't be trusted, so nothing was sent. Check the mail settings."
	case me.Code >= 500:
		return fmt.Sprintf("The mail server refused this email (SMTP %d). It said: “%s”.", me.Code, me.Msg)
	case me.Code >= 400:
		return fmt.Sprintf("The mail server asked Onramp to try again later (SMTP %d).", me.Code)
	case me.Temp:
		return "The mail server can't be reached right now. Onramp tries again by itself."
	}
	return "The mail server couldn't take this email. Check the mail settings."
}

// sendProblem is the plain-words reason an item could not be sent.
func sendProblem(kind string, err error) string {
	var ce *intake.ClientError
	var me *mail.Error
	switch {
	case errors.As(err, &ce):
		return serverProblem(ce)
	case errors.As(err, &me):
		return mailProblem(me)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "Sending was cut short. Onramp tries again by itself."
	case kind == packets.KindUpload:
		return "Onramp couldn't read the packet it was to send. Export the packet again."
	case kind == packets.KindBuild:
		return "Onramp couldn't make the support packet from your submitted forms. Choose Retry; if it keeps failing, contact support."
	}
	return "Onramp couldn't send this. If it keeps failing, contact support."
}

// plainSender wraps a sender so that the reason the outbox records for a
// failed try, which the panel shows, is in plain words. The cause stays
// wrapped, and its Temporary decides the retry as before.
func plainSender(send outbox.SenderFunc) outbox.SenderFunc {
	return func(ctx context.Context, it store.OutboxItem) error {
		err := send(ctx, it)
		if err == nil {
			return nil
		}
		log.Printf("sync: sending %s: %v", it.IdempotencyKey, err)
		msg := sendProblem(it.Kind, err)
		var t interface{ Temporary() bool }
		if errors.As(err, &t) {
			return &plainTempError{plainError{msg, err}}
		}
		return &plainError{msg, err}
	}
}

// plainError shows msg and wraps the error it stands for.
type plainError struct {
	msg string
	err error
}

func (e *plainError) Error() string { return e.msg }
func (e *plainError) Unwrap() error { return e.err }

// plainTempError is a plainError whose cause says whether to retry: the
// outbox reads Temporary from the first error in the chain that has it.
type plainTempError struct{ plainError }

func (e *plainTempError) Temporary() bool {
	var t interface{ Temporary() bool }
	return errors.As(e.err, &t) && t.Temporary()
}
