package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// tickets and ticket: the console's code from the command line, audited
// under the computer's user; the provider's feed carries the reply.
func TestTicketCommands(t *testing.T) {
	ctx := context.Background()
	dbPath := dbtest.NewDB(t)
	db, err := server.Open(ctx, dbPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	code, _ := db.Invite(ctx, "ana@example.org")
	c, _ := intake.NewClient(srv.URL, "", 10*time.Second)
	token, err := c.Enroll(ctx, code, "install-1", "Ana Lima", "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithToken(token)
	if err := c.Help(ctx, "h1", "Claims", "How do I bill?"); err != nil {
		t.Fatal(err)
	}
	run1 := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(append(args[:1:1], append([]string{"--db", dbPath}, args[1:]...)...), &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return out.String()
	}
	if got := run1("tickets", "--provider", "ana@example.org"); !strings.Contains(got, "1   open   ") || !strings.Contains(got, "Claims") {
		t.Errorf("tickets:\n%s", got)
	}
	run1("ticket", "--id", "1", "--reply", "Through the portal.")
	run1("ticket", "--id", "1", "--close")
	var ts []server.Ticket
	if err := json.Unmarshal([]byte(run1("tickets", "--provider", "1", "--json")), &ts); err != nil || len(ts) != 1 || ts[0].State != "closed" ||
		len(ts[0].Thread) != 1 || !strings.HasPrefix(ts[0].Thread[0].Who, "command line: ") {
		t.Errorf("tickets --json: %+v %v", ts, err)
	}
	st, err := c.Status(ctx)
	if err != nil || len(st.Tickets) != 1 || st.Tickets[0].Replies[0].Body != "Through the portal." {
		t.Errorf("the feed: %+v %v", st.Tickets, err)
	}
	entries, _, _ := db.AuditLog(ctx, server.AuditQuery{Provider: 1})
	if len(entries) != 2 || !strings.HasPrefix(entries[0].Who, "command line: ") || entries[0].Action != server.AuditTicketState {
		t.Errorf("audit %+v", entries)
	}
	var out bytes.Buffer
	if err := run([]string{"ticket", "--db", dbPath, "--id", "9", "--close"}, &out); err == nil || !strings.Contains(err.Error(), "no ticket 9") {
		t.Errorf("no such ticket: %v", err)
	}
	for _, args := range [][]string{
		{"ticket", "--id", "x", "--close"},
		{"ticket", "--id", "1"},
		{"ticket", "--id", "1", "--close", "--reopen"},
		{"ticket", "--id", "1", "--reply", " "},
		{"tickets"},
	} {
		err := run(append(args[:1:1], append([]string{"--db", dbPath}, args[1:]...)...), &out)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
