package server

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "github.com/mattn/go-sqlite3"    // the "sqlite3" driver

	"onramp/backend/sqlitedb"
)

// The server keeps its data in SQLite (a file: the embedded default) or in
// PostgreSQL (a postgres:// URL: several instances on one database). The
// SQL is written once, with ? placeholders, in the words both engines
// share; an engine says the few things that differ: how a placeholder is
// written, how the schema is migrated, how a transaction isolates, how a
// queue row is claimed, and which failures a retry can cure.
type engine interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// bind rewrites a query's ? placeholders into the engine's.
	bind(query string) string
	// migrate brings the schema up to date.
	migrate(ctx context.Context, db *sql.DB) error
	// version is the number of migrations applied, and how many this
	// build knows.
	version(ctx context.Context, db *sql.DB) (have, want int, err error)
	// txOptions is how a write transaction isolates.
	txOptions() *sql.TxOptions
	// writer waits for this process's turn to write, if the engine takes
	// turns; release ends the turn.
	writer(ctx context.Context) (release func(), err error)
	// lockRows holds the rows a SELECT picks until the transaction ends.
	lockRows(ctx context.Context, t *dbTx, query string, args ...any) error
	// lockName holds a named lock until the transaction ends.
	lockName(ctx context.Context, t *dbTx, name string) error
	// skipLocked ends a SELECT that picks rows to claim, so that two
	// instances claim different rows.
	skipLocked() string
	// retryable reports whether err is a conflict with a concurrent
	// transaction that running the transaction again resolves.
	retryable(err error) bool
	// unreachable reports whether err means the database could not be
	// reached or is shutting down or starting: a later try may succeed.
	unreachable(err error) bool
	// columns lists a table's columns in order, and which are booleans.
	columns(ctx context.Context, q querier, table string) ([]string, []bool, error)
	// afterCopy makes the ids carry on after the rows CopyTo wrote.
	afterCopy(ctx context.Context, t *dbTx) error
}

// IsPostgres reports whether a --db value names a PostgreSQL database
// rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open opens (creating, for SQLite) the database at db — a SQLite file's
// path or a postgres:// URL — and brings its schema up to date.
func Open(ctx context.Context, db string, now func() time.Time) (*DB, error) {
	var e engine = newSQLiteEngine()
	var sqlDB *sql.DB
	var err error
	if IsPostgres(db) {
		e = &postgresEngine{}
		sqlDB, err = openPostgres(ctx, db)
	} else {
		sqlDB, err = sqlitedb.Open(db, sqlitedb.Options{BusyTimeout: 10 * time.Second})
	}
	if err != nil {
		return nil, fmt.Errorf("intake database: %w", err)
	}
	if err := e.migrate(ctx, sqlDB); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("intake database: %w", err)
	}
	d := &DB{db: handle{sqlDB, e}, now: now}
	if err := d.fillQueueColumns(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("intake database: %w", err)
	}
	return d, nil
}

func openPostgres(ctx context.Context, url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redactURL(url), err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("reach %s: %w", redactURL(url), err)
	}
	return db, nil
}

// redactURL hides a URL's password in messages.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	userinfo := u[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return u[:scheme+3] + userinfo[:i] + ":xxxxx" + u[at:]
	}
	return u
}

// SchemaVersion is the number of migrations the database has had, and the
// number this build knows: equal once it is up to date.
func (d *DB) SchemaVersion(ctx context.Context) (have, want int, err error) {
	return d.db.eng.version(ctx, d.db.DB)
}

// Engine names the engine the database is on: "sqlite" or "postgres".
func (d *DB) Engine() string { return d.db.eng.Name() }

// handle is the database as the server's code uses it: *sql.DB's methods,
// with each query's placeholders written for the engine, and transactions
// isolated as the engine needs.
type handle struct {
	*sql.DB
	eng engine
}

func (h handle) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return h.DB.ExecContext(ctx, h.eng.bind(query), args...)
}

func (h handle) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return h.DB.QueryContext(ctx, h.eng.bind(query), args...)
}

func (h handle) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return h.DB.QueryRowContext(ctx, h.eng.bind(query), args...)
}

func (h handle) Exec(query string, args ...any) (sql.Result, error) {
	return h.ExecContext(context.Background(), query, args...)
}

func (h handle) Query(query string, args ...any) (*sql.Rows, error) {
	return h.QueryContext(context.Background(), query, args...)
}

func (h handle) QueryRow(query string, args ...any) *sql.Row {
	return h.QueryRowContext(context.Background(), query, args...)
}

