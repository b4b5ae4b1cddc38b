package intake

import "testing"

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		cmp  int
		ok   bool
	}{
		{"0.1.0", "0.1.0", 0, true},
		{"0.1.0", "0.2.0", -1, true},
		{"1.2.10", "1.2.9", 1, true},
		{"1.2", "1.2.0", 0, true},
		{"0.0.0-dev", "0.1.0", -1, true}, // a development build is older than any release
		{"0.1.0-dev", "0.1.0", -1, true},
		{"0.1.0", "0.1.0-rc1", 1, true},
		{"0.1.0-rc1", "0.1.0-rc2", -1, true},
		{"", "0.1.0", 0, false},
		{"1.x", "1.0", 0, false},
		{"01.0", "1.0", 0, false},
	}
	for _, tt := range tests {
		if cmp, ok := CompareVersions(tt.a, tt.b); cmp != tt.cmp || ok != tt.ok {
			t.Errorf("CompareVersions(%q, %q) = %d, %v; want %d, %v", tt.a, tt.b, cmp, ok, tt.cmp, tt.ok)
		}
	}
}
