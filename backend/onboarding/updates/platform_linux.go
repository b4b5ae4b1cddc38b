//go:build linux

package updates

import (
	"os"

	"onramp/backend/intake"
)

func linuxPlatform() string {
	return packagePlatform(func(path string) bool { _, err := os.Stat(path); return err == nil }, webkit41)
}

// packagePlatform: the package system that installed the app (dpkg, or rpm
// on a system without dpkg) and the WebKitGTK it was built for.
func packagePlatform(exists func(path string) bool, webkit41 bool) string {
	rpm := !exists("/usr/bin/dpkg") && exists("/usr/bin/rpm")
	switch {
	case rpm && webkit41:
		return intake.PlatformRPMWebKit41
	case rpm:
		return intake.PlatformRPM
	case webkit41:
		return intake.PlatformDebWebKit41
	}
	return intake.PlatformDeb
}
