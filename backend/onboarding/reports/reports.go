// Package reports tells the network what it needs to know beyond the
// forms (issue 11 part 3): the training, the contracted start date, the
// checklist and the app's version. Each report is the whole of what the
// app knows, queued in the outbox when it changes, with an idempotency key
// derived from its content so a retry is harmless; a newer report replaces
// one still waiting (store.QueueReport). The syncing dispatcher sends them.
package reports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sort"
	"time"

	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/store"
	"onramp/backend/version"
	"onramp/backend/webinar"
)

// Outbox kinds of the reports.
const (
	KindTraining   = "report.training"
	KindStartDate  = "report.start-date"
	KindChecklist  = "report.checklist"
	KindAppVersion = "report.app-version"
)

// Kinds lists them, for the dispatcher.
var Kinds = []string{KindTraining, KindStartDate, KindChecklist, KindAppVersion}

// queue queues report of kind. digestOf is what decides whether anything
// changed: the report without the time it was made; nil when there is
// nothing to tell yet (nothing watched, nothing ticked), which is the state
// before any report, so nothing is queued until something happens.
func queue(ctx context.Context, st *store.Store, now time.Time, kind string, report, digestOf any) error {
	payload, err := json.Marshal(report)
	if err != nil {
		return err
	}
	digest := ""
	if digestOf != nil {
		content, err := json.Marshal(digestOf)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		digest = hex.EncodeToString(sum[:])
	}
	key := sha256.Sum256(append([]byte(kind+"\n"), payload...))
	_, err = st.QueueReport(ctx, store.OutboxItem{Kind: kind, IdempotencyKey: "report/" + kind + "/" + hex.EncodeToString(key[:16]),
		Payload: payload, CreatedAt: now}, digest)
	if err != nil {
		return fmt.Errorf("queue the %s report: %w", kind, err)
	}
	return nil
}

// QueueTraining queues the training report when it changed: the watched
// share of video (to the percent), each quiz attempt, the completion.
func QueueTraining(ctx context.Context, st *store.Store, now time.Time, video webinar.Video) error {
	r, err := Training(ctx, st, video)
	if err != nil {
		return err
	}
	var digestOf any = r
	if r.WatchedShare == 0 && len(r.Attempts) == 0 && r.CompletedAt == "" {
		digestOf = nil
	}
	return queue(ctx, st, now, KindTraining, r, digestOf)
}

// Training is the training report as the store has it.
func Training(ctx context.Context, st *store.Store, video webinar.Video) (intake.TrainingReport, error) {
	p, err := st.WebinarProgress(ctx, video.Version)
	if err != nil {
		return intake.TrainingReport{}, err
	}
	attempts, err := st.QuizAttempts(ctx)
	if err != nil {
		return intake.TrainingReport{}, err
	}
	m, err := st.Milestones(ctx)
	if err != nil {
		return intake.TrainingReport{}, err
	}
	played := make([]webinar.Interval, len(p.Intervals))
	for i, iv := range p.Intervals {
		played[i] = webinar.Interval{Start: iv[0], End: iv[1]}
	}
	share := math.Floor(webinar.Coverage(played, video.DurationSeconds)*100+1e-9) / 100
	r := intake.TrainingReport{WebinarVersion: video.Version, WatchedShare: math.Min(1, math.Max(0, share)), Attempts: []intake.QuizAttempt{}}
	watched := m[store.MilestoneWebinarWatched]
	if !watched.IsZero() {
		r.WatchedAt = stamp(watched)
	}
	for i, a := range attempts {
		r.Attempts = append(r.Attempts, intake.QuizAttempt{Number: i + 1, At: stamp(a.TakenAt), Score: a.Score, Passed: a.Passed})
	}
	// One rule for "done", the journey's.
	if done := (journey.State{WebinarWatched: watched, QuizPassed: m[store.MilestoneQuizPassed]}).TrainingDone(); !done.IsZero() {
		r.CompletedAt = stamp(done)
	}
	return r, nil
}

// stamp is t on the provider's own clock, with its offset: the network
// reads the day the provider saw.
func stamp(t time.Time) string { return t.Local().Format(time.RFC3339) }

