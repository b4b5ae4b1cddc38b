package forms

import (
	"strings"
	"time"
	"unicode/utf8"

	"onramp/backend/validate"
)

// Setup field names.
const (
	SetupLegalName      = "legalName"
	SetupPreferredName  = "preferredName"
	SetupEmail          = "email"
	SetupLicenseType    = "licenseType"
	SetupContractStart  = "contractStart"
	SetupInvitationCode = "invitationCode"
)

// SetupForm is the first-run form.
func SetupForm() Form {
	return Form{
		ID:     "setup",
		Title:  "Welcome to Onramp",
		Intro:  "Let's set up your account. Everything stays on this computer until you choose to submit, and works without an internet connection.",
		Submit: "Create my account",
		Fields: []Field{
			{Name: SetupLegalName, Label: "Full legal name", Type: "text", Required: true, MaxLength: 150,
				Autocomplete: "name", Help: "As it appears on your license."},
			{Name: SetupPreferredName, Label: "What should we call you?", Type: "text", MaxLength: 80,
				Autocomplete: "nickname", Help: "Optional: the name to greet you by in the app and in emails. Left empty, it is your full legal name. You can change it later on the General Onboarding form."},
			{Name: SetupEmail, Label: "Email", Type: "email", Required: true, MaxLength: 254,
				Autocomplete: "email", Placeholder: "name@example.org", Help: "Where the network sends your receipts and next steps."},
			{Name: SetupLicenseType, Label: "License type", Type: "select", Required: true, Options: LicenseTypes},
			{Name: SetupContractStart, Label: "Contracted start date", Type: "date", Required: true,
				Help: "The start date in your contract with the network."},
			{Name: SetupInvitationCode, Label: "Network invitation code", Type: "text", Required: true, MaxLength: 20,
				Placeholder: "XXXX-XXXX-XXXX", Autocomplete: "off", Help: "12 letters and digits, from your welcome email."},
		},
	}
}

// Setup is a validated first-run entry.
type Setup struct {
	LegalName      string
	PreferredName  string // "" when not given
	Email          string
	LicenseType    LicenseType
	ContractStart  time.Time
	InvitationCode string
}

// ValidateSetupField checks one field of the first-run form as the provider
// types; nil when it is fine. today bounds the contracted start date.
func ValidateSetupField(name, value string, today time.Time) *Problem {
	value = strings.TrimSpace(value)
	var err error
	code := "invalid"
	switch name {
	case SetupLegalName:
		err = validate.PersonName(value)
	case SetupPreferredName:
		if value == "" {
			return nil // optional
		}
		if utf8.RuneCountInString(value) > 80 {
			return &Problem{Field: name, Code: "too-long", Message: "Keep this to 80 characters at most."}
		}
		err = validate.PersonName(value)
	case SetupEmail:
		err = validate.Email(value)
	case SetupLicenseType:
		if !ValidLicenseType(value) {
			return &Problem{Field: name, Code: "required", Message: "Choose your license type."}
		}
	case SetupContractStart:
		_, p := contractStart(value, today)
		return p
	case SetupInvitationCode:
		err = validate.InvitationCode(value)
	default:
		return &Problem{Field: name, Code: "unknown-field", Message: "This field is not part of the form."}
	}
	if err != nil {
		if value == "" {
			code = "required"
		}
		return &Problem{Field: name, Code: code, Message: err.Error()}
	}
	return nil
}

// ParseSetup validates the whole first-run form; it returns every problem,
// in field order, or the validated entry.
func ParseSetup(v Values, today time.Time) (Setup, []Problem) {
	var problems []Problem
	for _, f := range SetupForm().Fields {
		if p := ValidateSetupField(f.Name, v[f.Name], today); p != nil {
			problems = append(problems, *p)
		}
	}
	if len(problems) > 0 {
		return Setup{}, problems
	}
	start, _ := contractStart(strings.TrimSpace(v[SetupContractStart]), today)
	return Setup{
		LegalName:      clean(v[SetupLegalName]),
		PreferredName:  clean(v[SetupPreferredName]),
		Email:          strings.TrimSpace(v[SetupEmail]),
		LicenseType:    LicenseType(v[SetupLicenseType]),
		ContractStart:  start,
		InvitationCode: validate.FormatInvitationCode(v[SetupInvitationCode]),
	}, nil
}

func contractStart(value string, today time.Time) (time.Time, *Problem) {
	const field = SetupContractStart
	if value == "" {
		return time.Time{}, &Problem{Field: field, Code: "required", Message: "Enter your contracted start date."}
	}
	d, err := time.Parse("2006-01-02", value)
	if err != nil {
		return time.Time{}, &Problem{Field: field, Code: "invalid", Message: "Enter a real date, like 2026-12-01."}
	}
	y, m, dd := today.Date()
	t0 := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	switch {
	case d.AddDate(2, 0, 0).Before(t0): // its second anniversary has passed (Feb 29's is Mar 1, as validate.Age counts)
		return time.Time{}, &Problem{Field: field, Code: "too-early", Message: "This date is more than 2 years ago. Check the start date in your contract."}
	case d.After(t0.AddDate(2, 0, 0)):
		return time.Time{}, &Problem{Field: field, Code: "too-late", Message: "This date is more than 2 years away. Check the start date in your contract."}
	}
	return d, nil
}
