package forms

import (
	"strings"
	"testing"
	"time"
)

var formToday = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func ctxFor(license LicenseType) Context {
	return Context{Today: formToday, Values: map[string]string{"$licenseType": string(license), "$legalName": "Zoë Łukasiewicz"}}
}

func validGeneral() Data {
	d := NewData()
	for k, v := range map[string]string{
		"legalName": "Zoë Łukasiewicz", "preferredName": "Zoë", "directoryName": "Zoë Łukasiewicz", "pronouns": "she", "credentials": "PMHNP-BC",
		"licenseType": "psych-np", "practiceName": "Łukasiewicz Counseling", "phone": "(415) 555-2671",
		"email": "zoe@example.org", "acceptingNewClients": "yes", "cashPayRate": "180",
		"statesLicensed": "CA,OR", "specialties": "anxiety,depression", "populations": "adults",
		"modalities": "cbt,medication", "languages": "en,pl",
		"bio": strings.Repeat("I help adults with anxiety and depression find steadier ground. ", 4),
	} {
		d.Fields[k] = v
	}
	d.Groups["locations"] = []map[string]string{
		{"kind": "office", "street": "100 Main St", "city": "San Francisco", "state": "CA", "zip": "94110"},
		{"kind": "telehealth", "state": "OR"},
	}
	return d
}

func validCredentialing(license LicenseType) Data {
	d := NewData()
	for k, v := range map[string]string{
		"caqhId": "12345678", "caqhUsername": "zluk", "caqhPassword": "••••••••", "ssn": "•••-••-6789",
		"npi": "1234567893", "dateOfBirth": "1985-04-12",
		"gapExplanation": "", "carrier": "CPH & Associates", "policyNumber": "PL-99812",
		"perClaim": "1,000,000", "aggregate": "3000000", "policyEffective": "2026-01-01", "policyExpires": "2027-01-01",
		"attestName": "Zoë Łukasiewicz", "attestTrue": "yes",
		"liabilityDoc": strings.Repeat("b", 64),
	} {
		d.Fields[k] = v
	}
	for _, q := range disclosures {
		d.Fields[q.name] = "no"
	}
	d.Groups["licenses"] = []map[string]string{{"state": "CA", "number": "NP123", "type": "PMHNP", "issued": "2018-06-01", "expires": "2027-06-01",
		"document": strings.Repeat("a", 64)}}
	d.Groups["education"] = []map[string]string{{"degree": "MSN", "institution": "UCSF", "start": "2014-09-01", "end": "2016-06-01"}}
	d.Groups["work"] = []map[string]string{
		{"employer": "Bay Clinic", "role": "PMHNP", "start": "2019-01-01", "current": "yes"},
		{"employer": "City Hospital", "role": "RN", "start": "2016-07-01", "end": "2019-01-01"},
	}
	if license.Prescriber() {
		d.Fields["deaNumber"] = "ML1234563"
		d.Fields["deaState"] = "CA"
		d.Fields["deaExpires"] = "2028-01-31"
		d.Fields["board"] = "ANCC"
		d.Fields["boardSpecialty"] = "Psychiatric-Mental Health"
		d.Fields["boardCertified"] = "2018-09-01"
		d.Fields["boardExpires"] = "2028-09-01"
		d.Fields["deaDoc"] = strings.Repeat("c", 64)
		d.Fields["boardDoc"] = strings.Repeat("d", 64)
	}
	if license == LicensePsychologist {
		for k, v := range map[string]string{"internshipProgram": "Doctoral internship in clinical psychology", "internshipInstitution": "VA Palo Alto",
			"internshipStart": "2012-07-01", "internshipEnd": "2013-06-30", "postdocProgram": "Postdoctoral fellowship", "postdocInstitution": "UCSF",
			"postdocStart": "2013-09-01", "postdocEnd": "2014-08-31"} {
			d.Fields[k] = v
		}
	}
	if license == LicensePsychiatrist {
		d.Fields["residencyProgram"] = "Psychiatry"
		d.Fields["residencyInstitution"] = "Stanford"
		d.Fields["residencyStart"] = "2010-07-01"
		d.Fields["residencyEnd"] = "2014-06-30"
	}
	return d
}

func fieldsOf(ps []Problem) map[string]Problem {
	out := map[string]Problem{}
	for _, p := range ps {
		out[p.Field] = p
	}
	return out
}

