package e2e

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"onramp/backend/store"
	"onramp/backend/testenv"
	"onramp/backend/validate"
)

// a11yScreens are the app's screens and states that axe-core must have
// checked when the whole suite runs (issue 15's list); each e2e test checks
// the ones it passes through with checkScreen.
var a11yScreens = []string{
	"first-run", "first-run-errors",
	"dashboard-new", "dashboard-midway", "dashboard-complete", "dashboard-returned", "dashboard-expirations",
	"general-form-empty", "general-form-errors", "general-form-submitted",
	"insurance-form-empty", "insurance-form-errors", "insurance-form-submitted",
	"portal-password",
	"training-before", "training-played",
	"quiz-before", "quiz-failed", "quiz-passed",
	"packet-preview", "packet-export", "packet-open-verified", "packet-open-failed",
	"settings", "help-search", "help-contact", "outbox", "recovery",
}

// a11yResult is what build/a11y/<screen>.json holds.
type a11yResult struct {
	Screen     string   `json:"screen"`
	Test       string   `json:"test"`
	Tags       []string `json:"tags"`
	Axe        string   `json:"axe"`
	Passes     int      `json:"passes"`
	Violations []string `json:"violations"`
}

var (
	a11yMu      sync.Mutex
	a11yChecked = map[string]string{} // screen → test that checked it
)

// a11yDir is where each screen's axe result and the 200% screenshots go:
// build/a11y in the repository.
func a11yDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "build", "a11y")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkScreen runs axe-core (WCAG 2.0 A and AA, 2.1 AA) on the app's
// screen as it is now, writes the result to build/a11y/<screen>.json and
// fails on any violation.
func checkScreen(t *testing.T, b *browser, screen string) {
	t.Helper()
	loadAxe(t, b)
	var r a11yResult
	raw := eval[string](t, b, `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})
		.then(r => JSON.stringify({axe: axe.version, passes: r.passes.length,
			violations: r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))}))`)
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatalf("axe result for %s: %v", screen, err)
	}
	r.Screen, r.Test, r.Tags = screen, t.Name(), []string{"wcag2a", "wcag2aa", "wcag21aa"}
	if r.Violations == nil {
		r.Violations = []string{}
	}
	out, _ := json.MarshalIndent(r, "", "  ")
	if err := os.WriteFile(filepath.Join(a11yDir(t), screen+".json"), append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range r.Violations {
		t.Errorf("axe on the %s screen: %s", screen, v)
	}
	if len(r.Violations) > 0 {
		screenshot(t, b, "a11y-"+screen+".png")
	}
	a11yMu.Lock()
	a11yChecked[screen] = t.Name()
	a11yMu.Unlock()
}

// loadAxe puts axe-core (from the frontend's node_modules) into the page.
func loadAxe(t *testing.T, b *browser) {
	t.Helper()
	if eval[bool](t, b, `typeof window.axe === 'object'`) {
		return
	}
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "frontend", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		testenv.Missing(t, "axe-core in frontend/node_modules (npm ci in frontend): %v", err)
	}
	eval[bool](t, b, string(src)+";true")
}

// a11yScreenshot keeps a screenshot with the accessibility results.
func a11yScreenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(a11yDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// TestMain runs the suite and then, when it ran whole and passed, checks
// that axe looked at every screen of a11yScreens, and writes the index.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	whole := flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == ""
	if code != 0 || !whole || testing.Short() {
		os.Exit(code)
	}
	a11yMu.Lock()
	defer a11yMu.Unlock()
	if len(a11yChecked) == 0 {
		os.Exit(code) // the suite skipped (no Chromium or Wails here)
	}
	var missing []string
	for _, s := range a11yScreens {
		if _, ok := a11yChecked[s]; !ok {
			missing = append(missing, s)
		}
	}
	checked := make([]string, 0, len(a11yChecked))
	for s := range a11yChecked {
		checked = append(checked, s)
	}
	sort.Strings(checked)
	root, _ := testenv.RepoRoot()
	index, _ := json.MarshalIndent(map[string]any{"checked": a11yChecked, "missing": missing}, "", "  ")
	os.WriteFile(filepath.Join(root, "build", "a11y", "index.json"), append(index, '\n'), 0o644)
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: axe-core did not check these screens: %s (checked: %s)\n", strings.Join(missing, ", "), strings.Join(checked, ", "))
		os.Exit(1)
	}
	fmt.Printf("axe-core found no violation on %d screens (build/a11y)\n", len(checked))
	os.Exit(code)
}

