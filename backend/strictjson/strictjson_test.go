package strictjson

import (
	"errors"
	"testing"
)

type target struct {
	A int    `json:"a"`
	B string `json:"b"`
}

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		in       string
		ok       bool
		trailing bool
	}{
		{`{"a":1,"b":"x"}`, true, false},
		{"  {\"a\":1}\n\t ", true, false},
		{`{"a":1,"c":2}`, false, false},   // unknown field
		{`{"a":1}{"a":2}`, false, true},   // a second value
		{`{"a":1}}`, false, true},         // a stray brace: dec.More says false here
		{`{"a":1}]`, false, true},         // a stray bracket
		{`{"a":1} x`, false, true},        // text
		{`{"a":1} 7`, false, true},        // a number
		{`{"a":"1"}`, false, false},       // wrong type
		{`{"a":1`, false, false},          // truncated
		{``, false, false},                // nothing
		{`null`, true, false},             // JSON null leaves v as it was
		{`{"a":1,"a":2}`, true, false},    // encoding/json keeps the last duplicate
		{"{\"b\":\"\xff\"}", true, false}, // invalid UTF-8 is replaced by encoding/json; callers check text
	} {
		var v target
		err := Decode([]byte(tt.in), &v)
		if (err == nil) != tt.ok || errors.Is(err, ErrTrailing) != tt.trailing {
			t.Errorf("Decode(%q) = %v", tt.in, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(`{"a":1,"b":"x"}`)
	f.Add(`{"a":1}}`)
	f.Fuzz(func(t *testing.T, in string) {
		var v target
		if Decode([]byte(in), &v) == nil {
			// Whatever was accepted decodes again to the same value.
			var again target
			if err := Decode([]byte(in), &again); err != nil || again != v {
				t.Fatalf("not repeatable: %v", err)
			}
		}
	})
}
