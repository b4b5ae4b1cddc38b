package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/backend/validate"
	"onramp/tests/seed"
)

// TestKeyboardOnlyJourney: a provider who uses only the keyboard sets up,
// fills and submits the General Onboarding form, opens and closes Help, and
// submits the Insurance form, first with problems (focus goes to the
// summary, and from it to the field), then fixed. Only key events: no
// click, no mouse, no value set by script; focus is checked visible after
// every key. The two required uploads go in through the browser's file
// input, as attachFile does, since a native file dialog is not part of the
// page.
func TestKeyboardOnlyJourney(t *testing.T) {
	dataDir := t.TempDir()
	dev := startDev(t, dataDir)
	b := newBrowser(t)
	b.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#field-legalName")))
	k := &keyboard{t: t, b: b}
	const legalName = "Rosa Díaz"

	keyboardSetUp(t, k, legalName)
	keyboardHelp(t, k)
	keyboardGeneralForm(t, k)

	// Back to the dashboard (Shift+Tab to "← Dashboard"), then the Insurance form.
	k.shiftTabEnter(".formview .back", "main h1", "the dashboard's heading after the form")
	waitJS(t, b, "the General form done", `document.querySelector('[data-item="general-form"]')?.dataset.status === 'done'`)
	k.tabEnter(`[data-open="insurance-form"]`, "main h1", "the Insurance form's heading")
	keyboardInsuranceForm(t, k, legalName)

	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
	leave(t, b)
	dev.Stop()
	// What the pickers chose reached the submissions in the format the
	// checkboxes and selects used.
	seed.With(t, dataDir, func(ctx context.Context, _ *onboarding.Service, st *store.Store) {
		general := submitted(t, ctx, st, forms.FormGeneral)
		got := map[string]string{"statesLicensed": general.Fields["statesLicensed"], "specialties": general.Fields["specialties"],
			"languages": general.Fields["languages"], "populations": general.Fields["populations"], "locations.0.state": general.Groups["locations"][0]["state"]}
		want := map[string]string{"statesLicensed": "CA,NY", "specialties": "anxiety", "languages": "es,en", "populations": "adults", "locations.0.state": "CA"}
		for f, w := range want {
			if got[f] != w {
				t.Errorf("general form %s = %q, want %q", f, got[f], w)
			}
		}
		insurance := submitted(t, ctx, st, forms.FormCredentialing)
		if s := insurance.Groups["licenses"][0]["state"]; s != "CA" {
			t.Errorf("insurance form license state = %q, want CA", s)
		}
	})
}

