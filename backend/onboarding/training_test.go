package onboarding

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"onramp/backend/intake"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/reports"
	"onramp/backend/onboarding/training"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
	"onramp/backend/webinar"
)

func trainingService(t *testing.T) (*Service, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	svc := New(st, fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if problems, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	return svc, st
}

// play reports the video from..to at normal speed in 5-second segments, as
// the player does.
func play(t *testing.T, svc *Service, from, to float64) training.Training {
	t.Helper()
	var tr training.Training
	var err error
	for s := from; s < to; s += 5 {
		e := min(s+5, to)
		tr, err = svc.Training.ReportPlayback(ctx, svc.Training.Video().Version, []webinar.Segment{{Start: s, End: e, WallSeconds: e - s}}, e)
		if err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func TestWatchingTheWholeVideoCounts(t *testing.T) {
	svc, _ := trainingService(t)
	d := svc.Training.Video().DurationSeconds
	tr := play(t, svc, 0, d*0.5)
	if tr.Watched || tr.PercentWatched != 50 || tr.QuizUnlocked {
		t.Fatalf("half watched: %+v", tr)
	}
	if _, err := svc.Training.Quiz(ctx); !errors.Is(err, training.ErrQuizLocked) {
		t.Fatalf("quiz before watching: %v", err)
	}
	// Replaying the same half adds nothing.
	if tr = play(t, svc, 0, d*0.5); tr.PercentWatched != 50 {
		t.Errorf("replay counted twice: %d%%", tr.PercentWatched)
	}
	tr = play(t, svc, d*0.5, d)
	if !tr.Watched || tr.PercentWatched != 100 || !tr.QuizUnlocked || tr.WatchedOn != "2026-11-25" {
		t.Fatalf("all watched: %+v", tr)
	}
	if tr.Position != d {
		t.Errorf("resume position %v, want %v", tr.Position, d)
	}
}

// The screen gets where the captions are and the transcript made from them.
func TestTrainingCarriesCaptionsAndTranscript(t *testing.T) {
	svc, _ := trainingService(t)
	tr, err := svc.Training.Training(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := tr.Video
	if v.CaptionsURL != webinar.CaptionsPath || len(v.Transcript) != 9 || v.Transcript[0].Title != "Insurance Program Training" ||
		v.Transcript[0].Sentences[0].Text != "Welcome to the insurance program training." || v.Transcript[0].Sentences[0].Start != 0 {
		t.Errorf("video: captions %q, transcript %+v", v.CaptionsURL, v.Transcript)
	}
}

func TestSeekingToTheEndCountsNothing(t *testing.T) {
	svc, _ := trainingService(t)
	d := svc.Training.Video().DurationSeconds
	// The player jumped from 2 s to the end in a fraction of a second, then
	// played the last second.
	tr, err := svc.Training.ReportPlayback(ctx, svc.Training.Video().Version, []webinar.Segment{
		{Start: 0, End: 2, WallSeconds: 2},
		{Start: 2, End: d - 1, WallSeconds: 0.25},
		{Start: d - 1, End: d, WallSeconds: 1},
	}, d)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Watched || tr.PercentWatched > 2 {
		t.Errorf("seek to the end counted: %+v", tr)
	}
}

func TestDoubleSpeedCountsFasterDoesNot(t *testing.T) {
	svc, _ := trainingService(t)
	d := svc.Training.Video().DurationSeconds
	tr, _ := svc.Training.ReportPlayback(ctx, svc.Training.Video().Version, []webinar.Segment{{Start: 0, End: d, WallSeconds: d / 2}}, d)
	if !tr.Watched {
		t.Errorf("2x playback not counted: %+v", tr)
	}
	svc2, _ := trainingService(t)
	tr, _ = svc2.Training.ReportPlayback(ctx, svc.Training.Video().Version, []webinar.Segment{{Start: 0, End: d, WallSeconds: d / 4}}, d)
	if tr.Watched || tr.PercentWatched != 0 {
		t.Errorf("4x playback counted: %+v", tr)
	}
}

func TestStaleVideoVersionRefused(t *testing.T) {
	svc, _ := trainingService(t)
	if _, err := svc.Training.ReportPlayback(ctx, "1999.1", nil, 0); !errors.Is(err, training.ErrStaleVideo) {
		t.Errorf("stale version: %v", err)
	}
}

func TestQuizAttemptsAndPass(t *testing.T) {
	svc, st := trainingService(t)
	play(t, svc, 0, svc.Training.Video().DurationSeconds)
	key := webinar.AnswerKey()
	failing := map[string]string{}
	n := 0
	for q, a := range key {
		failing[q] = a
		if n < 3 {
			failing[q] = map[string]string{"a": "b", "b": "c", "c": "d", "d": "a"}[a]
		}
		n++
	}
	out, err := svc.Training.SubmitQuiz(ctx, failing)
	if err != nil || out.Result.Passed || len(out.Result.Missed) != 3 || out.Training.QuizPassed {
		t.Fatalf("failing attempt: %+v %v", out, err)
	}
	out, err = svc.Training.SubmitQuiz(ctx, key)
	if err != nil || !out.Result.Passed || !out.Training.Done || out.Training.DoneOn != "2026-11-25" {
		t.Fatalf("passing attempt: %+v %v", out, err)
	}
	if len(out.Training.Attempts) != 2 || out.Training.Attempts[0].Score != 70 || out.Training.Attempts[1].Score != 100 {
		t.Errorf("attempts = %+v", out.Training.Attempts)
	}
	if _, err := svc.Training.SubmitQuiz(ctx, map[string]string{"bogus": "a"}); !errors.Is(err, webinar.ErrUnknownAnswer) {
		t.Errorf("bogus answers: %v", err)
	}
	kept, _ := st.QuizAttempts(ctx)
	if len(kept) != 2 {
		t.Errorf("bogus attempt kept: %d", len(kept))
	}
	d, _ := svc.Progress.Dashboard(ctx)
	if d.Steps[3].Status != "done" || d.ProfileLive.Known {
		t.Errorf("dashboard after training: %+v %+v", d.Steps[3], d.ProfileLive)
	}
	if len(d.ProfileLive.Waiting) != 1 || !strings.Contains(d.ProfileLive.Waiting[0], "effective") {
		t.Errorf("live date waits for %v", d.ProfileLive.Waiting)
	}
	// The network sets the effective date: the live date is the latest of
	// the three (contract start 2026-12-01 here).
	st.SetMilestone(ctx, store.MilestoneEffectiveDate, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	tr, _ := svc.Training.Training(ctx)
	if !tr.ProfileLive.Known || tr.ProfileLive.Date != "2026-12-01" {
		t.Errorf("live date = %+v", tr.ProfileLive)
	}
}

// The app no longer emails "onboarding complete" itself: it reports the
// training to the network (which sends the email from its team). Each
// change queues one report; a newer one replaces the one still waiting, so
// watching and retakes do not pile reports up.
func TestTrainingReportQueuedAndReplaced(t *testing.T) {
	svc, st := trainingService(t)
	for _, m := range []string{store.MilestoneGeneralSubmitted, store.MilestoneCredentialingSubmitted,
		store.MilestoneGeneralReviewed, store.MilestoneCredentialingReviewed, store.MilestonePortalCreated} {
		st.SetMilestone(ctx, m, fixedNow())
	}
	reportsQueued := func() []intake.TrainingReport {
		t.Helper()
		items, err := st.Outbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []intake.TrainingReport
		for _, it := range items {
			if strings.HasPrefix(it.Kind, "email.") {
				t.Errorf("the app queued an email of its own: %s", it.Kind)
			}
			if it.Kind == reports.KindTraining {
				var r intake.TrainingReport
				if err := json.Unmarshal(it.Payload, &r); err != nil {
					t.Fatal(err)
				}
				out = append(out, r)
			}
		}
		return out
	}
	play(t, svc, 0, svc.Training.Video().DurationSeconds/2)
	if rs := reportsQueued(); len(rs) != 1 || rs[0].WatchedShare != 0.5 || rs[0].CompletedAt != "" {
		t.Fatalf("half watched: %+v", rs)
	}
	play(t, svc, svc.Training.Video().DurationSeconds/2, svc.Training.Video().DurationSeconds)
	wrong := map[string]string{}
	for _, q := range webinar.Questions() {
		for _, c := range q.Choices {
			if c.ID != webinar.AnswerKey()[q.ID] {
				wrong[q.ID] = c.ID
			}
		}
	}
	if out, err := svc.Training.SubmitQuiz(ctx, wrong); err != nil || out.Result.Passed {
		t.Fatalf("a failed attempt: %+v %v", out.Result, err)
	}
	out, err := svc.Training.SubmitQuiz(ctx, webinar.AnswerKey())
	if err != nil || !out.Training.Onboarding.Complete {
		t.Fatalf("complete: %+v %v", out.Training.Onboarding, err)
	}
	rs := reportsQueued()
	if len(rs) != 1 || rs[0].WatchedShare != 1 || len(rs[0].Attempts) != 2 || rs[0].Attempts[0].Passed || !rs[0].Attempts[1].Passed ||
		rs[0].CompletedAt != fixedNow().Local().Format(time.RFC3339) || rs[0].WebinarVersion != svc.Training.Video().Version {
		t.Fatalf("after the pass: %+v", rs)
	}
	svc.Progress.Dashboard(ctx) // loading the dashboard queues nothing
	if rs := reportsQueued(); len(rs) != 1 {
		t.Errorf("after the dashboard: %d reports", len(rs))
	}
}

// A crash after the last milestone but before the report was queued: the
// next sync queues it (offline, too: it waits in the outbox).
func TestTrainingReportQueuedAfterACrash(t *testing.T) {
	svc, st := trainingService(t)
	for _, m := range []string{store.MilestoneWebinarWatched, store.MilestoneQuizPassed} {
		st.SetMilestone(ctx, m, fixedNow())
	}
	if it, ok, _ := firstOfKind(st, reports.KindTraining); ok {
		t.Fatalf("queued before the sync: %+v", it)
	}
	svc.Sync.Sync(ctx, "")
	it, ok, err := firstOfKind(st, reports.KindTraining)
	var r intake.TrainingReport
	json.Unmarshal(it.Payload, &r)
	if err != nil || !ok || r.CompletedAt == "" {
		t.Errorf("training report after the sync: %+v %v %v", r, ok, err)
	}
}

func firstOfKind(st *store.Store, kind string) (store.OutboxItem, bool, error) {
	items, err := st.Outbox(ctx)
	for _, it := range items {
		if it.Kind == kind {
			return it, true, err
		}
	}
	return store.OutboxItem{}, false, err
}

// An onboarding-complete email an earlier version queued, not yet sent,
// is dropped at the first sync (the network sends it now); one it sent
// stays in the history.
func TestRetiredCompletionEmailIsDropped(t *testing.T) {
	svc, st := trainingService(t)
	for _, key := range []string{"email/onboarding-complete", "email/onboarding-complete-sent"} {
		if _, err := st.Enqueue(ctx, store.OutboxItem{Kind: "email.onboarding-complete", IdempotencyKey: key, Payload: []byte(`{}`), CreatedAt: fixedNow()}); err != nil {
			t.Fatal(err)
		}
	}
	sent, _, _ := st.OutboxItemByKey(ctx, "email/onboarding-complete-sent")
	st.MarkDelivered(ctx, sent.ID, fixedNow())
	svc.Sync.Sync(ctx, "")
	var left []string
	items, _ := st.Outbox(ctx)
	for _, it := range items {
		if it.Kind == "email.onboarding-complete" {
			left = append(left, it.IdempotencyKey+" "+it.State)
		}
	}
	if len(left) != 1 || left[0] != "email/onboarding-complete-sent delivered" {
		t.Errorf("left: %v", left)
	}
}
