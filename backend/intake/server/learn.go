package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode"

	"onramp/backend/intake"
	"onramp/backend/journey"
)

// What the network learns from the app (issue 11 part 3): the training,
// the contracted start date, the checklist and the app's version. Each
// endpoint takes the whole of what the app knows, so a later report
// replaces an earlier one; a retried or late report never rolls state back
// (see the training table's comment in db.go). The training report can
// complete onboarding: then the completion email is queued in the same
// transaction.

// querier is what reads need: the database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Limits on what the app reports.
const (
	maxAttempts     = 1000
	maxChecklist    = 100
	maxVersionChars = 64
)

func (s *Server) trainingReport(ctx context.Context, req request) (int, any, error) {
	var in intake.TrainingReport
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	if msg := trainingProblem(in); msg != "" {
		return 0, nil, bad("bad-training", msg)
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		if err := s.db.recordTraining(ctx, tx, req.provider, in); err != nil {
			return 0, nil, err
		}
		if err := s.db.checkCompletion(ctx, tx, req.provider); err != nil {
			return 0, nil, err
		}
		st, err := trainingStatus(ctx, tx, req.provider)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, st, nil
	})
}

// trainingProblem says what is wrong with a training report, or "".
func trainingProblem(in intake.TrainingReport) string {
	if v := strings.TrimSpace(in.WebinarVersion); v == "" || len(v) > maxVersionChars {
		return fmt.Sprintf("webinarVersion must name the webinar's version (%d characters at most).", maxVersionChars)
	}
	if math.IsNaN(in.WatchedShare) || in.WatchedShare < 0 || in.WatchedShare > 1 {
		return "watchedShare must be between 0 and 1."
	}
	if !optionalTime(in.WatchedAt) {
		return "watchedAt must be a date and time (RFC 3339) or left out."
	}
	if len(in.Attempts) > maxAttempts {
		return fmt.Sprintf("At most %d quiz attempts.", maxAttempts)
	}
	for i, a := range in.Attempts {
		switch {
		case a.Number < 1 || (i > 0 && a.Number <= in.Attempts[i-1].Number):
			return "Quiz attempts must be numbered 1, 2, … in the order taken, each once."
		case !requiredTime(a.At):
			return fmt.Sprintf("Quiz attempt %d needs the date and time it was taken (RFC 3339).", a.Number)
		case a.Score < 0 || a.Score > 100:
			return fmt.Sprintf("Quiz attempt %d: the score is a percentage, 0 to 100.", a.Number)
		}
	}
	// completedAt is the app's word (webinar watched and quiz passed, by its
	// milestones), not checked against the attempts: an app whose attempts
	// were not all kept still completed the training, and refusing its
	// report would stop it for good.
	if !optionalTime(in.CompletedAt) {
		return "completedAt must be a date and time (RFC 3339) or left out."
	}
	return ""
}

func requiredTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

func optionalTime(s string) bool { return s == "" || requiredTime(s) }

// recordTraining merges a report into what is stored: the watched share
// only grows (the webinar version and watch time follow the report that
// reached it), quiz attempts are kept by number as first received, and the
// completion keeps the first time it was reported.
func (d *DB) recordTraining(ctx context.Context, tx *dbTx, provider int64, in intake.TrainingReport) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO training (provider, webinar_version, watched_share, watched_at, completed_at, received_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (provider) DO UPDATE SET
			webinar_version = CASE WHEN excluded.watched_share >= training.watched_share THEN excluded.webinar_version ELSE training.webinar_version END,
			watched_at = CASE WHEN excluded.watched_share >= training.watched_share AND excluded.watched_at != '' THEN excluded.watched_at ELSE training.watched_at END,
			watched_share = CASE WHEN excluded.watched_share > training.watched_share THEN excluded.watched_share ELSE training.watched_share END,
			completed_at = CASE WHEN training.completed_at = '' THEN excluded.completed_at ELSE training.completed_at END,
			received_at = excluded.received_at`,
		provider, strings.TrimSpace(in.WebinarVersion), in.WatchedShare, in.WatchedAt, in.CompletedAt, d.stamp())
	if err != nil {
		return fmt.Errorf("record training: %w", err)
	}
	for _, a := range in.Attempts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO quiz_attempts (provider, number, at, score, passed) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (provider, number) DO NOTHING`, provider, a.Number, a.At, a.Score, a.Passed); err != nil {
			return fmt.Errorf("record quiz attempt %d: %w", a.Number, err)
		}
	}
	return nil
}

