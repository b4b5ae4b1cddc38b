package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"onramp/backend/webinar"
	"onramp/tests/seed"
)

// TestKeyboardOnlyAfterTheForms: the rest of the journey by key events
// only, for a provider whose two forms the network has reviewed, with the
// app syncing every second behind the keyboard: the outbox opened and
// closed, the portal password (a weak one refused, then a strong one),
// the webinar played from its button and its transcript opened, the quiz
// failed then passed with Space and the arrows, the support packet
// previewed, exported (the save dialog answered by $ONRAMP_DIALOG_DIR)
// and opened as verified, and Settings opened and left. As in
// TestKeyboardOnlyJourney, focus is checked visible after every key.
func TestKeyboardOnlyAfterTheForms(t *testing.T) {
	const name = "Zoë Łukasiewicz"
	dataDir, saveDir := t.TempDir(), t.TempDir()
	db, url := serveIntake(t)
	files := testFiles(t)
	headshot, err := os.ReadFile(files["headshot.png"])
	if err != nil {
		t.Fatal(err)
	}
	license, err := os.ReadFile(files["license.pdf"])
	if err != nil {
		t.Fatal(err)
	}
	seedAs(t, dataDir, name, "psych-np")
	seed.BothForms(t, dataDir, name, map[string]seed.File{"headshot": {Name: "headshot.png", Data: headshot},
		"licenseDoc": {Name: "license.pdf", Data: license}, "liabilityDoc": {Name: "liability.pdf", Data: license},
		"deaDoc": {Name: "dea.pdf", Data: license}, "boardDoc": {Name: "board.pdf", Data: license}})
	reviewedByTheNetwork(t, dataDir, db, url)
	dev := startDev(t, dataDir, "ONRAMP_INTAKE_URL="+url, "ONRAMP_SYNC_EVERY=1s", clipEnv(t), "ONRAMP_DIALOG_DIR="+saveDir)
	b := newBrowser(t)
	b.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS(`[data-open="portal-password"]`)))
	k := &keyboard{t: t, b: b}

	keyboardOutbox(t, k)
	keyboardPortal(t, k)
	keyboardTraining(t, k)
	keyboardPacket(t, k, name, saveDir)

	// Settings, opened from the top bar and left.
	k.shiftTabEnter("#open-settings", "main h1", "the Settings heading")
	k.shiftTabEnter(".back", "main h1", "the dashboard's heading after Settings")
	waitJS(t, b, "the dashboard", `!!document.querySelector('[data-item="quiz"]')`)
	for id, want := range map[string]string{"portal-password": "done", "webinar": "done", "quiz": "done"} {
		if got := itemStatus(t, b, id); got != want {
			t.Errorf("%s is %s on the dashboard, want %s", id, got, want)
		}
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}

// keyboardOutbox opens the outbox from the sync status with Enter and
// closes it with Escape, which gives focus back to the sync status.
func keyboardOutbox(t *testing.T, k *keyboard) {
	t.Helper()
	k.shiftTabTo("#sync-status") // the top bar, above the screen
	k.press(kb.Enter)
	waitJS(t, k.b, "the outbox panel", `!!document.querySelector('#outbox-panel')`)
	k.visible("the outbox open")
	k.press(kb.Escape)
	waitJS(t, k.b, "the outbox closed", `!document.querySelector('#outbox-panel')`)
	k.waitFocus("#sync-status", "the sync status after Escape")
}

// keyboardPortal creates the portal password: a weak one is refused with
// the reason, then a strong one is taken and focus stays on the screen.
func keyboardPortal(t *testing.T, k *keyboard) {
	t.Helper()
	k.tabEnter(`[data-open="portal-password"]`, "main h1", "the portal step's heading")
	k.tabTo("#portal-password")
	k.typeText("short")
	k.tabTo("#portal-confirm")
	k.typeText("short")
	k.press(kb.Enter) // Enter in a field submits its form
	waitJS(t, k.b, "the weak password refused", `(document.querySelector('#portal-problem')?.textContent ?? '').includes('12 characters')`)
	if role := eval[string](t, k.b, `document.querySelector('#portal-problem').getAttribute('role') ?? ''`); role != "alert" {
		t.Errorf("the password's problem is not announced (role %q)", role)
	}
	k.visible("after the refusal")
	const strong = "Blue-Kettle-42-rain"
	k.shiftTabTo("#portal-password")
	k.press(kb.Backspace, chromedp.KeyModifiers(chromedp.ModifierCtrl))
	k.typeText(strong)
	k.tabTo("#portal-confirm")
	k.press(kb.Backspace, chromedp.KeyModifiers(chromedp.ModifierCtrl))
	k.typeText(strong)
	k.tabEnter("#portal-submit", "#portal-created", "the portal password's confirmation")
	screenshot(t, k.b, "e2e-keyboard-portal-created.png")
	k.shiftTabEnter(".back", "main h1", "the dashboard's heading after the portal")
}