func submitted(t *testing.T, ctx context.Context, st *store.Store, form string) forms.Data {
	t.Helper()
	subs, err := st.Submissions(ctx, form)
	if err != nil || len(subs) != 1 {
		t.Fatalf("%s submissions: %d %v", form, len(subs), err)
	}
	d, err := forms.DecodeData(subs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// keyboardSetUp: the skip link, then the first-run form, field by field.
func keyboardSetUp(t *testing.T, k *keyboard, legalName string) {
	t.Helper()
	// The screen's heading has focus (drawn once a key is pressed: the
	// browser shows focus set by script only to a keyboard user); the skip
	// link, up in the top bar, takes the keyboard past the bar to the first
	// field.
	waitJS(t, k.b, "the set-up screen's heading focused", `!!document.activeElement?.matches('main h1')`)
	k.shiftTabTo("a.skip")
	k.press(kb.Enter)
	k.press(kb.Tab)
	if !k.matches("#field-legalName") {
		t.Errorf("after the skip link Tab goes to %s, want the first field", k.visible("after the skip link").Name)
	}
	k.tabTo("#field-legalName")
	k.typeText(legalName)
	k.tabTo("#field-email")
	k.typeText("rosa@clinic.example")
	k.tabTo("#field-licenseType") // a short list stays a native select: a letter chooses
	k.press("L")
	waitJS(t, k.b, "LCSW chosen", `document.activeElement.value === 'lcsw'`)
	k.tabTo("#field-contractStart")
	k.date(time.Now().AddDate(0, 0, 14).Format("2006-01-02"))
	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		t.Fatal(err)
	}
	k.tabTo("#field-invitationCode")
	k.typeText(code)
	k.tabTo("#setup-submit")
	k.press(kb.Enter)
	waitJS(t, k.b, "the dashboard", `!!document.querySelector('[data-stage="expanding-caseload"]')`)
	k.waitFocus("main h1", "the dashboard's heading after set-up")
}

// keyboardHelp opens Help from its button and closes it with Escape, then
// the same with F1 from the dashboard: focus goes into it, stays inside on
// Shift+Tab, and returns to what opened it.
func keyboardHelp(t *testing.T, k *keyboard) {
	t.Helper()
	k.shiftTabEnter("#open-help", "#help-search", "the help search")
	k.press(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	if !eval[bool](t, k.b, `!!document.activeElement?.closest('.drawer')`) {
		t.Errorf("Shift+Tab left the help drawer for %s", k.visible("in help").Name)
	}
	k.visible("in help")
	k.press(kb.Escape)
	k.waitFocus("#open-help", "focus back on the Help button")
	if eval[bool](t, k.b, `!!document.querySelector('.drawer')`) {
		t.Error("Escape left the help drawer open")
	}

	k.tabTo(`[data-open="general-form"]`)
	k.press(kb.F1)
	k.waitFocus("#help-search", "the help search after F1")
	k.press(kb.Escape)
	k.waitFocus(`[data-open="general-form"]`, "focus back where F1 was pressed")
	k.press(kb.Enter)
	k.waitFocus("main h1", "the General form's heading")
}

func keyboardGeneralForm(t *testing.T, k *keyboard) {
	t.Helper()
	b := k.b
	k.tabTo(fid("directoryName"))
	k.typeText("Rosa Díaz")
	k.tabTo(fid("credentials"))
	k.typeText("LCSW")
	k.tabTo(fid("practiceName"))
	k.typeText("Díaz Therapy")
	k.tabTo(fid("phone"))
	k.typeText("(415) 555-2671")
	k.tabTo(`[data-path="acceptingNewClients"] input[value="yes"]`)
	k.check()
	k.tabTo(fid("cashPayRate"))
	k.typeText("160")

	k.tabTo(fid("locations.0.kind"))
	k.press("O")
	waitJS(t, b, "an office", `document.activeElement.value === 'office'`)
	k.tabTo(fid("locations.0.street"))
	k.typeText("100 Mission St")
	k.tabTo(fid("locations.0.city"))
	k.typeText("San Francisco")
	k.tabTo(fid("locations.0.state"))
	k.pick("calif", "CA")
	if v := pickerValue(t, b, "locations.0.state"); v != "CA" {
		t.Errorf("the office's state is %q after Enter, want CA", v)
	}
	k.tabTo(fid("locations.0.zip"))
	k.typeText("94110")

	// Several states: Enter ticks and the list stays open for the next.
	k.tabTo(fid("statesLicensed"))
	k.pick("CA", "CA")
	k.pick("oreg", "OR")
	k.pick("new y", "NY")
	live := `document.querySelector('[data-path="statesLicensed"] [aria-live]').textContent`
	waitJS(t, b, "three states", js(`document.activeElement.dataset.value === 'CA,OR,NY' && %s === 'New York added, 3 selected'`, live))
	screenshot(t, b, "e2e-keyboard-picker.png")
	k.press(kb.Escape)
	if eval[string](t, b, `document.activeElement.getAttribute('aria-expanded')`) != "false" {
		t.Error("Escape left the states' list open")
	}
	// Tab goes through the chips, each a "Remove …" button.
	k.press(kb.Tab)
	k.press(kb.Tab)
	if f := k.visible("the second chip"); !strings.Contains(f.Name, "Remove Oregon") {
		t.Fatalf("two Tabs from the states go to %s, want Remove Oregon", f.Name)
	}
	k.press(kb.Enter)
	waitJS(t, b, "Oregon removed", js(`document.querySelector(%q).dataset.value === 'CA,NY' && %s === 'Oregon removed, 2 selected'`, fid("statesLicensed"), live))
	if f := k.visible("after removing a chip"); !strings.Contains(f.Name, "Remove New York") {
		t.Errorf("after removing Oregon focus is on %s, want the next chip", f.Name)
	}
	screenshot(t, b, "e2e-keyboard-chips.png")

	k.tabTo(fid("specialties"))
	k.pick("anx", "anxiety")
	k.press(kb.Escape)
	k.tabTo(`[data-path="populations"] input[value="adults"]`)
	k.check()
	k.tabTo(`[data-path="modalities"] input[value="cbt"]`)
	k.check()
	k.tabTo(fid("languages"))
	k.pick("span", "es")
	k.pick("engl", "en")
	k.press(kb.Escape)
	k.tabTo(fid("bio"))
	k.typeText("I work with adults facing anxiety and big life changes, in English and Spanish. Sessions are warm, practical and paced to you, with tools to use between visits.")

	k.tabEnter("#form-submit", "#submitted-banner", "the submitted banner")
}

func keyboardInsuranceForm(t *testing.T, k *keyboard, legalName string) {
	t.Helper()
	b := k.b
	now := time.Now()
	text := func(path, value string) {
		t.Helper()
		k.tabTo(fid(path))
		k.typeText(value)
	}
	date := func(path string, d time.Time) {
		t.Helper()
		k.tabTo(fid(path))
		k.date(d.Format("2006-01-02"))
	}
	text("caqhId", "12345678")
	text("caqhUsername", "rosa-caqh")
	text("caqhPassword", caqhPassword)
	text("npi", "1234567893")
	waitJS(t, b, "the password masked", `document.querySelector('[data-path="caqhPassword"] .mask')?.textContent === '••••••••'`)
	date("dateOfBirth", time.Date(1984, 3, 9, 0, 0, 0, 0, time.Local))
	text("ssn", ssn)
	// The license's state is left empty: the first problem on submitting.
	text("licenses.0.number", "LCS 12345")
	waitJS(t, b, "the SSN masked", `document.querySelector('[data-path="ssn"] .mask')?.textContent === '•••-••-6789'`)
	text("licenses.0.type", "LCSW")
	date("licenses.0.issued", time.Date(2015, 6, 1, 0, 0, 0, 0, time.Local))
	date("licenses.0.expires", now.AddDate(1, 0, 0))
	files := testFiles(t)
	attachFile(t, b, "licenses.0.document", files["license.pdf"])
	waitJS(t, b, "the license attached", fileShown("licenses.0.document", "license.pdf"))
	k.visible("after attaching the license")

	text("education.0.degree", "MSW")
	text("education.0.institution", "Universidad de Salamanca")
	date("education.0.start", time.Date(2010, 9, 1, 0, 0, 0, 0, time.Local))
	date("education.0.end", time.Date(2012, 6, 1, 0, 0, 0, 0, time.Local))
	text("work.0.employer", "Mission Counseling")
	text("work.0.role", "Therapist")
	date("work.0.start", time.Date(2014, 1, 1, 0, 0, 0, 0, time.Local))
	k.tabTo(`[data-path="work.0.current"] input`)
	k.check()
	text("carrier", "CPH & Associates")
	text("policyNumber", "PL-5521")
	text("perClaim", "1000000")
	text("aggregate", "3000000")
	date("policyEffective", now.AddDate(0, -2, 0))
	date("policyExpires", now.AddDate(0, 10, 0))
	attachFile(t, b, "liabilityDoc", files["face-sheet.png"])
	waitJS(t, b, "the face sheet attached", fileShown("liabilityDoc", "face-sheet.png"))
	// Each disclosure: Tab reaches the group's first radio (Yes); the
	// right arrow moves to No and chooses it.
	for _, q := range []string{"licenseAction", "malpractice", "felony", "privileges", "sanctions", "impairment"} {
		k.tabTo(js(`[data-path=%q] input[value="yes"]`, q))
		k.press(kb.ArrowRight)
		if !eval[bool](t, b, js(`document.activeElement.matches('[data-path=%q] input[value="no"]') && document.activeElement.checked`, q)) {
			t.Fatalf("the right arrow did not answer No to %s (focus on %s)", q, k.visible("answering").Name)
		}
	}
	text("attestName", legalName)
	// The attestation box is left unticked: the second problem.

	k.tabEnter("#form-submit", "#form-problems", "the problems summary")
	listed := eval[[]string](t, b, `[...document.querySelectorAll('#form-problems li')].map((li) => li.textContent)`)
	if len(listed) != 2 || !strings.HasPrefix(listed[0], "License 1 — State") || !strings.Contains(listed[1], "I attest") {
		t.Fatalf("the summary lists %q, want the license's state, then the attestation", listed)
	}
	// From the summary to the field, and the state picked there.
	k.press(kb.Tab)
	if f := k.visible("the summary's first problem"); !strings.Contains(f.Name, "License 1 — State") {
		t.Fatalf("Tab from the summary goes to %s", f.Name)
	}
	k.press(kb.Enter)
	k.waitFocus(fid("licenses.0.state"), "the license's state, from the summary")
	if got := eval[string](t, b, `document.activeElement.getAttribute('aria-invalid') + ' ' + document.activeElement.getAttribute('aria-describedby')`); got != "true f-licenses-0-state-msg" {
		t.Errorf("the state picker with a problem: aria-invalid and aria-describedby %q", got)
	}
	k.press("calif")
	waitJS(t, b, "California found", activeOption(fid("licenses.0.state"))+` === 'CA'`)
	screenshot(t, b, "e2e-keyboard-picker-single.png")
	k.press(kb.Enter)
	k.press(kb.Tab)
	expectMsg(t, b, "licenses.0.state", "")
	k.tabTo(`[data-path="attestTrue"] input`)
	k.check()
	k.tabEnter("#form-submit", "#submitted-banner", "the Insurance form's submitted banner")
}
