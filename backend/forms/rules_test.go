package forms

import (
	"strings"
	"testing"
	"time"
)

// The DEA number is checked against the whole legal name, so a suffix or a
// compound or particle surname doesn't make a valid number fail, and an
// initial from no part of the last name still does.
func TestDEAInitialFromLegalName(t *testing.T) {
	tests := []struct {
		legalName, dea string
		ok             bool
	}{
		{"Martin Luther King Jr.", "MK1234563", true},
		{"Henry Ford II", "MF1234563", true},
		{"Ana García López", "MG1234563", true},
		{"Ana García López", "ML1234563", true},
		{"Pieter van der Berg", "MV1234563", true},
		{"Juan de la Cruz", "MD1234563", true},
		{"Anna Smith-Jones", "MS1234563", true},
		{"Conan O'Brien", "MO1234563", true},
		{"Zoë Łukasiewicz", "ML1234563", true},
		{"Martin Luther King Jr.", "MJ1234563", false},
		{"Ana García López", "MA1234563", false},
		{"Zoë Łukasiewicz", "MZ1234563", false},
	}
	for _, tt := range tests {
		d := validCredentialing(LicensePsychNP)
		d.Fields["deaNumber"] = tt.dea
		ctx := ctxFor(LicensePsychNP)
		ctx.Values["$legalName"] = tt.legalName
		d.Fields["attestName"] = tt.legalName
		p, refused := fieldsOf(Validate(CredentialingForm(), d, ctx))["deaNumber"]
		if refused == tt.ok {
			t.Errorf("%s for %q: %+v, want accepted %v", tt.dea, tt.legalName, p, tt.ok)
		}
	}
}

// The attestation takes the legal name however the keyboard typed it:
// accents precomposed or decomposed (macOS, iOS), typographic apostrophes
// and dashes; a name without its accents is still another name.
func TestAttestationNameAsTyped(t *testing.T) {
	tests := []struct {
		legalName, typed string
		ok               bool
	}{
		{"Zoë Łukasiewicz", "Zoe\u0308 Łukasiewicz", true},
		{"Zoë Łukasiewicz", "ZOE\u0308 ŁUKASIEWICZ", true},
		{"José Núñez", "Jose\u0301 Nu\u0301n\u0303ez", true},
		{"Conan O'Brien", "Conan O’Brien", true},
		{"Conan O’Brien", "conan o'brien", true},
		{"Anna Smith-Jones", "Anna Smith‐Jones", true},
		{"Anna Smith-Jones", "Anna Smith‑Jones", true},
		{"Anna Smith-Jones", "Anna Smith–Jones", true},
		{"Zoë Łukasiewicz", "Zoe Łukasiewicz", false},
		{"José Núñez", "Jose Nunez", false},
		{"Anna Smith-Jones", "Anna Smith Jones", false},
	}
	for _, tt := range tests {
		d := validCredentialing(LicenseLCSW)
		ctx := ctxFor(LicenseLCSW)
		ctx.Values["$legalName"] = tt.legalName
		d.Fields["attestName"] = tt.typed
		p, refused := fieldsOf(Validate(CredentialingForm(), d, ctx))["attestName"]
		if refused == tt.ok {
			t.Errorf("%+q for %+q: %+v, want accepted %v", tt.typed, tt.legalName, p, tt.ok)
		}
	}
}

// The date of birth is counted by validate.Age: a provider is 18 on the
// 18th birthday, in a leap year too, and not the day before; a February 29
// birthday comes on March 1 in a common year.
func TestBirthdateAgeNearBirthdays(t *testing.T) {
	tests := []struct {
		born, today string
		ok          bool
	}{
		{"2008-03-01", "2026-03-01", true},  // born in a leap year: 18 on the day
		{"2008-03-01", "2026-02-28", false}, // 17 the day before
		{"2006-03-01", "2024-02-29", false}, // today in a leap year: still 17
		{"2006-03-01", "2024-03-01", true},
		{"2008-02-29", "2026-02-28", false}, // leap-day birthday, common year
		{"2008-02-29", "2026-03-01", true},
		{"1925-03-01", "2026-03-01", false}, // 101: 100 is the most
		{"1925-03-02", "2026-03-01", true},
		{"2027-01-01", "2026-11-27", false},
	}
	for _, tt := range tests {
		d := validCredentialing(LicenseLCSW)
		d.Fields["dateOfBirth"] = tt.born
		ctx := ctxFor(LicenseLCSW)
		ctx.Today = mustDay(t, tt.today)
		p, refused := fieldsOf(Validate(CredentialingForm(), d, ctx))["dateOfBirth"]
		if refused == tt.ok {
			t.Errorf("born %s, today %s: %+v, want accepted %v", tt.born, tt.today, p, tt.ok)
		}
		if refused && (p.Code != "implausible-date" || strings.Contains(p.Message, "-")) {
			t.Errorf("born %s, today %s: %+v", tt.born, tt.today, p)
		}
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(15 * time.Hour) // any time of the day
}
