package forms

import (
	"strings"
	"testing"
)

// Hidden fields never feed anything: Shown keeps only what the form shows
// for the context, and leaves the draft it was given alone.
func TestShownPrunesHiddenFields(t *testing.T) {
	tests := []struct {
		name    string
		license LicenseType
		edit    func(d Data)
		gone    []string // top-level fields or "group.i.field" paths pruned
		kept    []string
	}{
		{"DEA and board of a provider now an LCSW", LicenseLCSW, nil,
			[]string{"deaNumber", "deaState", "deaExpires", "board", "boardExpires", "deaDoc", "boardDoc"}, []string{"npi", "liabilityDoc"}},
		{"DEA and board of a psychiatric NP", LicensePsychNP, nil, nil, []string{"deaNumber", "deaExpires", "board", "deaDoc"}},
		{"residency of a provider now an NP", LicensePsychNP, func(d Data) { d.Fields["residencyProgram"] = "Psychiatry" }, []string{"residencyProgram"}, nil},
		{"explanation of a disclosure answered no", LicenseLCSW, func(d Data) { d.Fields["malpracticeExplanation"] = "A claim in 2019." },
			[]string{"malpracticeExplanation"}, []string{"malpractice"}},
		{"explanation of a disclosure answered yes", LicenseLCSW, func(d Data) {
			d.Fields["malpractice"] = "yes"
			d.Fields["malpracticeExplanation"] = "A claim in 2019."
		}, nil, []string{"malpracticeExplanation"}},
		{"end date of a current position, in a group", LicenseLCSW, func(d Data) { d.Groups["work"][0]["end"] = "2024-01-01" },
			[]string{"work.0.end"}, []string{"work.0.start", "work.1.end"}},
		{"keys the schema doesn't know, and empty values", LicenseLCSW, func(d Data) {
			d.Fields["notAField"] = "x"
			d.Groups["licenses"][0]["color"] = "blue"
		}, []string{"notAField", "licenses.0.color", "gapExplanation"}, []string{"licenses.0.number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validCredentialing(LicensePsychNP)
			if tt.edit != nil {
				tt.edit(d)
			}
			before := d.Hash()
			got := Shown(CredentialingForm(), d, ctxFor(tt.license))
			if d.Hash() != before {
				t.Error("Shown changed the draft it was given")
			}
			for _, p := range tt.gone {
				if _, ok := lookup(got, p); ok {
					t.Errorf("%s kept", p)
				}
			}
			for _, p := range tt.kept {
				if _, ok := lookup(got, p); !ok {
					t.Errorf("%s pruned", p)
				}
			}
			if ps := Validate(CredentialingForm(), got, ctxFor(tt.license)); Blocking(ps) != Blocking(Validate(CredentialingForm(), d, ctxFor(tt.license))) {
				t.Errorf("pruning changed what validation says: %+v", ps)
			}
		})
	}
}

func lookup(d Data, path string) (string, bool) {
	parts := strings.Split(path, ".")
	if len(parts) == 3 {
		for i, it := range d.Groups[parts[0]] {
			if itemPath(parts[0], i, parts[2]) == path {
				v, ok := it[parts[2]]
				return v, ok
			}
		}
		return "", false
	}
	v, ok := d.Fields[path]
	return v, ok
}

// A DEA entered, then the license type changed to LCSW: its expiry is not
// listed.
func TestShownExpirationsLeaveOutHiddenCredentials(t *testing.T) {
	d := validCredentialing(LicensePsychNP)
	kinds := func(xs []Expiration) string {
		var k []string
		for _, x := range xs {
			k = append(k, x.Kind)
		}
		return strings.Join(k, ",")
	}
	if got := kinds(ShownExpirations(d, ctxFor(LicensePsychNP))); got != "liability,license,dea,board" {
		t.Errorf("psychiatric NP: %s", got)
	}
	if got := kinds(ShownExpirations(d, ctxFor(LicenseLCSW))); got != "liability,license" {
		t.Errorf("LCSW with a DEA typed earlier: %s", got)
	}
}