// TestRecoveryScreenAccessible: a damaged data file opens on the recovery
// screen (the file moved aside), which axe checks; starting fresh from it
// leads to set-up.
func TestRecoveryScreenAccessible(t *testing.T) {
	dataDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dataDir, store.FileName), []byte("not a database at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	dev := startDev(t, dataDir)
	b := newBrowser(t)
	b.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#recovery-title")))
	if got := eval[string](t, b, `document.title`); !strings.Contains(got, "Onramp") {
		t.Errorf("window title %q", got)
	}
	checkScreen(t, b, "recovery")
	b.do(t, "start fresh", chromedp.Click(chromedp.CSS("#start-fresh")), chromedp.WaitVisible(chromedp.CSS("#field-legalName")))
	leave(t, b)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}

// focusShown is a JavaScript check of the focused element: not the page
// body, and drawn with an outline at least 2 px wide whose colour stands
// 3:1 against the page behind it (WCAG 2.4.7 and 1.4.11). It returns "" or
// what is wrong.
const focusShown = `(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return 'focus is on the page body';
	const s = getComputedStyle(e);
	if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) return 'no outline on ' + e.tagName + '#' + e.id + ' (' + s.outlineStyle + ' ' + s.outlineWidth + ')';
	const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
	const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	let bg = 'rgb(255, 255, 255)';
	for (let p = e.parentElement; p; p = p.parentElement) { const c = getComputedStyle(p).backgroundColor; if (!c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') { bg = c; break; } }
	const [a, b] = [lum(s.outlineColor), lum(bg)].sort((x, y) => y - x);
	const ratio = (a + 0.05) / (b + 0.05);
	return ratio >= 3 ? '' : 'outline ' + s.outlineColor + ' on ' + bg + ' is ' + ratio.toFixed(2) + ':1';
})()`

