package server

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"onramp/backend/intake"
)

// withPortal enrolls a provider and takes them through both reviews to the
// portal password: Insurance & Directories opens there.
func (e *env) withPortal(email string) string {
	e.t.Helper()
	tok := e.enroll(email, "i-"+email)
	id, err := e.db.ResolveProvider(ctx, email)
	if err != nil {
		e.t.Fatal(err)
	}
	e.call("POST", "/v1/submissions", tok, "g-"+email, submission("general", 1, "g"))
	e.call("POST", "/v1/submissions", tok, "c-"+email, submission("credentialing", 1, "c"))
	for _, f := range []string{"general", "credentialing"} {
		if err := e.db.Review(ctx, id, f, true, ""); err != nil {
			e.t.Fatal(err)
		}
	}
	if s, b := e.call("POST", "/v1/portal-password", tok, "p-"+email, mustJSON(intake.PasswordRequest{Password: "Blue-Kettle-42-rain"})); s != 201 {
		e.t.Fatalf("portal: %d %v", s, b)
	}
	return tok
}

// feed is the provider's status feed, decoded into the wire type.
func (e *env) feed(tok string) intake.Status {
	e.t.Helper()
	c, err := intake.NewClient(e.srv.URL, tok, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	st, err := c.Status(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func offeringStatusIn(st intake.Status, name string) string {
	for _, o := range st.Offerings {
		if o.Name == name {
			return o.Kind + ":" + o.Status
		}
	}
	return "absent"
}

func TestRequestsAreRecordedOnceAndReported(t *testing.T) {
	e := newEnv(t)
	tok := e.withPortal("ana@example.org")
	st := e.feed(tok)
	if got := offeringStatusIn(st, "Aetna"); got != "payer:not-credentialed" {
		t.Errorf("seeded Aetna: %s", got)
	}
	if got := offeringStatusIn(st, "Employee Assistance Program"); got != "program:not-enrolled" {
		t.Errorf("seeded program: %s", got)
	}
	req := mustJSON(intake.DirectoryRequest{Ref: "r1", Kind: intake.RequestAddPayer, Target: "aetna", Reason: "Many of my clients have Aetna."})
	s1, b1 := e.call("POST", "/v1/requests", tok, "k1", req)
	s2, b2 := e.call("POST", "/v1/requests", tok, "k1", req) // a retry after a lost answer
	if s1 != 201 || s2 != 201 || b1["id"] != b2["id"] || b1["state"] != "pending" || b1["target"] != "Aetna" {
		t.Fatalf("request and replay: %d %v / %d %v", s1, b1, s2, b2)
	}
	// The same ref under another key (the app lost its key): the one recorded.
	if s, b := e.call("POST", "/v1/requests", tok, "k2", req); s != 200 || b["id"] != b1["id"] {
		t.Errorf("same ref, new key: %d %v", s, b)
	}
	other := mustJSON(intake.DirectoryRequest{Ref: "r1", Kind: intake.RequestEnrollProgram, Target: "Employee Assistance Program", Reason: "x"})
	if s, b := e.call("POST", "/v1/requests", tok, "k3", other); s != 409 || errCode(b) != "ref-conflict" {
		t.Errorf("same ref, other request: %d %v", s, b)
	}
	if s, b := e.call("POST", "/v1/requests", tok, "k1", other); s != 409 || errCode(b) != "idempotency-conflict" {
		t.Errorf("same key, other body: %d %v", s, b)
	}
	again := mustJSON(intake.DirectoryRequest{Ref: "r2", Kind: intake.RequestAddPayer, Target: "Aetna", Reason: "Again."})
	if s, b := e.call("POST", "/v1/requests", tok, "k4", again); s != 409 || errCode(b) != "already-pending" {
		t.Errorf("second while pending: %d %v", s, b)
	}
	st = e.feed(tok)
	if len(st.Requests) != 1 || st.Requests[0].Ref != "r1" || st.Requests[0].State != intake.RequestPending {
		t.Fatalf("feed requests: %+v", st.Requests)
	}
	// Another provider sees none of it.
	if st := e.feed(e.withPortal("bo@example.org")); len(st.Requests) != 0 || offeringStatusIn(st, "Aetna") != "payer:not-credentialed" {
		t.Errorf("other provider: %+v", st)
	}
	rs, err := e.db.Requests(ctx, 0)
	if err != nil || len(rs) != 1 || rs[0].ProviderEmail != "ana@example.org" {
		t.Errorf("support's list: %+v %v", rs, err)
	}
}

func TestRequestsRefusedInPlainWords(t *testing.T) {
	e := newEnv(t)
	early := e.enroll("early@example.org", "i-early")
	body := func(kind, target, reason string) []byte {
		return mustJSON(intake.DirectoryRequest{Ref: fmt.Sprintf("r-%s-%s-%d", kind, target, len(reason)), Kind: kind, Target: target, Reason: reason})
	}
	if s, b := e.call("POST", "/v1/requests", early, "e1", body(intake.RequestAddPayer, "Aetna", "why")); s != 409 || errCode(b) != "no-portal" {
		t.Errorf("before portal access: %d %v", s, b)
	}
	tok := e.withPortal("ana@example.org")
	if err := e.db.SetPayer(ctx, 2, "Cigna", intake.PayerApproved); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, kind, target, reason string
		status                     int
		code, says                 string
	}{
		{"unknown kind", "join-payer", "Aetna", "why", 400, "bad-request", "not a request"},
		{"payer kind on a program", intake.RequestAddPayer, "Employee Assistance Program", "why", 400, "bad-request", "is a program"},
		{"program kind on a payer", intake.RequestEnrollProgram, "Aetna", "why", 400, "bad-request", "is a payer"},
		{"no reason", intake.RequestAddPayer, "Aetna", "  ", 400, "bad-request", "Say why"},
		{"long reason", intake.RequestAddPayer, "Aetna", strings.Repeat("x", intake.MaxRequestReason+1), 400, "bad-request", "over"},
		{"not offered", intake.RequestAddPayer, "Acme Health", "why", 400, "unknown-offering", "Acme Health"},
		{"add an approved payer", intake.RequestAddPayer, "Cigna", "why", 409, "not-allowed", "already credentialed with Cigna"},
		{"unenroll a payer never joined", intake.RequestUnenrollPayer, "Aetna", "why", 409, "not-allowed", "not credentialed with Aetna"},
		{"leave a program not in", intake.RequestLeaveProgram, "Employee Assistance Program", "why", 409, "not-allowed", "not enrolled"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := e.call("POST", "/v1/requests", tok, "bad-"+string(rune('a'+i)), body(tt.kind, tt.target, tt.reason))
			msg, _ := b["error"].(map[string]any)["message"].(string)
			if s != tt.status || errCode(b) != tt.code || !strings.Contains(msg, tt.says) {
				t.Errorf("%d %s %q, want %d %s saying %q", s, errCode(b), msg, tt.status, tt.code, tt.says)
			}
		})
	}
	if st := e.feed(tok); len(st.Requests) != 0 {
		t.Errorf("refused requests recorded: %+v", st.Requests)
	}
}

func TestApprovingARequestAppliesIt(t *testing.T) {
	e := newEnv(t)
	tok := e.withPortal("ana@example.org")
	e.db.SetPayer(ctx, 1, "cigna", intake.PayerApproved) // support's own spelling
	const eap = "Employee Assistance Program"
	steps := []struct {
		kind, target, want string
	}{
		{intake.RequestAddPayer, "Aetna", "payer:submitted"},
		{intake.RequestEnrollProgram, eap, "program:enrolled"},
		{intake.RequestLeaveProgram, eap, "program:not-enrolled"},
		{intake.RequestUnenrollPayer, "Cigna", "payer:not-credentialed"},
	}
	for i, s := range steps {
		status, b := e.call("POST", "/v1/requests", tok, "k"+s.kind, mustJSON(intake.DirectoryRequest{Ref: "r" + s.kind, Kind: s.kind, Target: s.target, Reason: "because"}))
		if status != 201 {
			t.Fatalf("%s: %d %v", s.kind, status, b)
		}
		id := int64(b["id"].(float64))
		if err := e.db.ApproveRequest(ctx, id); err != nil {
			t.Fatalf("approve %s: %v", s.kind, err)
		}
		st := e.feed(tok)
		if got := offeringStatusIn(st, s.target); got != s.want {
			t.Errorf("after %s: %s, want %s", s.kind, got, s.want)
		}
		if r := st.Requests[i]; r.State != intake.RequestApproved || r.DecidedAt == "" {
			t.Errorf("request %d in the feed: %+v", id, r)
		}
		if err := e.db.ApproveRequest(ctx, id); !errors.Is(err, ErrDecided) {
			t.Errorf("approved twice: %v", err)
		}
	}
	if ps := e.feed(tok).Payers; len(ps) != 1 || ps[0].Payer != "Aetna" || ps[0].Status != intake.PayerSubmitted {
		t.Errorf("payers after unenrolling from Cigna: %+v", ps)
	}
}

func TestDecliningARequestSaysWhy(t *testing.T) {
	e := newEnv(t)
	tok := e.withPortal("ana@example.org")
	_, b := e.call("POST", "/v1/requests", tok, "k1", mustJSON(intake.DirectoryRequest{Ref: "r1", Kind: intake.RequestAddPayer, Target: "Medicare", Reason: "Older clients."}))
	id := int64(b["id"].(float64))
	if err := e.db.DeclineRequest(ctx, id, " "); err == nil {
		t.Error("declined without a reason")
	}
	if err := e.db.DeclineRequest(ctx, 99, "no"); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such request: %v", err)
	}
	if err := e.db.DeclineRequest(ctx, id, "Medicare panels are closed in your state until spring."); err != nil {
		t.Fatal(err)
	}
	if err := e.db.ApproveRequest(ctx, id); !errors.Is(err, ErrDecided) {
		t.Errorf("approved after declining: %v", err)
	}
	st := e.feed(tok)
	if r := st.Requests[0]; r.State != intake.RequestDeclined || r.Decision != "Medicare panels are closed in your state until spring." {
		t.Errorf("declined request in the feed: %+v", r)
	}
	if got := offeringStatusIn(st, "Medicare"); got != "payer:not-credentialed" {
		t.Errorf("declined, yet Medicare is %s", got)
	}
	// Declined, the provider may ask again.
	if s, b := e.call("POST", "/v1/requests", tok, "k2", mustJSON(intake.DirectoryRequest{Ref: "r2", Kind: intake.RequestAddPayer, Target: "Medicare", Reason: "Spring now."})); s != 201 {
		t.Errorf("asking again: %d %v", s, b)
	}
}

