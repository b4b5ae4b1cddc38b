package updates

import (
	"crypto/ed25519"
	_ "embed"
	"encoding/base64"
	"errors"
	"runtime"
	"strings"
)

// releasePub is the release public key the app trusts: one base64 line,
// after comment lines starting with #.
//
//go:embed release.pub
var releasePub string

// testKey is the repository's TEST release key (testdata/release-test.key):
// its private half is public, so a real build must not trust it.
const testKey = "2C+UIUbcugfze4H0sLWhEItwFR9G913ksUYTM8Gz6ZA="

// BuiltInKey is the release public key built into the app.
func BuiltInKey() (ed25519.PublicKey, error) { return parseKey(releasePub) }

// UsesTestKey reports whether the app was built with the repository's
// TEST release key.
func UsesTestKey() bool {
	k, err := BuiltInKey()
	return err == nil && base64.StdEncoding.EncodeToString(k) == testKey
}

func parseKey(text string) (ed25519.PublicKey, error) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(k) != ed25519.PublicKeySize {
			break
		}
		return ed25519.PublicKey(k), nil
	}
	return nil, errors.New("release.pub holds no Ed25519 public key")
}

// ThisPlatform is the release platform this build installs from: its
// operating system, and on Linux the package system that installed it
// (dpkg or rpm) and the WebKitGTK it was built for (webkit41, see
// platform_webkit41.go).
func ThisPlatform() string {
	switch runtime.GOOS {
	case "windows":
		return "windows"
	case "linux":
		return linuxPlatform()
	}
	return runtime.GOOS // macOS: no releases are published for it
}
