package formfill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"onramp/backend/forms"
	"onramp/backend/validate"
)

// ErrNotSecret means the field is not one of the form's secret fields.
var ErrNotSecret = errors.New("not a secret field")

// SecretResult is the mask to show for a stored secret, or the problem
// with what was typed.
type SecretResult struct {
	Mask    string         `json:"mask,omitempty"`
	Problem *forms.Problem `json:"problem,omitempty"`
}

// SetSecret checks, encrypts and stores a secret field's value (the CAQH
// password, the SSN). Only its mask is ever returned or written into form
// data; the plaintext is never stored, logged or sent back.
func (s *Service) SetSecret(ctx context.Context, formID, field, value string) (SecretResult, error) {
	schema, _, err := s.formContext(ctx, formID)
	if err != nil {
		return SecretResult{}, err
	}
	var f *forms.Field
	for _, sf := range forms.SecretFields(schema) {
		if sf.Name == field {
			f = &sf
		}
	}
	if f == nil {
		return SecretResult{}, fmt.Errorf("%w: %q", ErrNotSecret, field)
	}
	value = strings.TrimSpace(value)
	mask, msg := secretMask(f.Check, value)
	if msg != "" {
		return SecretResult{Problem: &forms.Problem{Field: field, Code: "invalid", Message: msg}}, nil
	}
	sealed, err := s.secrets.Seal([]byte(value), forms.SecretName(formID, field))
	if err != nil {
		return SecretResult{}, err
	}
	if err := s.store.SetSecret(ctx, forms.SecretName(formID, field), sealed, mask, s.now()); err != nil {
		return SecretResult{}, err
	}
	return SecretResult{Mask: mask}, nil
}

// secretMask validates a secret and returns what may be shown of it.
func secretMask(check, value string) (mask, problem string) {
	switch check {
	case "ssn":
		if err := validate.SSN(value); err != nil {
			return "", err.Error()
		}
		digits := strings.NewReplacer("-", "", " ", "").Replace(value)
		return "•••-••-" + digits[5:], ""
	default:
		n := utf8.RuneCountInString(value)
		if n == 0 {
			return "", "Enter the password."
		}
		if n > 200 {
			return "", "This is longer than any CAQH password (200 characters at most)."
		}
		return "••••••••", ""
	}
}

// withSecretMasks puts the stored masks into the form's secret fields,
// whatever the frontend sent there, so drafts and submissions only ever
// hold masks.
func (s *Service) withSecretMasks(ctx context.Context, formID string, schema forms.Schema, d forms.Data) (forms.Data, error) {
	fields := forms.SecretFields(schema)
	if len(fields) == 0 {
		return d, nil
	}
	d = d.Clone()
	for _, f := range fields {
		_, mask, ok, err := s.store.Secret(ctx, forms.SecretName(formID, f.Name))
		if err != nil {
			return d, err
		}
		if ok {
			d.Fields[f.Name] = mask
		} else {
			delete(d.Fields, f.Name)
		}
	}
	return d, nil
}
