package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkKeystrokeToSaved measures, in the real UI with the real backend,
// the time from a keystroke in the General form to the "Saved" state (the
// autosave waits 400 ms after typing stops, then writes the draft). Run
// with -benchtime=1x; it reports the median and worst of 20 keystrokes.
func BenchmarkKeystrokeToSaved(b *testing.B) {
	dataDir := b.TempDir()
	seedAs(b, dataDir, "José Núñez", "lcsw")
	dev := startDev(b, dataDir)
	br := newBrowser(b)
	br.do(b, "open", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS(`[data-open="general-form"]`)))
	br.do(b, "open the form", chromedp.Click(chromedp.CSS(`[data-open="general-form"]`)), chromedp.WaitVisible(chromedp.CSS("#f-practiceName")))
	var samples []float64
	for i := 0; i < b.N; i++ {
		samples = samples[:0]
		for k := 0; k < 20; k++ {
			ms, err := chromedp.Run(br.ctx, chromedp.Evaluate[float64](`new Promise((resolve) => {
				const el = document.querySelector('#f-practiceName');
				const state = document.querySelector('#save-state');
				el.focus();
				const t0 = performance.now();
				el.value = el.value + 'x';
				el.dispatchEvent(new Event('input', { bubbles: true }));
				const poll = () => state.dataset.state === 'saved' && performance.now() - t0 > 50
					? resolve(performance.now() - t0) : setTimeout(poll, 2);
				setTimeout(poll, 10);
			})`, chromedp.EvalAwaitPromise))
			if err != nil {
				b.Fatal(err)
			}
			samples = append(samples, ms)
			time.Sleep(100 * time.Millisecond)
		}
	}
	slices.Sort(samples)
	b.ReportMetric(samples[len(samples)/2], "median-ms")
	b.ReportMetric(samples[len(samples)-1], "max-ms")
}
