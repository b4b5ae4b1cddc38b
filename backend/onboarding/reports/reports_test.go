package reports

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
	"onramp/backend/version"
)

var ctx = context.Background()

func pending(t *testing.T, st *store.Store, kind string) []store.OutboxItem {
	t.Helper()
	items, err := st.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.OutboxItem
	for _, it := range items {
		if it.Kind == kind {
			out = append(out, it)
		}
	}
	return out
}

// A report is queued when its content changed, replaces one of its kind
// still waiting, and leaves one delivered alone; ticking, unticking and
// ticking again each reach the network, nothing ticked is not a report.
func TestChecklistReportsAreQueuedWhenTheyChange(t *testing.T) {
	st := storetest.New(t)
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	step := func(name string, do func(), wantItems int, wantDone int) {
		t.Helper()
		do()
		if err := QueueChecklist(ctx, st, now); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
		got := pending(t, st, KindChecklist)
		if len(got) != wantItems {
			t.Fatalf("%s: %d checklist items in the outbox, want %d", name, len(got), wantItems)
		}
		if wantItems == 0 {
			return
		}
		var r intake.ChecklistReport
		json.Unmarshal(got[len(got)-1].Payload, &r)
		done := 0
		for _, e := range r.Items {
			if e.Done {
				done++
			}
		}
		if done != wantDone || len(r.Items) < 5 {
			t.Errorf("%s: %d of %d done, want %d", name, done, len(r.Items), wantDone)
		}
	}
	step("nothing ticked", func() {}, 0, 0)
	step("one tick", func() { st.SetChecked(ctx, journey.ItemPayouts, true, now) }, 1, 1)
	step("two ticks, the first report still waiting", func() { st.SetChecked(ctx, journey.ItemFirstClient, true, now) }, 1, 2)
	step("nothing changed", func() {}, 1, 2)
	step("delivered, then unticked", func() {
		it := pending(t, st, KindChecklist)[0]
		st.MarkDelivered(ctx, it.ID, now)
		st.SetChecked(ctx, journey.ItemFirstClient, false, now)
	}, 2, 1)
	step("everything unticked", func() { st.SetChecked(ctx, journey.ItemPayouts, false, now) }, 2, 0)
	if got := pending(t, st, KindChecklist); got[0].State != store.OutboxDelivered || got[1].IdempotencyKey == got[0].IdempotencyKey {
		t.Errorf("the delivered report was touched: %+v", got)
	}
	if d := Describe(pending(t, st, KindChecklist)[1]); d != "For the network: your checklist, 0 of 5 done" {
		t.Errorf("described as %q", d)
	}
}

// The app version is reported once per version, however often it syncs.
func TestAppVersionOncePerVersion(t *testing.T) {
	st := storetest.New(t)
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	for range 3 {
		if err := QueueAppVersion(ctx, st, now); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	got := pending(t, st, KindAppVersion)
	var r intake.AppVersionReport
	if len(got) == 1 {
		json.Unmarshal(got[0].Payload, &r)
	}
	if len(got) != 1 || r.Version != version.String() || r.OS == "" || r.ReportedAt == "" {
		t.Errorf("queued %+v (%+v)", got, r)
	}
}

// Each report reads in the sync panel as what the network is told, in
// plain words: no field names, no shares as fractions, and one attempt is
// "1 quiz attempt".
func TestDescribeSaysWhatTheNetworkIsTold(t *testing.T) {
	item := func(kind string, report any) store.OutboxItem {
		payload, err := json.Marshal(report)
		if err != nil {
			t.Fatal(err)
		}
		return store.OutboxItem{Kind: kind, Payload: payload}
	}
	for _, tt := range []struct {
		it   store.OutboxItem
		want string
	}{
		{item(KindTraining, intake.TrainingReport{WatchedShare: 0.4, Attempts: []intake.QuizAttempt{{Number: 1, Score: 60}}}),
			"For the network: your training so far (40% of the webinar watched, 1 quiz attempt)"},
		{item(KindTraining, intake.TrainingReport{WatchedShare: 0.95}), "For the network: your training so far (95% of the webinar watched, no quiz attempts)"},
		{item(KindTraining, intake.TrainingReport{WatchedShare: 1, Attempts: []intake.QuizAttempt{{Number: 1}, {Number: 2, Passed: true}}, CompletedAt: "2026-11-25T10:00:00Z"}),
			"For the network: your training is done (webinar watched, quiz passed)"},
		{item(KindStartDate, intake.StartDateReport{Date: "2026-12-01"}), "For the network: your contracted start date, December 1, 2026"},
		{item(KindChecklist, intake.ChecklistReport{Items: []intake.ChecklistEntry{{ID: "a", Done: true}, {ID: "b"}}}), "For the network: your checklist, 1 of 2 done"},
		{item(KindAppVersion, intake.AppVersionReport{Version: "0.1.0", OS: "linux"}), "For the network: the version of Onramp you use (0.1.0)"},
	} {
		if got := Describe(tt.it); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.it.Kind, got, tt.want)
		}
	}
}