// trainingStatus is the training as recorded; nil before any report.
func trainingStatus(ctx context.Context, q querier, provider int64) (*intake.TrainingStatus, error) {
	var t intake.TrainingStatus
	err := q.QueryRowContext(ctx, `SELECT watched_share, completed_at, received_at FROM training WHERE provider = ?`, provider).
		Scan(&t.WatchedShare, &t.CompletedAt, &t.ReceivedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var passedAt sql.NullString
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(score), 0),
		(SELECT at FROM quiz_attempts WHERE provider = ? AND passed ORDER BY number LIMIT 1)
		FROM quiz_attempts WHERE provider = ?`, provider, provider).Scan(&t.Attempts, &t.BestScore, &passedAt)
	t.PassedAt = passedAt.String
	return &t, err
}

func (s *Server) startDateReport(ctx context.Context, req request) (int, any, error) {
	var in intake.StartDateReport
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	d, err := time.Parse("2006-01-02", in.Date)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return 0, nil, bad("bad-date", "date must be the contracted start date as YYYY-MM-DD.")
	}
	reported, err := reportedAt(in.ReportedAt)
	if err != nil {
		return 0, nil, err
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		return s.db.keepLatest(ctx, tx, "start_dates", req.provider, reported, func(stamp string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO start_dates (provider, date, reported_at, received_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (provider) DO UPDATE SET date = excluded.date, reported_at = excluded.reported_at, received_at = excluded.received_at`,
				req.provider, in.Date, in.ReportedAt, stamp)
			return err
		})
	})
}

func (s *Server) checklistReport(ctx context.Context, req request) (int, any, error) {
	var in intake.ChecklistReport
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	if msg := checklistProblem(in.Items); msg != "" {
		return 0, nil, bad("bad-checklist", msg)
	}
	reported, err := reportedAt(in.ReportedAt)
	if err != nil {
		return 0, nil, err
	}
	if in.Items == nil {
		in.Items = []intake.ChecklistEntry{}
	}
	items, err := json.Marshal(in.Items)
	if err != nil {
		return 0, nil, err
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		return s.db.keepLatest(ctx, tx, "checklists", req.provider, reported, func(stamp string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO checklists (provider, items, reported_at, received_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (provider) DO UPDATE SET items = excluded.items, reported_at = excluded.reported_at, received_at = excluded.received_at`,
				req.provider, string(items), in.ReportedAt, stamp)
			return err
		})
	})
}

// checklistProblem says what is wrong with the checklist items, or "".
func checklistProblem(items []intake.ChecklistEntry) string {
	if len(items) > maxChecklist {
		return fmt.Sprintf("At most %d checklist items.", maxChecklist)
	}
	seen := map[string]bool{}
	for _, it := range items {
		switch {
		case !journey.ChecklistItem(it.ID) && !journey.ArticleItem(it.ID):
			return fmt.Sprintf("%q is not one of the checklist's items.", it.ID)
		case seen[it.ID]:
			return fmt.Sprintf("Checklist item %q is listed twice.", it.ID)
		case it.Done && !requiredTime(it.DoneAt):
			return fmt.Sprintf("Checklist item %q is done: give doneAt, the date and time it was ticked (RFC 3339).", it.ID)
		case !it.Done && it.DoneAt != "":
			return fmt.Sprintf("Checklist item %q is not done, so it has no doneAt.", it.ID)
		}
		seen[it.ID] = true
	}
	return ""
}

func (s *Server) appVersionReport(ctx context.Context, req request) (int, any, error) {
	var in intake.AppVersionReport
	if err := decode(req.body, &in); err != nil {
		return 0, nil, err
	}
	if !printable(in.Version, 1) || !printable(in.OS, 0) {
		return 0, nil, bad("bad-version", fmt.Sprintf("version (required) and os must be %d characters at most, without spaces or control characters.", maxVersionChars))
	}
	reported, err := reportedAt(in.ReportedAt)
	if err != nil {
		return 0, nil, err
	}
	return s.idempotent(ctx, req, func(tx *dbTx) (int, any, error) {
		return s.db.keepLatest(ctx, tx, "app_versions", req.provider, reported, func(stamp string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO app_versions (provider, version, os, reported_at, received_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (provider) DO UPDATE SET version = excluded.version, os = excluded.os, reported_at = excluded.reported_at, received_at = excluded.received_at`,
				req.provider, in.Version, in.OS, in.ReportedAt, stamp)
			return err
		})
	})
}

