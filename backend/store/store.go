// Package store is Onramp's local SQLite database: one Store type over
// *sql.DB, one file per entity, migrations as Go code.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"onramp/backend/sqlitedb"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// FileName is the database's name inside the data folder.
const FileName = "onramp.db"

var (
	// ErrCorrupt means the file is not a readable Onramp database. It is
	// never written to: the caller moves it aside.
	ErrCorrupt = errors.New("the data file is damaged and cannot be read")
	// ErrTooNew means the database was written by a newer Onramp whose
	// migrations this build does not know.
	ErrTooNew = errors.New("the data file was saved by a newer version of Onramp")
)

// Store is the app's database.
type Store struct {
	db   *sql.DB
	path string
}

var sqliteHeader = []byte("SQLite format 3\x00")

// Open opens (creating if needed) the database at path, checks it and applies
// pending migrations, each in its own transaction. A damaged file yields an
// error wrapping ErrCorrupt, a file from a newer version one wrapping
// ErrTooNew; in both cases the file is left exactly as it was.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	db, err := sqlitedb.Open(path, sqlitedb.Options{BusyTimeout: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path}
	if err := s.check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := sqlitedb.Migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// checkHeader rejects a non-empty file that does not start like a SQLite
// database, before SQLite gets a chance to touch it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read data file: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && (err == io.EOF || err == nil):
		return nil // empty: a fresh database
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("read data file: %w", err)
	case !bytes.Equal(head[:n], sqliteHeader):
		return fmt.Errorf("%w: it is not a SQLite database", ErrCorrupt)
	}
	return nil
}

// check runs SQLite's own consistency check and refuses newer schemas.
func (s *Store) check(ctx context.Context) error {
	var result string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&result); err != nil {
		return classify(err)
	}
	if result != "ok" {
		return fmt.Errorf("%w: %s", ErrCorrupt, result)
	}
	v, err := s.version(ctx)
	if err != nil {
		return classify(err)
	}
	if v > len(migrations) {
		return fmt.Errorf("%w (data version %d, this app knows up to %d)", ErrTooNew, v, len(migrations))
	}
	return nil
}

// classify turns SQLite's "this is not a database" family into ErrCorrupt.
func classify(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB) {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if strings.Contains(err.Error(), "malformed") {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return fmt.Errorf("check database: %w", err)
}

func (s *Store) version(ctx context.Context) (int, error) { return sqlitedb.Version(ctx, s.db) }

// Version is the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) { return s.version(ctx) }

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close checkpoints the WAL and closes the database.
func (s *Store) Close() error {
	_, _ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	return s.db.Close()
}

// DB exposes the handle to sibling packages' tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// MoveAside renames a database that cannot be used, with its -wal and -shm
// files, to "<name>.unreadable-<UTC timestamp>" beside it, so that a fresh
// start never overwrites it. It returns the new path of the main file.
func MoveAside(path string, now time.Time) (string, error) {
	stamp := now.UTC().Format("20060102T150405Z")
	dest := fmt.Sprintf("%s.unreadable-%s", path, stamp)
	for i := 2; exists(dest); i++ {
		dest = fmt.Sprintf("%s.unreadable-%s-%d", path, stamp, i)
	}
	if err := os.Rename(path, dest); err != nil {
		return "", fmt.Errorf("move damaged data file aside: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if exists(path + suffix) {
			if err := os.Rename(path+suffix, dest+suffix); err != nil {
				return dest, fmt.Errorf("move %s aside: %w", filepath.Base(path+suffix), err)
			}
		}
	}
	return dest, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
