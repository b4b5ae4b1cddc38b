package forms

import "testing"

func TestExpirations(t *testing.T) {
	d := validCredentialing(LicensePsychNP)
	d.Groups["licenses"] = append(d.Groups["licenses"],
		map[string]string{"state": "OR", "type": "PMHNP", "number": "OR-1", "expires": "2027-02-25"}, // 90 days
		map[string]string{"state": "WA", "type": "ARNP", "number": "WA-9", "expires": "2026-12-27"},  // 30 days
		map[string]string{"state": "NV", "type": "APRN", "number": "NV-3", "expires": "2026-11-27"},  // today
	)
	got := Expirations(d, formToday)
	if len(got) != 7 {
		t.Fatalf("%d expirations: %+v", len(got), got)
	}
	want := []struct {
		label, level string
		days         int
	}{
		{"NV APRN license NV-3", "expired", 0},
		{"WA ARNP license WA-9", "30", 30},
		{"Liability policy PL-99812 (CPH & Associates)", "90", 35},
		{"OR PMHNP license OR-1", "90", 90},
		{"CA PMHNP license NP123", "ok", 186},
	}
	for i, w := range want {
		if got[i].Label != w.label || got[i].Level != w.level || got[i].DaysLeft != w.days {
			t.Errorf("%d: %+v, want %+v", i, got[i], w)
		}
		if (got[i].Level != "ok") != (got[i].Action != "") {
			t.Errorf("%d: action %q for level %s", i, got[i].Action, got[i].Level)
		}
	}
	if got := Expirations(validCredentialing(LicenseLCSW), formToday); len(got) != 2 {
		t.Errorf("LCSW: %+v", got)
	}
}

func TestExpirationsNeverNil(t *testing.T) {
	if got := Expirations(NewData(), formToday); got == nil {
		t.Error("nil list: the dashboard would get null")
	}
}
