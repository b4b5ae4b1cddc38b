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
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// askedAtPortal enrolls a provider through a real intake server over the
// database file, takes them to portal access, and sends one request for
// each of reqs; it returns the provider's client for the status feed.
func askedAtPortal(t *testing.T, dbPath string, reqs ...intake.DirectoryRequest) (status func() intake.Status) {
	t.Helper()
	ctx := context.Background()
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
	for _, f := range []string{forms.FormGeneral, forms.FormCredentialing} {
		d := forms.NewData()
		up, _ := json.Marshal(intake.SubmissionUpload{Form: f, Version: 1, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
		if err := c.Submit(ctx, "s-"+f, up); err != nil {
			t.Fatal(err)
		}
		if err := db.Review(ctx, 1, f, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.PortalPassword(ctx, "pw", "Blue-Kettle-42-rain"); err != nil {
		t.Fatal(err)
	}
	for i, r := range reqs {
		if _, err := c.Request(ctx, "k"+string(rune('a'+i)), r); err != nil {
			t.Fatal(err)
		}
	}
	return func() intake.Status {
		st, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
}

func TestRequestCommands(t *testing.T) {
	dbPath := dbtest.NewDB(t)
	status := askedAtPortal(t, dbPath,
		intake.DirectoryRequest{Ref: "r1", Kind: intake.RequestAddPayer, Target: "Aetna", Reason: "Most of my clients\nhave Aetna."},
		intake.DirectoryRequest{Ref: "r2", Kind: intake.RequestEnrollProgram, Target: "Employee Assistance Program", Reason: "Short-term work."})
	run1 := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(append(args[:1:1], append([]string{"--db", dbPath}, args[1:]...)...), &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return out.String()
	}
	list := run1("requests")
	for _, want := range []string{"1 ana@example.org", "Be credentialed with Aetna", "Most of my clients have Aetna.", "Enroll in Employee Assistance Program", "pending", "--approve"} {
		if !strings.Contains(list, want) {
			t.Errorf("requests lacks %q:\n%s", want, list)
		}
	}
	var rs []server.ProviderRequest
	if err := json.Unmarshal([]byte(run1("requests", "--provider", "ana@example.org", "--json")), &rs); err != nil || len(rs) != 2 || rs[1].Ref != "r2" {
		t.Errorf("requests --json: %+v %v", rs, err)
	}
	run1("request", "--id", "1", "--approve")
	run1("request", "--id", "2", "--decline", "The program is full this quarter.")
	st := status()
	if st.Requests[0].State != intake.RequestApproved || st.Requests[1].Decision != "The program is full this quarter." {
		t.Errorf("feed after acting: %+v", st.Requests)
	}
	if len(st.Payers) != 1 || st.Payers[0].Payer != "Aetna" || st.Payers[0].Status != intake.PayerSubmitted {
		t.Errorf("payers after approving: %+v", st.Payers)
	}
	var out bytes.Buffer
	if err := run([]string{"request", "--db", dbPath, "--id", "1", "--approve"}, &out); err == nil || !strings.Contains(err.Error(), "was approved") {
		t.Errorf("acting twice: %v", err)
	}

	if got := run1("offering", "--add", "Magellan Health", "--kind", "payer"); !strings.Contains(got, "added payer Magellan Health") {
		t.Errorf("offering --add: %q", got)
	}
	run1("offering", "--remove", "Medicare")
	got := run1("offering")
	if !strings.Contains(got, "Magellan Health") || strings.Contains(got, "Medicare") || !strings.Contains(got, "program  Employee Assistance Program") {
		t.Errorf("offering list:\n%s", got)
	}
}

func TestRequestCommandsRefuseBadFlags(t *testing.T) {
	dbPath := dbtest.NewDB(t)
	for _, args := range [][]string{
		{"request", "--id", "x", "--approve"},
		{"request", "--id", "1"},
		{"request", "--id", "1", "--approve", "--decline", "no"},
		{"request", "--id", "1", "--decline", " "},
		{"offering", "--add", "Acme"},
		{"offering", "--add", "Acme", "--kind", "plan"},
		{"offering", "--add", "Acme", "--remove", "Aetna"},
		{"offering", "--kind", "payer"},
	} {
		var out bytes.Buffer
		err := run(append(args[:1:1], append([]string{"--db", dbPath}, args[1:]...)...), &out)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