// printable reports whether s has min to maxVersionChars characters, none
// a space or control character.
func printable(s string, min int) bool {
	return len(s) >= min && len(s) <= maxVersionChars && strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar
	}) < 0
}

func reportedAt(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, bad("bad-reported-at", "reportedAt must be when the app made the report, a date and time (RFC 3339).")
	}
	return t, nil
}

// Report is the answer to a start date, checklist or app version report:
// whether it is now what the network holds, or an older report the network
// already had a newer one than (kept, as the retry it usually is, without
// changing anything).
type Report struct {
	Applied    bool   `json:"applied"`
	ReceivedAt string `json:"receivedAt"`
}

// keepLatest writes a report to table with write unless the stored one was
// made later: reports made earlier arrive late only as retries.
func (d *DB) keepLatest(ctx context.Context, tx *dbTx, table string, provider int64, reported time.Time, write func(stamp string) error) (int, any, error) {
	var stored string
	err := tx.QueryRowContext(ctx, `SELECT reported_at FROM `+table+` WHERE provider = ?`, provider).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, err
	}
	stamp := d.stamp()
	if err == nil {
		if prev, perr := time.Parse(time.RFC3339Nano, stored); perr == nil && prev.After(reported) {
			return http.StatusOK, Report{Applied: false, ReceivedAt: stamp}, nil
		}
	}
	if err := write(stamp); err != nil {
		return 0, nil, fmt.Errorf("record %s: %w", table, err)
	}
	return http.StatusOK, Report{Applied: true, ReceivedAt: stamp}, nil
}

// checkCompletion records onboarding complete, and queues the completion
// email (once per provider), when all four steps are done: both forms'
// latest versions reviewed, the portal password created, the training
// completed. It runs in the transaction of each write that can complete
// the last step, so the write and the email stand or fall together.
func (d *DB) checkCompletion(ctx context.Context, tx *dbTx, provider int64) error {
	var reviewed, portal, trained, done int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM submissions s WHERE s.provider = ?1 AND s.review = 'reviewed'
			AND s.version = (SELECT MAX(version) FROM submissions WHERE provider = s.provider AND form = s.form)),
		(SELECT COUNT(*) FROM portal_passwords WHERE provider = ?1),
		(SELECT COUNT(*) FROM training WHERE provider = ?1 AND completed_at != ''),
		(SELECT COUNT(*) FROM completions WHERE provider = ?1)`, provider).Scan(&reviewed, &portal, &trained, &done)
	if err != nil || reviewed < 2 || portal == 0 || trained == 0 || done > 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO completions (provider, completed_at) VALUES (?, ?)`, provider, d.stamp()); err != nil {
		return fmt.Errorf("record completion: %w", err)
	}
	live, err := profileLiveDate(ctx, tx, provider)
	if err != nil {
		return err
	}
	return d.queueCompletionMail(ctx, tx, provider, live)
}

