package console

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// The audit, for the admin only: every action with who and from where,
// filtered by staff member, provider and day; the reveals listed too; a
// filter that cannot be read said in words.
func TestAuditPage(t *testing.T) {
	w := newWorld(t)
	token := w.signIn("cal@network.example")
	w.do("POST", "/console/providers/1/reveal", url.Values{"csrf": {token}, "field": {"ssn"}})
	w.do("POST", "/console/providers/1/effective", url.Values{"csrf": {token}, "date": {"2027-02-01"}})
	token = w.signIn("ann@network.example")
	w.do("POST", "/console/providers/1/payer", url.Values{"csrf": {token}, "payer": {"Aetna"}, "status": {"submitted"}})
	if resp, _ := w.do("GET", "/console/audit", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("support read the audit: %d", resp.StatusCode)
	}

	w.signIn("root@network.example")
	if resp, _ := w.do("GET", "/console/", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/audit" {
		t.Errorf("an admin's home: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := w.do("GET", "/console/providers/1", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an admin opened a provider: %d", resp.StatusCode)
	}
	resp, page := w.do("GET", "/console/audit", nil)
	// Three actions on the provider, and the sign-ins.
	if resp.StatusCode != 200 || !strings.Contains(page, "payer-status") || !strings.Contains(page, "Aetna: submitted") ||
		!strings.Contains(page, "effective-date") || strings.Count(page, "<td>login</td>") != 3 || strings.Count(page, "<td>cal@network.example</td>") != 4 {
		t.Fatalf("audit: %d\n%s", resp.StatusCode, page)
	}
	staff, _ := w.db.StaffList(ctx)
	var ann int64
	for _, s := range staff {
		if s.Email == "ann@network.example" {
			ann = s.ID
		}
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, tt := range []struct {
		query  string
		status int
		says   string
	}{
		{"staff=" + itoa(ann), 200, "2 entries"},
		{"provider=zoe@example.org", 200, "3 entries"},
		{"provider=1&from=" + today + "&to=" + today, 200, "3 entries"},
		{"from=2020-01-01&to=2020-01-31", 200, "No staff action matches."},
		{"provider=nobody@example.org", 400, "No single provider is nobody@example.org"},
		{"to=yesterday", 400, "Give the last day as YYYY-MM-DD."},
	} {
		resp, page := w.do("GET", "/console/audit?"+tt.query, nil)
		if resp.StatusCode != tt.status || !strings.Contains(page, tt.says) {
			t.Errorf("audit?%s: %d, want %d %q", tt.query, resp.StatusCode, tt.status, tt.says)
		}
	}
	if _, page := w.do("GET", "/console/audit?from=2020-01-01&to=2020-01-31", nil); !strings.Contains(page, "No reveal matches.") {
		t.Error("the reveals ignore the days")
	}
	if _, page := w.do("GET", "/console/audit?staff="+itoa(ann), nil); !strings.Contains(page, "No reveal matches.") {
		t.Error("the reveals ignore the staff member")
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// The admin makes and closes accounts in the console, audited; a closed
// account cannot sign in; bad input is said in the checks' words; an
// admin cannot close their own.
func TestStaffPage(t *testing.T) {
	w := newWorld(t)
	token := w.signIn("root@network.example")
	_, page := w.do("GET", "/console/staff", nil)
	if !strings.Contains(page, "ann@network.example") || !strings.Contains(page, "open (you)") {
		t.Fatalf("staff page:\n%s", page)
	}
	for _, tt := range []struct {
		values url.Values
		status int
		says   string
	}{
		{url.Values{"email": {"dee@network.example"}, "role": {"support"}, "password": {"short"}}, 400, "at least 12"},
		{url.Values{"email": {"dee@network.example"}, "role": {"boss"}, "password": {pw}}, 400, "The role must be one of"},
		{url.Values{"email": {"ann@network.example"}, "role": {"support"}, "password": {pw}}, 400, "There is already an account for ann@network.example."},
		{url.Values{"email": {"dee@network.example"}, "role": {"credentialing"}, "password": {pw}}, 303, ""},
	} {
		tt.values.Set("csrf", token)
		resp, page := w.do("POST", "/console/staff", tt.values)
		if resp.StatusCode != tt.status || !strings.Contains(page, tt.says) {
			t.Errorf("add %v: %d, want %d %q\n%s", tt.values, resp.StatusCode, tt.status, tt.says, page)
		}
	}
	if resp, page := w.do("POST", "/console/staff/disable", url.Values{"csrf": {token}, "email": {"root@network.example"}}); resp.StatusCode != 400 || !strings.Contains(page, "You cannot close your own account") {
		t.Errorf("closed their own: %d", resp.StatusCode)
	}
	if resp, _ := w.do("POST", "/console/staff/disable", url.Values{"csrf": {token}, "email": {"ann@network.example"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("disable: %d", resp.StatusCode)
	}
	w.client.Jar, _ = cookiejar.New(nil)
	if resp, _ := w.login("ann@network.example", pw); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a closed account signed in: %d", resp.StatusCode)
	}
	w.signIn("dee@network.example")
	entries, _, _ := w.db.AuditLog(ctx, server.AuditQuery{Who: "root@network.example"})
	actions := []string{}
	for _, e := range entries {
		if e.Action != server.AuditLogin {
			actions = append(actions, e.Action+" "+e.Detail)
		}
	}
	if strings.Join(actions, "|") != "staff-disabled ann@network.example|staff-added dee@network.example credentialing" {
		t.Errorf("audit %q", actions)
	}
}

// The roster: one row per license, the effective-dated providers (or
// everyone), a provider's formula-like text made inert; support and
// credentialing only; audited.
func TestRosterExport(t *testing.T) {
	w := newWorld(t)
	d := forms.NewData()
	d.Fields["npi"] = "1234567893"
	d.Groups["licenses"] = []map[string]string{{"state": "OR", "type": "LCSW", "number": "=HYPERLINK(\"x\")", "expires": "2028-01-31"},
		{"state": "WA", "type": "LICSW", "number": "LW 6001", "expires": "2027-06-30"}}
	up, _ := json.Marshal(intake.SubmissionUpload{Form: forms.FormCredentialing, Version: 3, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
	if err := w.app.Submit(ctx, "c3", up); err != nil {
		t.Fatal(err)
	}
	token := w.signIn("ann@network.example")
	read := func(path string) [][]string {
		t.Helper()
		resp, body := w.do("GET", path, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "onramp-roster.csv") {
			t.Fatalf("%s: %d %v", path, resp.StatusCode, resp.Header)
		}
		records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return records
	}
	if rows := read("/console/roster.csv"); len(rows) != 1 {
		t.Errorf("no effective date yet, yet the roster has %q", rows)
	}
	if rows := read("/console/roster.csv?all=1"); len(rows) != 3 {
		t.Errorf("everyone: %q", rows)
	}
	w.do("POST", "/console/providers/1/effective", url.Values{"csrf": {token}, "date": {"2027-02-01"}})
	rows := read("/console/roster.csv")
	want := [][]string{
		{"Name", "NPI", "License state", "License type", "License number", "License expires", "Effective date", "Onramp provider"},
		{"Zoë Adams", "1234567893", "OR", "LCSW", "'=HYPERLINK(\"x\")", "2028-01-31", "2027-02-01", "1"},
		{"Zoë Adams", "1234567893", "WA", "LICSW", "LW 6001", "2027-06-30", "2027-02-01", "1"},
	}
	if len(rows) != len(want) || strings.Join(rows[1], ",") != strings.Join(want[1], ",") || strings.Join(rows[2], ",") != strings.Join(want[2], ",") || strings.Join(rows[0], ",") != strings.Join(want[0], ",") {
		t.Errorf("roster %q", rows)
	}
	entries, _, _ := w.db.AuditLog(ctx, server.AuditQuery{Who: "ann@network.example"})
	n := 0
	for _, e := range entries {
		if e.Action == server.AuditRoster {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d roster exports audited, want 3", n)
	}
	w.signIn("root@network.example")
	if resp, _ := w.do("GET", "/console/roster.csv", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an admin exported the roster: %d", resp.StatusCode)
	}
}
