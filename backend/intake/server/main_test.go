package server

import (
	"os"
	"testing"

	"onramp/backend/dbtest"
)

// Every test here runs on SQLite, then on PostgreSQL.
func TestMain(m *testing.M) { os.Exit(dbtest.RunEngines(m)) }