func TestValidFormsPass(t *testing.T) {
	if ps := Validate(GeneralForm(), validGeneral(), ctxFor(LicensePsychNP)); len(ps) != 0 {
		t.Errorf("general: %+v", ps)
	}
	for _, l := range []LicenseType{LicenseLCSW, LicensePsychologist, LicensePsychNP, LicensePsychiatrist} {
		if ps := Validate(CredentialingForm(), validCredentialing(l), ctxFor(l)); Blocking(ps) {
			t.Errorf("credentialing as %s: %+v", l, ps)
		}
	}
}

// DEA and board certification are asked of prescribers only; residency of
// psychiatrists only.
func TestConditionalRequirementsByLicense(t *testing.T) {
	tests := []struct {
		license  LicenseType
		required []string
		notAsked []string
	}{
		{LicenseLCSW, nil, []string{"deaNumber", "board", "residencyProgram", "deaDoc", "boardDoc", "internshipProgram", "postdocStart"}},
		{LicenseLPC, nil, []string{"deaNumber", "boardExpires", "residencyEnd"}},
		{LicensePsychologist, []string{"internshipProgram", "internshipInstitution", "internshipStart", "internshipEnd",
			"postdocProgram", "postdocInstitution", "postdocStart", "postdocEnd"}, []string{"deaNumber", "board", "residencyProgram"}},
		{LicensePsychNP, []string{"deaNumber", "deaState", "deaExpires", "board", "boardSpecialty", "boardCertified", "boardExpires", "deaDoc", "boardDoc"},
			[]string{"residencyProgram", "internshipProgram", "postdocEnd"}},
		{LicensePsychiatrist, []string{"deaNumber", "board", "residencyProgram", "residencyInstitution", "residencyStart", "residencyEnd"},
			[]string{"internshipProgram", "postdocProgram"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.license), func(t *testing.T) {
			d := validCredentialing(LicenseLCSW) // nothing prescriber-specific filled in
			got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(tt.license)))
			for _, f := range tt.required {
				if got[f].Code != "required" {
					t.Errorf("%s not required for %s: %+v", f, tt.license, got[f])
				}
			}
			for _, f := range tt.notAsked {
				if _, ok := got[f]; ok {
					t.Errorf("%s asked of %s", f, tt.license)
				}
			}
		})
	}
}

func TestCredentialingRules(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(d Data)
		field string
		code  string
	}{
		{"bad NPI", func(d Data) { d.Fields["npi"] = "1234567890" }, "npi", "invalid"},
		{"group NPI optional but checked", func(d Data) { d.Fields["groupNpi"] = "12345" }, "groupNpi", "invalid"},
		{"CAQH letters", func(d Data) { d.Fields["caqhId"] = "CAQH1234" }, "caqhId", "invalid"},
		{"DEA initial", func(d Data) { d.Fields["deaNumber"] = "MB1234563" }, "deaNumber", "invalid"},
		{"DEA check digit", func(d Data) { d.Fields["deaNumber"] = "ML1234564" }, "deaNumber", "invalid"},
		{"license expired", func(d Data) { d.Groups["licenses"][0]["expires"] = "2026-11-26" }, "licenses.0.expires", "expired"},
		{"license dates out of order", func(d Data) {
			d.Groups["licenses"][0]["issued"] = "2026-01-01"
			d.Groups["licenses"][0]["expires"] = "2027-01-01"
			d.Groups["licenses"][0]["issued"] = "2026-11-27"
		}, "", ""},
		{"no license", func(d Data) { d.Groups["licenses"] = nil }, "licenses", "too-few"},
		{"education out of order", func(d Data) { d.Groups["education"][0]["end"] = "2013-01-01" }, "education.0.end", "date-order"},
		{"per claim too low", func(d Data) { d.Fields["perClaim"] = "500000" }, "perClaim", "below-minimum"},
		{"aggregate too low", func(d Data) { d.Fields["aggregate"] = "$2,000,000" }, "aggregate", "below-minimum"},
		{"aggregate below per claim", func(d Data) { d.Fields["perClaim"] = "5000000"; d.Fields["aggregate"] = "3000000" }, "aggregate", "below-per-claim"},
		{"policy expired", func(d Data) { d.Fields["policyExpires"] = "2026-10-01" }, "policyExpires", "expired"},
		{"policy dates out of order", func(d Data) { d.Fields["policyEffective"] = "2027-02-01" }, "policyExpires", "date-order"},
		{"disclosure yes needs explanation", func(d Data) { d.Fields["malpractice"] = "yes" }, "malpracticeExplanation", "required"},
		{"attestation name differs", func(d Data) { d.Fields["attestName"] = "Zoe Lukasiewicz" }, "attestName", "name-mismatch"},
		{"attestation not ticked", func(d Data) { d.Fields["attestTrue"] = "" }, "attestTrue", "required"},
		{"too young", func(d Data) { d.Fields["dateOfBirth"] = "2015-01-01" }, "dateOfBirth", "implausible-date"},
		{"not a date", func(d Data) { d.Fields["dateOfBirth"] = "12/04/1985" }, "dateOfBirth", "invalid-date"},
		{"work end missing", func(d Data) { delete(d.Groups["work"][1], "end") }, "work.1.end", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validCredentialing(LicensePsychNP)
			tt.edit(d)
			got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicensePsychNP)))
			if tt.field == "" {
				return
			}
			if got[tt.field].Code != tt.code || got[tt.field].Message == "" {
				t.Errorf("%s: got %+v, want code %s (all: %v)", tt.field, got[tt.field], tt.code, got)
			}
		})
	}
}

