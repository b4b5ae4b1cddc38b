package forms

import (
	"strings"
	"testing"
)

func TestExpirations(t *testing.T) {
	d := validCredentialing(LicensePsychNP)
	d.Groups["licenses"] = append(d.Groups["licenses"],
		map[string]string{"state": "OR", "type": "PMHNP", "number": "OR-1", "expires": "2027-02-25"}, // 90 days
		map[string]string{"state": "WA", "type": "ARNP", "number": "WA-9", "expires": "2026-12-27"},  // 30 days
		map[string]string{"state": "NV", "type": "APRN", "number": "NV-3", "expires": "2026-11-27"},  // today
	)
	got := Expirations(d, formToday)
	if len(got) != 7 {
		t.Fatalf("%d expirations: %+v", len(got), got)
	}
	want := []struct {
		label, level string
		days         int
	}{
		{"NV APRN license NV-3", "expired", 0},
		{"WA ARNP license WA-9", "30", 30},
		{"Liability policy PL-99812 (CPH & Associates)", "90", 35},
		{"OR PMHNP license OR-1", "90", 90},
		{"CA PMHNP license NP123", "ok", 186},
	}
	for i, w := range want {
		if got[i].Label != w.label || got[i].Level != w.level || got[i].DaysLeft != w.days {
			t.Errorf("%d: %+v, want %+v", i, got[i], w)
		}
		if (got[i].Level != "ok") != (got[i].Action != "") {
			t.Errorf("%d: action %q for level %s", i, got[i].Action, got[i].Level)
		}
	}
	if got := Expirations(validCredentialing(LicenseLCSW), formToday); len(got) != 2 {
		t.Errorf("LCSW: %+v", got)
	}
}

func TestExpirationsNeverNil(t *testing.T) {
	if got := Expirations(NewData(), formToday); got == nil {
		t.Error("nil list: the dashboard would get null")
	}
}

// A credential that expires within the dashboard's 90 days, or before the
// contracted start date, is warned of while it is typed.
func TestExpiryWarningsWhileTyping(t *testing.T) {
	tests := []struct {
		name    string
		license LicenseType
		start   string // contracted start date
		edit    func(d Data)
		field   string
		code    string // "" = no problem; "expired" is the error
		words   string
	}{
		{"license within 90 days", LicenseLCSW, "2026-12-01", func(d Data) { d.Groups["licenses"][0]["expires"] = "2027-02-25" },
			"licenses.0.expires", "expires-soon", "This expires on February 25, 2027, within 90 days: renew it"},
		{"license on day 91", LicenseLCSW, "2026-12-01", func(d Data) { d.Groups["licenses"][0]["expires"] = "2027-02-26" }, "licenses.0.expires", "", ""},
		{"second license within 30 days", LicenseLCSW, "2026-12-01", func(d Data) {
			d.Groups["licenses"] = append(d.Groups["licenses"], map[string]string{"state": "OR", "number": "OR-1", "type": "LCSW", "issued": "2020-01-01", "expires": "2026-12-20", LicenseDocument: strings.Repeat("e", 64)})
		}, "licenses.1.expires", "expires-soon", "December 20, 2026, within 90 days"},
		{"license expired is an error", LicenseLCSW, "2026-12-01", func(d Data) { d.Groups["licenses"][0]["expires"] = "2026-11-01" }, "licenses.0.expires", "expired", ""},
		{"policy within 90 days", LicenseLCSW, "2026-12-01", nil, "policyExpires", "expires-soon", "January 1, 2027, within 90 days"},
		{"policy before the start date", LicenseLCSW, "2027-09-01", func(d Data) { d.Fields["policyExpires"] = "2027-06-30" },
			"policyExpires", "expires-before-start", "This expires on June 30, 2027, before your contracted start date (September 1, 2027)"},
		{"both at once", LicenseLCSW, "2027-03-01", func(d Data) { d.Fields["policyExpires"] = "2027-01-15" },
			"policyExpires", "expires-soon", "within 90 days and before your contracted start date (March 1, 2027)"},
		{"DEA within 90 days", LicensePsychNP, "2026-12-01", func(d Data) { d.Fields["deaExpires"] = "2027-01-31" }, "deaExpires", "expires-soon", "January 31, 2027"},
		{"board before the start date", LicensePsychNP, "2028-12-01", nil, "boardExpires", "expires-before-start", "September 1, 2028"},
		{"hidden DEA: no warning", LicenseLCSW, "2026-12-01", func(d Data) {
			d.Fields["deaNumber"], d.Fields["deaExpires"] = "ML1234563", "2027-01-31"
		}, "deaExpires", "", ""},
		{"no start date known", LicenseLCSW, "", func(d Data) { d.Fields["policyExpires"] = "2027-06-30" }, "policyExpires", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validCredentialing(tt.license)
			if tt.edit != nil {
				tt.edit(d)
			}
			ctx := ctxFor(tt.license)
			ctx.Values[ContextContractStart] = tt.start
			ps := Validate(CredentialingForm(), d, ctx)
			got := fieldsOf(ps)[tt.field]
			if got.Code != tt.code || !strings.Contains(got.Message, tt.words) {
				t.Errorf("got %+v, want %s %q", got, tt.code, tt.words)
			}
			if tt.code != "" && got.Warning != (tt.code != "expired") {
				t.Errorf("warning=%v for %s", got.Warning, tt.code)
			}
			if strings.HasPrefix(tt.code, "expires-") && Blocking(ps) {
				t.Errorf("a warning blocks: %+v", ps)
			}
		})
	}
}
