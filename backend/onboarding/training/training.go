// Package training is the insurance training as the provider takes it: the
// webinar's played intervals and where to resume, and the quiz's attempts,
// graded in Go.
package training

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"onramp/backend/journey"
	"onramp/backend/onboarding/progress"
	"onramp/backend/onboarding/reports"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// Service records the webinar's playing and the quiz's attempts.
type Service struct {
	store    *store.Store
	now      func() time.Time
	video    webinar.Video
	progress *progress.Service
}

// New builds the service for the current video; progress records the
// milestones (watched, passed) and gives the journey state.
func New(st *store.Store, now func() time.Time, video webinar.Video, p *progress.Service) *Service {
	return &Service{store: st, now: now, video: video, progress: p}
}

// Video is the current training video.
func (s *Service) Video() webinar.Video { return s.video }

var (
	// ErrQuizLocked means the webinar does not count as watched yet.
	ErrQuizLocked = errors.New("watch the training webinar first")
	// ErrStaleVideo means the player reported on a video version that is no
	// longer the current one.
	ErrStaleVideo = errors.New("the training video was updated")
)

// Training is the webinar and quiz as the training screen shows them.
type Training struct {
	Video          VideoInfo              `json:"video"`
	PercentWatched int                    `json:"percentWatched"` // floor of the covered share
	Watched        bool                   `json:"watched"`
	WatchedOn      string                 `json:"watchedOn,omitempty"`
	Position       float64                `json:"position"` // resume here
	QuizUnlocked   bool                   `json:"quizUnlocked"`
	QuizPassed     bool                   `json:"quizPassed"`
	PassedOn       string                 `json:"passedOn,omitempty"`
	Attempts       []AttemptSummary       `json:"attempts"`
	Done           bool                   `json:"done"`
	DoneOn         string                 `json:"doneOn,omitempty"`
	ProfileLive    journey.ProfileLive    `json:"profileLive"`
	Onboarding     OnboardingCompleteness `json:"onboarding"`
	// The rules, sent with the data so the screen never restates them.
	WatchedPercentNeeded int `json:"watchedPercentNeeded"`
	PassMark             int `json:"passMark"`
}

// VideoInfo is the current video, without its bytes.
type VideoInfo struct {
	Version         string  `json:"version"`
	Title           string  `json:"title"`
	DurationSeconds float64 `json:"durationSeconds"`
	URL             string  `json:"url"`
	// CaptionsURL is where its captions are served ("" if it has none), and
	// Transcript the same words to read, by slide.
	CaptionsURL string                      `json:"captionsUrl"`
	Transcript  []webinar.TranscriptSection `json:"transcript"`
}

// AttemptSummary is one kept attempt.
type AttemptSummary struct {
	Number  int    `json:"number"`
	TakenAt string `json:"takenAt"` // RFC 3339
	Correct int    `json:"correct"`
	Total   int    `json:"total"`
	Score   int    `json:"score"`
	Passed  bool   `json:"passed"`
}

// OnboardingCompleteness says whether all four steps are done.
type OnboardingCompleteness struct {
	Complete    bool   `json:"complete"`
	CompletedOn string `json:"completedOn,omitempty"`
}

// QuizOutcome is a graded attempt and the training state after it.
type QuizOutcome struct {
	Result   webinar.Result `json:"result"`
	Training Training       `json:"training"`
}

