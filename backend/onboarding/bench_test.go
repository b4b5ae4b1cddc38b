package onboarding

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/journey"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/progress"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// BenchmarkStartToDashboard is the backend's share of start-up with an
// existing data folder: open and check the database, apply migrations (none
// pending), and compute the dashboard.
func BenchmarkStartToDashboard(b *testing.B) {
	dir := b.TempDir()
	seed(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := openData(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(st, time.Now, bundledVideo(b), secrettest.Box(b), outmail.Config{}).Progress.Dashboard(ctx); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
}

// BenchmarkFirstStart is the first launch: create the database and run every
// migration, then answer the first-run screen's question.
func BenchmarkFirstStart(b *testing.B) {
	root := b.TempDir()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(root, "run", time.Now().Format("150405.000000000"))
		st, err := openData(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(st, time.Now, bundledVideo(b), secrettest.Box(b), outmail.Config{}).Progress.Account(ctx); err != progress.ErrNotSetUp {
			b.Fatal(err)
		}
		st.Close()
	}
}

// openData opens the data folder's database as the app does (the folder
// made private, the file checked and migrated).
func openData(dir string) (*store.Store, error) {
	if err := store.EnsureDataDir(dir); err != nil {
		return nil, err
	}
	return store.Open(ctx, filepath.Join(dir, store.FileName))
}

func seed(b *testing.B, dir string) {
	st, err := openData(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := New(st, time.Now, bundledVideo(b), secrettest.Box(b), outmail.Config{})
	if problems, err := svc.Progress.SetUp(ctx, validValues(b)); err != nil || problems != nil {
		b.Fatal(err, problems)
	}
	now := time.Now()
	for _, m := range []string{store.MilestoneGeneralSubmitted, store.MilestoneCredentialingSubmitted} {
		st.SetMilestone(ctx, m, now)
	}
	svc.Progress.SetChecked(ctx, journey.ItemFirstClient, true)
	st.SetPayerStatus(ctx, store.PayerStatus{Payer: "Aetna", Status: "pending", UpdatedAt: now})
}

// BenchmarkDraftSave10k saves a realistic General form draft 10,000 times
// (each save a durable SQLite commit) and reports the p50 and p99 latency of
// one save. Run with -benchtime=1x.
func BenchmarkDraftSave10k(b *testing.B) {
	dir := b.TempDir()
	seed(b, dir)
	st, err := openData(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := New(st, time.Now, bundledVideo(b), secrettest.Box(b), outmail.Config{})
	d := generalData()
	d.Groups["locations"] = append(d.Groups["locations"], map[string]string{"kind": "office", "street": "100 Main St", "city": "San Francisco", "state": "CA", "zip": "94110"})
	const n = 10_000
	lat := make([]time.Duration, 0, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lat = lat[:0]
		for j := 0; j < n; j++ {
			d.Fields["bio"] = d.Fields["bio"][:150] + string(rune('a'+j%26))
			start := time.Now()
			if _, err := svc.Forms.SaveDraft(ctx, "general", d); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[n*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkEmails1kToSink queues 1,000 submission receipts in the outbox
// and drains them through the app's mail dispatcher to the local sink
// (mail.Sink on loopback saving each message as an .eml file, as
// onramp-mailsink does), one SMTP session per email. It reports emails per
// second. Run with -benchtime=1x.
func BenchmarkEmails1kToSink(b *testing.B) {
	const n = 1_000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		var saved atomic.Int64
		sink, err := mail.NewSink("127.0.0.1:0", func(_ string, _ []string, data []byte) error {
			return os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.eml", saved.Add(1))), data, 0o600)
		})
		if err != nil {
			b.Fatal(err)
		}
		st := storetest.New(b)
		svc := New(st, time.Now, bundledVideo(b), secrettest.Box(b), outmail.Config{})
		if p, err := svc.Progress.SetUp(ctx, validValues(b)); err != nil || p != nil {
			b.Fatal(err, p)
		}
		acct, _, _ := st.Account(ctx)
		names, _ := svc.Progress.Names(ctx)
		for j := 1; j <= n; j++ {
			hash := fmt.Sprintf("%064x", j)
			if _, err := st.Enqueue(ctx, svc.Forms.Receipt(acct.Email, names, forms.FormGeneral, j, hash, time.Now())); err != nil {
				b.Fatal(err)
			}
		}
		host, port, _ := net.SplitHostPort(sink.Addr())
		p, _ := strconv.Atoi(port)
		svc.Mail.Use(outmail.Config{Relay: &mail.Relay{Host: host, Port: p}, From: mail.Address{Name: "Onramp", Email: "onramp@localhost"}})
		b.StartTimer()
		start := time.Now()
		rep := svc.Sync.Sync(ctx, "")
		elapsed := time.Since(start)
		b.StopTimer()
		if rep.EmailsSent != n || saved.Load() != n || rep.Error != "" {
			b.Fatalf("sent %d, sink saved %d, want %d: %s", rep.EmailsSent, saved.Load(), n, rep.Error)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "emails/s")
		sink.Close()
	}
}
