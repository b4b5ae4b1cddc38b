package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"onramp/backend/store"
	"onramp/backend/testenv"
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
