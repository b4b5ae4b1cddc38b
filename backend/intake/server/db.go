// Package server is the network's side of sync: the intake HTTP JSON API
// the app talks to (enrollment, submissions, support packets, the status
// feed, portal password, help tickets), the guidance email each completed
// step sends the provider, and the operations support staff run, over one
// SQLite database. The wire types and the client are in package intake, so
// the app does not carry the server.
package server

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// DB is the intake server's database.
type DB struct {
	db  *sql.DB
	now func() time.Time
}

var migrations = []string{`
CREATE TABLE invitations (
	code       TEXT PRIMARY KEY,
	email      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	provider   INTEGER
);
CREATE TABLE providers (
	id           INTEGER PRIMARY KEY,
	email        TEXT NOT NULL,
	name         TEXT NOT NULL,
	installation TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   TEXT NOT NULL
);
CREATE TABLE submissions (
	id             INTEGER PRIMARY KEY,
	provider       INTEGER NOT NULL REFERENCES providers (id),
	form           TEXT NOT NULL,
	version        INTEGER NOT NULL,
	schema_version INTEGER NOT NULL,
	hash           TEXT NOT NULL,
	data           TEXT NOT NULL,
	submitted_at   TEXT NOT NULL,
	received_at    TEXT NOT NULL,
	review         TEXT NOT NULL DEFAULT 'received',
	review_reason  TEXT NOT NULL DEFAULT '',
	reviewed_at    TEXT NOT NULL DEFAULT '',
	UNIQUE (provider, form, version)
);
CREATE TABLE payers (
	provider   INTEGER NOT NULL REFERENCES providers (id),
	payer      TEXT NOT NULL,
	status     TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (provider, payer)
);
CREATE TABLE effective_dates (
	provider INTEGER PRIMARY KEY REFERENCES providers (id),
	date     TEXT NOT NULL
);
CREATE TABLE portal_passwords (
	provider   INTEGER PRIMARY KEY REFERENCES providers (id),
	hash       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE tickets (
	id         INTEGER PRIMARY KEY,
	provider   INTEGER NOT NULL REFERENCES providers (id),
	subject    TEXT NOT NULL,
	message    TEXT NOT NULL,
	created_at TEXT NOT NULL
);
-- One row per write the app made: the same key with the same body replays
-- the stored answer; with another body it is refused.
CREATE TABLE idempotency (
	provider     INTEGER NOT NULL,
	key          TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	status       INTEGER NOT NULL,
	response     TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	PRIMARY KEY (provider, key)
);`, `
-- Support packets as uploaded, verified on arrival: the archive itself and
-- what support needs to find and check it. One per provider and packet ID.
CREATE TABLE packets (
	provider       INTEGER NOT NULL REFERENCES providers (id),
	packet_id      TEXT NOT NULL,
	fingerprint    TEXT NOT NULL,
	signer         TEXT NOT NULL,
	archive_sha256 TEXT NOT NULL,
	size           INTEGER NOT NULL,
	archive        BLOB NOT NULL,
	received_at    TEXT NOT NULL,
	PRIMARY KEY (provider, packet_id)
);
-- The signing key of each provider's first accepted packet (trust on first
-- use): later packets must be signed by the same installation.
CREATE TABLE packet_keys (
	provider   INTEGER PRIMARY KEY REFERENCES providers (id),
	signer     TEXT NOT NULL,
	first_seen TEXT NOT NULL
);`, `
-- Guidance emails to providers, queued in the transaction of the write that
-- completed a step and sent by the server's mail loop. One per key
-- (provider and step), whatever retries and restarts happen. next_at and
-- claimed_at are Unix milliseconds, to compare as numbers.
CREATE TABLE mail_queue (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	provider   INTEGER NOT NULL REFERENCES providers (id),
	step       TEXT NOT NULL,
	to_name    TEXT NOT NULL,
	to_email   TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	state      TEXT NOT NULL DEFAULT 'queued', -- queued, sending, sent, failed
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL,
	claimed_at INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	sent_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_queue_due ON mail_queue (state, next_at);`}

// Open opens (creating) the database at path and brings its schema up to
// date.
func Open(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open intake database: %w", err)
	}
	f.Close()
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	d := &DB{db: db, now: now}
	if err := d.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

func (d *DB) migrate(ctx context.Context) error {
	var v int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("intake database: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("intake database is from a newer version (%d)", v)
	}
	for ; v < len(migrations); v++ {
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate intake database to %d: %w", v+1, err)
		}
		if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

func (d *DB) stamp() string { return d.now().UTC().Format(time.RFC3339Nano) }
