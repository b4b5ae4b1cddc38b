package validate

import (
	"bytes"
	"strings"
	"testing"
)

func TestEmail(t *testing.T) {
	valid := []string{"name@example.org", "jose.nunez+onramp@clinic.health", "a@b.co", " padded@example.com "}
	for _, s := range valid {
		if err := Email(s); err != nil {
			t.Errorf("Email(%q) = %v", s, err)
		}
	}
	invalid := map[string]string{
		"":                                 "Enter your email",
		"name.example.org":                 "one @",
		"a@@b.org":                         "one @",
		"name@example":                     "needs a dot",
		"name@exa mple.org":                "doesn't look like",
		"Name <a@b.org>":                   "doesn't look like",
		"name@-bad.org":                    "not a valid domain",
		"name@example.c":                   "end in a domain",
		"name@example.123":                 "end in a domain",
		"name@ex_ample.org":                "letters, digits",
		strings.Repeat("a", 65) + "@b.org": "too long",
	}
	for s, want := range invalid {
		err := Email(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Email(%q) = %v, want message containing %q", s, err, want)
		}
	}
}

func TestPersonName(t *testing.T) {
	for _, s := range []string{"José Núñez", "Zoë Łukasiewicz", "王芳", "Mary-Jane O'Neil", "Dr. A. Smith, Jr.", "Ngũgĩ wa Thiong’o",
		"Anna Smith‐Jones", "Anna Smith‑Jones", "Anna Smith–Jones", "Conan O‘Brien", "Conan Oʼbrien", "Daniel ʻAkaka", "Zoe\u0308"} {
		if err := PersonName(s); err != nil {
			t.Errorf("PersonName(%q) = %v", s, err)
		}
	}
	for s, want := range map[string]string{
		"":                       "Enter your full name",
		"   ":                    "Enter your full name",
		"R2D2":                   "digits",
		"---":                    "at least one letter",
		"Bobby <script>":         "only have letters",
		strings.Repeat("a", 151): "too long",
	} {
		if err := PersonName(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("PersonName(%q) = %v, want %q", s, err, want)
		}
	}
}

func TestInvitationCode(t *testing.T) {
	code, err := NewInvitationCode(bytes.NewReader([]byte("0123456789abcdef")))
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 14 || code[4] != '-' || code[9] != '-' {
		t.Fatalf("code %q not formatted", code)
	}
	for _, s := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", ""), " " + strings.ReplaceAll(code, "-", " ") + " "} {
		if err := InvitationCode(s); err != nil {
			t.Errorf("InvitationCode(%q) = %v", s, err)
		}
	}
	// Every single-character substitution is caught by the check character.
	raw := NormalizeInvitationCode(code)
	for i := range raw {
		for _, r := range InvitationAlphabet {
			if byte(r) == raw[i] {
				continue
			}
			typo := raw[:i] + string(r) + raw[i+1:]
			if InvitationCode(typo) == nil {
				t.Fatalf("typo %q accepted", typo)
			}
		}
	}
	// Adjacent transpositions are caught too (when the characters differ).
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] == raw[i+1] {
			continue
		}
		swapped := raw[:i] + string(raw[i+1]) + string(raw[i]) + raw[i+2:]
		if InvitationCode(swapped) == nil {
			t.Errorf("transposition %q accepted", swapped)
		}
	}
	for s, want := range map[string]string{
		"":               "Enter the invitation code",
		"ABCD-EFGH-JKL":  "12 characters",
		"ABCD-EFGH-JKLO": "never use I, O, 0 or 1",
		"ABCD-EFGH-JK!M": "only letters and digits",
	} {
		if err := InvitationCode(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("InvitationCode(%q) = %v, want %q", s, err, want)
		}
	}
}

func TestNewInvitationCodesAreValid(t *testing.T) {
	for i := 0; i < 1000; i++ {
		code, err := NewInvitationCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := InvitationCode(code); err != nil {
			t.Fatalf("generated %q invalid: %v", code, err)
		}
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"name@example.org", "a@b", "@", "x@y.zz", "\x00@\xff.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := Email(s); err != nil && err.Error() == "" {
			t.Fatal("empty message")
		}
	})
}

func FuzzPersonName(f *testing.F) {
	for _, s := range []string{"José Núñez", "王芳", "", "\u200b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := PersonName(s); err != nil && err.Error() == "" {
			t.Fatal("empty message")
		}
	})
}

func FuzzInvitationCode(f *testing.F) {
	f.Add("ABCD-EFGH-JKLM")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		err := InvitationCode(s)
		if err == nil && len(NormalizeInvitationCode(s)) != 12 {
			t.Fatalf("accepted %q", s)
		}
	})
}
