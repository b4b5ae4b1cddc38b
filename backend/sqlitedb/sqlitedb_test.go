package sqlitedb

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func openTemp(t *testing.T) *sql.DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{BusyTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSettings reads back, on a connection of the pool, what dsn asks for.
func TestSettings(t *testing.T) {
	db := openTemp(t)
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "1000"} {
		var got string
		if err := db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}

// TestCachedStatementsSeeSchemaChanges: connections keep prepared
// statements, and a migration changes the schema under them. A cached
// statement must see the new schema and the new version, whichever
// connection made the change.
func TestCachedStatementsSeeSchemaChanges(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.SetMaxOpenConns(2)
	migrations := []Migration{Exec(`CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x')`)}
	if err := Migrate(ctx, db, migrations); err != nil {
		t.Fatal(err)
	}
	columns := func() []string {
		t.Helper()
		rows, err := db.QueryContext(ctx, `SELECT * FROM t`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return cols
	}
	if got := columns(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("columns %v", got)
	}
	// The change made on another connection than the cached statement's:
	// hold one connection while the migration takes the other.
	held, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	migrations = append(migrations, Exec(`ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'y'`))
	if err := Migrate(ctx, db, migrations); err != nil {
		t.Fatal(err)
	}
	held.Close()
	for range 4 { // each connection of the pool in turn
		if got := columns(); !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("after the migration the columns are %v", got)
		}
		if v, err := Version(ctx, db); err != nil || v != 2 {
			t.Errorf("version %d, %v; want 2", v, err)
		}
	}
	var b string
	if err := db.QueryRowContext(ctx, `SELECT b FROM t`).Scan(&b); err != nil || b != "y" {
		t.Errorf("b = %q, %v", b, err)
	}
}
