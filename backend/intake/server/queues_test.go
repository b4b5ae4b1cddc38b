package server

import (
	"fmt"
	"testing"
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
