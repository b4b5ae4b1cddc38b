package store

import (
	"context"
	"onramp/backend/sqlitedb"
	"path/filepath"
	"testing"
	"time"
)

// A database left at an older version by an earlier Onramp upgrades in place
// and keeps its data.
func TestUpgradeFromEveryEarlierVersion(t *testing.T) {
	ctx := context.Background()
	for from := 1; from < len(migrations); from++ {
		path := filepath.Join(t.TempDir(), FileName)
		db, err := sqlitedb.Open(path, sqlitedb.Options{BusyTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := sqlitedb.Migrate(ctx, db, migrations[:from]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO checklist (item, done_at) VALUES ('first-client', '2026-11-27T10:00:00Z');
			INSERT INTO account (id, legal_name, email, license_type, contract_start, invitation_code, created_at)
			VALUES (1, 'Nguyễn Văn An', 'an@example.org', 'lcsw', '2026-12-01', 'ABCD-EFGH-JKLM', '2026-11-27T09:30:00Z')`); err != nil {
			t.Fatal(err)
		}
		db.Close()

		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("upgrade from %d: %v", from, err)
		}
		if v, _ := s.Version(ctx); v != len(migrations) {
			t.Errorf("upgrade from %d reached %d", from, v)
		}
		if c, _ := s.Checked(ctx); len(c) != 1 {
			t.Errorf("upgrade from %d lost data", from)
		}
		if a, ok, err := s.Account(ctx); err != nil || !ok || a.LegalName != "Nguyễn Văn An" || a.PreferredName != "" {
			t.Errorf("upgrade from %d: account %+v %v %v", from, a, ok, err)
		}
		s.Close()
	}
}