// Psychologists give their internship and postdoctoral training, in order,
// as psychiatrists give their residency.
func TestPsychologistTrainingDatesInOrder(t *testing.T) {
	for _, prefix := range []string{"internship", "postdoc"} {
		d := validCredentialing(LicensePsychologist)
		d.Fields[prefix+"End"] = "2011-01-01"
		if got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicensePsychologist)))[prefix+"End"]; got.Code != "date-order" {
			t.Errorf("%s ending before it started: %+v", prefix, got)
		}
	}
}

func TestAttestationIgnoresCaseAndSpacing(t *testing.T) {
	d := validCredentialing(LicenseLCSW)
	d.Fields["attestName"] = "  zoë   łukasiewicz "
	if got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicenseLCSW))); got["attestName"].Code != "" {
		t.Errorf("attestation: %+v", got["attestName"])
	}
}

func TestCAQHWarningDoesNotBlock(t *testing.T) {
	d := validCredentialing(LicenseLCSW)
	d.Fields["caqhId"] = "1234567"
	ps := Validate(CredentialingForm(), d, ctxFor(LicenseLCSW))
	if got := fieldsOf(ps)["caqhId"]; !got.Warning || got.Code != "unusual-length" || Blocking(ps) {
		t.Errorf("7-digit CAQH ID: %+v", ps)
	}
}

func TestWorkGaps(t *testing.T) {
	today := formToday
	tests := []struct {
		name  string
		items []map[string]string
		gaps  int
	}{
		{"continuous", []map[string]string{{"start": "2015-01-01", "current": "yes"}}, 0},
		{"short gap", []map[string]string{{"start": "2015-01-01", "end": "2023-01-01"}, {"start": "2023-05-01", "current": "yes"}}, 0},
		{"long gap", []map[string]string{{"start": "2015-01-01", "end": "2022-01-01"}, {"start": "2023-03-01", "current": "yes"}}, 1},
		{"gap older than 5 years ignored", []map[string]string{{"start": "2010-01-01", "end": "2012-01-01"}, {"start": "2020-01-01", "current": "yes"}}, 0},
		{"gap straddling the window start", []map[string]string{{"start": "2010-01-01", "end": "2021-01-01"}, {"start": "2022-06-15", "current": "yes"}}, 1},
		{"overlapping jobs", []map[string]string{{"start": "2019-01-01", "end": "2024-01-01"}, {"start": "2020-01-01", "current": "yes"}, {"start": "2015-01-01", "end": "2019-02-01"}}, 0},
		{"ended a year ago", []map[string]string{{"start": "2015-01-01", "end": "2025-09-01"}}, 1},
		{"nothing", nil, 1},
	}
	for _, tt := range tests {
		if got := WorkGaps(tt.items, today); len(got) != tt.gaps {
			t.Errorf("%s: %d gaps (%v), want %d", tt.name, len(got), got, tt.gaps)
		}
	}
	d := validCredentialing(LicenseLCSW)
	d.Groups["work"] = []map[string]string{{"employer": "A", "role": "B", "start": "2015-01-01", "end": "2022-01-01"}, {"employer": "C", "role": "D", "start": "2023-03-01", "current": "yes"}}
	got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicenseLCSW)))
	if got["gapExplanation"].Code != "gap-unexplained" || !strings.Contains(got["gapExplanation"].Message, "January 2022 to March 2023") {
		t.Errorf("gap: %+v", got["gapExplanation"])
	}
	d.Fields["gapExplanation"] = "Family leave."
	if got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicenseLCSW))); got["gapExplanation"].Code != "" {
		t.Errorf("explained gap: %+v", got["gapExplanation"])
	}
}

