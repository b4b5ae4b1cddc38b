package store_test

import (
	"testing"
	"time"

	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

func TestWebinarProgressPerVersion(t *testing.T) {
	s := storetest.New(t)
	p, err := s.WebinarProgress(ctx, "v1")
	if err != nil || len(p.Intervals) != 0 || p.Position != 0 {
		t.Fatalf("empty progress: %+v %v", p, err)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s.SaveWebinarProgress(ctx, store.WebinarProgress{Version: "v1", Intervals: [][2]float64{{0, 10.5}, {20, 30}}, Position: 30, UpdatedAt: at})
	s.SaveWebinarProgress(ctx, store.WebinarProgress{Version: "v1", Intervals: [][2]float64{{0, 30}}, Position: 31.25, UpdatedAt: at})
	p, _ = s.WebinarProgress(ctx, "v1")
	if len(p.Intervals) != 1 || p.Intervals[0] != [2]float64{0, 30} || p.Position != 31.25 {
		t.Errorf("progress = %+v", p)
	}
	if other, _ := s.WebinarProgress(ctx, "v2"); len(other.Intervals) != 0 {
		t.Errorf("v2 shares v1's progress: %+v", other)
	}
}

func TestQuizAttemptsKept(t *testing.T) {
	s := storetest.New(t)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i, score := range []int{60, 90} {
		_, err := s.AddQuizAttempt(ctx, store.QuizAttempt{TakenAt: at.Add(time.Duration(i) * time.Minute),
			Answers: map[string]string{"q1": "a"}, Correct: score / 10, Total: 10, Score: score, Passed: score >= 80})
		if err != nil {
			t.Fatal(err)
		}
	}
	as, err := s.QuizAttempts(ctx)
	if err != nil || len(as) != 2 || as[0].Score != 60 || as[0].Passed || !as[1].Passed || as[1].Answers["q1"] != "a" {
		t.Fatalf("attempts = %+v %v", as, err)
	}
}

func TestEnqueueIsIdempotent(t *testing.T) {
	s := storetest.New(t)
	it := store.OutboxItem{Kind: "email", IdempotencyKey: "k1", Payload: []byte(`{"to":"a@b.org"}`), CreatedAt: time.Now()}
	if added, err := s.Enqueue(ctx, it); err != nil || !added {
		t.Fatalf("first enqueue: %v %v", added, err)
	}
	if added, err := s.Enqueue(ctx, it); err != nil || added {
		t.Fatalf("second enqueue: %v %v", added, err)
	}
	items, _ := s.Outbox(ctx)
	if len(items) != 1 || items[0].State != "queued" || string(items[0].Payload) != `{"to":"a@b.org"}` {
		t.Errorf("outbox = %+v", items)
	}
}
