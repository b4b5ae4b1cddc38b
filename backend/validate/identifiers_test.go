package validate

import (
	"strings"
	"testing"
)

func TestNPI(t *testing.T) {
	for _, s := range []string{"1234567893", "1245319599", " 1679576722 "} {
		if err := NPI(s); err != nil {
			t.Errorf("NPI(%q) = %v", s, err)
		}
	}
	for s, want := range map[string]string{
		"":            "Enter your 10-digit NPI",
		"123456789":   "has 9",
		"12345678901": "has 11",
		"1234-56789":  "only digits",
		"123456789O":  "only digits",
		"1234567890":  "check digit",
		"1234567894":  "check digit",
		"3234567897":  "starts with 1",
	} {
		if err := NPI(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NPI(%q) = %v, want %q", s, err, want)
		}
	}
}

func TestNPICatchesEverySingleDigitTypo(t *testing.T) {
	const good = "1234567893"
	for i := 0; i < len(good); i++ {
		for c := byte('0'); c <= '9'; c++ {
			if c == good[i] {
				continue
			}
			typo := good[:i] + string(c) + good[i+1:]
			if NPI(typo) == nil {
				t.Errorf("typo %s accepted", typo)
			}
		}
	}
}

func TestCAQHID(t *testing.T) {
	for _, s := range []string{"12345678", "1234567", "123456789012"} {
		if err := CAQHID(s); err != nil {
			t.Errorf("CAQHID(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "1234-5678", "ABC12345", "1234567890123"} {
		if CAQHID(s) == nil {
			t.Errorf("CAQHID(%q) accepted", s)
		}
	}
	if w := CAQHIDWarning("1234567"); !strings.Contains(w, "usually 8 digits") {
		t.Errorf("warning for 7 digits = %q", w)
	}
	if w := CAQHIDWarning("12345678"); w != "" {
		t.Errorf("warning for 8 digits = %q", w)
	}
	if w := CAQHIDWarning("abc"); w != "" {
		t.Errorf("warning for an invalid ID = %q", w)
	}
}

func TestZIP(t *testing.T) {
	for _, s := range []string{"94110", "94110-1234", " 02139 "} {
		if err := ZIP(s); err != nil {
			t.Errorf("ZIP(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "9411", "941101", "94110-12", "9411O", "00000", "94110-"} {
		if ZIP(s) == nil {
			t.Errorf("ZIP(%q) accepted", s)
		}
	}
}

func TestPhone(t *testing.T) {
	for s, want := range map[string]string{
		"(415) 555-2671":  "(415) 555-2671",
		"415.555.2671":    "(415) 555-2671",
		"+1 415 555 2671": "(415) 555-2671",
		"14155552671":     "(415) 555-2671",
	} {
		got, err := NormalizePhone(s)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "555-2671", "(015) 555-2671", "(911) 555-2671", "(415) 155-2671", "415-555-2671 ext 3", "+44 20 7946 0958"} {
		if Phone(s) == nil {
			t.Errorf("Phone(%q) accepted", s)
		}
	}
}

func FuzzNPI(f *testing.F) {
	f.Add("1234567893")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if NPI(s) == nil && (len(strings.TrimSpace(s)) != 10 || !luhnValid("80840"+strings.TrimSpace(s))) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzCAQHID(f *testing.F) {
	f.Add("12345678")
	f.Fuzz(func(t *testing.T, s string) {
		if CAQHID(s) == nil && !digitsOnly(strings.TrimSpace(s)) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzZIP(f *testing.F) {
	f.Add("94110-1234")
	f.Fuzz(func(t *testing.T, s string) {
		if err := ZIP(s); err != nil && err.Error() == "" {
			t.Fatal("empty message")
		}
	})
}

func FuzzPhone(f *testing.F) {
	f.Add("(415) 555-2671")
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := NormalizePhone(s); err == nil && len(got) != 14 {
			t.Fatalf("normalized %q to %q", s, got)
		}
	})
}

func TestSSN(t *testing.T) {
	for _, s := range []string{"123-45-6789", "123456789", " 123 45 6789 ", "001-01-0001", "899-99-9999", "665-12-3456", "667-12-3456",
		"078-05-1121", "219-09-9998", "457-55-5462"} {
		if err := SSN(s); err != nil {
			t.Errorf("SSN(%q) = %v", s, err)
		}
	}
	// Each number the SSA never issues is refused with its own reason.
	for s, want := range map[string]string{
		"":            "Enter your Social Security number",
		"12345678":    "9 digits",
		"1234567890":  "9 digits",
		"12a-45-6789": "9 digits",
		"000-12-3456": "starts with 000",
		"666-12-3456": "starts with 666",
		"900-12-3456": "never start with 9",
		"999-12-3456": "never start with 9",
		"987-65-4320": "never start with 9", // the SSA's advertising range
		"987-65-4329": "never start with 9",
		"123-00-4567": "middle two digits",
		"123-45-0000": "last four digits",
		"078-05-1120": "wallets sold in 1938; the SSA voided it",
		"078 05 1120": "078-05-1120 is the sample number",
		"219-09-9999": "1940 Social Security pamphlet",
		"219099999":   "219-09-9999 is the sample number",
	} {
		if err := SSN(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("SSN(%q) = %v, want %q", s, err, want)
		}
	}
}

func FuzzSSN(f *testing.F) {
	f.Add("123-45-6789")
	f.Add("078-05-1120")
	f.Fuzz(func(t *testing.T, s string) {
		err := SSN(s)
		if err != nil && err.Error() == "" {
			t.Fatal("empty message")
		}
		d := strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s))
		if err == nil && (len(d) != 9 || !digitsOnly(d) || d[0] == '9' || d[:3] == "000" || d[:3] == "666" || d[3:5] == "00" || d[5:] == "0000") {
			t.Fatalf("accepted %q", s)
		}
	})
}
