// Package strictjson reads JSON from outside (stored form data, a packet's
// data.json and manifest, a request body) strictly: exactly one value, no
// field the target does not know, nothing after it.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// ErrTrailing means something follows the JSON value.
var ErrTrailing = errors.New("there is more after the JSON value")

// Decode reads raw into v. Unknown fields, a second value or any other
// trailing text (even a stray closing brace) are errors.
func Decode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	// dec.More is not enough: it reports false before a stray ']' or '}'.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ErrTrailing
	}
	return nil
}
