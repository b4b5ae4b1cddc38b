// Package storetest gives tests a real, migrated SQLite store in a temporary
// folder.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"onramp/backend/store"
)

// New opens a fresh store in t's temporary folder and closes it when the test
// ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
