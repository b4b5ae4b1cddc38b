//go:build linux && webkit2_41

package updates

import "onramp/backend/intake"

// linuxPlatform: a build for WebKitGTK 4.1 takes the matching .deb.
func linuxPlatform() string { return intake.PlatformDebWebKit41 }