// BeginTx starts a write transaction. On SQLite it takes the write lock at
// once (BEGIN IMMEDIATE): one writer at a time. On PostgreSQL it is READ
// COMMITTED, and a transaction's read-then-write steps stay correct with
// several instances writing at once because each first locks what they
// are about (see lockProvider): all of one provider's writes queue behind
// each other, different providers' never wait for each other. A unique
// key that another transaction wrote first fails the statement (see
// engine.retryable): run again, the transaction reads it.
func (h handle) BeginTx(ctx context.Context) (*dbTx, error) {
	release, err := h.eng.writer(ctx)
	if err != nil {
		return nil, err
	}
	t, err := h.DB.BeginTx(ctx, h.eng.txOptions())
	if err != nil {
		release()
		return nil, err
	}
	return &dbTx{Tx: t, eng: h.eng, release: release}, nil
}

// dbTx is a transaction with the handle's placeholder rewriting.
type dbTx struct {
	*sql.Tx
	eng     engine
	release func() // the writer's turn (see engine.writer)
	ended   sync.Once
}

func (t *dbTx) Commit() error {
	defer t.ended.Do(t.release)
	return t.Tx.Commit()
}

func (t *dbTx) Rollback() error {
	defer t.ended.Do(t.release)
	return t.Tx.Rollback()
}

// lockProvider holds the provider's row until the transaction ends: every
// transaction that reads and then writes a provider's data takes it first.
func (t *dbTx) lockProvider(ctx context.Context, provider int64) error {
	return t.eng.lockRows(ctx, t, `SELECT id FROM providers WHERE id = ?`, provider)
}

func (t *dbTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.eng.bind(query), args...)
}

func (t *dbTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, t.eng.bind(query), args...)
}

func (t *dbTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, t.eng.bind(query), args...)
}

// sqliteEngine: one file, one writer at a time.
type sqliteEngine struct {
	// writers is this process's turn to write, taken before BEGIN
	// IMMEDIATE: waiting here, in line, is fair and wakes at once when the
	// turn comes, where SQLite's busy handler polls with growing sleeps
	// (under load, a few writers waited seconds).
	writers chan struct{}
}

func newSQLiteEngine() *sqliteEngine { return &sqliteEngine{writers: make(chan struct{}, 1)} }

func (e *sqliteEngine) writer(ctx context.Context) (func(), error) {
	select {
	case e.writers <- struct{}{}:
		return func() { <-e.writers }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (*sqliteEngine) Name() string             { return "sqlite" }
func (*sqliteEngine) bind(query string) string { return query }
func (*sqliteEngine) migrate(ctx context.Context, db *sql.DB) error {
	return sqlitedb.Migrate(ctx, db, migrations)
}
func (*sqliteEngine) version(ctx context.Context, db *sql.DB) (int, int, error) {
	v, err := sqlitedb.Version(ctx, db)
	return v, len(migrations), err
}
func (*sqliteEngine) txOptions() *sql.TxOptions  { return nil } // BEGIN IMMEDIATE, from the DSN
func (*sqliteEngine) skipLocked() string         { return "" }  // one writer: nothing to skip
func (*sqliteEngine) retryable(err error) bool   { return false }
func (*sqliteEngine) unreachable(err error) bool { return false }
func (*sqliteEngine) columns(ctx context.Context, q querier, table string) ([]string, []bool, error) {
	return columnsFrom(ctx, q, `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`, table)
}
func (*sqliteEngine) afterCopy(context.Context, *dbTx) error { return nil } // INTEGER PRIMARY KEY carries on by itself
func (*sqliteEngine) lockRows(context.Context, *dbTx, string, ...any) error {
	return nil // the transaction holds the whole database already
}
func (*sqliteEngine) lockName(context.Context, *dbTx, string) error { return nil }

// postgresEngine: several instances on one database.
type postgresEngine struct {
	bound sync.Map // query → query with $n placeholders
}

func (*postgresEngine) Name() string { return "postgres" }

func (e *postgresEngine) bind(query string) string {
	if b, ok := e.bound.Load(query); ok {
		return b.(string)
	}
	b := dollarPlaceholders(query)
	e.bound.Store(query, b)
	return b
}

// dollarPlaceholders numbers a query's ? placeholders $1, $2, …, leaving
// any ? inside a quoted string or identifier alone.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			// ?NNN names a parameter by number, as in SQLite; a bare ?
			// is the next one.
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			if j > i+1 {
				b.WriteString("$" + query[i+1:j])
				i = j - 1
				continue
			}
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (*postgresEngine) txOptions() *sql.TxOptions { return nil } // READ COMMITTED

// writer: every instance writes at once; transactions lock what they are
// about instead (lockProvider).
func (*postgresEngine) writer(context.Context) (func(), error) { return func() {}, nil }

func (*postgresEngine) lockRows(ctx context.Context, t *dbTx, query string, args ...any) error {
	_, err := t.ExecContext(ctx, query+` FOR UPDATE`, args...)
	return err
}

func (*postgresEngine) lockName(ctx context.Context, t *dbTx, name string) error {
	_, err := t.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext(?))`, name)
	return err
}

func (*postgresEngine) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// retryable: a serialization failure or deadlock, or a unique key another
// instance's transaction wrote first (running again reads it and takes
// the path for a key already there).
func (*postgresEngine) retryable(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return false
	}
	switch pg.Code {
	case "40001", "40P01", "23505":
		return true
	}
	return false
}

// unreachable: no connection could be made or it broke (class 08), the
// server is shutting down or starting (57P01-57P03), or the pool has no
// connection that works.
func (*postgresEngine) unreachable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || pgconn.SafeToRetry(err)
}

func (*postgresEngine) columns(ctx context.Context, q querier, table string) ([]string, []bool, error) {
	return columnsFrom(ctx, q, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table)
}

// afterCopy moves each identity column's sequence past the ids copied in.
func (*postgresEngine) afterCopy(ctx context.Context, t *dbTx) error {
	rows, err := t.QueryContext(ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	for _, table := range tables {
		if _, err := t.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM `+table+`), 0) + 1, false)`, table); err != nil {
			return fmt.Errorf("carry %s's ids on: %w", table, err)
		}
	}
	return nil
}

