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
	"onramp/backend/sqlitedb"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// DB is the intake server's database.
type DB struct {
	db  *sql.DB
	now func() time.Time
}

var migrations = []sqlitedb.Migration{sqlitedb.Exec(`
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
);`), sqlitedb.Exec(`
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
);`), sqlitedb.Exec(`
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
CREATE INDEX mail_queue_due ON mail_queue (state, next_at);`), sqlitedb.Exec(`
-- Email the provider's app handed to the mail submission service, kept as
-- received (raw) with its envelope (envelope_to: one address a line) and
-- relayed by the same mail loop. Its key is the provider and the message's
-- Message-ID, so a retry after a lost acknowledgement queues nothing twice.
-- Guidance rows keep raw NULL and are written from subject and body.
ALTER TABLE mail_queue ADD COLUMN raw BLOB;
ALTER TABLE mail_queue ADD COLUMN envelope_from TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_queue ADD COLUMN envelope_to TEXT NOT NULL DEFAULT '';`)}

// Open opens (creating) the database at path and brings its schema up to
// date.
func Open(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	db, err := sqlitedb.Open(path, sqlitedb.Options{BusyTimeout: 10 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("intake database: %w", err)
	}
	if err := sqlitedb.Migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("intake database: %w", err)
	}
	return &DB{db: db, now: now}, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

func (d *DB) stamp() string { return d.now().UTC().Format(time.RFC3339Nano) }
