package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// TestGeneralFormThenInsuranceAsLCSW fills the General form as an LCSW with
// one bad, then corrected, value per kind of field; the draft survives a
// restart; the form submits and the insurance form opens, without DEA or
// board certification for an LCSW.
func TestGeneralFormThenInsuranceAsLCSW(t *testing.T) {
	dataDir := t.TempDir()
	seedAs(t, dataDir, "José Núñez", "lcsw")
	dev := startDev(t, dataDir)
	b := newBrowser(t)
	openForm(t, b, dev.URL, "general-form")
	checkScreen(t, b, "general-form-empty")
	if got := eval[string](t, b, js(`document.querySelector(%q).value`, fid("legalName"))); got != "José Núñez" {
		t.Errorf("legal name not prefilled: %q", got)
	}

	// One bad, then corrected, value per kind of field.
	typeInto(t, b, "legalName", "José 2")
	expectMsg(t, b, "legalName", "can't contain digits")
	checkScreen(t, b, "general-form-errors")
	typeInto(t, b, "legalName", "José Núñez")
	expectMsg(t, b, "legalName", "")

	typeInto(t, b, "email", "jose@clinic")
	expectMsg(t, b, "email", "needs a dot")
	typeInto(t, b, "email", "jose@clinic.example")
	expectMsg(t, b, "email", "")

	typeInto(t, b, "phone", "555-2671")
	expectMsg(t, b, "phone", "10-digit")
	typeInto(t, b, "phone", "(415) 555-2671")
	expectMsg(t, b, "phone", "")

	typeInto(t, b, "cashPayRate", "5")
	expectMsg(t, b, "cashPayRate", "between $20 and $1,000")
	typeInto(t, b, "cashPayRate", "$160")
	expectMsg(t, b, "cashPayRate", "")
	if got := eval[string](t, b, js(`document.querySelector(%q).value`, fid("cashPayRate"))); got != "$160" {
		t.Errorf("the rate shows as %q after leaving the field, want $160", got)
	}

	typeInto(t, b, "credentials", "LCSW")
	typeInto(t, b, "practiceName", "Núñez Therapy")
	tick(t, b, "acceptingNewClients", "yes")

	choose(t, b, "locations.0.kind", "office")
	typeInto(t, b, "locations.0.street", "100 Mission St")
	typeInto(t, b, "locations.0.city", "San Francisco")
	pick(t, b, "locations.0.state", "calif", "CA")
	typeInto(t, b, "locations.0.zip", "9411")
	expectMsg(t, b, "locations.0.zip", "5 digits")
	typeInto(t, b, "locations.0.zip", "94110")
	expectMsg(t, b, "locations.0.zip", "")

	// A second location, moved above the first, then removed again.
	b.do(t, "add a location", chromedp.Click(chromedp.CSS(`[data-add="locations"]`)))
	choose(t, b, "locations.1.kind", "telehealth")
	pick(t, b, "locations.1.state", "OR", "OR")
	b.do(t, "move it up", chromedp.Click(chromedp.CSS(`button[aria-label="Move Location 2 up"]`)))
	waitJS(t, b, "reordered", js(`document.querySelector(%q).value === 'telehealth'`, fid("locations.0.kind")))
	b.do(t, "remove it", chromedp.Click(chromedp.CSS(`button[aria-label="Remove Location 1"]`)))
	waitJS(t, b, "removed", js(`document.querySelectorAll('[data-section="locations"] .repeat-item').length === 1 && document.querySelector(%q).value === 'office'`, fid("locations.0.kind")))

	// The long lists are searchable pickers, the short ones checkboxes.
	for _, c := range []struct{ path, search, value string }{{"statesLicensed", "CA", "CA"}, {"specialties", "anx", "anxiety"},
		{"specialties", "ptsd", "trauma"}, {"languages", "engl", "en"}, {"languages", "span", "es"}} {
		pick(t, b, c.path, c.search, c.value)
	}
	pick(t, b, "specialties", "trauma", "trauma") // untick again
	tick(t, b, "populations", "adults")
	tick(t, b, "modalities", "cbt")
	if got := pickerValue(t, b, "languages") + "|" + pickerValue(t, b, "specialties"); got != "en,es|anxiety" {
		t.Errorf("languages|specialties hold %q, want the checkboxes' format en,es|anxiety", got)
	}
	typeInto(t, b, "bio", "Short bio.")
	expectMsg(t, b, "bio", "write at least 150")
	bio := "I work with adults facing anxiety, trauma and big life changes, in English and Spanish. Sessions are warm, practical and paced to you, with tools you can use between visits."
	typeInto(t, b, "bio", bio)
	expectMsg(t, b, "bio", "")
	if got := eval[string](t, b, `document.querySelector('.preview-bio').textContent`); got != bio {
		t.Errorf("bio preview shows %q", got)
	}
	// The headshot: a program renamed .png is refused and changes nothing; a
	// real PNG is attached and shows in the preview.
	files := testFiles(t)
	attachFile(t, b, "headshot", files["fake.png"])
	expectMsg(t, b, "headshot", "Windows program")
	if eval[bool](t, b, `!!document.querySelector('[data-path="headshot"] .file-card')`) {
		t.Error("a refused file was attached")
	}
	attachFile(t, b, "headshot", files["headshot.png"])
	waitJS(t, b, "the headshot attached", `document.querySelector('[data-path="headshot"] .file-name')?.textContent === 'headshot.png'`)
	waitJS(t, b, "the preview photo", `!!document.querySelector('.bio-preview img.photo')`)
	waitSaved(t, b)
	screenshot(t, b, "e2e-general-form.png")

	// The draft survives a restart of the backend, exactly as typed, and
	// the app reopens where the provider was: in this form, at the last field.
	b.do(t, "go to the bio", chromedp.Focus(chromedp.CSS(fid("bio"))))
	time.Sleep(600 * time.Millisecond) // the place is remembered 300 ms after focus moves
	leave(t, b)
	dev.Stop()
	dev = startDev(t, dataDir)
	b.do(t, "reopen", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#save-state")))
	waitJS(t, b, "back in the bio field", `document.activeElement?.closest('[data-path]')?.dataset.path === 'bio'`)
	for path, want := range map[string]string{"phone": "(415) 555-2671", "locations.0.zip": "94110", "bio": bio, "cashPayRate": "$160"} {
		if got := eval[string](t, b, js(`document.querySelector(%q).value`, fid(path))); got != want {
			t.Errorf("after restart %s = %q, want %q", path, got, want)
		}
	}
	if got := pickerValue(t, b, "specialties"); got != "anxiety" {
		t.Errorf("after restart the specialties are %q, want anxiety", got)
	}
	if n := eval[int](t, b, `document.querySelectorAll('[data-path="specialties"] button[aria-label^="Remove "]').length`); n != 1 {
		t.Errorf("after restart %d specialties shown as chosen, want 1", n)
	}

	b.do(t, "submit", chromedp.Click(chromedp.CSS("#form-submit")))
	b.do(t, "submitted", chromedp.WaitVisible(chromedp.CSS("#submitted-banner")))
	checkScreen(t, b, "general-form-submitted")
	if !eval[bool](t, b, js(`document.querySelector(%q).readOnly`, fid("practiceName"))) {
		t.Error("the submitted version is editable")
	}

	// The insurance form: no DEA or board certification for an LCSW.
	b.do(t, "back", chromedp.Click(chromedp.CSS(".formview .back")), chromedp.WaitVisible(chromedp.CSS(`[data-item="general-form"][data-status="done"]`)))
	openForm(t, b, dev.URL, "insurance-form")
	checkScreen(t, b, "insurance-form-empty")
	for _, sec := range []string{"dea", "board", "residency", "internship", "postdoc"} {
		if eval[bool](t, b, js(`!!document.querySelector('[data-section=%q]')`, sec)) {
			t.Errorf("section %s shown to an LCSW", sec)
		}
	}
	fillInsurance(t, b, "José Núñez", false)
	b.do(t, "submit the insurance form", chromedp.Click(chromedp.CSS("#form-submit")))
	b.do(t, "submitted", chromedp.WaitVisible(chromedp.CSS("#submitted-banner")))
	screenshot(t, b, "e2e-insurance-form-lcsw.png")
	checkScreen(t, b, "insurance-form-submitted")
	b.do(t, "back to the dashboard", chromedp.Click(chromedp.CSS(".formview .back")), chromedp.WaitVisible(chromedp.CSS("#expirations")))
	checkScreen(t, b, "dashboard-expirations")
	screenshot(t, b, "e2e-dashboard-expirations.png")
	exp := eval[string](t, b, `document.querySelector('#expirations').textContent`)
	// The CAQH re-attestation, 120 days after today's submission (no
	// attestation date was given).
	caqhDue := time.Now().AddDate(0, 0, 120).Format("Monday, January 2, 2006")
	for _, want := range []string{"CA LCSW license LCS 12345", "Liability policy PL-5521", "days left", "CAQH re-attestation due " + caqhDue + "  120 days left"} {
		if !strings.Contains(exp, want) {
			t.Errorf("expirations lack %q: %s", want, exp)
		}
	}
	// The policy ends in about 10 months; the license in a year: no warnings yet.
	if n := eval[int](t, b, `document.querySelectorAll('#expirations [data-level]:not([data-level="ok"])').length`); n != 0 {
		t.Errorf("%d warnings for credentials far from expiry", n)
	}
	if step := eval[string](t, b, `document.querySelector('[data-step="credentialing"]').dataset.status`); step != "done" {
		t.Errorf("step 2 is %s after submitting", step)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}

	// Restart: both versions are there, read-only; a resubmission leaves
	// version 1 as it was.
	leave(t, b)
	dev.Stop()
	dev = startDev(t, dataDir)
	b.do(t, "reopen", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS(`[data-item="insurance-form"][data-status="done"]`)))
	openForm(t, b, dev.URL, "general-form")
	if !eval[bool](t, b, js(`document.querySelector(%q).readOnly && !!document.querySelector('#start-resubmission')`, fid("bio"))) {
		t.Error("after restart the submitted form is not read-only")
	}
	b.do(t, "edit and resubmit", chromedp.Click(chromedp.CSS("#start-resubmission")), chromedp.WaitVisible(chromedp.CSS("#form-submit")))
	// Nothing changed yet: refused, in plain words next to the button.
	b.do(t, "submit an unchanged version", chromedp.Click(chromedp.CSS("#form-submit")), chromedp.WaitVisible(chromedp.CSS("#form-msg")))
	if msg := eval[string](t, b, `document.querySelector('.form-submit #form-msg')?.textContent ?? ''`); !strings.Contains(msg, "Nothing has changed since version 1") {
		t.Errorf("unchanged version: %q", msg)
	}
	if eval[bool](t, b, `!!document.querySelector('#submitted-banner') || !!document.querySelector('#form-problems')`) {
		t.Error("an unchanged version was submitted, or listed as field problems")
	}
	screenshot(t, b, "e2e-general-form-unchanged.png")
	typeInto(t, b, "cashPayRate", "175")
	waitJS(t, b, "the refusal gone after a change", `!document.querySelector('#form-msg')`)
	b.do(t, "submit version 2", chromedp.Click(chromedp.CSS("#form-submit")), chromedp.WaitVisible(chromedp.CSS("#submitted-banner")))
	if got := eval[string](t, b, `document.querySelector('#submitted-banner h2').textContent`); !strings.Contains(got, "version 2") {
		t.Errorf("resubmission: %q", got)
	}
	leave(t, b)
	dev.Stop()
	seed.With(t, dataDir, func(ctx context.Context, _ *onboarding.Service, st *store.Store) {
		subs, err := st.Submissions(ctx, forms.FormGeneral)
		if err != nil || len(subs) != 2 {
			t.Fatalf("submissions: %d %v", len(subs), err)
		}
		v1, _ := forms.DecodeData(subs[0].Data)
		v2, _ := forms.DecodeData(subs[1].Data)
		if v1.Fields["cashPayRate"] != "160" || v2.Fields["cashPayRate"] != "175" || subs[0].Hash != v1.Hash() {
			t.Errorf("versions: v1 rate %q, v2 rate %q", v1.Fields["cashPayRate"], v2.Fields["cashPayRate"])
		}
	})
}

