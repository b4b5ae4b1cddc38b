//go:build linux && !webkit2_41

package updates

import (
	"os"

	"onramp/backend/intake"
)

// linuxPlatform: a system with dpkg takes the .deb; one with rpm only, the
// .rpm.
func linuxPlatform() string {
	if _, err := os.Stat("/usr/bin/dpkg"); err != nil {
		if _, err := os.Stat("/usr/bin/rpm"); err == nil {
			return intake.PlatformRPM
		}
	}
	return intake.PlatformDeb
}
