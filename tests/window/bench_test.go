package window

import (
	"testing"
	"time"
)

// BenchmarkWindowLaunch times the built binary from exec to its window
// appearing under Xvfb, with an existing account (the dashboard case). It
// reports ms-to-window; ns/op also includes shutting the app down.
func BenchmarkWindowLaunch(b *testing.B) {
	bin := binary(b)
	dir := b.TempDir()
	seedAccount(b, dir)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		a, took := launchWindow(b, bin, dir, 20*time.Second)
		total += took
		a.stop()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-window")
}