// fillInsurance fills every field of the insurance form that any license
// type needs; prescriber sections are filled when asked for.
func fillInsurance(t *testing.T, b *browser, legalName string, prescriber bool) {
	t.Helper()
	typeInto(t, b, "caqhId", "CAQH-1")
	expectMsg(t, b, "caqhId", "only digits")
	typeInto(t, b, "caqhId", "1234567")
	expectMsg(t, b, "caqhId", "usually 8 digits") // a warning, not a stop
	typeInto(t, b, "caqhId", "12345678")
	typeInto(t, b, "caqhUsername", "provider-caqh")
	typeInto(t, b, "caqhPassword", caqhPassword)
	waitJS(t, b, "the password masked", `document.querySelector('[data-path="caqhPassword"] .mask')?.textContent === '••••••••'`)
	typeInto(t, b, "ssn", "666-12-3456")
	expectMsg(t, b, "ssn", "No Social Security number starts with 666")
	typeInto(t, b, "ssn", ssn)
	waitJS(t, b, "the SSN masked", `document.querySelector('[data-path="ssn"] .mask')?.textContent === '•••-••-6789'`)
	if html := eval[string](t, b, `document.documentElement.outerHTML`); strings.Contains(html, ssn) || strings.Contains(html, caqhPassword) {
		t.Error("a secret is still in the page after entry")
	}
	typeInto(t, b, "npi", "1234567890")
	expectMsg(t, b, "npi", "check digit")
	typeInto(t, b, "npi", "1234567893")
	expectMsg(t, b, "npi", "")
	choose(t, b, "dateOfBirth", "1984-03-09")

	pick(t, b, "licenses.0.state", "california", "CA")
	typeInto(t, b, "licenses.0.number", "LCS 12345")
	typeInto(t, b, "licenses.0.type", "LCSW")
	choose(t, b, "licenses.0.issued", "2015-06-01")
	choose(t, b, "licenses.0.expires", "2020-06-01")
	expectMsg(t, b, "licenses.0.expires", "expired")
	choose(t, b, "licenses.0.expires", time.Now().AddDate(1, 0, 0).Format("2006-01-02"))
	expectMsg(t, b, "licenses.0.expires", "")

	typeInto(t, b, "education.0.degree", "MSW")
	typeInto(t, b, "education.0.institution", "Universidad de Salamanca")
	choose(t, b, "education.0.start", "2010-09-01")
	choose(t, b, "education.0.end", "2009-06-01")
	expectMsg(t, b, "education.0.end", "after the start")
	choose(t, b, "education.0.end", "2012-06-01")

	typeInto(t, b, "work.0.employer", "Mission Counseling")
	typeInto(t, b, "work.0.role", "Therapist")
	choose(t, b, "work.0.start", "2014-01-01")
	tick(t, b, "work.0.current", "")

	typeInto(t, b, "carrier", "CPH & Associates")
	typeInto(t, b, "policyNumber", "PL-5521")
	typeInto(t, b, "perClaim", "500,000")
	expectMsg(t, b, "perClaim", "at least $1,000,000")
	typeInto(t, b, "perClaim", "1,000,000")
	typeInto(t, b, "aggregate", "$3,000,000")
	for path, want := range map[string]string{"perClaim": "$1,000,000", "aggregate": "$3,000,000"} {
		if got := eval[string](t, b, js(`document.querySelector(%q).value`, fid(path))); got != want {
			t.Errorf("%s shows %q, want %q", path, got, want)
		}
	}
	choose(t, b, "policyEffective", time.Now().AddDate(0, -2, 0).Format("2006-01-02"))
	// A policy ending within 90 days is warned of as it is entered.
	choose(t, b, "policyExpires", time.Now().AddDate(0, 0, 40).Format("2006-01-02"))
	expectMsg(t, b, "policyExpires", "within 90 days: renew it")
	screenshot(t, b, "e2e-insurance-expiry-warning.png")
	if !eval[bool](t, b, js(`document.querySelector(%q)?.classList.contains('warn-msg')`, fid("policyExpires")+"-msg")) {
		t.Error("the expiry warning is not shown as a warning")
	}
	choose(t, b, "policyExpires", time.Now().AddDate(0, 10, 0).Format("2006-01-02"))
	expectMsg(t, b, "policyExpires", "")

	for _, q := range []string{"licenseAction", "malpractice", "felony", "privileges", "sanctions", "impairment"} {
		tick(t, b, q, "no")
	}
	tick(t, b, "malpractice", "yes")
	waitJS(t, b, "the explanation field", js(`!!document.querySelector(%q)`, fid("malpracticeExplanation")))
	tick(t, b, "malpractice", "no")

	files := testFiles(t)
	attachFile(t, b, "licenses.0.document", files["empty.pdf"])
	expectMsg(t, b, "licenses.0.document", "empty")
	attachFile(t, b, "licenses.0.document", files["license.pdf"])
	waitJS(t, b, "the license attached", fileShown("licenses.0.document", "license.pdf"))
	secondLicenseKeepsItsDocument(t, b, files["or-license.png"])
	attachFile(t, b, "liabilityDoc", files["face-sheet.png"])
	waitJS(t, b, "the face sheet attached", `document.querySelector('[data-path="liabilityDoc"] .file-name')?.textContent === 'face-sheet.png'`)
	if prescriber {
		attachFile(t, b, "deaDoc", files["license.pdf"])
		attachFile(t, b, "boardDoc", files["license.pdf"])
		waitJS(t, b, "the certificates attached", `document.querySelectorAll('[data-path="deaDoc"] .file-card, [data-path="boardDoc"] .file-card').length === 2`)
	}

	typeInto(t, b, "attestName", "Someone Else")
	expectMsg(t, b, "attestName", "exactly as on your account")
	typeInto(t, b, "attestName", legalName)
	expectMsg(t, b, "attestName", "")
	tick(t, b, "attestTrue", "")
	waitSaved(t, b)
}

