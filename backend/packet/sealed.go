package packet

import (
	"errors"
	"fmt"

	"onramp/backend/forms"
)

// A packet never holds a secret or sealed field in the clear: the CAQH
// user name and password, the SSN and the date of birth reach the network
// only sealed to its key (forms.SealedFields), and a packet is a file that
// is copied, emailed and stored. The PDF prints them masked (display); the
// data leaves them out.

// ErrSealedInClear means packet data holds a secret or sealed field.
var ErrSealedInClear = errors.New("a secret or sealed field would be in the packet")

// hidden lists the fields of a schema a packet leaves out: its secret
// fields and its sealed fields.
func hidden(s forms.Schema) []forms.Field {
	return append(forms.SecretFields(s), forms.SealedFields(s)...)
}

// WithoutSealed is form data as a packet may hold it: without the secret
// and sealed fields of schema.
func WithoutSealed(s forms.Schema, d forms.Data) forms.Data {
	fields := hidden(s)
	if len(fields) == 0 {
		return d
	}
	d = d.Clone()
	for _, f := range fields {
		delete(d.Fields, f.Name)
	}
	return d
}

// CheckSealed refuses packet data that holds a secret or sealed field,
// read with the schema version each form was submitted in.
func CheckSealed(d Data) error {
	for _, f := range d.Forms {
		s, ok := forms.SchemaAt(f.ID, f.SchemaVersion)
		if !ok {
			continue
		}
		for _, field := range hidden(s) {
			if _, there := f.Data.Fields[field.Name]; there {
				return fmt.Errorf("%w: %s (%s)", ErrSealedInClear, field.Label, f.ID)
			}
		}
	}
	return nil
}