// TestWhatAxeCannotSee checks, in the real app, what axe-core does not:
// focus shown by an outline (also in forced colours), each screen naming
// itself in the window title, focus on the new screen after set-up, the
// Help dialog keeping focus inside and giving it back, required fields
// announced as required, one announcement after a failed submit, and
// reduced motion honoured.
func TestWhatAxeCannotSee(t *testing.T) {
	dataDir := t.TempDir()
	dev := startDev(t, dataDir)
	b := newBrowser(t)
	b.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#field-legalName")))
	titles := map[string]string{"set-up": eval[string](t, b, `document.title`)}

	// Focus from the keyboard is drawn with an outline, in forced colours too.
	b.do(t, "Tab to the first control", chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"))
	if bad := eval[string](t, b, focusShown); bad != "" {
		t.Errorf("focus on the set-up screen: %s", bad)
	}
	b.do(t, "forced colours", emulateMedia(&emulation.MediaFeature{Name: "forced-colors", Value: "active"}))
	if style := eval[string](t, b, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
		t.Error("in forced colours the focus outline disappears")
	}
	b.do(t, "reduced motion", emulateMedia(&emulation.MediaFeature{Name: "prefers-reduced-motion", Value: "reduce"}))

	// Set-up done: focus goes to the dashboard, not the page body.
	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		t.Fatal(err)
	}
	fillSetUp(t, b, "José Núñez", "jose@clinic.example", "lcsw", time.Now().AddDate(0, 0, 20).Format("2006-01-02"), code)
	b.do(t, "submit set-up", chromedp.Focus(chromedp.CSS("#setup-submit")), chromedp.KeyEvent("\r"))
	b.do(t, "see the dashboard", chromedp.WaitVisible(chromedp.CSS(`[data-stage="expanding-caseload"]`)))
	waitJS(t, b, "focus placed on the dashboard's heading", `document.activeElement?.id === 'greeting'`)
	titles["dashboard"] = eval[string](t, b, `document.title`)
	// Sync state and progress are announced as they change (polite live
	// regions); "Saved" is checked on the form below.
	if !eval[bool](t, b, `document.querySelector('#sync-announce')?.getAttribute('role') === 'status' && document.querySelector('#progress-text')?.getAttribute('aria-live') === 'polite'`) {
		t.Error("the sync state or the progress is not in a live region")
	}
	if d := eval[string](t, b, `getComputedStyle(document.querySelector('.progress .bar')).transitionDuration`); d != "1e-05s" && d != "0s" {
		t.Errorf("with reduced motion the progress bar still moves (transition %s)", d)
	}

	// The Help dialog: Tab and Shift+Tab stay inside; Escape gives focus
	// back to the button that opened it.
	b.do(t, "open help from the keyboard", chromedp.Focus(chromedp.CSS("#open-help")), chromedp.KeyEvent("\r"))
	waitJS(t, b, "the help dialog", `!!document.querySelector('[role="dialog"]') && document.querySelector('[role="dialog"]').contains(document.activeElement)`)
	for i := 0; i < 25; i++ {
		key := "\t"
		if i >= 18 {
			b.do(t, "Shift+Tab", chromedp.KeyEvent("\t", chromedp.KeyModifiers(chromedp.ModifierShift)))
		} else {
			b.do(t, "Tab", chromedp.KeyEvent(key))
		}
		if !eval[bool](t, b, `document.querySelector('[role="dialog"]').contains(document.activeElement)`) {
			t.Fatalf("after %d Tab presses focus left the Help dialog for %s", i+1, eval[string](t, b, `document.activeElement.outerHTML.slice(0, 120)`))
		}
		if bad := eval[string](t, b, focusShown); bad != "" {
			t.Errorf("focus in the Help dialog: %s", bad)
		}
	}
	b.do(t, "Escape", chromedp.KeyEvent("\x1b"))
	waitJS(t, b, "help closed, focus back on its button", `!document.querySelector('[role="dialog"]') && document.activeElement?.id === 'open-help'`)

	// The General form: required fields say so; a failed submit is one
	// announcement (the summary, which links each problem), and focus goes
	// to it.
	b.do(t, "open the General form", chromedp.Click(chromedp.CSS(`[data-open="general-form"]`)), chromedp.WaitVisible(chromedp.CSS("#save-state")))
	titles["general form"] = eval[string](t, b, `document.title`)
	if live := eval[string](t, b, `document.querySelector('#save-state').getAttribute('aria-live') ?? ''`); live != "polite" {
		t.Errorf("the save state is announced %q, want polite", live)
	}
	if missing := eval[[]string](t, b, `[...document.querySelectorAll('label[for]')].filter((l) => l.querySelector('.req'))
		.map((l) => document.getElementById(l.htmlFor)).filter((c) => c && c.getAttribute('aria-required') !== 'true').map((c) => c.id)`); len(missing) > 0 {
		t.Errorf("required fields not announced as required: %v", missing)
	}
	b.do(t, "submit the empty form", chromedp.Focus(chromedp.CSS("#form-submit")), chromedp.KeyEvent("\r"))
	waitJS(t, b, "the summary", `!!document.querySelector('#form-problems')`)
	alerts := eval[int](t, b, `[...document.querySelectorAll('[role="alert"]')].filter((e) => e.offsetParent !== null).length`)
	if alerts != 1 {
		t.Errorf("%d alerts after a failed submit, want 1 (the summary)", alerts)
	}
	if n := eval[int](t, b, `document.querySelectorAll('#form-problems li button, #form-problems li a').length`); n < 3 {
		t.Errorf("the summary links %d problems", n)
	}
	if id := eval[string](t, b, `document.activeElement?.id ?? ''`); id != "form-problems" {
		t.Errorf("after the failed submit focus is on %q, want the summary", id)
	}
	b.do(t, "settings", chromedp.Click(chromedp.CSS("#open-settings")))
	waitJS(t, b, "the Settings screen", `document.title.startsWith('Settings')`)
	titles["settings"] = eval[string](t, b, `document.title`)

	seen := map[string]string{}
	for screen, title := range titles {
		if !strings.HasSuffix(title, "· Onramp") {
			t.Errorf("the %s screen's title is %q", screen, title)
		}
		if other, dup := seen[title]; dup {
			t.Errorf("the %s and %s screens share the title %q", screen, other, title)
		}
		seen[title] = screen
	}
	leave(t, b)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}

// emulateMedia makes the page see CSS media features (forced colours,
// reduced motion) as a provider's system would set them.
func emulateMedia(features ...*emulation.MediaFeature) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
		return chromedp.Void{}, err
	}
}
