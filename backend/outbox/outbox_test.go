package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/outbox"
	"onramp/backend/retry"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

var ctx = context.Background()

// faulty wraps the real intake API: for a share of requests it answers 503
// without doing anything, handles the request and then drops the
// connection (the server committed, the client never hears), or stalls
// past the client's timeout.
type faulty struct {
	next http.Handler
	mu   sync.Mutex
	rnd  *rand.Rand
	rate float64
}

func (f *faulty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	roll := f.rnd.Float64()
	kind := f.rnd.IntN(3)
	f.mu.Unlock()
	if r.URL.Path != "/v1/submissions" || roll >= f.rate {
		f.next.ServeHTTP(w, r)
		return
	}
	switch kind {
	case 0:
		http.Error(w, `{"error":{"code":"unavailable","message":"try later"}}`, http.StatusServiceUnavailable)
	case 1: // lost acknowledgement
		rec := httptest.NewRecorder()
		f.next.ServeHTTP(rec, r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	case 2:
		time.Sleep(150 * time.Millisecond) // past the client's timeout
		f.next.ServeHTTP(w, r)
	}
}

func enrolledClient(t testing.TB, db *server.DB, url string) *intake.Client {
	t.Helper()
	code, err := db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	c, err := intake.NewClient(url, "", 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Enroll(ctx, code, "laptop-1", "Zoë", "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	return c.WithToken(tok)
}

func queueSubmissions(t testing.TB, st *store.Store, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		d := forms.NewData()
		d.Fields["note"] = fmt.Sprint("version ", i)
		payload, _ := json.Marshal(intake.SubmissionUpload{Form: "general", Version: i, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
		if _, err := st.Enqueue(ctx, store.OutboxItem{Kind: "submission", IdempotencyKey: fmt.Sprintf("submission/general/%d", i), Payload: payload, CreatedAt: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
}

// 1,000 queued submissions through 20% injected faults (5xx, lost
// acknowledgements, timeouts): every one delivered exactly once.
func TestExactlyOnceThroughFaults(t *testing.T) {
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := &faulty{next: server.NewServer(db).Handler(), rnd: rand.New(rand.NewPCG(5, 6)), rate: 0.2}
	srv := httptest.NewServer(f)
	defer srv.Close()
	client := enrolledClient(t, db, srv.URL)

	st := storetest.New(t)
	const n = 1000
	queueSubmissions(t, st, n)
	clk := clocktest.New(time.Unix(1_000_000, 0))
	d := outbox.New(st, map[string]outbox.Sender{
		"submission": outbox.SenderFunc(func(ctx context.Context, it store.OutboxItem) error {
			return client.Submit(ctx, it.IdempotencyKey, it.Payload)
		}),
	}, clk.Now, retry.Policy{Base: time.Second, Max: time.Minute, MaxAttempts: 50})

	total := outbox.Result{}
	for round := 0; round < 60; round++ {
		res, err := d.Drain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total.Delivered += res.Delivered
		total.Retrying += res.Retrying
		total.Failed += res.Failed
		clk.Add(2 * time.Minute) // every backoff has passed
		if items, _ := st.Outbox(ctx); allDelivered(items) {
			break
		}
	}
	items, _ := st.Outbox(ctx)
	if !allDelivered(items) {
		t.Fatalf("not all delivered: %+v", total)
	}
	subs, _ := db.Submissions(ctx, 1)
	if len(subs) != n {
		t.Fatalf("server holds %d submissions, want exactly %d", len(subs), n)
	}
	seen := map[int]bool{}
	for _, s := range subs {
		if seen[s.Version] {
			t.Fatalf("version %d stored twice", s.Version)
		}
		seen[s.Version] = true
	}
	if total.Retrying == 0 || total.Failed != 0 {
		t.Errorf("faults not exercised or items failed: %+v", total)
	}
	t.Logf("%d delivered exactly once after %d retries", n, total.Retrying)
}

func allDelivered(items []store.OutboxItem) bool {
	for _, it := range items {
		if it.State != store.OutboxDelivered {
			return false
		}
	}
	return len(items) > 0
}

// A permanent failure is not retried blindly: it fails with the reason, and
// the provider's retry queues it again.
func TestPermanentFailureIsDeadLettered(t *testing.T) {
	st := storetest.New(t)
	queueSubmissions(t, st, 1)
	clk := clocktest.New(time.Unix(1_000_000, 0))
	calls := 0
	d := outbox.New(st, map[string]outbox.Sender{
		"submission": outbox.SenderFunc(func(context.Context, store.OutboxItem) error {
			calls++
			return &intake.ClientError{Status: 422, Code: "hash-mismatch", Message: "The data does not match its hash"}
		}),
	}, clk.Now, retry.Outbox)
	res, _ := d.Drain(ctx)
	clk.Add(time.Hour)
	d.Drain(ctx)
	items, _ := st.Outbox(ctx)
	if res.Failed != 1 || calls != 1 || items[0].State != store.OutboxFailed || items[0].LastError == "" {
		t.Fatalf("permanent failure: %+v calls=%d %+v", res, calls, items[0])
	}
	st.RetryNow(ctx, items[0].ID, clk.Now())
	d.Drain(ctx)
	if calls != 2 {
		t.Errorf("retry action did not resend: %d calls", calls)
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	d := outbox.New(storetest.New(t), nil, time.Now, retry.Policy{Base: time.Second, Max: time.Minute, MaxAttempts: 10})
	prevMax := time.Duration(0)
	for attempt := 1; attempt <= 10; attempt++ {
		lo, hi := time.Hour, time.Duration(0)
		for i := 0; i < 200; i++ {
			w := d.Backoff(attempt)
			lo, hi = min(lo, w), max(hi, w)
		}
		want := min(time.Second<<(attempt-1), time.Minute)
		if hi > want || lo < want/2 || lo == hi {
			t.Errorf("attempt %d: waits %s..%s, want jitter within %s..%s", attempt, lo, hi, want/2, want)
		}
		if hi < prevMax/2 {
			t.Errorf("attempt %d waits less than before", attempt)
		}
		prevMax = hi
	}
}

// Items left "sending" by a crash are sent again; the key keeps the server
// from storing them twice.
func TestStaleSendingItemsAreResent(t *testing.T) {
	st := storetest.New(t)
	queueSubmissions(t, st, 3)
	clk := clocktest.New(time.Unix(1_000_000, 0))
	claimed, _ := st.ClaimDue(ctx, clk.Now(), 10) // the process dies here
	if len(claimed) != 3 {
		t.Fatal("claim")
	}
	sent := 0
	d := outbox.New(st, map[string]outbox.Sender{"submission": outbox.SenderFunc(func(context.Context, store.OutboxItem) error { sent++; return nil })}, clk.Now, retry.Outbox)
	if res, _ := d.Drain(ctx); res.Delivered != 0 {
		t.Fatal("resent items that may still be in flight")
	}
	clk.Add(5 * time.Minute)
	if res, _ := d.Drain(ctx); res.Delivered != 3 || sent != 3 {
		t.Fatalf("stale items: %+v sent=%d", res, sent)
	}
}