// QueueStartDate queues the contracted start date when it changed.
func QueueStartDate(ctx context.Context, st *store.Store, now time.Time) error {
	a, ok, err := st.Account(ctx)
	if err != nil || !ok || a.ContractStart.IsZero() {
		return err
	}
	date := a.ContractStart.Format("2006-01-02")
	return queue(ctx, st, now, KindStartDate, intake.StartDateReport{Date: date, ReportedAt: stamp(now)}, date)
}

// QueueChecklist queues the checklist (every tickable item, ticked or not)
// when a tick changed.
func QueueChecklist(ctx context.Context, st *store.Store, now time.Time) error {
	ticked, err := st.Checked(ctx)
	if err != nil {
		return err
	}
	// Every item the provider can tick or read, ticked or not, and any
	// other ticked item the journey knows (the network refuses a report
	// naming an item it does not know).
	ids := map[string]bool{journey.ItemPayouts: true, journey.ItemFirstClient: true, journey.ItemDirectory: true,
		journey.ItemScheduling: true, journey.ItemClaims: true}
	for id := range ticked {
		if journey.ChecklistItem(id) || journey.ArticleItem(id) {
			ids[id] = true
		}
	}
	items := []intake.ChecklistEntry{}
	var digestOf any
	for id := range ids {
		e := intake.ChecklistEntry{ID: id}
		if at, ok := ticked[id]; ok {
			e.Done, e.DoneAt = true, stamp(at)
			digestOf = items // something is ticked (set to the sorted list below)
		}
		items = append(items, e)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	if digestOf != nil {
		digestOf = items
	}
	return queue(ctx, st, now, KindChecklist, intake.ChecklistReport{Items: items, ReportedAt: stamp(now)}, digestOf)
}

// QueueAppVersion queues the app's version, once per version.
func QueueAppVersion(ctx context.Context, st *store.Store, now time.Time) error {
	r := intake.AppVersionReport{Version: version.String(), OS: runtime.GOOS}
	digest := r
	r.ReportedAt = stamp(now)
	return queue(ctx, st, now, KindAppVersion, r, digest)
}

// Describe names a report for the sync panel by what the network is told,
// in the provider's words ("For the network: your training is done").
func Describe(it store.OutboxItem) string {
	const to = "For the network: "
	switch it.Kind {
	case KindTraining:
		var r intake.TrainingReport
		json.Unmarshal(it.Payload, &r)
		if r.CompletedAt != "" {
			return to + "your training is done (webinar watched, quiz passed)"
		}
		return fmt.Sprintf("%syour training so far (%d%% of the webinar watched, %s)", to, int(r.WatchedShare*100+0.5), count(len(r.Attempts), "quiz attempt"))
	case KindStartDate:
		var r intake.StartDateReport
		json.Unmarshal(it.Payload, &r)
		if d, err := time.Parse("2006-01-02", r.Date); err == nil {
			return to + "your contracted start date, " + d.Format("January 2, 2006")
		}
		return to + "your contracted start date"
	case KindChecklist:
		var r intake.ChecklistReport
		json.Unmarshal(it.Payload, &r)
		done := 0
		for _, e := range r.Items {
			if e.Done {
				done++
			}
		}
		return fmt.Sprintf("%syour checklist, %d of %d done", to, done, len(r.Items))
	case KindAppVersion:
		var r intake.AppVersionReport
		json.Unmarshal(it.Payload, &r)
		return to + "the version of Onramp you use (" + r.Version + ")"
	}
	return it.Kind
}

// count is "1 quiz attempt", "2 quiz attempts", "no quiz attempts".
func count(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Send sends a queued report through client.
func Send(ctx context.Context, client *intake.Client, it store.OutboxItem) error {
	switch it.Kind {
	case KindTraining:
		var r intake.TrainingReport
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return err
		}
		return client.Training(ctx, it.IdempotencyKey, r)
	case KindStartDate:
		var r intake.StartDateReport
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return err
		}
		return client.StartDate(ctx, it.IdempotencyKey, r)
	case KindChecklist:
		var r intake.ChecklistReport
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return err
		}
		return client.Checklist(ctx, it.IdempotencyKey, r)
	case KindAppVersion:
		var r intake.AppVersionReport
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return err
		}
		return client.AppVersion(ctx, it.IdempotencyKey, r)
	}
	return fmt.Errorf("not a report: %s", it.Kind)
}
