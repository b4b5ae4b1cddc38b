package forms

import (
	"errors"
	"testing"
)

// Stored form data is read strictly: a stray closing brace after the value
// (which json.Decoder.More does not notice) is refused like any trailing
// data.
func TestDecodeDataRefusesTrailingText(t *testing.T) {
	for _, raw := range []string{
		`{"fields":{},"groups":{}}}`,
		`{"fields":{},"groups":{}}]`,
		`{"fields":{},"groups":{}} {}`,
		`{"fields":{},"groups":{}} x`,
	} {
		if _, err := DecodeData([]byte(raw)); !errors.Is(err, ErrBadData) {
			t.Errorf("DecodeData(%q) = %v", raw, err)
		}
	}
	if _, err := DecodeData([]byte(`{"fields":{"a":"b"},"groups":{}}` + "\n")); err != nil {
		t.Errorf("a value with a trailing newline: %v", err)
	}
}
