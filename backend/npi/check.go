package npi

import (
	"context"
	"errors"
	"strings"

	"onramp/backend/forms"
)

// Check is what the form shows beside an NPI field: the registry's record
// and what does not match, or why the check could not run.
type Check struct {
	NPI      string    `json:"npi"`
	Record   *Record   `json:"record,omitempty"`
	Findings []Finding `json:"findings"`
	// Note says, quietly, why there is no record: none in the registry,
	// or the check could not run (nothing is blocked by it).
	Note string `json:"note,omitempty"`
}

// Who is what the provider told Onramp, to compare with the registry.
type Who struct {
	LegalName string
	License   forms.LicenseType
}

// CheckField looks number up for the form field it was typed in:
// "npi" (the individual's, type 1) or "groupNpi" (an organization's,
// type 2). A number that is not an NPI yet gets no check (the field's own
// validation speaks).
func (r *Registry) CheckField(ctx context.Context, field, number string, who Who) Check {
	c := Check{NPI: strings.TrimSpace(number), Findings: []Finding{}}
	rec, err := r.Lookup(ctx, number)
	switch {
	case errors.Is(err, ErrNotFound):
		c.Findings = append(c.Findings, Finding{"not-found", "The NPI Registry has no record of this NPI. Check the number against your NPPES record."})
		return c
	case errors.Is(err, ErrUnavailable):
		c.Note = capitalize(err.Error()) + ". The form works without it."
		return c
	case err != nil:
		return c
	}
	c.Record = &rec
	if field == "groupNpi" {
		if !rec.Organization {
			c.Findings = append(c.Findings, Finding{"individual", "This NPI belongs to a person (" + rec.Name() + "), a type 1 NPI. A group NPI is the organization's (type 2)."})
		}
		if !rec.Active {
			c.Findings = append(c.Findings, Compare(rec, "", "")...)
		}
		return c
	}
	c.Findings = Compare(rec, who.LegalName, who.License)
	return c
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