// Training reads the training state.
func (s *Service) Training(ctx context.Context) (Training, error) {
	st, err := s.progress.State(ctx)
	if err != nil {
		return Training{}, err
	}
	p, err := s.store.WebinarProgress(ctx, s.video.Version)
	if err != nil {
		return Training{}, err
	}
	attempts, err := s.store.QuizAttempts(ctx)
	if err != nil {
		return Training{}, err
	}
	t := Training{
		Video: VideoInfo{Version: s.video.Version, Title: s.video.Title, DurationSeconds: s.video.DurationSeconds, URL: webinar.URLPath,
			CaptionsURL: s.video.CaptionsURL(), Transcript: s.video.Transcript()},
		Position: p.Position,
		Watched:  !st.WebinarWatched.IsZero(), QuizPassed: !st.QuizPassed.IsZero(),
		Attempts: []AttemptSummary{}, ProfileLive: journey.Build(st, s.now().Local()).ProfileLive,
		WatchedPercentNeeded: webinar.WatchedPercent, PassMark: webinar.PassMark,
	}
	t.PercentWatched = int(math.Floor(webinar.Coverage(intervals(p.Intervals), s.video.DurationSeconds)*100 + 1e-9))
	t.QuizUnlocked = t.Watched
	if t.Watched {
		t.WatchedOn = journey.Date(st.WebinarWatched).Format(journey.DateLayout)
	}
	if t.QuizPassed {
		t.PassedOn = journey.Date(st.QuizPassed).Format(journey.DateLayout)
	}
	if done := st.TrainingDone(); !done.IsZero() {
		t.Done, t.DoneOn = true, journey.Date(done).Format(journey.DateLayout)
	}
	if at, ok := st.CompletedAt(); ok {
		t.Onboarding = OnboardingCompleteness{Complete: true, CompletedOn: journey.Date(at).Format(journey.DateLayout)}
	}
	for i, a := range attempts {
		t.Attempts = append(t.Attempts, AttemptSummary{Number: i + 1, TakenAt: a.TakenAt.Local().Format("2006-01-02T15:04:05Z07:00"),
			Correct: a.Correct, Total: a.Total, Score: a.Score, Passed: a.Passed})
	}
	return t, nil
}

// ReportPlayback records what the player played (segments with their
// wall-clock time) and where it is now. Only plausible playing counts; when
// the union reaches webinar.WatchedPercent of the video, the webinar is
// watched.
func (s *Service) ReportPlayback(ctx context.Context, version string, segments []webinar.Segment, position float64) (Training, error) {
	if version != s.video.Version {
		return Training{}, fmt.Errorf("%w: %q is not %q", ErrStaleVideo, version, s.video.Version)
	}
	p, err := s.store.WebinarProgress(ctx, version)
	if err != nil {
		return Training{}, err
	}
	merged := webinar.Merge(append(intervals(p.Intervals), webinar.Credit(segments)...), s.video.DurationSeconds)
	p.Intervals = pairs(merged)
	if position >= 0 && position <= s.video.DurationSeconds {
		p.Position = position
	}
	p.UpdatedAt = s.now()
	if err := s.store.SaveWebinarProgress(ctx, p); err != nil {
		return Training{}, err
	}
	if webinar.Coverage(merged, s.video.DurationSeconds) >= webinar.WatchedThreshold {
		if err := s.progress.Reach(ctx, store.MilestoneWebinarWatched); err != nil {
			return Training{}, err
		}
	}
	if err := reports.QueueTraining(ctx, s.store, s.now(), s.video); err != nil {
		return Training{}, err
	}
	return s.Training(ctx)
}

// Quiz returns the questions, once the webinar counts as watched.
func (s *Service) Quiz(ctx context.Context) ([]webinar.Question, error) {
	m, err := s.store.Milestones(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := m[store.MilestoneWebinarWatched]; !ok {
		return nil, ErrQuizLocked
	}
	return webinar.Questions(), nil
}

// SubmitQuiz grades and keeps an attempt; a pass completes step 4.
func (s *Service) SubmitQuiz(ctx context.Context, answers map[string]string) (QuizOutcome, error) {
	if _, err := s.Quiz(ctx); err != nil {
		return QuizOutcome{}, err
	}
	res, err := webinar.Grade(answers)
	if err != nil {
		return QuizOutcome{}, err
	}
	_, err = s.store.AddQuizAttempt(ctx, store.QuizAttempt{TakenAt: s.now(), Answers: answers,
		Correct: res.Correct, Total: res.Total, Score: res.Score, Passed: res.Passed})
	if err != nil {
		return QuizOutcome{}, err
	}
	if res.Passed {
		if err := s.progress.Reach(ctx, store.MilestoneQuizPassed); err != nil {
			return QuizOutcome{}, err
		}
	}
	// The network learns each attempt; a pass can complete onboarding there.
	if err := reports.QueueTraining(ctx, s.store, s.now(), s.video); err != nil {
		return QuizOutcome{}, err
	}
	t, err := s.Training(ctx)
	return QuizOutcome{Result: res, Training: t}, err
}

func intervals(ps [][2]float64) []webinar.Interval {
	out := make([]webinar.Interval, len(ps))
	for i, p := range ps {
		out[i] = webinar.Interval{Start: p[0], End: p[1]}
	}
	return out
}

func pairs(ivs []webinar.Interval) [][2]float64 {
	out := make([][2]float64, len(ivs))
	for i, iv := range ivs {
		out[i] = [2]float64{iv.Start, iv.End}
	}
	return out
}
