package onboarding

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/journey"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/progress"
	"onramp/backend/secret/secrettest"
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
	svc := New(storetest.New(t), fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if _, err := svc.Progress.Dashboard(ctx); !errors.Is(err, progress.ErrNotSetUp) {
		t.Fatalf("dashboard before setup: %v", err)
	}
	bad := validValues(t)
	bad[forms.SetupEmail] = "zoe@"
	problems, err := svc.Progress.SetUp(ctx, bad)
	if err != nil || len(problems) != 1 || problems[0].Field != forms.SetupEmail {
		t.Fatalf("bad setup: %+v %v", problems, err)
	}
	if _, err := svc.Progress.Account(ctx); !errors.Is(err, progress.ErrNotSetUp) {
		t.Fatal("invalid setup was saved")
	}
	if problems, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || problems != nil {
		t.Fatalf("valid setup: %+v %v", problems, err)
	}
	d, err := svc.Progress.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Stages[0].Items[0].Status != journey.Done || d.Stages[1].Items[0].Status != journey.Available {
		t.Errorf("stages = %+v", d.Stages[:2])
	}
	// The network sends no guidance after set-up (its welcome email came
	// before): none is due, so none can be overdue.
	if d.NextStep != nil {
		t.Errorf("next step = %+v", d.NextStep)
	}
	a, _ := svc.Progress.Account(ctx)
	if a.LicenseLabel != "Psychiatric Nurse Practitioner" {
		t.Errorf("account = %+v", a)
	}
}

func TestChecklist(t *testing.T) {
	svc := New(storetest.New(t), fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	svc.Progress.SetUp(ctx, validValues(t))
	if err := svc.Progress.SetChecked(ctx, journey.ItemGeneralForm, true); !errors.Is(err, progress.ErrNotChecklist) {
		t.Fatalf("ticking a form: %v", err)
	}
	// A first client needs the practice the General Onboarding form gives
	// the network: until then the tick is refused with the reason.
	var locked *progress.LockedError
	if err := svc.Progress.SetChecked(ctx, journey.ItemFirstClient, true); !errors.Is(err, progress.ErrItemLocked) ||
		!errors.As(err, &locked) || !strings.Contains(locked.Reason, "General Onboarding form") {
		t.Fatalf("ticking a first client before the General form: %v", err)
	}
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	if err := svc.Progress.SetChecked(ctx, journey.ItemFirstClient, true); err != nil {
		t.Fatal(err)
	}
	svc.Progress.ArticleRead(ctx, journey.ItemClaims)
	svc.Progress.ArticleRead(ctx, "offline-and-your-data") // not an action item: ignored
	d, _ := svc.Progress.Dashboard(ctx)
	status := map[string]journey.Status{}
	for _, st := range d.Stages {
		for _, it := range st.Items {
			status[it.ID] = it.Status
		}
	}
	if status[journey.ItemFirstClient] != journey.Done || status[journey.ItemClaims] != journey.Done {
		t.Errorf("status = %v", status)
	}
	svc.Progress.SetChecked(ctx, journey.ItemFirstClient, false)
	d, _ = svc.Progress.Dashboard(ctx)
	if d.Stages[3].Items[1].Status != journey.Available {
		t.Errorf("unticked item = %+v", d.Stages[3].Items[1])
	}
}

func bundledVideo(t testing.TB) webinar.Video {
	t.Helper()
	v, err := webinar.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
