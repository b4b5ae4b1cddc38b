package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/tests/seed"
)

// TestExportThenOpenPacket: a provider previews the support packet from
// the submitted Insurance form, exports it (the save dialog answered by
// $ONRAMP_DIALOG_DIR), and the packet opens in the app's support view as
// verified with the previewed fingerprint; the same file with one byte
// changed opens as a loud failure that shows nothing from it.
func TestExportThenOpenPacket(t *testing.T) {
	dataDir, saveDir := t.TempDir(), t.TempDir()
	seedAs(t, dataDir, "Zoë Łukasiewicz-Núñez", "psych-np")
	root := repoRoot(t)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(root, "docs", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	seed.BothForms(t, dataDir, "Zoë Łukasiewicz-Núñez", map[string]seed.File{
		"headshot":     {Name: "headshot.jpg", Data: read("headshot.jpg")},
		"licenseDoc":   {Name: "license.pdf", Data: read("license.pdf")},
		"liabilityDoc": {Name: "liability.pdf", Data: read("liability.pdf")},
		"deaDoc":       {Name: "dea.pdf", Data: read("license.pdf")},
		"boardDoc":     {Name: "board.pdf", Data: read("liability.pdf")},
	})
	dev := startDev(t, dataDir, "ONRAMP_DIALOG_DIR="+saveDir)
	b := newBrowser(t)
	openForm(t, b, dev.URL, "insurance-form")

	b.do(t, "open the packet preview", chromedp.Click(chromedp.CSS("#open-export")))
	waitJS(t, b, "the preview pages", `document.querySelectorAll('.packet-page svg').length >= 6 && !!document.querySelector('#export-packet')`)
	cover := eval[string](t, b, `document.querySelector('.packet-page svg').textContent`)
	for _, want := range []string{"Zoë Łukasiewicz-Núñez", "Credentialing packet", "1234567893"} {
		if !strings.Contains(cover, want) {
			t.Errorf("the cover lacks %q", want)
		}
	}
	if got := eval[string](t, b, `document.activeElement?.id ?? ''`); got != "export-packet" {
		t.Errorf("focus after the preview is on %q, not the export button", got)
	}
	fingerprint := eval[string](t, b, `document.querySelector('.packet-bar code').textContent`)
	screenshot(t, b, "e2e-packet-preview.png")
	checkScreen(t, b, "packet-preview")

	b.do(t, "export", chromedp.Click(chromedp.CSS("#export-packet")))
	waitJS(t, b, "the saved banner", `!!document.querySelector('#packet-saved')`)
	checkScreen(t, b, "packet-export")
	files, _ := filepath.Glob(filepath.Join(saveDir, "*.onramp"))
	if len(files) != 1 || !strings.Contains(filepath.Base(files[0]), "Zoë Łukasiewicz-Núñez") {
		t.Fatalf("exported files: %v", files)
	}
	if shown := eval[string](t, b, `document.querySelector('#packet-saved .path').textContent`); shown != files[0] {
		t.Errorf("the banner shows %q, the file is %q", shown, files[0])
	}

	b.do(t, "open the packet as support", chromedp.Click(chromedp.CSS("#open-packet")))
	waitJS(t, b, "verified", `!!document.querySelector('#packet-verified') && document.querySelectorAll('.packet-page svg').length >= 6`)
	if got := eval[string](t, b, `document.querySelector('#packet-fingerprint').textContent`); got != fingerprint {
		t.Errorf("opened packet fingerprint %q, previewed %q", got, fingerprint)
	}
	summary := eval[string](t, b, `document.querySelector('#main').textContent`)
	for _, want := range []string{"Verified", "Zoë Łukasiewicz-Núñez", "Psychiatric Nurse Practitioner", "1234567893", "headshot.jpg", "this computer"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the support view lacks %q", want)
		}
	}
	screenshot(t, b, "e2e-packet-verified.png")
	checkScreen(t, b, "packet-open-verified")

	// One byte changed: a loud failure and nothing from the packet shown.
	raw, _ := os.ReadFile(files[0])
	raw[len(raw)/3] ^= 0x01
	os.WriteFile(files[0], raw, 0o600)
	future := time.Now().Add(time.Minute)
	os.Chtimes(files[0], future, future)
	b.do(t, "open the tampered packet", chromedp.Click(chromedp.CSS("#choose-packet")))
	waitJS(t, b, "the failure", `!!document.querySelector('#packet-failed')`)
	if eval[bool](t, b, `!!document.querySelector('#packet-verified') || document.querySelectorAll('.packet-page').length > 0`) {
		t.Error("a packet that failed verification is still shown")
	}
	if role := eval[string](t, b, `document.querySelector('#packet-failed').getAttribute('role')`); role != "alert" {
		t.Errorf("the failure is not announced (role %q)", role)
	}
	screenshot(t, b, "e2e-packet-failed.png")
	checkScreen(t, b, "packet-open-failed")
	leave(t, b)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}
