package forms

import (
	"strings"
	"testing"
	"time"

	"onramp/backend/validate"
)

var today = time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)

func validSetup() Values {
	return Values{
		SetupLegalName: "  José   Núñez ", SetupEmail: "jose@example.org", SetupLicenseType: "lcsw",
		SetupContractStart: "2026-12-01", SetupInvitationCode: "abcd efgh jkl3",
	}
}

func TestParseSetupValid(t *testing.T) {
	v := validSetup()
	v[SetupInvitationCode] = mustCode(t)
	s, problems := ParseSetup(v, today)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	if s.LegalName != "José Núñez" || s.LicenseType != LicenseLCSW || s.ContractStart.Format("2006-01-02") != "2026-12-01" {
		t.Errorf("setup = %+v", s)
	}
}

// The preferred name is optional; given, it is kept tidy.
func TestParseSetupPreferredName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{{"", ""}, {"  An  ", "An"}, {"Mary  Ann", "Mary Ann"}, {"芳", "芳"}} {
		v := validSetup()
		v[SetupInvitationCode] = mustCode(t)
		v[SetupPreferredName] = tt.in
		s, problems := ParseSetup(v, today)
		if len(problems) > 0 || s.PreferredName != tt.want {
			t.Errorf("preferred name %q: got %q %+v, want %q", tt.in, s.PreferredName, problems, tt.want)
		}
	}
}

func TestParseSetupProblems(t *testing.T) {
	tests := []struct {
		field, value, code string
	}{
		{SetupLegalName, "", "required"},
		{SetupLegalName, "4444", "invalid"},
		{SetupEmail, "jose@", "invalid"},
		{SetupEmail, "", "required"},
		{SetupLicenseType, "", "required"},
		{SetupLicenseType, "astrologer", "required"},
		{SetupContractStart, "", "required"},
		{SetupContractStart, "2026-02-30", "invalid"},
		{SetupContractStart, "12/01/2026", "invalid"},
		{SetupContractStart, "2020-01-01", "too-early"},
		{SetupContractStart, "2030-01-01", "too-late"},
		{SetupInvitationCode, "", "required"},
		{SetupInvitationCode, "ABCD-EFGH-JKLN", "invalid"},
		{SetupPreferredName, "An 2", "invalid"},
		{SetupPreferredName, strings.Repeat("a", 81), "too-long"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			v := validSetup()
			v[SetupInvitationCode] = mustCode(t)
			v[tt.field] = tt.value
			_, problems := ParseSetup(v, today)
			if len(problems) != 1 || problems[0].Field != tt.field || problems[0].Code != tt.code || problems[0].Message == "" {
				t.Fatalf("problems = %+v, want one %s on %s", problems, tt.code, tt.field)
			}
		})
	}
}

func TestSetupFormFieldsAllValidated(t *testing.T) {
	for _, f := range SetupForm().Fields {
		p := ValidateSetupField(f.Name, "", today)
		if f.Required && (p == nil || p.Code != "required") {
			t.Errorf("%s: empty value gives %+v", f.Name, p)
		}
		if !f.Required && p != nil {
			t.Errorf("optional %s: empty value gives %+v", f.Name, p)
		}
	}
	if p := ValidateSetupField("nope", "x", today); p == nil || p.Code != "unknown-field" {
		t.Errorf("unknown field: %+v", p)
	}
}

func mustCode(t *testing.T) string {
	t.Helper()
	code, err := validate.NewInvitationCode(strings.NewReader("fixed seed bytes"))
	if err != nil {
		t.Fatal(err)
	}
	return code
}
