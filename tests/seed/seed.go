// Package seed prepares a data folder with the app's own backend code, so
// that whole-app tests can start from a set-up account.
package seed

import (
	"context"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/lifecycle"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/validate"
	"onramp/backend/webinar"
)

// Account sets up an account in dir: Zoë Łukasiewicz, psychiatric NP,
// contract starting contractStart.
func Account(t testing.TB, dir string, contractStart time.Time) {
	t.Helper()
	AccountAs(t, dir, "Zoë Łukasiewicz", "psych-np", contractStart)
}

// AccountAs sets up an account with the given legal name and license type.
func AccountAs(t testing.TB, dir, legalName, license string, contractStart time.Time) {
	t.Helper()
	With(t, dir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		code, err := validate.NewInvitationCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		problems, err := svc.Progress.SetUp(ctx, forms.Values{
			forms.SetupLegalName: legalName, forms.SetupEmail: "provider@example.org",
			forms.SetupLicenseType: license, forms.SetupContractStart: contractStart.Format("2006-01-02"),
			forms.SetupInvitationCode: code,
		})
		if err != nil || len(problems) > 0 {
			t.Fatalf("set up: %v %+v", err, problems)
		}
	})
}

// With opens the data folder's store and service for fn, and closes them.
// The app must not be running on that folder.
func With(t testing.TB, dir string, fn func(context.Context, *onboarding.Service, *store.Store)) {
	t.Helper()
	ctx := context.Background()
	st, rec, err := lifecycle.OpenData(ctx, dir, time.Now())
	if err != nil || rec != nil {
		t.Fatalf("open data: %v %+v", err, rec)
	}
	defer st.Close()
	video, err := webinar.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := secret.LoadKey(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	fn(ctx, onboarding.New(st, time.Now, video, box, outmail.Config{}), st)
}

// GeneralData is a complete, valid General Onboarding form.
func GeneralData(legalName, license string) forms.Data {
	d := forms.NewData()
	for k, v := range map[string]string{
		"legalName": legalName, "directoryName": legalName, "credentials": "PMHNP-BC", "licenseType": license,
		"practiceName": "Riverside Mental Health", "phone": "(415) 555-2671", "email": "provider@example.org",
		"acceptingNewClients": "yes", "cashPayRate": "180", "statesLicensed": "CA", "specialties": "anxiety,medication",
		"populations": "adults", "modalities": "cbt,medication", "languages": "en,pl",
		"bio": "I help adults with anxiety and depression find steadier ground, combining medication management with practical, " +
			"skills-based therapy. I see clients by telehealth across California.",
	} {
		d.Fields[k] = v
	}
	d.Groups["locations"] = []map[string]string{{"kind": "telehealth", "state": "CA"}}
	return d
}

// BothForms submits, for a psychiatric NP account made by AccountAs, the
// General form with a headshot and the Insurance form with its documents
// and both secrets: everything a support packet is made from. files holds
// the documents to attach by field (headshot, licenseDoc, liabilityDoc,
// deaDoc, boardDoc), as name and content; licenseDoc is the one license's
// own document (licenses.0.document).
func BothForms(t testing.TB, dir, legalName string, files map[string]File) {
	t.Helper()
	With(t, dir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		attachTo := func(form string, d forms.Data, key, path string) {
			f, ok := files[key]
			if !ok {
				return
			}
			res, err := svc.Forms.AttachFile(ctx, form, path, f.Name, f.Data)
			if err != nil || res.File == nil {
				t.Fatalf("attach %s: %v %+v", key, err, res.Problem)
			}
			forms.SetFile(d, path, res.File.Hash)
		}
		gen := GeneralData(legalName, "psych-np")
		attachTo(forms.FormGeneral, gen, "headshot", "headshot")
		if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, gen); err != nil || res.Version == 0 {
			t.Fatalf("submit the general form: %v %+v", err, res.Problems)
		}
		for field, v := range map[string]string{"ssn": "219-09-6789", "caqhPassword": "Caqh-pass-1234"} {
			if res, err := svc.Forms.SetSecret(ctx, forms.FormCredentialing, field, v); err != nil || res.Problem != nil {
				t.Fatalf("secret %s: %v %+v", field, err, res.Problem)
			}
		}
		d := forms.NewData()
		now := time.Now()
		for k, v := range map[string]string{
			"caqhId": "12345678", "caqhUsername": "provider1", "npi": "1234567893", "dateOfBirth": "1985-04-12",
			"carrier": "CPH & Associates", "policyNumber": "PL-99812", "perClaim": "1000000", "aggregate": "3000000",
			"policyEffective": now.AddDate(-1, 0, 0).Format("2006-01-02"), "policyExpires": now.AddDate(1, 0, 0).Format("2006-01-02"),
			"attestName": legalName, "attestTrue": "yes", "deaNumber": "ML1234563", "deaState": "CA",
			"deaExpires": now.AddDate(2, 0, 0).Format("2006-01-02"), "board": "ANCC", "boardSpecialty": "Psychiatric-Mental Health",
			"boardCertified": "2018-09-01", "boardExpires": now.AddDate(3, 0, 0).Format("2006-01-02"),
			"licenseAction": "no", "malpractice": "no", "felony": "no", "privileges": "no", "sanctions": "no", "impairment": "no",
		} {
			d.Fields[k] = v
		}
		d.Groups["licenses"] = []map[string]string{{"state": "CA", "number": "NP123", "type": "PMHNP", "issued": "2018-06-01", "expires": now.AddDate(2, 0, 0).Format("2006-01-02")}}
		attachTo(forms.FormCredentialing, d, "licenseDoc", "licenses.0.document")
		for _, field := range []string{"liabilityDoc", "deaDoc", "boardDoc"} {
			attachTo(forms.FormCredentialing, d, field, field)
		}
		d.Groups["education"] = []map[string]string{{"degree": "MSN", "institution": "UCSF", "start": "2014-09-01", "end": "2016-06-01"}}
		d.Groups["work"] = []map[string]string{
			{"employer": "Bay Clinic", "role": "PMHNP", "start": now.AddDate(-6, 0, 0).Format("2006-01-02"), "current": "yes"},
		}
		if res, err := svc.Forms.SubmitForm(ctx, forms.FormCredentialing, d); err != nil || res.Version == 0 {
			t.Fatalf("submit the insurance form: %v %+v", err, res.Problems)
		}
	})
}

// File is a document to attach.
type File struct {
	Name string
	Data []byte
}
