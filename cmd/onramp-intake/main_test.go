package main

import (
	"bytes"
	"strings"
	"testing"

	"onramp/backend/dbtest"
	"onramp/backend/validate"
)

func TestSupportCommands(t *testing.T) {
	db := dbtest.NewDB(t)
	var out bytes.Buffer
	if err := run([]string{"invite", "--db", db, "--email", "zoe@example.org"}, &out); err != nil {
		t.Fatal(err)
	}
	if err := validate.InvitationCode(strings.TrimSpace(out.String())); err != nil {
		t.Errorf("invite printed %q: %v", out.String(), err)
	}
	out.Reset()
	if err := run([]string{"providers", "--db", db}, &out); err != nil || !strings.Contains(out.String(), "No providers") {
		t.Errorf("providers: %q %v", out.String(), err)
	}
	if err := run([]string{"invite", "--db", db, "--email", "not-an-email"}, &out); err == nil {
		t.Error("invited a bad email")
	}
	if err := run([]string{"payer", "--db", db, "--provider", "7", "--payer", "Aetna", "--status", "approved"}, &out); err == nil {
		t.Error("set a payer for a provider that does not exist")
	}
	if err := run([]string{"frobnicate", "--db", db}, &out); err == nil {
		t.Error("unknown command accepted")
	}
	if err := run(nil, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("no command: %v", err)
	}
}