const (
	ssn          = "219-09-6789"
	caqhPassword = "Corr3ct-horse-CAQH"
)

// TestInsuranceFormAsPsychiatricNP: DEA and board certification are asked
// for and required; a DEA number whose second letter is not the last name's
// initial is refused.
func TestInsuranceFormAsPsychiatricNP(t *testing.T) {
	dataDir := t.TempDir()
	seedAs(t, dataDir, "Zoë Łukasiewicz", "psych-np")
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, seed.GeneralData("Zoë Łukasiewicz", "psych-np"))
		if err != nil || res.Version != 1 {
			t.Fatalf("seed the general form: %+v %v", res.Problems, err)
		}
	})
	dev := startDev(t, dataDir)
	b := newBrowser(t)
	openForm(t, b, dev.URL, "insurance-form")
	for _, sec := range []string{"dea", "board"} {
		if !eval[bool](t, b, js(`!!document.querySelector('[data-section=%q]')`, sec)) {
			t.Fatalf("section %s not shown to a psychiatric NP", sec)
		}
	}
	if eval[bool](t, b, `!!document.querySelector('[data-section="residency"]')`) {
		t.Error("residency asked of a nurse practitioner")
	}
	fillInsurance(t, b, "Zoë Łukasiewicz", true)

	// Submitting without DEA and board details lists them.
	b.do(t, "submit", chromedp.Click(chromedp.CSS("#form-submit")), chromedp.WaitVisible(chromedp.CSS("#form-problems")))
	checkScreen(t, b, "insurance-form-errors")
	listed := eval[string](t, b, `document.querySelector('#form-problems').textContent`)
	for _, want := range []string{"DEA number", "Certifying board"} {
		if !strings.Contains(listed, want) {
			t.Errorf("problems list lacks %q: %s", want, listed)
		}
	}
	b.do(t, "jump to the DEA number", chromedp.Click(chromedp.CSS("#form-problems li button")))
	if id := eval[string](t, b, `document.activeElement?.id ?? ''`); id != "f-deaNumber" {
		t.Errorf("jump focused %q", id)
	}

	typeInto(t, b, "deaNumber", "MB1234563") // B is not Ł → L
	expectMsg(t, b, "deaNumber", "first letter of your last name (L)")
	typeInto(t, b, "deaNumber", "ML1234563")
	expectMsg(t, b, "deaNumber", "")
	pick(t, b, "deaState", "CA", "CA")
	choose(t, b, "deaExpires", time.Now().AddDate(2, 0, 0).Format("2006-01-02"))
	typeInto(t, b, "board", "ANCC")
	typeInto(t, b, "boardSpecialty", "Psychiatric-Mental Health")
	choose(t, b, "boardCertified", "2019-05-01")
	choose(t, b, "boardExpires", time.Now().AddDate(3, 0, 0).Format("2006-01-02"))
	waitSaved(t, b)
	b.do(t, "submit", chromedp.Click(chromedp.CSS("#form-submit")))
	waitJS(t, b, "the submission", `!!document.querySelector('#submitted-banner')`)
	screenshot(t, b, "e2e-insurance-form-np.png")

	// Editing it asks for the attestation again; attesting without any
	// other change is refused next to the button.
	b.do(t, "edit and resubmit", chromedp.Click(chromedp.CSS("#start-resubmission")), chromedp.WaitVisible(chromedp.CSS("#form-submit")))
	if got := eval[string](t, b, js(`document.querySelector(%q).value + '|' + document.querySelector('[data-path="attestTrue"] input').checked`, fid("attestName"))); got != "|false" {
		t.Errorf("the resubmission carries the attestation over: %s", got)
	}
	if got := eval[string](t, b, js(`document.querySelector(%q).value`, fid("perClaim"))); got != "$1,000,000" {
		t.Errorf("the stored amount shows as %q", got)
	}
	b.do(t, "submit without attesting", chromedp.Click(chromedp.CSS("#form-submit")), chromedp.WaitVisible(chromedp.CSS("#form-problems")))
	if listed := eval[string](t, b, `document.querySelector('#form-problems').textContent`); !strings.Contains(listed, "Type your full legal name") {
		t.Errorf("attestation not asked for again: %s", listed)
	}
	typeInto(t, b, "attestName", "Zoë Łukasiewicz")
	tick(t, b, "attestTrue", "")
	waitSaved(t, b)
	b.do(t, "submit attested but unchanged", chromedp.Click(chromedp.CSS("#form-submit")), chromedp.WaitVisible(chromedp.CSS("#form-msg")))
	if msg := eval[string](t, b, `document.querySelector('#form-msg').textContent`); !strings.Contains(msg, "Nothing has changed since version 1") {
		t.Errorf("unchanged version: %q", msg)
	}
	screenshot(t, b, "e2e-insurance-form-unchanged.png")
	b.do(t, "discard", chromedp.Click(chromedp.CSS("#discard-draft")), chromedp.WaitVisible(chromedp.CSS("#start-resubmission")))
	leave(t, b)
	dev.Stop()
	assertNoPlaintext(t, dataDir, ssn, "219096789", caqhPassword)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}