func TestResubmissionReattestsAndUnchangedIsRefused(t *testing.T) {
	s := CredentialingForm()
	last := Shown(s, validCredentialing(LicenseLCSW), ctxFor(LicenseLCSW))
	draft := WithoutAttestation(s, last)
	if draft.Fields["attestName"] != "" || draft.Fields["attestTrue"] != "" || last.Fields["attestName"] == "" {
		t.Fatalf("resubmission draft attests already: %q %q", draft.Fields["attestName"], draft.Fields["attestTrue"])
	}
	got := fieldsOf(Validate(s, draft, ctxFor(LicenseLCSW)))
	for _, f := range []string{"attestName", "attestTrue"} {
		if got[f].Code != "required" {
			t.Errorf("%s not required again: %+v", f, got[f])
		}
	}
	tests := []struct {
		name      string
		edit      func(d Data)
		unchanged bool
	}{
		{"attested again, nothing else", func(d Data) { d.Fields["attestName"], d.Fields["attestTrue"] = "zoë łukasiewicz", "yes" }, true},
		{"a field typed then cleared", func(d Data) { d.Fields["groupNpi"] = "" }, true},
		{"a new policy number", func(d Data) { d.Fields["policyNumber"] = "PL-2" }, false},
		{"a license added", func(d Data) { d.Groups["licenses"] = append(d.Groups["licenses"], map[string]string{"state": "OR"}) }, false},
	}
	for _, tt := range tests {
		d := draft.Clone()
		tt.edit(d)
		if got := Unchanged(s, Shown(s, d, ctxFor(LicenseLCSW)), last); got != tt.unchanged {
			t.Errorf("%s: unchanged=%v", tt.name, got)
		}
	}
	if p := UnchangedProblem(3); p.Field != FormWide || p.Code != ProblemUnchanged || p.Warning || !strings.Contains(p.Message, "version 3") {
		t.Errorf("refusal: %+v", p)
	}
}

func TestMoneyStoredAsDigitsShownFormatted(t *testing.T) {
	tests := []struct{ typed, stored, shown string }{
		{"$1,000,000", "1000000", "$1,000,000"},
		{"1,000,000.00", "1000000", "$1,000,000"},
		{" 3000000 ", "3000000", "$3,000,000"},
		{"180", "180", "$180"},
		{"lots", "lots", "lots"},
		{"", "", ""},
	}
	for _, tt := range tests {
		d := validCredentialing(LicenseLCSW)
		d.Fields["perClaim"] = tt.typed
		if got := NormalizeMoney(CredentialingForm(), d).Fields["perClaim"]; got != tt.stored {
			t.Errorf("%q stored as %q, want %q", tt.typed, got, tt.stored)
		}
		if d.Fields["perClaim"] != tt.typed {
			t.Errorf("NormalizeMoney changed its input")
		}
		if got := FormatMoney(tt.stored); got != tt.shown {
			t.Errorf("%q shown as %q, want %q", tt.stored, got, tt.shown)
		}
	}
	g := validGeneral()
	g.Fields["cashPayRate"] = "$1,200"
	if got := NormalizeMoney(GeneralForm(), g).Fields["cashPayRate"]; got != "1200" {
		t.Errorf("rate stored as %q", got)
	}
}

// Messages name amounts as the provider reads them, from stored digits.
func TestMoneyMessagesFormatted(t *testing.T) {
	tests := []struct {
		perClaim, aggregate, field, want string
	}{
		{"500000", "3000000", "perClaim", "this policy covers $500,000"},
		{"1000000", "2500000", "aggregate", "this policy covers $2,500,000"},
		{"5000000", "4000000", "aggregate", "($4,000,000) can't be less than the per-claim coverage ($5,000,000)"},
	}
	for _, tt := range tests {
		d := validCredentialing(LicenseLCSW)
		d.Fields["perClaim"], d.Fields["aggregate"] = tt.perClaim, tt.aggregate
		if got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicenseLCSW)))[tt.field]; !strings.Contains(got.Message, tt.want) {
			t.Errorf("%s: %q, want %q", tt.field, got.Message, tt.want)
		}
	}
}