// keyboardTraining plays the webinar (the test clip) from its button,
// opens the transcript, fails the quiz with three wrong answers and
// passes it on the retake.
func keyboardTraining(t *testing.T, k *keyboard) {
	t.Helper()
	b := k.b
	k.tabEnter(`[data-open="webinar"]`, "main h1", "the training's heading")
	waitJS(t, b, "the video loaded", `!document.querySelector('#video-toggle').disabled`)
	k.tabTo("#video-toggle")
	k.press(" ")
	waitJS(t, b, "the clip to end", `document.querySelector('video').ended`)
	waitJS(t, b, "the quiz open", `!!document.querySelector('#quiz-form')`)
	k.visible("after the clip")

	k.tabTo("#transcript summary")
	k.press(kb.Enter)
	waitJS(t, b, "the transcript open", `document.querySelector('#transcript').open`)

	// Three wrong, then on the retake none: the result takes focus each time.
	for _, try := range []struct {
		wrong int
		want  string
	}{{3, "Not passed yet: 70%"}, {0, "You passed: 100%"}} {
		if try.wrong == 0 {
			k.tabEnter("#quiz-retake", `#quiz-form input[type="radio"]`, "the first answer on the retake")
		}
		answerByKeyboard(t, k, try.wrong)
		k.waitFocus("#quiz-result", "the quiz's result")
		if res := eval[string](t, b, `document.querySelector('#quiz-result h3').textContent`); !strings.Contains(res, try.want) {
			t.Errorf("the attempt with %d wrong shows %q, want %q", try.wrong, res, try.want)
		}
	}
	k.shiftTabEnter(".training .back", "main h1", "the dashboard's heading after the training")
}

// answerByKeyboard answers every question, wrongly for the first `wrong`:
// Tab reaches a question's first choice, Space chooses it and the down
// arrow moves the choice on. Then Enter on the submit button.
func answerByKeyboard(t *testing.T, k *keyboard, wrong int) {
	t.Helper()
	key := webinar.AnswerKey()
	for i, q := range webinar.Questions() {
		want := 0
		for j, c := range q.Choices {
			if (c.ID == key[q.ID]) != (i < wrong) {
				want = j
				break
			}
		}
		k.tabTo(js(`[data-question=%q] input[type="radio"]`, q.ID))
		k.check()
		for range want {
			k.press(kb.ArrowDown)
		}
		if got := eval[string](t, k.b, `document.activeElement?.value ?? ''`); got != q.Choices[want].ID {
			t.Fatalf("question %s: the keyboard chose %q, want %q", q.ID, got, q.Choices[want].ID)
		}
		k.visible("an answer chosen")
	}
	k.tabTo("#quiz-submit")
	k.press(kb.Enter)
}

// keyboardPacket previews the support packet from the submitted Insurance
// form, exports it and opens the exported file in the support view.
func keyboardPacket(t *testing.T, k *keyboard, name, saveDir string) {
	t.Helper()
	b := k.b
	k.tabEnter(`[data-open="insurance-form"]`, "main h1", "the Insurance form's heading")
	k.tabEnter("#open-export", "#export-packet", "the export button under the preview")
	k.press(kb.Enter)
	waitJS(t, b, "the saved banner", `!!document.querySelector('#packet-saved')`)
	k.visible("after the export")
	screenshot(t, b, "e2e-keyboard-packet-saved.png")
	saved, _ := filepath.Glob(filepath.Join(saveDir, "*.onramp"))
	if len(saved) != 1 || !strings.Contains(filepath.Base(saved[0]), name) {
		t.Fatalf("exported files: %v", saved)
	}
	k.shiftTabTo("#open-packet")
	k.press(kb.Enter)
	waitJS(t, b, "the packet verified", `!!document.querySelector('#packet-verified')`)
	k.waitFocus("main h1", "the support view's heading")
	// Back where it was opened from, and on back to the dashboard.
	for _, to := range []string{"the export view", "the Insurance form", "the dashboard"} {
		k.shiftTabEnter(".back", "main h1", to+"'s heading after the packet")
	}
	waitJS(t, b, "the dashboard", `!!document.querySelector('[data-item="quiz"]')`)
}
