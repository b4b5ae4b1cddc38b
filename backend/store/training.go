package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// WebinarProgress is what was played of one version of the webinar.
type WebinarProgress struct {
	Version   string
	Intervals [][2]float64 // merged, sorted [start, end] seconds
	Position  float64      // where the provider stopped
	UpdatedAt time.Time
}

// WebinarProgress returns the progress on a version; zero progress if none.
func (s *Store) WebinarProgress(ctx context.Context, version string) (WebinarProgress, error) {
	p := WebinarProgress{Version: version, Intervals: [][2]float64{}}
	var raw, at string
	err := s.db.QueryRowContext(ctx, `SELECT intervals, position, updated_at FROM webinar_progress WHERE version = ?`,
		version).Scan(&raw, &p.Position, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("load webinar progress: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &p.Intervals); err != nil {
		return p, fmt.Errorf("load webinar progress: %w", err)
	}
	p.UpdatedAt, err = parseTime(at)
	return p, err
}

// SaveWebinarProgress replaces the progress on a version.
func (s *Store) SaveWebinarProgress(ctx context.Context, p WebinarProgress) error {
	raw, err := json.Marshal(p.Intervals)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO webinar_progress (version, intervals, position, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (version) DO UPDATE SET intervals = excluded.intervals, position = excluded.position, updated_at = excluded.updated_at`,
		p.Version, string(raw), p.Position, formatTime(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save webinar progress: %w", err)
	}
	return nil
}

// QuizAttempt is one graded attempt at the quiz.
type QuizAttempt struct {
	ID      int64
	TakenAt time.Time
	Answers map[string]string
	Correct int
	Total   int
	Score   int
	Passed  bool
}

// AddQuizAttempt keeps an attempt and returns its ID.
func (s *Store) AddQuizAttempt(ctx context.Context, a QuizAttempt) (int64, error) {
	raw, err := json.Marshal(a.Answers)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO quiz_attempts (taken_at, answers, correct, total, score, passed)
		VALUES (?, ?, ?, ?, ?, ?)`, formatTime(a.TakenAt), string(raw), a.Correct, a.Total, a.Score, a.Passed)
	if err != nil {
		return 0, fmt.Errorf("save quiz attempt: %w", err)
	}
	return res.LastInsertId()
}

// QuizAttempts lists every attempt, oldest first.
func (s *Store) QuizAttempts(ctx context.Context) ([]QuizAttempt, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, taken_at, answers, correct, total, score, passed FROM quiz_attempts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load quiz attempts: %w", err)
	}
	defer rows.Close()
	var out []QuizAttempt
	for rows.Next() {
		var a QuizAttempt
		var at, raw string
		if err := rows.Scan(&a.ID, &at, &raw, &a.Correct, &a.Total, &a.Score, &a.Passed); err != nil {
			return nil, fmt.Errorf("load quiz attempts: %w", err)
		}
		if a.TakenAt, err = parseTime(at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &a.Answers); err != nil {
			return nil, fmt.Errorf("load quiz attempt %d: %w", a.ID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
