package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// windowSizes are the app's minimum window (main.go's MinWidth/MinHeight),
// a common one, and that common one zoomed to 200% (a provider who needs
// large text: the page then has half the CSS pixels, each drawn twice as
// large; WCAG 1.4.4).
var windowSizes = []struct {
	w, h  int64
	scale float64
}{{880, 620, 1}, {1200, 840, 1}, {640, 450, 2}}

// TestNoSidewaysScroll: no screen is wider than the window, at the smallest
// window the app allows and at a common size. The upload fields' hidden
// file input, widened to 100% of the page by ".field input", once made both
// forms scroll sideways.
func TestNoSidewaysScroll(t *testing.T) {
	dataDir := t.TempDir()
	seedAs(t, dataDir, "Nguyễn Văn An", "psych-np")
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, seed.GeneralData("Nguyễn Văn An", "psych-np")); err != nil || res.Version != 1 {
			t.Fatalf("seed the general form: %+v %v", res.Problems, err)
		}
	})
	dev := startDev(t, dataDir)
	b := newBrowser(t)
	b.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS(`[data-stage="expanding-caseload"]`)))
	noSidewaysScroll(t, b, "dashboard")

	b.do(t, "open Settings", chromedp.Click(chromedp.CSS("#open-settings")), chromedp.WaitVisible(chromedp.CSS("#field-intakeURL")))
	noSidewaysScroll(t, b, "settings")
	b.do(t, "back", chromedp.Click(chromedp.CSS("button.link.back")), chromedp.WaitVisible(chromedp.CSS(`[data-open="general-form"]`)))

	// The General form being edited again: its headshot upload is empty.
	b.do(t, "open the General form", chromedp.Click(chromedp.CSS(`[data-open="general-form"]`)), chromedp.WaitVisible(chromedp.CSS("#start-resubmission")))
	noSidewaysScroll(t, b, "general-form-submitted")
	b.do(t, "edit it", chromedp.Click(chromedp.CSS("#start-resubmission")), chromedp.WaitReady(chromedp.CSS(`[data-file-input="headshot"]`)))
	noSidewaysScroll(t, b, "general-form")
	b.do(t, "back", chromedp.Click(chromedp.CSS(".formview .back")), chromedp.WaitVisible(chromedp.CSS(`[data-open="insurance-form"]`)))

	// The Insurance form, new: every upload empty, one inside each license.
	b.do(t, "open the Insurance form", chromedp.Click(chromedp.CSS(`[data-open="insurance-form"]`)), chromedp.WaitReady(chromedp.CSS(`[data-file-input="licenses.0.document"]`)))
	noSidewaysScroll(t, b, "insurance-form")
}

// noSidewaysScroll checks the screen at each window size: the page is no
// wider than the window. On failure it names the elements that stick out.
func noSidewaysScroll(t *testing.T, b *browser, screen string) {
	t.Helper()
	for _, size := range windowSizes {
		b.do(t, fmt.Sprintf("resize to %dx%d at %.0f%%", size.w, size.h, size.scale*100), chromedp.EmulateViewport(size.w, size.h, chromedp.EmulateScale(size.scale)))
		if size.scale != 1 {
			// What a provider at 200% sees, kept with the accessibility results.
			a11yScreenshot(t, b, fmt.Sprintf("zoom-%.0f-%s.png", size.scale*100, screen))
		}
		// Measured after the next frame, once the layout has followed.
		got := eval[[]int](t, b, `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
			const root = document.documentElement;
			done([root.scrollWidth, root.clientWidth]);
		})))`)
		if got[0] <= got[1] {
			continue
		}
		wide := eval[[]string](t, b, `[...document.querySelectorAll('body *')]
			.filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
			.slice(-4).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/\s+/g, '.') : '') + ' ' + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("%s at %dx%d (%.0f%%) scrolls sideways: %d px of page in a %d px window; sticking out: %v", screen, size.w, size.h, size.scale*100, got[0], got[1], wide)
		screenshot(t, b, fmt.Sprintf("e2e-overflow-%s-%dx%d.png", screen, size.w, size.h))
	}
	b.do(t, "back to the test window size", chromedp.EmulateViewport(1280, 900))
}
