// Package secrettest gives tests a secrets box with a fixed key, so that
// what one test seals another part of it can open.
package secrettest

import (
	"testing"

	"onramp/backend/secret"
)

// Box is a box with a fixed test key.
func Box(t testing.TB) *secret.Box {
	t.Helper()
	b, err := secret.NewBox([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
