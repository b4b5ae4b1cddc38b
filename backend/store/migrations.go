package store

import (
	"database/sql"
	"onramp/backend/sqlitedb"
)

// migrations is the schema's history. The database's version (PRAGMA
// user_version) is the number of migrations applied; append, never edit.
var migrations = []sqlitedb.Migration{
	migrateAccountAndJourney,
	migrateTrainingAndOutbox,
	migrateFormsAndSubmissions,
	migrateSecrets,
	migrateAttachments,
	migrateSettings,
	migrateAccountPreferredName,
	migrateNetworkVersions,
	migrateRaisableVersions,
	migrateRemindersShown,
}

// SchemaVersion is the version a fully migrated database is at.
func SchemaVersion() int { return len(migrations) }

func migrateAccountAndJourney(tx *sql.Tx) error {
	_, err := tx.Exec(`
CREATE TABLE account (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	legal_name      TEXT NOT NULL,
	email           TEXT NOT NULL,
	license_type    TEXT NOT NULL,
	contract_start  TEXT NOT NULL,
	invitation_code TEXT NOT NULL,
	created_at      TEXT NOT NULL
);
-- When each journey milestone happened: forms submitted and reviewed,
-- portal created, webinar watched, quiz passed, effective date set.
CREATE TABLE milestones (
	name TEXT PRIMARY KEY,
	at   TEXT NOT NULL
);
-- Checklist items the provider ticked and articles they read.
CREATE TABLE checklist (
	item    TEXT PRIMARY KEY,
	done_at TEXT NOT NULL
);
-- Per-payer credentialing status, as set by the network.
CREATE TABLE payer_status (
	payer      TEXT PRIMARY KEY,
	status     TEXT NOT NULL,
	updated_at TEXT NOT NULL
);`)
	return err
}

func migrateTrainingAndOutbox(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- What of each webinar version was played: merged [start, end] pairs in
-- seconds, as JSON, and where the provider stopped.
CREATE TABLE webinar_progress (
	version    TEXT PRIMARY KEY,
	intervals  TEXT NOT NULL,
	position   REAL NOT NULL,
	updated_at TEXT NOT NULL
);
-- Every quiz attempt, kept with its answers and score.
CREATE TABLE quiz_attempts (
	id       INTEGER PRIMARY KEY,
	taken_at TEXT NOT NULL,
	answers  TEXT NOT NULL,
	correct  INTEGER NOT NULL,
	total    INTEGER NOT NULL,
	score    INTEGER NOT NULL,
	passed   INTEGER NOT NULL
);
-- Work to send when online: emails, submissions, packets. The idempotency
-- key is created with the item and sent on every try.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	idempotency_key TEXT NOT NULL UNIQUE,
	payload         TEXT NOT NULL,
	state           TEXT NOT NULL DEFAULT 'queued',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);`)
	return err
}

func migrateFormsAndSubmissions(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- The form being edited, one per form, saved as the provider types.
CREATE TABLE drafts (
	form       TEXT PRIMARY KEY,
	data       TEXT NOT NULL,
	revision   INTEGER NOT NULL,
	updated_at TEXT NOT NULL
);
-- Submitted versions: immutable (triggers refuse changes), numbered per form.
CREATE TABLE submissions (
	id             INTEGER PRIMARY KEY,
	form           TEXT NOT NULL,
	version        INTEGER NOT NULL,
	schema_version INTEGER NOT NULL,
	data           TEXT NOT NULL,
	hash           TEXT NOT NULL,
	submitted_at   TEXT NOT NULL,
	UNIQUE (form, version)
);
CREATE TRIGGER submissions_immutable BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, 'submitted forms cannot be changed'); END;
CREATE TRIGGER submissions_kept BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, 'submitted forms cannot be deleted'); END;`)
	return err
}

func migrateSecrets(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- Encrypted secrets (AES-256-GCM, see package secret) by name, with the
-- masked form the app may show (e.g. the SSN's last 4 digits).
CREATE TABLE secrets (
	name       TEXT PRIMARY KEY,
	sealed     TEXT NOT NULL,
	mask       TEXT NOT NULL,
	updated_at TEXT NOT NULL
);`)
	return err
}

func migrateAttachments(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- Uploaded documents, stored as files named by their SHA-256 (package
-- attach); this is what the app knows about each.
CREATE TABLE attachments (
	hash     TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	size     INTEGER NOT NULL,
	type     TEXT NOT NULL,
	added_at TEXT NOT NULL
);`)
	return err
}

func migrateSettings(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- Small app state by key, e.g. where the provider was when the app closed.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);`)
	return err
}

func migrateAccountPreferredName(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- The name to greet the provider by, asked at first-run set-up (optional);
-- accounts made before have none.
ALTER TABLE account ADD COLUMN preferred_name TEXT NOT NULL DEFAULT '';`)
	return err
}

func migrateNetworkVersions(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- What the network's status feed says of each submitted form version: when
-- it received it and its review. The journey's dates count from these, not
-- from the local submit.
CREATE TABLE network_versions (
	form        TEXT NOT NULL,
	version     INTEGER NOT NULL,
	received_at TEXT NOT NULL,
	-- 1: received_at is the network's own; 0: when a sync first learned of
	-- the receipt (a feed without times), which the network's replaces.
	received_exact INTEGER NOT NULL,
	review      TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	reviewed_at TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (form, version)
);`)
	return err
}

func migrateRemindersShown(tx *sql.Tx) error {
	_, err := tx.Exec(`
-- Each reminder shown as a desktop notification (forms.Reminder's key: the
-- credential, its date and the threshold), so none is shown twice, not even
-- after a restart.
CREATE TABLE reminders_shown (
	key      TEXT PRIMARY KEY,
	shown_at TEXT NOT NULL
);`)
	return err
}
