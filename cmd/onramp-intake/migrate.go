package main

import (
	"context"
	"fmt"
	"io"

	"onramp/backend/intake/server"
)

// migrateCommand brings a database's schema up to date and says where it
// stands: before a new version's instances start, or to make a new
// PostgreSQL database ready. (Opening the database migrates it, under
// PostgreSQL's advisory lock, as serve does at start.)
func migrateCommand() command {
	return command{name: "migrate", synopsis: "", summary: "bring the database's schema up to date (serve does too, at start)",
		creates: true, check: func(*options) error { return nil },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			have, want, err := db.SchemaVersion(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "The %s database is at schema version %d of %d: up to date.\n", db.Engine(), have, want)
			return nil
		}}
}
