package window

import (
	"os"
	"strconv"
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

// BenchmarkInstalledFirstWindow times a package just installed: from the
// moment `apt-get install` returned (ONRAMP_INSTALLED_AT, Unix nanoseconds,
// set by tools/bench-install.sh) to the installed app's first window, a
// provider's first launch (a new data folder: the first-run screen). It
// reports ms-since-install and, of that, ms-to-window from exec.
func BenchmarkInstalledFirstWindow(b *testing.B) {
	at, err := strconv.ParseInt(os.Getenv("ONRAMP_INSTALLED_AT"), 10, 64)
	if err != nil {
		b.Skip("needs ONRAMP_INSTALLED_AT: run through tools/bench-install.sh (make bench)")
	}
	installed := time.Unix(0, at)
	bin := binary(b)
	a, took := launchWindow(b, bin, b.TempDir(), 20*time.Second)
	appeared := a.started.Add(took)
	a.stop()
	b.ReportMetric(float64(appeared.Sub(installed).Milliseconds()), "ms-since-install")
	b.ReportMetric(float64(took.Milliseconds()), "ms-to-window")
}