func TestGeneralRules(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(d Data)
		field string
		code  string
	}{
		{"bio too short", func(d Data) { d.Fields["bio"] = "Hi." }, "bio", "too-short"},
		{"bio too long", func(d Data) { d.Fields["bio"] = strings.Repeat("a", BioMax+1) }, "bio", "too-long"},
		{"phone", func(d Data) { d.Fields["phone"] = "555-2671" }, "phone", "invalid"},
		{"email", func(d Data) { d.Fields["email"] = "zoe@" }, "email", "invalid"},
		{"rate", func(d Data) { d.Fields["cashPayRate"] = "5" }, "cashPayRate", "out-of-range"},
		{"rate not money", func(d Data) { d.Fields["cashPayRate"] = "lots" }, "cashPayRate", "invalid-amount"},
		{"office without ZIP", func(d Data) { delete(d.Groups["locations"][0], "zip") }, "locations.0.zip", "required"},
		{"bad ZIP", func(d Data) { d.Groups["locations"][0]["zip"] = "9411" }, "locations.0.zip", "invalid"},
		{"no locations", func(d Data) { d.Groups["locations"] = nil }, "locations", "too-few"},
		{"unknown state", func(d Data) { d.Fields["statesLicensed"] = "CA,XX" }, "statesLicensed", "invalid-choice"},
		{"no specialties", func(d Data) { d.Fields["specialties"] = "" }, "specialties", "required"},
		{"name with digits", func(d Data) { d.Fields["legalName"] = "Zoë 2" }, "legalName", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validGeneral()
			tt.edit(d)
			got := fieldsOf(Validate(GeneralForm(), d, ctxFor(LicenseLCSW)))
			if got[tt.field].Code != tt.code || got[tt.field].Message == "" {
				t.Errorf("%s: got %+v, want %s", tt.field, got[tt.field], tt.code)
			}
		})
	}
	// A telehealth-only location needs no street address.
	d := validGeneral()
	if got := fieldsOf(Validate(GeneralForm(), d, ctxFor(LicenseLCSW))); len(got) != 0 {
		t.Errorf("telehealth location: %v", got)
	}
}

func TestDataRoundTripAndHash(t *testing.T) {
	d := validCredentialing(LicensePsychNP)
	back, err := DecodeData(d.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash() != d.Hash() {
		t.Error("hash changed across a round trip")
	}
	c := d.Clone()
	c.Groups["licenses"][0]["number"] = "changed"
	if d.Groups["licenses"][0]["number"] == "changed" {
		t.Error("Clone shares items")
	}
	for _, bad := range []string{`{"fields":{"a":1}}`, `{"extra":{}}`, `[]`, `{"fields":{}} {}`, `{"groups":{"g":[{"a":"` + strings.Repeat("x", 10001) + `"}]}}`} {
		if _, err := DecodeData([]byte(bad)); err == nil {
			t.Errorf("accepted %.60s", bad)
		}
	}
}

func FuzzDecodeData(f *testing.F) {
	f.Add(validCredentialing(LicensePsychNP).Encode())
	f.Add([]byte(`{"fields":{},"groups":{"g":[null]}}`))
	// Built once: the schema is a large literal, and Validate only reads it.
	schema, ctx := CredentialingForm(), ctxFor(LicensePsychiatrist)
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := DecodeData(raw)
		if err != nil {
			return
		}
		// Whatever decodes can be validated and re-encoded without panicking.
		Validate(schema, d, ctx)
		if _, err := DecodeData(d.Encode()); err != nil {
			t.Fatalf("re-encoding breaks decoding: %v", err)
		}
	})
}

func BenchmarkValidateCredentialing(b *testing.B) {
	s, d, ctx := CredentialingForm(), validCredentialing(LicensePsychiatrist), ctxFor(LicensePsychiatrist)
	for i := 0; i < b.N; i++ {
		Validate(s, d, ctx)
	}
}
