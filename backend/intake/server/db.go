// Package server is the network's side of sync: the intake HTTP JSON API
// the app talks to (enrollment, submissions, support packets, the status
// feed, portal password, help tickets), the guidance email each completed
// step sends the provider, the credential and CAQH reminders, and the operations support staff run, over one
// SQLite or PostgreSQL database. The wire types and the client are in package intake, so
// the app does not carry the server.
package server

import (
	"time"

	"onramp/backend/sqlitedb"
)

// DB is the intake server's database.
type DB struct {
	db  handle
	now func() time.Time
}

// migrations is the schema on SQLite (see postgresMigrations for
// PostgreSQL's: a change is appended to both).
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
-- Sealed fields as the app sent them: anonymous sealed boxes to the
-- network key named by sealed_to. Nothing on the server can open them
-- without the private key file, which the server never stores.
CREATE TABLE sealed_fields (
	provider    INTEGER NOT NULL REFERENCES providers (id),
	form        TEXT NOT NULL,
	version     INTEGER NOT NULL,
	field       TEXT NOT NULL,
	sealed      TEXT NOT NULL,
	sealed_to   TEXT NOT NULL,
	received_at TEXT NOT NULL,
	PRIMARY KEY (provider, form, version, field)
);
-- Every reveal of a sealed field, append-only: who, which provider and
-- field, when, from where, with which key, and whether it opened.
CREATE TABLE reveal_audit (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	who         TEXT NOT NULL,
	provider    INTEGER NOT NULL,
	form        TEXT NOT NULL,
	version     INTEGER NOT NULL,
	field       TEXT NOT NULL,
	host        TEXT NOT NULL,
	key         TEXT NOT NULL,
	outcome     TEXT NOT NULL
);
CREATE TRIGGER reveal_audit_no_update BEFORE UPDATE ON reveal_audit
BEGIN SELECT RAISE(ABORT, 'the reveal audit is append-only'); END;
CREATE TRIGGER reveal_audit_no_delete BEFORE DELETE ON reveal_audit
BEGIN SELECT RAISE(ABORT, 'the reveal audit is append-only'); END;`), sqlitedb.Exec(`
-- Insurance & Directories: the network's payers and programs (support
-- manages the list with onramp-intake offering), the providers enrolled in
-- each program (payers keep their status in payers), and the providers'
-- requests to join or leave one, which support approves or declines.
CREATE TABLE offerings (
	name     TEXT PRIMARY KEY COLLATE NOCASE,
	kind     TEXT NOT NULL CHECK (kind IN ('payer', 'program')),
	added_at TEXT NOT NULL
);
INSERT INTO offerings (name, kind, added_at) VALUES
	('Aetna', 'payer', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	('Blue Cross Blue Shield', 'payer', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	('Cigna', 'payer', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	('Medicaid', 'payer', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	('Medicare', 'payer', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	('UnitedHealthcare', 'payer', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	('Employee Assistance Program', 'program', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
CREATE TABLE enrollments (
	provider    INTEGER NOT NULL REFERENCES providers (id),
	program     TEXT NOT NULL,
	enrolled_at TEXT NOT NULL,
	PRIMARY KEY (provider, program)
);
CREATE TABLE requests (
	id         INTEGER PRIMARY KEY,
	provider   INTEGER NOT NULL REFERENCES providers (id),
	ref        TEXT NOT NULL,
	kind       TEXT NOT NULL,
	target     TEXT NOT NULL,
	reason     TEXT NOT NULL,
	state      TEXT NOT NULL DEFAULT 'pending', -- pending, approved, declined
	decision   TEXT NOT NULL DEFAULT '',        -- support's reason when declined
	created_at TEXT NOT NULL,
	decided_at TEXT NOT NULL DEFAULT '',
	UNIQUE (provider, ref)
);`), sqlitedb.Exec(`
-- What the network learns from the app (issue 11 part 3). Each report
-- merges into the provider's row so that a stale retry cannot roll it back:
-- the watched share only grows, attempts are kept by number, completion
-- keeps its first time; start date, checklist and app version keep the
-- report the app made last (reported_at), whatever order they arrive in.
CREATE TABLE training (
	provider        INTEGER PRIMARY KEY REFERENCES providers (id),
	webinar_version TEXT NOT NULL,
	watched_share   REAL NOT NULL,
	watched_at      TEXT NOT NULL DEFAULT '',
	completed_at    TEXT NOT NULL DEFAULT '',
	received_at     TEXT NOT NULL
);
CREATE TABLE quiz_attempts (
	provider INTEGER NOT NULL REFERENCES providers (id),
	number   INTEGER NOT NULL,
	at       TEXT NOT NULL,
	score    INTEGER NOT NULL,
	passed   INTEGER NOT NULL,
	PRIMARY KEY (provider, number)
);
CREATE TABLE start_dates (
	provider    INTEGER PRIMARY KEY REFERENCES providers (id),
	date        TEXT NOT NULL,
	reported_at TEXT NOT NULL,
	received_at TEXT NOT NULL
);
CREATE TABLE checklists (
	provider    INTEGER PRIMARY KEY REFERENCES providers (id),
	items       TEXT NOT NULL, -- JSON array of intake.ChecklistEntry
	reported_at TEXT NOT NULL,
	received_at TEXT NOT NULL
);
CREATE TABLE app_versions (
	provider    INTEGER PRIMARY KEY REFERENCES providers (id),
	version     TEXT NOT NULL,
	os          TEXT NOT NULL,
	reported_at TEXT NOT NULL,
	received_at TEXT NOT NULL
);
-- When the network saw onboarding complete; one row per provider, so the
-- completion email is queued once.
CREATE TABLE completions (
	provider     INTEGER PRIMARY KEY REFERENCES providers (id),
	completed_at TEXT NOT NULL
);`), invitationMail, sqlitedb.Exec(`
-- Email the provider's app handed to the mail submission service, kept as
-- received (raw) with its envelope (envelope_to: one address a line) and
-- relayed by the same mail loop. Its key is the provider and the message's
-- Message-ID, so a retry after a lost acknowledgement queues nothing twice.
-- Guidance rows keep raw NULL and are written from subject and body.
ALTER TABLE mail_queue ADD COLUMN raw BLOB;
ALTER TABLE mail_queue ADD COLUMN envelope_from TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_queue ADD COLUMN envelope_to TEXT NOT NULL DEFAULT '';`), sqlitedb.Exec(`
-- Which computer (installation) sent each form version, so that a provider
-- who moved computers (Reissue) is told at enrollment the latest version
-- the network holds from another one, and numbers the new computer's
-- versions after it. Versions received before are the installation's the
-- provider had then (a reissue empties it: those count as another's).
ALTER TABLE submissions ADD COLUMN installation TEXT NOT NULL DEFAULT '';
UPDATE submissions SET installation = (SELECT installation FROM providers WHERE providers.id = submissions.provider);`), sqlitedb.Exec(`
-- The address the provider gave the app at set-up, as their latest
-- enrollment sent it ('' when it sent none or no address). The mail
-- submission service lets them write to it besides providers.email, the
-- invitation's address, which keeps its meaning.
ALTER TABLE providers ADD COLUMN enrolled_email TEXT NOT NULL DEFAULT '';`), sqlitedb.Exec(releaseMigration), sqlitedb.Exec(lookupIndexes),
	sqlitedb.Exec(staffMigration), sqlitedb.Exec(queueMigration),
	sqlitedb.Exec(reminderMigration)}

// lookupIndexes serve the status feed's lookups by provider, which scanned
// the whole mail queue and invitation list for each request.
const lookupIndexes = `
CREATE INDEX mail_queue_provider ON mail_queue (provider);
CREATE INDEX mail_queue_invitation ON mail_queue (invitation);
CREATE INDEX invitations_provider ON invitations (provider);`

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

func (d *DB) stamp() string { return d.now().UTC().Format(time.RFC3339Nano) }
