package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/webinar"
)

// Guidance steps: each names the step the email guides the provider to,
// and is queued by the write that completes the one before it. They travel
// in the status feed, so their names live in the wire package.
const (
	GuidanceInsurance = intake.GuidanceInsurance
	GuidanceReview    = intake.GuidanceReview
	GuidancePortal    = intake.GuidancePortal
	GuidanceTraining  = intake.GuidanceTraining
)

// guidanceKey is the email's idempotency key, and its Message-ID's left
// part: one per provider and step.
func guidanceKey(provider int64, step string) string {
	return fmt.Sprintf("intake/guidance/%d/%s", provider, step)
}

// queueGuidance queues a step's guidance email for the provider in the
// transaction of the write that completed the step before it, so the write
// and the email stand or fall together. A step's email is queued once: a
// retried upload, a resubmitted form or a second review adds nothing.
func (d *DB) queueGuidance(ctx context.Context, tx *dbTx, provider int64, step string) error {
	var name, email string
	if err := tx.QueryRowContext(ctx, `SELECT name, email FROM providers WHERE id = ?`, provider).Scan(&name, &email); err != nil {
		return fmt.Errorf("guidance email for provider %d: %w", provider, err)
	}
	subject, body := guidanceText(step, name)
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_queue (key, provider, step, to_name, to_email, subject, body, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		guidanceKey(provider, step), provider, step, name, email, subject, body, d.now().UnixMilli(), d.stamp())
	return err
}

// afterSubmission queues the guidance a newly received form version calls
// for: after the General Onboarding form, the Insurance form (unless it is
// already in); after the Insurance form, what review and credentialing
// look like.
func (d *DB) afterSubmission(ctx context.Context, tx *dbTx, provider int64, form string) error {
	switch form {
	case forms.FormGeneral:
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM submissions WHERE provider = ? AND form = ? LIMIT 1`, provider, forms.FormCredentialing).Scan(&one)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return d.queueGuidance(ctx, tx, provider, GuidanceInsurance)
	case forms.FormCredentialing:
		return d.queueGuidance(ctx, tx, provider, GuidanceReview)
	}
	return nil
}

// afterReview queues the portal password guidance once the latest version
// of both forms is reviewed and no portal password exists yet.
func (d *DB) afterReview(ctx context.Context, tx *dbTx, provider int64) error {
	var reviewed, portal int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM submissions s WHERE s.provider = ? AND s.review = 'reviewed'
			AND s.version = (SELECT MAX(version) FROM submissions WHERE provider = s.provider AND form = s.form)),
		(SELECT COUNT(*) FROM portal_passwords WHERE provider = ?)`, provider, provider).Scan(&reviewed, &portal)
	if err != nil || reviewed < 2 || portal > 0 {
		return err
	}
	return d.queueGuidance(ctx, tx, provider, GuidancePortal)
}

const signature = "\n\nIf anything is unclear, use the Help button in Onramp and the onboarding team will answer.\n\n— The network's onboarding team\n"

// guidanceText is a step's email: plain, friendly, naming what to do next.
func guidanceText(step, name string) (subject, body string) {
	hello := "Hello,\n\n"
	if name = strings.TrimSpace(name); name != "" {
		hello = "Hello " + name + ",\n\n"
	}
	switch step {
	case GuidanceInsurance:
		return "Next step: your Insurance form", hello +
			"Thank you: the network received your General Onboarding form.\n\n" +
			"Your next step is the Insurance form (step 2 in Onramp). It collects what insurance companies need " +
			"to credential you: your CAQH ProView details, NPI, state licenses, education and training, work history " +
			"for the last five years and your professional liability insurance, with copies of the documents.\n\n" +
			"Onramp saves your answers as you go, so you can stop and come back. When you submit, it is sent to " +
			"the network and you get a receipt by email." + signature
	case GuidanceReview:
		return "What happens next: review and credentialing", hello +
			"Thank you: the network received your Insurance form. Here is what happens now.\n\n" +
			"Review. The onboarding team reads both of your forms. If something is missing, the form comes back " +
			"to you in Onramp with the reason; edit it and submit it again. Once both forms are reviewed, you " +
			"will get an email inviting you to create your portal password (step 3).\n\n" +
			"Credentialing. The network asks each insurance company to credential you, which can take up to " +
			"45 days. Onramp's dashboard shows each company's status as it changes, and your effective start date " +
			"once it is set: you can see cash-pay clients any time, insurance clients from that date on.\n\n" +
			"In the meantime you can already watch the training webinar and take the quiz (step 4)." + signature
	case GuidancePortal:
		return "Your forms are reviewed: create your portal password", hello +
			"Good news: the network has reviewed both of your forms.\n\n" +
			"Your next step is to create your provider portal password (step 3 in Onramp). Open Onramp, choose " +
			"\"Create your portal password\" and pick a password: " + lowerFirst(intake.PortalPassword.Hint) + "\n\n" +
			"The network will never ask you for this password by email." + signature
	case GuidanceTraining:
		return "Last step: the training webinar and quiz", hello +
			"Your portal password is set, so your portal access is ready.\n\n" +
			"The last step is the insurance training (step 4 in Onramp): a webinar of about 3 minutes, which plays " +
			"without an internet connection, then a short multiple-choice quiz. You pass with " + strconv.Itoa(webinar.PassMark) + "% and can retake " +
			"it as often as you like. Once both are done, your onboarding is complete." + signature
	}
	return "A message from the network's onboarding team", hello + "Open Onramp to see your next step." + signature
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
