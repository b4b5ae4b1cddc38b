package forms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"onramp/backend/strictjson"
	"unicode/utf8"
)

// Data is what a provider entered in a long form: plain fields by name, and
// the items of each repeating section by section ID. Multi-choice values are
// comma-separated option values.
type Data struct {
	Fields map[string]string              `json:"fields"`
	Groups map[string][]map[string]string `json:"groups"`
}

// NewData is an empty form.
func NewData() Data {
	return Data{Fields: map[string]string{}, Groups: map[string][]map[string]string{}}
}

// Limits on stored and submitted data, so a damaged or hostile draft can't
// exhaust memory.
const (
	MaxDataBytes  = 1 << 20
	maxValueRunes = 10_000
	maxItems      = 100
)

// ErrBadData means stored or submitted form data could not be read.
var ErrBadData = errors.New("the form data is damaged")

// DecodeData reads form data as stored, strictly: unknown keys, wrong types,
// invalid UTF-8, oversized values or too many items are refused.
func DecodeData(raw []byte) (Data, error) {
	if len(raw) > MaxDataBytes {
		return Data{}, fmt.Errorf("%w: %d bytes is over the limit", ErrBadData, len(raw))
	}
	var d Data
	if err := strictjson.Decode(raw, &d); err != nil {
		return Data{}, fmt.Errorf("%w: %w", ErrBadData, err)
	}
	return d.Checked()
}

// Checked returns the data, with empty maps for missing ones, if its values
// are within the limits DecodeData enforces: for form data that arrived
// decoded inside something larger (a packet's data.json), so that it is
// not encoded and decoded again.
func (d Data) Checked() (Data, error) {
	if d.Fields == nil {
		d.Fields = map[string]string{}
	}
	if d.Groups == nil {
		d.Groups = map[string][]map[string]string{}
	}
	check := func(k, v string) error {
		if !utf8.ValidString(k) || !utf8.ValidString(v) || utf8.RuneCountInString(v) > maxValueRunes || len(k) > 100 {
			return fmt.Errorf("%w: field %.40q", ErrBadData, k)
		}
		return nil
	}
	for k, v := range d.Fields {
		if err := check(k, v); err != nil {
			return Data{}, err
		}
	}
	for g, items := range d.Groups {
		if len(items) > maxItems {
			return Data{}, fmt.Errorf("%w: %d items in %.40q", ErrBadData, len(items), g)
		}
		for i, it := range items {
			if it == nil {
				items[i] = map[string]string{}
			}
			for k, v := range it {
				if err := check(k, v); err != nil {
					return Data{}, err
				}
			}
		}
	}
	return d, nil
}

// Encode writes the data canonically (map keys sorted), so equal data has
// equal bytes and hash.
func (d Data) Encode() []byte {
	raw, _ := json.Marshal(d)
	return raw
}

// Hash is the SHA-256 of the canonical encoding, in hex.
func (d Data) Hash() string {
	sum := sha256.Sum256(d.Encode())
	return hex.EncodeToString(sum[:])
}

// Clone deep-copies the data. It stays out of line: inlined, each of its
// callers carried its own 0.9 KB copy, in a binary with a 15 MB budget.
//
//go:noinline
func (d Data) Clone() Data {
	out := NewData()
	for k, v := range d.Fields {
		out.Fields[k] = v
	}
	for g, items := range d.Groups {
		cp := make([]map[string]string, len(items))
		for i, it := range items {
			cp[i] = map[string]string{}
			for k, v := range it {
				cp[i][k] = v
			}
		}
		out.Groups[g] = cp
	}
	return out
}