func TestApprovalRefusedWhenStatusChanged(t *testing.T) {
	e := newEnv(t)
	tok := e.withPortal("ana@example.org")
	_, b := e.call("POST", "/v1/requests", tok, "k1", mustJSON(intake.DirectoryRequest{Ref: "r1", Kind: intake.RequestAddPayer, Target: "Aetna", Reason: "why"}))
	e.db.SetPayer(ctx, 1, "Aetna", intake.PayerApproved) // support did it by hand meanwhile
	if err := e.db.ApproveRequest(ctx, int64(b["id"].(float64))); err == nil || !strings.Contains(err.Error(), "decline it") {
		t.Errorf("approve over a changed status: %v", err)
	}
	if st := e.feed(tok); st.Requests[0].State != intake.RequestPending || offeringStatusIn(st, "Aetna") != "payer:approved" {
		t.Errorf("after the refused approval: %+v", st)
	}
}

func TestCatalogue(t *testing.T) {
	e := newEnv(t)
	tok := e.withPortal("ana@example.org")
	if err := e.db.AddOffering(ctx, "Magellan Health", intake.OfferingPayer); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ name, kind string }{{"aetna", "payer"}, {"", "payer"}, {"X", "plan"}} {
		if err := e.db.AddOffering(ctx, bad.name, bad.kind); err == nil {
			t.Errorf("added %q %q", bad.name, bad.kind)
		}
	}
	e.db.SetPayer(ctx, 1, "Cigna", intake.PayerInReview)
	if err := e.db.RemoveOffering(ctx, "cigna"); err != nil {
		t.Fatal(err)
	}
	if err := e.db.RemoveOffering(ctx, "Cigna"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed twice: %v", err)
	}
	st := e.feed(tok)
	var names []string
	for _, o := range st.Offerings {
		names = append(names, o.Name+"="+o.Status)
	}
	want := "Aetna=not-credentialed Blue Cross Blue Shield=not-credentialed Cigna=in-review Magellan Health=not-credentialed " +
		"Medicaid=not-credentialed Medicare=not-credentialed UnitedHealthcare=not-credentialed Employee Assistance Program=not-enrolled"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("offerings:\n got %s\nwant %s", got, want)
	}
}
