package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/validate"
)

// TestNamesAsGiven: a provider whose family name comes first sets up with a
// preferred name. The dashboard greets them by it (not by the legal name's
// first word, their family name), and the General form's directory preview
// shows the name they choose for the directory (not the preferred name
// joined to the legal name's last word).
func TestNamesAsGiven(t *testing.T) {
	dev := startDev(t, t.TempDir())
	b := newBrowser(t)
	b.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#field-legalName")))

	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		t.Fatal(err)
	}
	fillSetUp(t, b, "Nguyễn Văn An", "an@clinic.example", "lcsw", time.Now().AddDate(0, 0, 14).Format("2006-01-02"), code)
	setField(t, b, "preferredName", "An")
	b.do(t, "create the account", chromedp.Click(chromedp.CSS("#setup-submit")))
	b.do(t, "see the dashboard", chromedp.WaitVisible(chromedp.CSS(`[data-stage="expanding-caseload"]`)))
	if h := eval[string](t, b, `document.querySelector('#greeting').textContent.trim()`); h != "Welcome, An" {
		t.Errorf("greeting = %q, want %q", h, "Welcome, An")
	}

	openForm(t, b, dev.URL, "general-form")
	for path, want := range map[string]string{"legalName": "Nguyễn Văn An", "preferredName": "An", "directoryName": "Nguyễn Văn An"} {
		if got := eval[string](t, b, js(`document.querySelector(%q)?.value ?? 'missing'`, fid(path))); got != want {
			t.Errorf("%s prefilled with %q, want %q", path, got, want)
		}
	}
	preview := `document.querySelector('.preview-name')?.textContent.trim()`
	if got := eval[string](t, b, preview); got != "Nguyễn Văn An" {
		t.Errorf("preview name before choosing = %q", got)
	}
	typeInto(t, b, "directoryName", "An Nguyễn")
	typeInto(t, b, "credentials", "LCSW")
	waitJS(t, b, "the preview shows the directory name", js(`%s === %q`, preview, "An Nguyễn, LCSW"))
	typeInto(t, b, "directoryName", "")
	expectMsg(t, b, "directoryName", "required")
	typeInto(t, b, "directoryName", "An Nguyễn")
	waitSaved(t, b)
	b.do(t, "show the preview", chromedp.ScrollIntoView(chromedp.CSS(".bio-preview")))
	screenshot(t, b, "e2e-names-preview.png")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}