// migrationLock is the advisory lock key two instances starting together
// take before they migrate: one migrates, the other then finds nothing to
// do. (The bytes of "onramp-m".)
const migrationLock = 0x6f6e72616d702d6d

func (*postgresEngine) migrate(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("take the migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("make schema_version: %w", err)
	}
	v, err := postgresVersion(ctx, conn)
	if err != nil {
		return err
	}
	if v > len(postgresMigrations) {
		return fmt.Errorf("%w (version %d, this build knows up to %d)", sqlitedb.ErrTooNew, v, len(postgresMigrations))
	}
	for ; v < len(postgresMigrations); v++ {
		if err := applyPostgres(ctx, conn, v+1, postgresMigrations[v]); err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
	return nil
}

type execQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func postgresVersion(ctx context.Context, q execQuerier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func applyPostgres(ctx context.Context, conn *sql.Conn, version int, statements string) error {
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if _, err := t.ExecContext(ctx, statements); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, version); err != nil {
		return err
	}
	return t.Commit()
}

func (*postgresEngine) version(ctx context.Context, db *sql.DB) (int, int, error) {
	v, err := postgresVersion(ctx, db)
	return v, len(postgresMigrations), err
}

// retrying runs a handler's transaction again, up to three times in all,
// when it lost a conflict with another instance's (engine.retryable): the
// run that follows reads what the other wrote. A conflict left after the
// third is answered 503, to be retried by the app.
func (s *Server) retrying(ctx context.Context, run func() (int, any, error)) (int, any, error) {
	for attempt := 1; ; attempt++ {
		status, resp, err := run()
		if err == nil || !s.db.db.eng.retryable(err) || attempt == 3 || ctx.Err() != nil {
			return status, resp, err
		}
		s.metrics.retried.Inc()
		time.Sleep(time.Duration(attempt*(5+rand.IntN(20))) * time.Millisecond)
	}
}

// failure is the answer to a handler's error: an apiError as it is; a 503
// when the database is out of reach or a conflict outlasted the retries;
// else a 500. Each failure that is not the client's is logged with its
// cause and the request's ID.
func (s *Server) failure(ctx context.Context, err error) error {
	var ae *apiError
	if errors.As(err, &ae) {
		return err
	}
	if s.db.db.eng.retryable(err) || s.db.db.eng.unreachable(err) {
		s.log.WarnContext(ctx, "database unavailable", "error", err)
		return &apiError{http.StatusServiceUnavailable, "unavailable", "The network's server cannot reach its database just now. Try again in a moment.", nil}
	}
	s.log.ErrorContext(ctx, "internal error", "error", err)
	return err
}
