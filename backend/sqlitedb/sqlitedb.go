// Package sqlitedb is the one way Onramp opens a SQLite database and brings
// its schema up to date: the app's local store and the intake server's
// database both go through it.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver
)

// Options are what differs between the two databases, on purpose.
type Options struct {
	// BusyTimeout is how long a write waits for another writer before it
	// fails. The app has one writer (the provider) and would rather report
	// a stuck database than freeze its window: 5 s. The intake server has
	// many requests writing at once, each within a 20 s client timeout:
	// 10 s.
	BusyTimeout time.Duration
}

// The settings both databases use, on purpose the same:
//   - WAL: readers never wait for the writer;
//   - foreign keys enforced;
//   - synchronous=FULL: a write is on disk before it is acknowledged, so a
//     power cut loses nothing acknowledged — on the laptop a saved draft,
//     on the server an answered upload, which the app then deletes from
//     its outbox (with NORMAL, as the server had, WAL survives a crash of
//     the process but may lose the last commits to a power cut);
//   - BEGIN IMMEDIATE: a transaction takes the write lock at its start, so
//     two writers queue instead of deadlocking on a read-then-write;
//   - each connection keeps its 64 most recently used prepared statements:
//     preparing the same SQL again for every request was a sixth of the
//     intake server's CPU time while an outbox drained.
func dsn(path string, o Options) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", strconv.FormatInt(o.BusyTimeout.Milliseconds(), 10))
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	q.Set("_stmt_cache_size", "64")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens the database at path, creating the file readable by its
// owner only (SQLite gives its -wal and -shm files the same mode). It
// does not touch the schema: see Migrate.
func Open(path string, o Options) (*sql.DB, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open database file: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("restrict database file: %w", err)
	}
	db, err := sql.Open("sqlite3", dsn(path, o))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// Migration is one step of a schema's history, run in its own
// transaction.
type Migration func(tx *sql.Tx) error

// Exec is a migration that runs SQL statements.
func Exec(statements string) Migration {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec(statements)
		return err
	}
}

// ErrTooNew means the database was written by a newer version whose
// migrations this build does not know; it is left untouched.
var ErrTooNew = errors.New("the database was written by a newer version")

// Version is the number of migrations applied (PRAGMA user_version).
func Version(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// Migrate applies the migrations the database has not had yet, each with
// its version number in one transaction: the database's version is the
// number applied, so migrations are appended, never edited. A database at
// a higher version than len(migrations) is refused with ErrTooNew.
func Migrate(ctx context.Context, db *sql.DB, migrations []Migration) error {
	v, err := Version(ctx, db)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("%w (version %d, this build knows up to %d)", ErrTooNew, v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		if err := apply(ctx, db, v+1, migrations[v]); err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, version int, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := m(tx); err != nil {
		return err
	}
	// user_version lives in the database header and is part of the
	// transaction: a crash leaves either both or neither.
	if _, err := tx.Exec("PRAGMA user_version = " + strconv.Itoa(version)); err != nil {
		return err
	}
	return tx.Commit()
}
