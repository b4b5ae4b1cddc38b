//go:build releasebuild

package updates

import "testing"

// TestReleaseKeyIsReal fails a real build that still trusts the
// repository's TEST release key: `make dist` runs it with -tags
// releasebuild before it packages anything.
func TestReleaseKeyIsReal(t *testing.T) {
	if _, err := BuiltInKey(); err != nil {
		t.Fatal(err)
	}
	if UsesTestKey() {
		t.Fatal("release.pub is the repository's TEST release key: put your own release key's public half there (see the README)")
	}
}