// trainingDone reports whether the provider's training is complete, as the
// app reported it.
func trainingDone(ctx context.Context, q querier, provider int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM training WHERE provider = ? AND completed_at != ''`, provider).Scan(&n)
	return n > 0, err
}

// profileLiveDate is the directory-profile live date (YYYY-MM-DD) by
// journey.ProfileLiveDate, the rule the app uses too: the latest of the
// credentialing effective date, the contracted start date and the day the
// training was completed (on the provider's own calendar, as the app
// reported the time with its offset). "" while any is unknown.
func profileLiveDate(ctx context.Context, q querier, provider int64) (string, error) {
	var effective, start, trained sql.NullString
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT date FROM effective_dates WHERE provider = ?1),
		(SELECT date FROM start_dates WHERE provider = ?1),
		(SELECT completed_at FROM training WHERE provider = ?1)`, provider).Scan(&effective, &start, &trained)
	if err != nil {
		return "", err
	}
	return liveDate(effective, start, trained), nil
}

// liveDate is journey.ProfileLiveDate of the stored effective date, start
// date and training completion time: "" while any is unknown.
func liveDate(effective, start, trained sql.NullString) string {
	e, _ := time.Parse("2006-01-02", effective.String)
	c, _ := time.Parse("2006-01-02", start.String)
	t, _ := time.Parse(time.RFC3339Nano, trained.String)
	live, ok := journey.ProfileLiveDate(e, c, t)
	if !ok {
		return ""
	}
	return live.Format("2006-01-02")
}

// Learned is what the app reported, for support's providers list.
type Learned struct {
	Training        *intake.TrainingStatus  `json:"training,omitempty"`
	StartDate       string                  `json:"startDate,omitempty"`
	Checklist       []intake.ChecklistEntry `json:"checklist,omitempty"`
	AppVersion      string                  `json:"appVersion,omitempty"`
	AppOS           string                  `json:"appOS,omitempty"`
	ProfileLiveDate string                  `json:"profileLiveDate,omitempty"`
	CompletedAt     string                  `json:"completedAt,omitempty"`
	PortalUsername  string                  `json:"portalUsername,omitempty"`
	PortalCreatedAt string                  `json:"portalCreatedAt,omitempty"`
}

// learnedSummary reads what the app reported for support.
func (d *DB) learnedSummary(ctx context.Context, provider int64, st intake.Status) (Learned, error) {
	l := Learned{Training: st.Training, ProfileLiveDate: st.ProfileLiveDate, CompletedAt: st.CompletedAt, PortalCreatedAt: st.PortalCreatedAt}
	if st.Portal != nil {
		l.PortalUsername = st.Portal.Username
	}
	var items sql.NullString
	err := d.db.QueryRowContext(ctx, `SELECT
		(SELECT date FROM start_dates WHERE provider = ?1),
		(SELECT items FROM checklists WHERE provider = ?1),
		(SELECT version FROM app_versions WHERE provider = ?1),
		(SELECT os FROM app_versions WHERE provider = ?1)`, provider).
		Scan((*nullable)(&l.StartDate), &items, (*nullable)(&l.AppVersion), (*nullable)(&l.AppOS))
	if err != nil {
		return l, err
	}
	if items.Valid {
		if err := json.Unmarshal([]byte(items.String), &l.Checklist); err != nil {
			return l, fmt.Errorf("stored checklist of provider %d: %w", provider, err)
		}
	}
	return l, nil
}

// nullable scans a NULL as "".
type nullable string

func (n *nullable) Scan(v any) error {
	var s sql.NullString
	if err := s.Scan(v); err != nil {
		return err
	}
	*n = nullable(s.String)
	return nil
}
