// Package version is the app's version: one place to read it, stamped into
// the binary at build time from wails.json's info.productVersion (which Wails
// also writes into the Windows version resource and the macOS Info.plist, so
// it is the one file that must hold the version anyway; a VERSION file would
// be a second place to keep in step).
package version

// stamped is written by the linker, never at run time: the Makefile's builds
// pass -ldflags "-X onramp/backend/version.stamped=<productVersion>". The
// linker can only set a package-level string variable, hence not a const.
var stamped string

// Unstamped is the version of a build the Makefile did not make (`go build`,
// `go test`, `wails dev`): it sorts below every release and says plainly
// that this is a development build.
const Unstamped = "0.0.0-dev"

// String is the app's version, as the app shows and reports it.
func String() string {
	if stamped == "" {
		return Unstamped
	}
	return stamped
}

// UserAgent is what the app sends to the intake server, so the network can
// tell which versions are in use: "Onramp/0.1.0 (linux)".
func UserAgent(goos string) string {
	return "Onramp/" + String() + " (" + goos + ")"
}
