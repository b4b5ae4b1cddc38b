package formfill_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
	"onramp/backend/validate"
	"onramp/backend/webinar"
)

var ctx = context.Background()

func fixedNow() time.Time { return time.Date(2026, 11, 25, 15, 0, 0, 0, time.Local) }

const (
	legalName = "Zoë Łukasiewicz"
	tinyPDF   = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)

// newService sets up an account with that license type, its contract
// starting on 2026-12-01, over a real store.
func newService(t *testing.T, license string) (*onboarding.Service, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	video, err := webinar.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	svc := onboarding.New(st, fixedNow, video, secrettest.Box(t), outmail.Config{})
	code, err := validate.NewInvitationCode(strings.NewReader("some fixed bytes"))
	if err != nil {
		t.Fatal(err)
	}
	problems, err := svc.Progress.SetUp(ctx, forms.Values{forms.SetupLegalName: legalName, forms.SetupEmail: "zoe@example.org",
		forms.SetupLicenseType: license, forms.SetupContractStart: "2026-12-01", forms.SetupInvitationCode: code})
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	return svc, st
}

func general(license, credentials string) forms.Data {
	d := forms.NewData()
	for k, v := range map[string]string{
		"legalName": legalName, "directoryName": legalName, "credentials": credentials, "licenseType": license,
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

// insurance is a complete Insurance form with a DEA registration and board
// certification filled in, whatever the license type; documents attached.
func insurance(t *testing.T, svc *onboarding.Service) forms.Data {
	t.Helper()
	for field, value := range map[string]string{"ssn": "219-09-8765", "caqhPassword": "Tr0ub4dor&3-caqh"} {
		if r, err := svc.Forms.SetSecret(ctx, forms.FormCredentialing, field, value); err != nil || r.Problem != nil {
			t.Fatal(field, err, r.Problem)
		}
	}
	d := forms.NewData()
	for k, v := range map[string]string{
		"caqhId": "12345678", "caqhUsername": "zluk", "npi": "1234567893", "dateOfBirth": "1985-04-12",
		"carrier": "CPH & Associates", "policyNumber": "PL-99812", "perClaim": "$1,000,000", "aggregate": "3,000,000",
		"policyEffective": "2026-01-01", "policyExpires": "2027-09-01", "attestName": legalName, "attestTrue": "yes",
		"deaNumber": "ML1234563", "deaState": "CA", "deaExpires": "2028-01-31", "board": "ANCC",
		"boardSpecialty": "Psychiatric-Mental Health", "boardCertified": "2018-09-01", "boardExpires": "2028-09-01",
		"licenseAction": "no", "malpractice": "no", "felony": "no", "privileges": "no", "sanctions": "no", "impairment": "no",
	} {
		d.Fields[k] = v
	}
	attach := func(field string, i int) string {
		r, err := svc.Forms.AttachFile(ctx, forms.FormCredentialing, field, "doc.pdf", []byte(tinyPDF+strings.Repeat("%", i+1)+"\n"))
		if err != nil || r.File == nil {
			t.Fatal(field, err, r.Problem)
		}
		return r.File.Hash
	}
	for i, field := range []string{"liabilityDoc", "deaDoc", "boardDoc"} {
		d.Fields[field] = attach(field, i)
	}
	d.Groups["licenses"] = []map[string]string{{"state": "CA", "number": "NP123", "type": "PMHNP", "issued": "2018-06-01", "expires": "2027-06-01",
		forms.LicenseDocument: attach("licenses.0."+forms.LicenseDocument, 3)}}
	d.Groups["education"] = []map[string]string{{"degree": "MSN", "institution": "UCSF", "start": "2014-09-01", "end": "2016-06-01"}}
	d.Groups["work"] = []map[string]string{{"employer": "Bay Clinic", "role": "PMHNP", "start": "2019-01-01", "current": "yes"},
		{"employer": "City Hospital", "role": "RN", "start": "2016-07-01", "end": "2019-01-01"}}
	return d
}

func submit(t *testing.T, svc *onboarding.Service, id string, d forms.Data) formfill.SubmitResult {
	t.Helper()
	res, err := svc.Forms.SubmitForm(ctx, id, d)
	if err != nil || res.Version == 0 {
		t.Fatalf("submit %s: %v %+v", id, err, res.Problems)
	}
	return res
}

func latest(t *testing.T, st *store.Store, id string) (store.Submission, forms.Data) {
	t.Helper()
	subs, err := st.Submissions(ctx, id)
	if err != nil || len(subs) == 0 {
		t.Fatalf("%s submissions: %d %v", id, len(subs), err)
	}
	d, err := forms.DecodeData(subs[len(subs)-1].Data)
	if err != nil {
		t.Fatal(err)
	}
	return subs[len(subs)-1], d
}

// A DEA entered, then the license type changed to LCSW, then the Insurance
// form submitted: no DEA in the stored version, its upload, its receipt's
// hash, the dashboard's expirations or the packet. The draft keeps it.
func TestHiddenFieldsNeverFeedAnything(t *testing.T) {
	svc, st := newService(t, "psych-np")
	submit(t, svc, forms.FormGeneral, general("psych-np", "PMHNP-BC"))
	typed := insurance(t, svc)
	if _, err := svc.Forms.SaveDraft(ctx, forms.FormCredentialing, typed); err != nil {
		t.Fatal(err)
	}

	if _, err := svc.Forms.StartResubmission(ctx, forms.FormGeneral); err != nil {
		t.Fatal(err)
	}
	submit(t, svc, forms.FormGeneral, general("lcsw", "LCSW"))
	v, err := svc.Forms.Form(ctx, forms.FormCredentialing)
	if err != nil || v.Context["$licenseType"] != "lcsw" || v.Data.Fields["deaNumber"] != "ML1234563" {
		t.Fatalf("the draft lost what was typed: %v %q %v", v.Context, v.Data.Fields["deaNumber"], err)
	}
	res := submit(t, svc, forms.FormCredentialing, v.Data)

	hidden := []string{"deaNumber", "deaState", "deaExpires", "deaDoc", "board", "boardSpecialty", "boardExpires", "boardDoc"}
	sub, stored := latest(t, st, forms.FormCredentialing)
	for _, f := range hidden {
		if _, ok := stored.Fields[f]; ok {
			t.Errorf("stored version holds hidden %s", f)
		}
	}
	if stored.Hash() != sub.Hash || res.Hash != sub.Hash || stored.Fields["npi"] != "1234567893" {
		t.Errorf("stored hash %s, data hash %s, result %s", sub.Hash, stored.Hash(), res.Hash)
	}
	items, err := st.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var uploaded, receipted bool
	for _, it := range items {
		switch {
		case it.Kind == formfill.KindSubmission && strings.Contains(it.IdempotencyKey, forms.FormCredentialing):
			var up intake.SubmissionUpload
			if err := json.Unmarshal(it.Payload, &up); err != nil {
				t.Fatal(err)
			}
			uploaded = up.Hash == sub.Hash && !strings.Contains(string(up.Data), "ML1234563")
		case it.Kind == outmail.KindReceipt && strings.Contains(it.IdempotencyKey, forms.FormCredentialing):
			receipted = strings.Contains(it.IdempotencyKey, sub.Hash[:16])
		}
	}
	if !uploaded || !receipted {
		t.Errorf("upload without the DEA: %v; receipt naming the stored hash: %v", uploaded, receipted)
	}

	dash, err := svc.Progress.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range dash.Expirations {
		if x.Kind == "dea" || x.Kind == "board" {
			t.Errorf("dashboard lists %s", x.Label)
		}
	}
	// The license, the liability policy and the CAQH re-attestation.
	if len(dash.Expirations) != 3 {
		t.Errorf("expirations: %+v", dash.Expirations)
	}

	prev, err := svc.Packets.PreviewPacket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Join(prev.Pages, "")
	if strings.Contains(pages, "ML1234563") || strings.Contains(pages, "ANCC") || prev.Attachments != 2 {
		t.Errorf("the packet holds the hidden DEA or board certification (%d attachments)", prev.Attachments)
	}
}

// Editing a submitted form asks for the attestation again, and a version
// that repeats the last one is refused with a plain message for the form.
func TestResubmissionReattestsAndRefusesUnchanged(t *testing.T) {
	svc, _ := newService(t, "psych-np")
	submit(t, svc, forms.FormGeneral, general("psych-np", "PMHNP-BC"))
	submit(t, svc, forms.FormCredentialing, insurance(t, svc))

	v, err := svc.Forms.StartResubmission(ctx, forms.FormCredentialing)
	if err != nil || !v.Editing {
		t.Fatal(err)
	}
	if v.Data.Fields["attestName"] != "" || v.Data.Fields["attestTrue"] != "" || v.Data.Fields["npi"] != "1234567893" {
		t.Fatalf("the resubmission draft carries the attestation over: %q %q", v.Data.Fields["attestName"], v.Data.Fields["attestTrue"])
	}
	codes := func(ps []forms.Problem) map[string]string {
		out := map[string]string{}
		for _, p := range ps {
			out[p.Field] = p.Code
		}
		return out
	}
	res, err := svc.Forms.SubmitForm(ctx, forms.FormCredentialing, v.Data)
	if got := codes(res.Problems); err != nil || res.Version != 0 || got["attestName"] != "required" || got["attestTrue"] != "required" {
		t.Errorf("submitted without attesting again: version %d, %v %v", res.Version, got, err)
	}

	again := v.Data.Clone()
	again.Fields["attestName"], again.Fields["attestTrue"] = legalName, "yes"
	res, err = svc.Forms.SubmitForm(ctx, forms.FormCredentialing, again)
	if err != nil || res.Version != 0 || len(res.Problems) != 1 || res.Problems[0].Code != forms.ProblemUnchanged ||
		res.Problems[0].Field != forms.FormWide || !strings.Contains(res.Problems[0].Message, "since version 1") {
		t.Fatalf("an unchanged version: %+v %v", res, err)
	}

	again.Fields["policyNumber"] = "PL-100000"
	if res := submit(t, svc, forms.FormCredentialing, again); res.Version != 2 {
		t.Errorf("changed version: %d", res.Version)
	}

	// The General form has no attestation; unchanged is refused all the same.
	gv, _ := svc.Forms.StartResubmission(ctx, forms.FormGeneral)
	if res, _ := svc.Forms.SubmitForm(ctx, forms.FormGeneral, gv.Data); res.Version != 0 || codes(res.Problems)[forms.FormWide] != forms.ProblemUnchanged {
		t.Errorf("unchanged General form: %+v", res)
	}
}

// Money is stored as digits however it was typed, drafts saved before
// that open normalised, and the packet prints it as $1,000,000.
func TestMoneyStoredAsDigits(t *testing.T) {
	svc, st := newService(t, "psych-np")
	g := general("psych-np", "PMHNP-BC")
	g.Fields["cashPayRate"] = "$1,200"
	if _, err := svc.Forms.SaveDraft(ctx, forms.FormGeneral, g); err != nil {
		t.Fatal(err)
	}
	if dr, _ := st.Draft(ctx, forms.FormGeneral); !strings.Contains(string(dr.Data), `"cashPayRate":"1200"`) {
		t.Errorf("draft stored as %s", dr.Data)
	}
	// A draft saved by an earlier version, as typed.
	old := g.Clone()
	old.Fields["cashPayRate"] = "$150.00"
	if _, err := st.SaveDraft(ctx, forms.FormGeneral, old.Encode(), fixedNow()); err != nil {
		t.Fatal(err)
	}
	if v, err := svc.Forms.Form(ctx, forms.FormGeneral); err != nil || v.Data.Fields["cashPayRate"] != "150" {
		t.Errorf("old draft opens with %q: %v", v.Data.Fields["cashPayRate"], err)
	}
	submit(t, svc, forms.FormGeneral, old)
	submit(t, svc, forms.FormCredentialing, insurance(t, svc))
	_, stored := latest(t, st, forms.FormCredentialing)
	if stored.Fields["perClaim"] != "1000000" || stored.Fields["aggregate"] != "3000000" {
		t.Errorf("stored amounts %q %q", stored.Fields["perClaim"], stored.Fields["aggregate"])
	}
	prev, err := svc.Packets.PreviewPacket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pages := strings.Join(prev.Pages, ""); !strings.Contains(pages, "$1,000,000") || !strings.Contains(pages, "$3,000,000") || !strings.Contains(pages, "$150") {
		t.Error("the packet does not print amounts as $1,000,000")
	}
}

// A credential expiring before the account's contracted start date is
// warned of as it is typed.
func TestExpiryWarningKnowsTheContractStart(t *testing.T) {
	svc, _ := newService(t, "psych-np")
	submit(t, svc, forms.FormGeneral, general("psych-np", "PMHNP-BC"))
	d := insurance(t, svc)
	d.Fields["deaExpires"] = "2026-11-30" // after today, before 2026-12-01
	problems, err := svc.Forms.CheckForm(ctx, forms.FormCredentialing, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if p.Field == "deaExpires" {
			if !p.Warning || p.Code != "expires-soon" || !strings.Contains(p.Message, "before your contracted start date (December 1, 2026)") {
				t.Errorf("DEA expiring before the start: %+v", p)
			}
			return
		}
	}
	t.Errorf("no warning for a DEA expiring before the start date: %+v", problems)
}

// Psychologists give their internship and postdoctoral training, and the
// packet shows them.
func TestPsychologistTrainingInThePacket(t *testing.T) {
	svc, _ := newService(t, "psychologist")
	submit(t, svc, forms.FormGeneral, general("psychologist", "PsyD"))
	d := insurance(t, svc)
	res, err := svc.Forms.SubmitForm(ctx, forms.FormCredentialing, d)
	if err != nil || res.Version != 0 {
		t.Fatalf("a psychologist submitted without training: %+v %v", res, err)
	}
	for k, v := range map[string]string{"internshipProgram": "Clinical psychology internship", "internshipInstitution": "VA Palo Alto",
		"internshipStart": "2012-07-01", "internshipEnd": "2013-06-30", "postdocProgram": "Postdoctoral fellowship in trauma",
		"postdocInstitution": "UCSF", "postdocStart": "2013-09-01", "postdocEnd": "2014-08-31"} {
		d.Fields[k] = v
	}
	submit(t, svc, forms.FormCredentialing, d)
	prev, err := svc.Packets.PreviewPacket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Join(prev.Pages, "")
	for _, want := range []string{"Doctoral internship", "VA Palo Alto", "Postdoctoral training", "Postdoctoral fellowship in trauma"} {
		if !strings.Contains(pages, want) {
			t.Errorf("the packet lacks %q", want)
		}
	}
}

// Amounts an earlier version stored as typed print as $1,000,000 too.
func TestPacketPrintsAmountsStoredAsTyped(t *testing.T) {
	svc, st := newService(t, "psych-np")
	submit(t, svc, forms.FormGeneral, general("psych-np", "PMHNP-BC"))
	d := insurance(t, svc)
	d.Fields["perClaim"], d.Fields["aggregate"] = "1,000,000.00", "$3,000,000.00"
	if _, err := st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 1, Data: d.Encode(), Hash: d.Hash(),
		SubmittedAt: fixedNow()}, store.MilestoneCredentialingSubmitted, nil); err != nil {
		t.Fatal(err)
	}
	prev, err := svc.Packets.PreviewPacket(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Join(prev.Pages, "")
	if !strings.Contains(pages, "$1,000,000") || !strings.Contains(pages, "$3,000,000") || strings.Contains(pages, "000.00") {
		t.Error("amounts stored as typed do not print as $1,000,000")
	}
}
