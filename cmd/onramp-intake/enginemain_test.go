package main

import (
	"os"
	"testing"

	"onramp/backend/dbtest"
)

// Every test here runs on SQLite, then on PostgreSQL (the command-line
// tests of file paths run twice on SQLite's terms).
func TestMain(m *testing.M) { os.Exit(dbtest.RunEngines(m)) }
