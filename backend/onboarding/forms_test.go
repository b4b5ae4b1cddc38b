package onboarding

import (
	"errors"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/journey"
	"onramp/backend/onboarding/formfill"
)

func generalData() forms.Data {
	d := forms.NewData()
	for k, v := range map[string]string{
		"legalName": "Zoë Łukasiewicz", "directoryName": "Zoë Łukasiewicz", "credentials": "PMHNP-BC", "licenseType": "psych-np",
		"practiceName": "Łukasiewicz Counseling", "phone": "415-555-2671", "email": "zoe@example.org",
		"acceptingNewClients": "yes", "cashPayRate": "180", "statesLicensed": "CA", "specialties": "anxiety",
		"populations": "adults", "modalities": "cbt", "languages": "en,pl",
		"bio": strings.Repeat("I help adults with anxiety and depression find steadier ground. ", 4),
	} {
		d.Fields[k] = v
	}
	d.Groups["locations"] = []map[string]string{{"kind": "telehealth", "state": "CA"}}
	return d
}

func TestGeneralFormDraftSubmitResubmit(t *testing.T) {
	svc, st := trainingService(t)
	if _, err := svc.Forms.Form(ctx, forms.FormCredentialing); !errors.Is(err, formfill.ErrFormLocked) {
		t.Fatalf("insurance form before the general one: %v", err)
	}
	v, err := svc.Forms.Form(ctx, forms.FormGeneral)
	if err != nil || !v.Editing || v.Data.Fields["legalName"] != "Zoë Łukasiewicz" || v.Data.Fields["email"] != "zoe@example.org" {
		t.Fatalf("prefilled form: %+v %v", v.Data, err)
	}

	// A half-filled, partly invalid draft is saved as it is.
	half := forms.NewData()
	half.Fields["phone"] = "555"
	if saved, err := svc.Forms.SaveDraft(ctx, forms.FormGeneral, half); err != nil || saved.Revision != 1 {
		t.Fatalf("save: %+v %v", saved, err)
	}
	v, _ = svc.Forms.Form(ctx, forms.FormGeneral)
	if v.Data.Fields["phone"] != "555" || v.DraftRevision != 1 {
		t.Errorf("draft not reopened: %+v", v.Data)
	}
	res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, half)
	if err != nil || res.Version != 0 || len(res.Problems) == 0 {
		t.Fatalf("invalid submit: %+v %v", res, err)
	}

	res, err = svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData())
	if err != nil || res.Version != 1 || len(res.Hash) != 64 {
		t.Fatalf("valid submit: %+v %v", res, err)
	}
	v, _ = svc.Forms.Form(ctx, forms.FormGeneral)
	if v.Editing || len(v.Versions) != 1 || v.Data.Fields["practiceName"] != "Łukasiewicz Counseling" {
		t.Errorf("after submitting: editing=%v versions=%v", v.Editing, v.Versions)
	}
	d, _ := svc.Progress.Dashboard(ctx)
	if d.Steps[0].Status != journey.Done || d.Steps[1].Status != journey.Available {
		t.Errorf("steps after submitting: %+v", d.Steps[:2])
	}

	// A resubmission starts from the submitted data and never changes it.
	v, _ = svc.Forms.StartResubmission(ctx, forms.FormGeneral)
	if !v.Editing || v.Data.Fields["practiceName"] != "Łukasiewicz Counseling" {
		t.Fatalf("resubmission draft: %+v", v)
	}
	changed := v.Data.Clone()
	changed.Fields["cashPayRate"] = "200"
	svc.Forms.SaveDraft(ctx, forms.FormGeneral, changed)
	res, _ = svc.Forms.SubmitForm(ctx, forms.FormGeneral, changed)
	if res.Version != 2 {
		t.Fatalf("resubmission version %d", res.Version)
	}
	subs, _ := st.Submissions(ctx, forms.FormGeneral)
	first, _ := forms.DecodeData(subs[0].Data)
	if first.Fields["cashPayRate"] != "180" || subs[0].Hash != generalData().Hash() {
		t.Errorf("version 1 changed: %v", first.Fields["cashPayRate"])
	}

	// The insurance form is open now, and asks a psychiatric NP for DEA.
	cv, err := svc.Forms.Form(ctx, forms.FormCredentialing)
	if err != nil || cv.Context["$licenseType"] != "psych-np" {
		t.Fatalf("insurance form: %v %v", cv.Context, err)
	}
	problems, _ := svc.Forms.CheckForm(ctx, forms.FormCredentialing, cv.Data)
	found := false
	for _, p := range problems {
		found = found || p.Field == "deaNumber"
	}
	if !found {
		t.Error("DEA not required of a psychiatric NP")
	}
}

func TestDiscardResubmissionDraft(t *testing.T) {
	svc, _ := trainingService(t)
	svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData())
	svc.Forms.StartResubmission(ctx, forms.FormGeneral)
	v, _ := svc.Forms.DiscardDraft(ctx, forms.FormGeneral)
	if v.Editing {
		t.Error("still editing after discarding the resubmission")
	}
	if _, err := svc.Forms.Form(ctx, "nope"); !errors.Is(err, formfill.ErrUnknownForm) {
		t.Errorf("unknown form: %v", err)
	}
}

func TestPlaceRemembered(t *testing.T) {
	svc, _ := trainingService(t)
	if p, _ := svc.Progress.Place(ctx); p != "dashboard" {
		t.Errorf("default place %q", p)
	}
	svc.Progress.SetPlace(ctx, "form:general#locations.0.zip")
	svc.Progress.SetPlace(ctx, "form:../../etc") // ignored
	if p, _ := svc.Progress.Place(ctx); p != "form:general#locations.0.zip" {
		t.Errorf("place %q", p)
	}
}
