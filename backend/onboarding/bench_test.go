package onboarding

import (
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/journey"
	"onramp/backend/store"
)

// BenchmarkStartToDashboard is the backend's share of start-up with an
// existing data folder: open and check the database, apply migrations (none
// pending), and compute the dashboard.
func BenchmarkStartToDashboard(b *testing.B) {
	dir := b.TempDir()
	seed(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, rec, err := OpenData(ctx, dir, time.Now())
		if err != nil || rec != nil {
			b.Fatal(err, rec)
		}
		if _, err := New(st, time.Now, bundledVideo(b), testBox(b)).Dashboard(ctx); err != nil {
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
		st, _, err := OpenData(ctx, dir, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(st, time.Now, bundledVideo(b), testBox(b)).Account(ctx); err != ErrNotSetUp {
			b.Fatal(err)
		}
		st.Close()
	}
}

func seed(b *testing.B, dir string) {
	st, _, err := OpenData(ctx, dir, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := New(st, time.Now, bundledVideo(b), testBox(b))
	if problems, err := svc.SetUp(ctx, validValues(b)); err != nil || problems != nil {
		b.Fatal(err, problems)
	}
	now := time.Now()
	for _, m := range []string{store.MilestoneGeneralSubmitted, store.MilestoneCredentialingSubmitted} {
		st.SetMilestone(ctx, m, now)
	}
	svc.SetChecked(ctx, journey.ItemFirstClient, true)
	st.SetPayerStatus(ctx, store.PayerStatus{Payer: "Aetna", Status: "pending", UpdatedAt: now})
}
