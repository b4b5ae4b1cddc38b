package outbox_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/intake/server"
	"onramp/backend/outbox"
	"onramp/backend/retry"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// BenchmarkDrain10k drains 10,000 queued submissions to a real intake
// server on loopback and reports items per second. Run with -benchtime=1x.
func BenchmarkDrain10k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := server.Open(ctx, filepath.Join(b.TempDir(), "intake.db"), time.Now)
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(server.NewServer(db).Handler())
		client := enrolledClient(b, db, srv.URL)
		st := storetest.New(b)
		const n = 10_000
		queueSubmissions(b, st, n)
		d := outbox.New(st, map[string]outbox.Sender{
			"submission": outbox.SenderFunc(func(ctx context.Context, it store.OutboxItem) error {
				return client.Submit(ctx, it.IdempotencyKey, it.Payload)
			}),
		}, time.Now, retry.Outbox)
		b.StartTimer()
		start := time.Now()
		res, err := d.Drain(ctx)
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil || res.Delivered != n {
			b.Fatalf("drain: %+v %v", res, err)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "items/s")
		srv.Close()
		db.Close()
	}
}
