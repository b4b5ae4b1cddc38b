package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"onramp/backend/intake"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"onramp/backend/forms"
)

func (s *Server) statusFeed(ctx context.Context, req request) (int, any, error) {
	st, err := s.db.status(ctx, req.provider)
	if st.Portal != nil {
		st.Portal.URL = s.portalURL
		if s.portalURL == "" {
			st.Portal = nil
		}
	}
	return http.StatusOK, st, err
}

// status is a provider's status feed. It is the request apps make most
// (every sync), so it takes six queries whatever the provider's history
// (a seventh once they asked for help): on a server whose database is
// across a socket, each costs a round trip.
func (d *DB) status(ctx context.Context, provider int64) (intake.Status, error) {
	st := intake.Status{Forms: []intake.FormStatus{}, Payers: []intake.PayerStatus{}}
	tickets, err := d.statusFacts(ctx, provider, &st)
	if err != nil {
		return st, err
	}
	if err := d.statusForms(ctx, provider, &st); err != nil {
		return st, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT payer, status, updated_at FROM payers WHERE provider = ? ORDER BY payer`, provider)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var p intake.PayerStatus
		if err := rows.Scan(&p.Payer, &p.Status, &p.UpdatedAt); err != nil {
			rows.Close()
			return st, err
		}
		st.Payers = append(st.Payers, p)
	}
	rows.Close()
	if err := d.directories(ctx, &st, provider); err != nil {
		return st, err
	}
	if tickets > 0 { // a seventh query only for a provider who asked for help
		if st.Tickets, err = d.statusTickets(ctx, provider); err != nil {
			return st, err
		}
	}
	st.Guidance, err = d.guidanceSent(ctx, provider)
	return st, err
}

// statusFacts fills, in one query, what the feed holds one of: the
// effective date, the portal password's time and the portal user name,
// the training and quiz, the start date and live date, completion.
func (d *DB) statusFacts(ctx context.Context, provider int64, st *intake.Status) (tickets int, err error) {
	var email, portalAt, effective, start, trainedAt, trainingReceived, passedAt, completed sql.NullString
	var watched sql.NullFloat64
	var attempts int
	var best sql.NullInt64
	err = d.db.QueryRowContext(ctx, `SELECT p.email,
		(SELECT created_at FROM portal_passwords WHERE provider = ?1),
		(SELECT date FROM effective_dates WHERE provider = ?1),
		(SELECT date FROM start_dates WHERE provider = ?1),
		t.watched_share, t.completed_at, t.received_at,
		(SELECT COUNT(*) FROM quiz_attempts WHERE provider = ?1),
		(SELECT MAX(score) FROM quiz_attempts WHERE provider = ?1),
		(SELECT at FROM quiz_attempts WHERE provider = ?1 AND passed ORDER BY number LIMIT 1),
		(SELECT completed_at FROM completions WHERE provider = ?1),
		(SELECT COUNT(*) FROM tickets WHERE provider = ?1)
		FROM providers p LEFT JOIN training t ON t.provider = p.id WHERE p.id = ?1`, provider).
		Scan(&email, &portalAt, &effective, &start, &watched, &trainedAt, &trainingReceived, &attempts, &best, &passedAt, &completed, &tickets)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	st.EffectiveDate = effective.String
	if portalAt.Valid {
		st.PortalCreated, st.PortalCreatedAt = true, portalAt.String
		// The portal's user name is the email the invitation went to; the
		// URL is the server's to give (see Server.WithPortal).
		st.Portal = &intake.PortalAccess{Username: email.String}
	}
	if watched.Valid {
		st.Training = &intake.TrainingStatus{WatchedShare: watched.Float64, CompletedAt: trainedAt.String, ReceivedAt: trainingReceived.String,
			Attempts: attempts, BestScore: int(best.Int64), PassedAt: passedAt.String}
	}
	st.ProfileLiveDate = liveDate(effective, start, trainedAt)
	st.CompletedAt = completed.String
	return tickets, nil
}

// statusForms fills each form's latest version, its review and when the
// network received it, and every version received, from one query.
func (d *DB) statusForms(ctx context.Context, provider int64, st *intake.Status) error {
	rows, err := d.db.QueryContext(ctx, `SELECT form, version, received_at, review, review_reason, reviewed_at
		FROM submissions WHERE provider = ? ORDER BY form, version`, provider)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var form string
		var v intake.FormVersion
		if err := rows.Scan(&form, &v.Version, &v.ReceivedAt, &v.Review, &v.Reason, &v.ReviewedAt); err != nil {
			return err
		}
		if n := len(st.Forms); n == 0 || st.Forms[n-1].Form != form {
			st.Forms = append(st.Forms, intake.FormStatus{Form: form})
		}
		f := &st.Forms[len(st.Forms)-1]
		f.Versions = append(f.Versions, v)
		// Oldest first: the last one read is the latest.
		f.LatestVersion, f.Review, f.Reason, f.ReviewedAt, f.ReceivedAt = v.Version, v.Review, v.Reason, v.ReviewedAt, v.ReceivedAt
	}
	return rows.Err()
}

// guidanceSent lists the provider's guidance emails that went out, by step:
// the app says "sent on …" for those instead of "due by …".
func (d *DB) guidanceSent(ctx context.Context, provider int64) ([]intake.GuidanceSent, error) {
	// The welcome email went to the invitation the provider enrolled with;
	// the provider's own submitted mail (raw) is not guidance, nor are
	// support's replies to tickets (the feed's tickets carry them), nor
	// reminders (the app's dashboard shows the same dates).
	rows, err := d.db.QueryContext(ctx, `SELECT step, sent_at FROM mail_queue
		WHERE (provider = ?1 OR invitation IN (SELECT code FROM invitations WHERE provider = ?1)) AND state = 'sent' AND raw IS NULL
		AND step NOT IN (?2, ?3) ORDER BY id`, provider, GuidanceTicketReply, StepReminder)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []intake.GuidanceSent{}
	for rows.Next() {
		var g intake.GuidanceSent
		if err := rows.Scan(&g.Step, &g.SentAt); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// submit stores a form version. The data must match its hash; a version
// already received with the same hash is accepted again, with another hash
// refused.
func (s *Server) submit(ctx context.Context, req request) (int, any, error) {
	var in intake.SubmissionUpload
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	if _, ok := forms.SchemaByID(in.Form); !ok {
		return 0, nil, bad("unknown-form", "form must be general or credentialing.")
	}
	if in.Version < 1 || in.Version > 10_000 || in.SchemaVersion < 1 {
		return 0, nil, bad("bad-version", "version and schemaVersion must be positive.")
	}
	data, err := forms.DecodeData(in.Data)
	if err != nil {
		return 0, nil, bad("bad-data", err.Error())
	}
	if data.Hash() != in.Hash {
		return 0, nil, &apiError{http.StatusUnprocessableEntity, "hash-mismatch", "The data does not match its hash: it changed on the way.", nil}
	}
	if err := s.checkSealed(in, data); err != nil {
		return 0, nil, err
	}
	if len(in.Sealed) > 0 {
		// Keys stored before sealed fields existed stand for the raw body.
		req.body = idempotencyBody(in)
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		var hash, received string
		err := tx.QueryRowContext(ctx, `SELECT hash, received_at FROM submissions WHERE provider = ? AND form = ? AND version = ?`,
			req.provider, in.Form, in.Version).Scan(&hash, &received)
		switch {
		case err == nil && hash == in.Hash:
			return http.StatusOK, intake.SubmitResponse{Form: in.Form, Version: in.Version, ReceivedAt: received}, nil
		case err == nil:
			return 0, nil, &apiError{http.StatusConflict, "version-conflict", fmt.Sprintf("Version %d of this form was already received with other content.", in.Version), nil}
		case !errors.Is(err, sql.ErrNoRows):
			return 0, nil, err
		}
		now := s.db.stamp()
		// Which computer sent it: a later one is told to number after it.
		// It is the form's latest version unless a later one arrived first
		// (then the queue columns need no change: see afterInsert).
		var latest int
		err = tx.QueryRowContext(ctx, `INSERT INTO submissions (provider, form, version, schema_version, hash, data, submitted_at, received_at, installation,
			earliest_expiry, latest)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT installation FROM providers WHERE id = ?), ?,
			CASE WHEN EXISTS (SELECT 1 FROM submissions WHERE provider = ? AND form = ? AND version > ?) THEN 0 ELSE 1 END)
			RETURNING latest`, req.provider, in.Form, in.Version, in.SchemaVersion, in.Hash,
			string(data.Encode()), in.SubmittedAt.UTC().Format(time.RFC3339Nano), now, req.provider, earliestExpiry(in.Form, data),
			req.provider, in.Form, in.Version).Scan(&latest)
		if err != nil {
			return 0, nil, err
		}
		if latest == 1 {
			if err := afterLatest(ctx, tx, req.provider, in.Form, in.Version, data); err != nil {
				return 0, nil, err
			}
		}
		if err := s.db.storeSealed(ctx, tx, req.provider, in, now); err != nil {
			return 0, nil, err
		}
		if err := s.db.afterSubmission(ctx, tx, req.provider, in.Form); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, intake.SubmitResponse{Form: in.Form, Version: in.Version, ReceivedAt: now}, nil
	})
}

// portalPassword creates the provider's portal password, once both forms
// are reviewed. It is kept as an argon2id hash with a random salt.
func (s *Server) portalPassword(ctx context.Context, req request) (int, any, error) {
	var in intake.PasswordRequest
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	st, err := s.db.status(ctx, req.provider)
	if err != nil {
		return 0, nil, err
	}
	reviewed := 0
	for _, f := range st.Forms {
		if f.Review == "reviewed" {
			reviewed++
		}
	}
	if reviewed < 2 {
		return 0, nil, &apiError{http.StatusConflict, "not-reviewed", "The portal opens once the network has reviewed both of your forms.", nil}
	}
	var email string
	if err := s.db.db.QueryRowContext(ctx, `SELECT email FROM providers WHERE id = ?`, req.provider).Scan(&email); err != nil {
		return 0, nil, err
	}
	if p := intake.PasswordProblem(in.Password, email); p != "" {
		return 0, nil, &apiError{http.StatusUnprocessableEntity, "weak-password", p, nil}
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO portal_passwords (provider, hash, created_at) VALUES (?, ?, ?)
			ON CONFLICT (provider) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at`,
			req.provider, hashPassword(in.Password), s.db.stamp())
		if err != nil {
			return 0, nil, err
		}
		// No training email when the training is already done (the app
		// reported it before the portal opened).
		if done, err := trainingDone(ctx, tx, req.provider); err != nil {
			return 0, nil, err
		} else if !done {
			if err := s.db.queueGuidance(ctx, tx, req.provider, GuidanceTraining); err != nil {
				return 0, nil, err
			}
		}
		if err := s.db.checkCompletion(ctx, tx, req.provider); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, map[string]bool{"created": true}, nil
	})
}

const argonTime, argonMemory, argonThreads = 3, 64 * 1024, 2

func hashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, 32)
	return fmt.Sprintf("argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPortalPassword verifies a provider's portal password.
func (d *DB) CheckPortalPassword(ctx context.Context, provider int64, pw string) (bool, error) {
	var stored string
	if err := d.db.QueryRowContext(ctx, `SELECT hash FROM portal_passwords WHERE provider = ?`, provider).Scan(&stored); err != nil {
		return false, err
	}
	return checkPassword(stored, pw)
}

func (s *Server) help(ctx context.Context, req request) (int, any, error) {
	var in intake.HelpRequest
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	in.Subject, in.Message = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Message)
	if field, msg := intake.Help.Problem(in.Subject, in.Message); field != "" {
		return 0, nil, bad("bad-request", msg)
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO tickets (provider, subject, message, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			req.provider, in.Subject, in.Message, s.db.stamp()).Scan(&id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, map[string]int64{"ticket": id}, nil
	})
}
