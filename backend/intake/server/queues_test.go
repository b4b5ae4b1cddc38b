package server

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake"
)

// The console's provider list: each queue holds the providers it names,
// the search matches name or email in any case (its % and _ literally),
// pages hold PageSize, and each row shows the latest version of each
// form.
func TestProviderList(t *testing.T) {
	e := newEnv(t)
	tokens := map[string]string{}
	for _, who := range []string{"ann", "bo", "cy", "dee_x"} {
		tokens[who] = e.enroll(who+"@example.org", "i-"+who)
	}
	for _, who := range []string{"bo", "cy", "dee_x"} {
		if status, body := e.call("POST", "/v1/submissions", tokens[who], "g1", submission("general", 1, who)); status != 201 {
			t.Fatal(status, body)
		}
	}
	e.call("POST", "/v1/submissions", tokens["cy"], "g2", submission("general", 2, "cy again"))
	if err := e.db.Review(ctx, 2, "general", true, ""); err != nil { // bo: reviewed
		t.Fatal(err)
	}
	if err := e.db.Review(ctx, 4, "general", false, "Add your ZIP code"); err != nil { // dee_x: returned
		t.Fatal(err)
	}
	if _, err := e.db.db.Exec(`INSERT INTO requests (provider, ref, kind, target, reason, created_at) VALUES (1, 'r1', 'add-payer', 'Aetna', '', 'x')`); err != nil {
		t.Fatal(err)
	}
	names := func(q ProviderQuery) string {
		t.Helper()
		rows, total, err := e.db.ProviderList(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprint(total, ":")
		for _, r := range rows {
			s += " " + r.Email[:len(r.Email)-len("@example.org")] + "[" + r.Forms + "]"
		}
		return s
	}
	for _, tt := range []struct {
		q    ProviderQuery
		want string
	}{
		{ProviderQuery{}, "4: ann[] bo[general v1 reviewed] cy[general v2 received] dee_x[general v1 returned]"},
		{ProviderQuery{Queue: QueueAwaitingReview}, "1: cy[general v2 received]"},
		{ProviderQuery{Queue: QueueReturned}, "1: dee_x[general v1 returned]"},
		{ProviderQuery{Queue: QueueOpenRequests}, "1: ann[]"},
		{ProviderQuery{Search: "BO@EX"}, "1: bo[general v1 reviewed]"},
		{ProviderQuery{Search: "_"}, "1: dee_x[general v1 returned]"},
		{ProviderQuery{Search: "%"}, "0:"},
		{ProviderQuery{Page: 2}, "4:"},
		{ProviderQuery{Sort: SortEnrolled}, "4: dee_x[general v1 returned] cy[general v2 received] bo[general v1 reviewed] ann[]"},
	} {
		if got := names(tt.q); got != tt.want {
			t.Errorf("%+v:\n got %s\nwant %s", tt.q, got, tt.want)
		}
	}
	for i := range PageSize {
		e.enroll(fmt.Sprintf("z%03d@example.org", i), fmt.Sprint("iz", i))
	}
	rows, total, _ := e.db.ProviderList(ctx, ProviderQuery{Page: 2})
	if total != 4+PageSize || len(rows) != 4 || rows[3].Email != "z049@example.org" {
		t.Errorf("page 2 of %d: %d rows, last %+v", total, len(rows), rows[len(rows)-1])
	}
}

// The queues that depend on the day: guidance overdue after its business
// day, past day 45 without an effective date, credentials expiring within
// 90 days (by the latest Insurance form); open tickets; the NPI search;
// and the queue columns of submissions stored before they existed.
func TestDatedQueues(t *testing.T) {
	clock := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // a Monday
	db, err := Open(ctx, dbtest.NewDB(t), func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t, db, httptest.NewServer(NewServer(db).Handler())}
	t.Cleanup(func() { e.srv.Close(); db.Close() })
	insurance := func(version int, npi, expires string) []byte {
		d := forms.NewData()
		d.Fields["npi"] = npi
		d.Groups["licenses"] = []map[string]string{{"state": "OR", "number": "C1", "expires": expires}}
		return mustJSON(intake.SubmissionUpload{Form: "credentialing", Version: version, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: clock, Data: d.Encode()})
	}
	ann, bo := e.enroll("ann@example.org", "i-a"), e.enroll("bo@example.org", "i-b")
	cy := e.enroll("cy@example.org", "i-c")
	// ann: the Insurance form with a license expiring in March (its
	// guidance email queued today); bo: one expiring in 2028, and an
	// effective date; cy: a help request.
	if status, body := e.call("POST", "/v1/submissions", ann, "a1", insurance(1, "1234567893", "2027-03-15")); status != 201 {
		t.Fatal(status, body)
	}
	if status, body := e.call("POST", "/v1/submissions", bo, "b1", insurance(1, "1982736450", "2028-01-15")); status != 201 {
		t.Fatal(status, body)
	}
	if err := db.SetEffective(ctx, 2, "2027-01-01"); err != nil {
		t.Fatal(err)
	}
	if status, body := e.call("POST", "/v1/help", cy, "h1", mustJSON(intake.HelpRequest{Subject: "Stuck", Message: "The form will not send"})); status != 201 {
		t.Fatal(status, body)
	}
	// bo's guidance went out in time.
	if _, err := db.db.Exec(`UPDATE mail_queue SET state = 'sent', sent_at = ? WHERE provider = 2`, clock.Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	names := func(q ProviderQuery) string {
		t.Helper()
		rows, total, err := db.ProviderList(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprint(total, ":")
		for _, r := range rows {
			s += " " + strings.TrimSuffix(r.Email, "@example.org")
		}
		return s
	}
	check := func(when string, want map[string]string) {
		t.Helper()
		for queue, w := range want {
			if got := names(ProviderQuery{Queue: queue}); got != w {
				t.Errorf("%s, %s: got %q, want %q", when, queue, got, w)
			}
		}
	}
	check("Monday", map[string]string{QueueGuidanceLate: "0:", QueuePastDay45: "0:", QueueExpiring: "0:", QueueOpenTickets: "1: cy"})
	clock = clock.AddDate(0, 0, 1) // Tuesday: the guidance's business day
	check("Tuesday", map[string]string{QueueGuidanceLate: "0:"})
	clock = clock.AddDate(0, 0, 1)
	check("Wednesday", map[string]string{QueueGuidanceLate: "1: ann"})
	check("Wednesday", map[string]string{QueueExpiring: "0:"}) // 133 days off
	clock = time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)      // 90 days off
	check("December 15", map[string]string{QueueExpiring: "1: ann", QueuePastDay45: "0:"})
	clock = time.Date(2026, 12, 17, 9, 0, 0, 0, time.UTC) // day 45
	check("day 45", map[string]string{QueuePastDay45: "0:"})
	clock = clock.AddDate(0, 0, 1)
	check("day 46", map[string]string{QueuePastDay45: "1: ann", QueueExpiring: "1: ann"})
	// Returned, ann's window is void until the next version arrives.
	if err := db.Review(ctx, 1, "credentialing", false, "Sign the attestation"); err != nil {
		t.Fatal(err)
	}
	check("returned", map[string]string{QueuePastDay45: "0:", QueueReturned: "1: ann"})

	// A renewed license in a new version takes ann off the expiring queue.
	clock = time.Date(2027, 1, 16, 0, 0, 0, 0, time.UTC)
	e.call("POST", "/v1/submissions", ann, "a2", insurance(2, "1234567893", "2029-01-15"))
	check("renewed", map[string]string{QueueExpiring: "0:"})

	for _, tt := range []struct{ search, want string }{{"1234567893", "1: ann"}, {"1982736450", "1: bo"}, {"123456789", "0:"}} {
		if got := names(ProviderQuery{Search: tt.search}); got != tt.want {
			t.Errorf("search %s: %q, want %q", tt.search, got, tt.want)
		}
	}

	// Rows stored before the columns (NULL) are filled at the next start.
	if _, err := db.db.Exec(`UPDATE submissions SET earliest_expiry = NULL`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`UPDATE providers SET npi = ''`); err != nil {
		t.Fatal(err)
	}
	if err := db.fillQueueColumns(ctx); err != nil {
		t.Fatal(err)
	}
	var expiries []string
	rows, _ := db.db.QueryContext(ctx, `SELECT earliest_expiry FROM submissions ORDER BY provider, version`)
	for rows.Next() {
		var x string
		rows.Scan(&x)
		expiries = append(expiries, x)
	}
	rows.Close()
	if strings.Join(expiries, ",") != "2027-03-15,2029-01-15,2028-01-15" {
		t.Errorf("filled expiries %q", expiries)
	}
	if got := names(ProviderQuery{Search: "1234567893"}); got != "1: ann" {
		t.Errorf("the NPI was not filled: %q", got)
	}
}

// The latest flag follows the highest version received, whatever order
// versions arrive in, and marks one version per form.
func TestLatestFlag(t *testing.T) {
	e := newEnv(t)
	token := e.enroll("ann@example.org", "i-a")
	latest := func() string {
		t.Helper()
		rows, err := e.db.db.QueryContext(ctx, `SELECT form, version FROM submissions WHERE latest = 1 ORDER BY form`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var form string
			var v int
			rows.Scan(&form, &v)
			out = append(out, fmt.Sprint(form, v))
		}
		return strings.Join(out, ",")
	}
	for _, step := range []struct {
		form    string
		version int
		want    string
	}{
		{"general", 2, "general2"},
		{"general", 1, "general2"}, // arrives late: not the latest
		{"credentialing", 1, "credentialing1,general2"},
		{"general", 3, "credentialing1,general3"},
	} {
		if status, body := e.call("POST", "/v1/submissions", token, fmt.Sprint(step.form, step.version), submission(step.form, step.version, "x")); status != 201 {
			t.Fatal(status, body)
		}
		if got := latest(); got != step.want {
			t.Errorf("after %s v%d: latest %s, want %s", step.form, step.version, got, step.want)
		}
	}
}
