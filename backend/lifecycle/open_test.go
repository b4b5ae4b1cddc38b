package lifecycle

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/store"
)

var ctx = context.Background()

func fixedNow() time.Time { return time.Date(2026, 11, 25, 15, 0, 0, 0, time.Local) }

func TestOpenDataMovesDamagedFileAside(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, store.FileName), []byte("not a database at all"), 0o600)
	s, rec, err := OpenData(ctx, dir, fixedNow())
	if err != nil || s != nil || rec == nil || rec.Problem != "damaged" {
		t.Fatalf("OpenData = %v %+v %v", s, rec, err)
	}
	if b, _ := os.ReadFile(rec.MovedTo); string(b) != "not a database at all" {
		t.Errorf("moved file = %q", b)
	}
	fresh, err := OpenFresh(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Close()
	s, rec, err = OpenData(ctx, dir, fixedNow())
	if err != nil || rec != nil {
		t.Fatalf("reopen after fresh start: %+v %v", rec, err)
	}
	s.Close()
}
