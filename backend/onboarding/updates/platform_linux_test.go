//go:build linux

package updates

import (
	"testing"

	"onramp/backend/intake"
)

// Each of make dist's four packages asks for its own platform's releases.
func TestPackagePlatform(t *testing.T) {
	tests := []struct {
		tools    []string
		webkit41 bool
		want     string
	}{
		{[]string{"/usr/bin/dpkg"}, false, intake.PlatformDeb},
		{[]string{"/usr/bin/dpkg"}, true, intake.PlatformDebWebKit41},
		{[]string{"/usr/bin/dpkg", "/usr/bin/rpm"}, false, intake.PlatformDeb}, // Debian with rpm installed
		{[]string{"/usr/bin/rpm"}, false, intake.PlatformRPM},
		{[]string{"/usr/bin/rpm"}, true, intake.PlatformRPMWebKit41},
		{nil, false, intake.PlatformDeb}, // neither: the .deb is the likelier
	}
	for _, tt := range tests {
		has := func(path string) bool {
			for _, p := range tt.tools {
				if p == path {
					return true
				}
			}
			return false
		}
		if got := packagePlatform(has, tt.webkit41); got != tt.want {
			t.Errorf("%v, webkit41 %v: %s, want %s", tt.tools, tt.webkit41, got, tt.want)
		}
	}
}
