package onboarding

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/journey"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
	"onramp/backend/validate"
	"onramp/backend/webinar"
)

var ctx = context.Background()

func fixedNow() time.Time { return time.Date(2026, 11, 25, 15, 0, 0, 0, time.Local) }

func validValues(t testing.TB) forms.Values {
	code, err := validate.NewInvitationCode(strings.NewReader("some fixed bytes"))
	if err != nil {
		t.Fatal(err)
	}
	return forms.Values{
		forms.SetupLegalName: "Zoë Łukasiewicz", forms.SetupEmail: "zoe@example.org",
		forms.SetupLicenseType: "psych-np", forms.SetupContractStart: "2026-12-01", forms.SetupInvitationCode: code,
	}
}

func TestSetUpThenDashboard(t *testing.T) {
	svc := New(storetest.New(t), fixedNow, bundledVideo(t), testBox(t))
	if _, err := svc.Dashboard(ctx); !errors.Is(err, ErrNotSetUp) {
		t.Fatalf("dashboard before setup: %v", err)
	}
	bad := validValues(t)
	bad[forms.SetupEmail] = "zoe@"
	problems, err := svc.SetUp(ctx, bad)
	if err != nil || len(problems) != 1 || problems[0].Field != forms.SetupEmail {
		t.Fatalf("bad setup: %+v %v", problems, err)
	}
	if _, err := svc.Account(ctx); !errors.Is(err, ErrNotSetUp) {
		t.Fatal("invalid setup was saved")
	}
	if problems, err := svc.SetUp(ctx, validValues(t)); err != nil || problems != nil {
		t.Fatalf("valid setup: %+v %v", problems, err)
	}
	d, err := svc.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Stages[0].Items[0].Status != journey.Done || d.Stages[1].Items[0].Status != journey.Available {
		t.Errorf("stages = %+v", d.Stages[:2])
	}
	// Created Wednesday before Thanksgiving: guidance due Friday.
	if d.NextStep == nil || d.NextStep.DueBy != "2026-11-27" {
		t.Errorf("next step = %+v", d.NextStep)
	}
	a, _ := svc.Account(ctx)
	if a.LicenseLabel != "Psychiatric Nurse Practitioner" {
		t.Errorf("account = %+v", a)
	}
}

func TestChecklist(t *testing.T) {
	svc := New(storetest.New(t), fixedNow, bundledVideo(t), testBox(t))
	svc.SetUp(ctx, validValues(t))
	if err := svc.SetChecked(ctx, journey.ItemGeneralForm, true); !errors.Is(err, ErrNotChecklist) {
		t.Fatalf("ticking a form: %v", err)
	}
	if err := svc.SetChecked(ctx, journey.ItemFirstClient, true); err != nil {
		t.Fatal(err)
	}
	svc.ArticleRead(ctx, journey.ItemClaims)
	svc.ArticleRead(ctx, "offline-and-your-data") // not an action item: ignored
	d, _ := svc.Dashboard(ctx)
	status := map[string]journey.Status{}
	for _, st := range d.Stages {
		for _, it := range st.Items {
			status[it.ID] = it.Status
		}
	}
	if status[journey.ItemFirstClient] != journey.Done || status[journey.ItemClaims] != journey.Done {
		t.Errorf("status = %v", status)
	}
	svc.SetChecked(ctx, journey.ItemFirstClient, false)
	d, _ = svc.Dashboard(ctx)
	if d.Stages[3].Items[1].Status != journey.Available {
		t.Errorf("unticked item = %+v", d.Stages[3].Items[1])
	}
}

func TestOpenDataMovesDamagedFileAside(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, store.FileName), []byte("not a database at all"), 0o600)
	s, rec, err := OpenData(ctx, dir, fixedNow())
	if err != nil || s != nil || rec == nil || rec.Problem != "damaged" {
		t.Fatalf("OpenData = %v %+v %v", s, rec, err)
	}
	if b, _ := os.ReadFile(rec.MovedTo); string(b) != "not a database at all" {
		t.Errorf("moved file = %q", b)
	}
	fresh, err := OpenFresh(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Close()
	s, rec, err = OpenData(ctx, dir, fixedNow())
	if err != nil || rec != nil {
		t.Fatalf("reopen after fresh start: %+v %v", rec, err)
	}
	s.Close()
}

func bundledVideo(t testing.TB) webinar.Video {
	t.Helper()
	v, err := webinar.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func testBox(t testing.TB) *secret.Box {
	t.Helper()
	b, err := secret.NewBox([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
