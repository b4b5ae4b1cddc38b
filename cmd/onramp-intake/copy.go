package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"onramp/backend/intake/server"
)

// copyCommand moves a SQLite deployment to PostgreSQL: every table in one
// transaction, then checked (row counts, every packet's hash).
func copyCommand() command {
	return command{name: "copy", synopsis: "--from intake.db --to postgres://…",
		summary: "move a SQLite deployment into a new PostgreSQL database and check it (row counts, every packet's SHA-256)",
		flags:   []string{"from", "to"},
		check: func(o *options) error {
			if o.from == "" || o.to == "" {
				return errors.New("copy needs --from (the SQLite file) and --to (the new database's postgres:// URL)")
			}
			if server.IsPostgres(o.from) {
				return errors.New("--from is the SQLite file to move (copy moves a SQLite deployment to PostgreSQL)")
			}
			if !server.IsPostgres(o.to) {
				return errors.New("--to is the PostgreSQL database's URL, postgres://user@host:port/name")
			}
			return nil
		},
		local: func(o *options, out io.Writer) error {
			if _, err := os.Stat(o.from); errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("there is no intake database at %s (is --from right?)", o.from)
			}
			ctx := context.Background()
			from, err := server.Open(ctx, o.from, time.Now)
			if err != nil {
				return err
			}
			defer from.Close()
			to, err := server.Open(ctx, o.to, time.Now)
			if err != nil {
				return err
			}
			defer to.Close()
			report, err := from.CopyTo(ctx, to, func(table string, rows int64) {
				fmt.Fprintf(out, "%-17s %d rows\n", table, rows)
			})
			if err != nil {
				return fmt.Errorf("nothing was copied: %w", err)
			}
			total := int64(0)
			for _, t := range report.Tables {
				total += t.Rows
			}
			fmt.Fprintf(out, "Copied %d rows in %d tables; every table has the same rows on both sides and all %d packets hash as they did on arrival.\n"+
				"Point every instance's --db at the new database; keep %s as it is until you have checked them.\n", total, len(report.Tables), report.Packets, o.from)
			return nil
		}}
}
