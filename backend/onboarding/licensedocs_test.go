package onboarding

import (
	"errors"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/store"
)

// credentialingReady is a service whose General form is submitted, so the
// Insurance form is open.
func credentialingReady(t *testing.T) (*Service, *store.Store) {
	t.Helper()
	svc, st := trainingService(t)
	if r, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || r.Version != 1 {
		t.Fatal(err, r.Problems)
	}
	return svc, st
}

func attachPDF(t *testing.T, svc *Service, path, name string) string {
	t.Helper()
	r, err := svc.Forms.AttachFile(ctx, forms.FormCredentialing, path, name, []byte(tinyPDF+"% "+name+"\n"))
	if err != nil || r.File == nil {
		t.Fatalf("attach %s to %s: %v %+v", name, path, err, r.Problem)
	}
	return r.File.Hash
}

// Each license takes its own document at its item path; the form view
// describes every one, and reordering the licenses keeps each file with its
// license.
func TestEachLicenseHasItsDocument(t *testing.T) {
	svc, _ := credentialingReady(t)
	ca := attachPDF(t, svc, "licenses.0.document", "ca.pdf")
	or := attachPDF(t, svc, "licenses.1.document", "or.pdf")
	for _, bad := range []string{"licenseDoc", "licenses.20.document", "licenses.0.number", "education.0.document", "licenses.x.document"} {
		if _, err := svc.Forms.AttachFile(ctx, forms.FormCredentialing, bad, "x.pdf", []byte(tinyPDF)); !errors.Is(err, formfill.ErrNotFileField) {
			t.Errorf("attach to %q: %v", bad, err)
		}
	}

	v, err := svc.Forms.Form(ctx, forms.FormCredentialing)
	if err != nil {
		t.Fatal(err)
	}
	d := v.Data.Clone()
	d.Groups["licenses"] = []map[string]string{
		{"state": "CA", "number": "NP123", "document": ca},
		{"state": "OR", "number": "C 4471", "document": or},
		{"state": "WA", "number": "LH 1", "document": strings.Repeat("e", 64)}, // never stored
	}
	if _, err := svc.Forms.SaveDraft(ctx, forms.FormCredentialing, d); err != nil {
		t.Fatal(err)
	}
	v, _ = svc.Forms.Form(ctx, forms.FormCredentialing)
	got := v.Data.Groups["licenses"]
	if got[0]["document"] != ca || got[1]["document"] != or || got[2]["document"] != "" ||
		v.Attachments[ca].Name != "ca.pdf" || v.Attachments[or].Name != "or.pdf" || len(v.Attachments) != 2 {
		t.Errorf("licenses %v, attachments %+v", got, v.Attachments)
	}
	problems, _ := svc.Forms.CheckForm(ctx, forms.FormCredentialing, v.Data)
	required := map[string]bool{}
	for _, p := range problems {
		required[p.Field] = p.Code == "required"
	}
	if !required["licenses.2.document"] || required["licenses.0.document"] || required["licenses.1.document"] {
		t.Errorf("the third license's missing document is not the one required: %v", problems)
	}

	// Moved up, the Oregon license keeps its file.
	d = v.Data.Clone()
	d.Groups["licenses"][0], d.Groups["licenses"][1] = d.Groups["licenses"][1], d.Groups["licenses"][0]
	svc.Forms.SaveDraft(ctx, forms.FormCredentialing, d)
	v, _ = svc.Forms.Form(ctx, forms.FormCredentialing)
	if l := v.Data.Groups["licenses"]; l[0]["state"] != "OR" || l[0]["document"] != or || l[1]["document"] != ca {
		t.Errorf("after moving: %v", l)
	}
}

// oldInsuranceData is an Insurance form as version 1 stored it: one
// license upload (licenseDoc) for every license.
func oldInsuranceData(licenseDoc string) forms.Data {
	d := forms.NewData()
	d.Fields["licenseDoc"] = licenseDoc
	d.Fields["npi"] = "1234567893"
	d.Groups["licenses"] = []map[string]string{{"state": "CA", "number": "NP123"}, {"state": "OR", "number": "C 4471"}}
	return d
}

// A draft saved by the previous version opens with its license upload on
// the first license.
func TestOldDraftMovesTheLicenseFile(t *testing.T) {
	svc, st := credentialingReady(t)
	h := attachPDF(t, svc, "licenses.0.document", "license.pdf")
	if _, err := st.SaveDraft(ctx, forms.FormCredentialing, oldInsuranceData(h).Encode(), fixedNow()); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Forms.Form(ctx, forms.FormCredentialing)
	if err != nil {
		t.Fatal(err)
	}
	l := v.Data.Groups["licenses"]
	if _, old := v.Data.Fields["licenseDoc"]; old || l[0]["document"] != h || l[1]["document"] != "" || v.Attachments[h].Name != "license.pdf" ||
		v.Schema.Version != forms.CredentialingForm().Version {
		t.Errorf("upgraded draft: fields %v, licenses %v, attachments %v, schema %d", v.Data.Fields, l, v.Attachments, v.Schema.Version)
	}
}

// A version submitted before stays as it was: shown with its own schema
// (the one license upload), packed into the packet with its file; a
// resubmission starts a current draft with the file on the first license.
func TestOldSubmissionStaysAsSubmitted(t *testing.T) {
	svc, st := credentialingReady(t)
	h := attachPDF(t, svc, "liabilityDoc", "license.pdf")
	old := oldInsuranceData(h)
	if _, err := st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 1, Data: old.Encode(), Hash: old.Hash(),
		SubmittedAt: fixedNow()}, store.MilestoneCredentialingSubmitted, nil); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Forms.Form(ctx, forms.FormCredentialing)
	if err != nil {
		t.Fatal(err)
	}
	fields := forms.FileFields(v.Schema)
	if v.Editing || v.Schema.Version != 1 || fields[0].Name != "licenseDoc" || v.Data.Fields["licenseDoc"] != h || v.Attachments[h].Name != "license.pdf" {
		t.Errorf("the submitted version 1: editing %v, schema %d, uploads %v, data %v", v.Editing, v.Schema.Version, fields, v.Data.Fields)
	}

	prev, err := svc.Packets.PreviewPacket(ctx)
	if err != nil || prev.Attachments != 1 || !strings.Contains(strings.Join(prev.Pages, ""), ">license.pdf (attachment 1,") {
		t.Errorf("packet of a version 1 form: %v, %d attachments", err, prev.Attachments)
	}

	v, err = svc.Forms.StartResubmission(ctx, forms.FormCredentialing)
	if err != nil {
		t.Fatal(err)
	}
	if _, old := v.Data.Fields["licenseDoc"]; old || v.Data.Groups["licenses"][0]["document"] != h || v.Schema.Version != forms.CredentialingForm().Version {
		t.Errorf("resubmission draft: %v %v schema %d", v.Data.Fields, v.Data.Groups["licenses"], v.Schema.Version)
	}
	subs, _ := st.Submissions(ctx, forms.FormCredentialing)
	if len(subs) != 1 || subs[0].Hash != old.Hash() || string(subs[0].Data) != string(old.Encode()) {
		t.Error("the submitted version changed")
	}
}
