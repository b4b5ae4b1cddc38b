package dbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"onramp/backend/testenv"
)

// The engine a package's tests are running on, set by RunEngines for each
// run. Tests never change it.
var current struct {
	name string
	pg   *Postgres
}

// RunEngines runs a package's tests (from its TestMain) on SQLite, then
// again on PostgreSQL on a throwaway server, and returns the exit code for
// os.Exit. Without PostgreSQL the second run is skipped with the reason,
// unless ONRAMP_REQUIRE_ALL=1 (make test), where that fails.
//
// ONRAMP_TEST_ENGINE=sqlite or postgres runs only that engine's pass (a
// profile, a quick try).
func RunEngines(m *testing.M) int {
	only := os.Getenv("ONRAMP_TEST_ENGINE")
	code := 0
	if only == "" || only == "sqlite" {
		current.name = "sqlite"
		fmt.Println("=== tests on SQLite")
		code = m.Run()
	}
	if only == "sqlite" {
		return code
	}
	pg, err := StartPostgres(Options{})
	if err != nil {
		if os.Getenv(testenv.RequireAll) == "1" {
			fmt.Printf("FAIL: the PostgreSQL run needs its server: %v\n", err)
			return 1
		}
		fmt.Printf("=== skipping the tests on PostgreSQL: %v\n", err)
		return code
	}
	defer pg.Close()
	current.name, current.pg = "postgres", pg
	fmt.Println("=== tests on PostgreSQL")
	if c := m.Run(); c != 0 {
		code = c
	}
	return code
}

// Engine is the engine the tests are running on: "sqlite" or "postgres".
func Engine() string {
	if current.name == "" {
		return "sqlite" // a package without RunEngines
	}
	return current.name
}

// NewDB is a new, empty database on the current engine, as --db takes it:
// a file in the test's temporary folder, or a new PostgreSQL database's
// URL.
func NewDB(t testing.TB) string {
	t.Helper()
	if current.pg == nil {
		return filepath.Join(t.TempDir(), "intake.db")
	}
	url, err := current.pg.NewDatabase(context.Background())
	if err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, current.pg.Log())
	}
	t.Logf("database: %s", url)
	return url
}

// Server is the throwaway PostgreSQL server of the current run (nil on
// SQLite), for tests that stop and start it.
func Server() *Postgres { return current.pg }
