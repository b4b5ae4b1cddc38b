// Package seed prepares a data folder with the app's own backend code, so
// that whole-app tests can start from a set-up account.
package seed

import (
	"context"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
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
		problems, err := svc.SetUp(ctx, forms.Values{
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
	st, rec, err := onboarding.OpenData(ctx, dir, time.Now())
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
	fn(ctx, onboarding.New(st, time.Now, video, box), st)
}

// GeneralData is a complete, valid General Onboarding form.
func GeneralData(legalName, license string) forms.Data {
	d := forms.NewData()
	for k, v := range map[string]string{
		"legalName": legalName, "credentials": "PMHNP-BC", "licenseType": license,
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
