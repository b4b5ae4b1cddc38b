package onboarding

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/directories"
	"onramp/backend/store"
)

// atPortal takes a provider through both reviews to the portal password
// against a real intake server.
func atPortal(t *testing.T) (*Service, *server.DB, *httptest.Server, *store.Store) {
	t.Helper()
	svc, st := trainingService(t)
	db, srv := intakeFor(t, st, time.Now)
	if _, err := svc.Directories.Ask(ctx, intake.RequestAddPayer, "Aetna", "why"); !errors.Is(err, directories.ErrLocked) {
		t.Errorf("asked before portal access: %v", err)
	}
	if v, err := svc.Directories.View(ctx); err != nil || !v.Locked || !strings.Contains(v.Reason, "portal password") {
		t.Errorf("locked view: %+v %v", v, err)
	}
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	submitInsurance(t, st, fixedNow())
	svc.Sync.Sync(ctx, srv.URL)
	db.Review(ctx, 1, forms.FormGeneral, true, "")
	db.Review(ctx, 1, forms.FormCredentialing, true, "")
	svc.Sync.Sync(ctx, srv.URL)
	if p, err := svc.Sync.CreatePortalPassword(ctx, srv.URL, "Blue-Kettle-42-rain"); p != nil || err != nil {
		t.Fatal(p, err)
	}
	return svc, db, srv, st
}

func offering(v directories.View, name string) directories.Offering {
	for _, o := range v.Offerings {
		if o.Name == name {
			return o
		}
	}
	return directories.Offering{}
}

func actions(o directories.Offering) string {
	var out []string
	for _, a := range o.Actions {
		out = append(out, a.Kind)
	}
	return strings.Join(out, " ")
}

// A request goes from the screen through the outbox to the server, shows
// as pending until support acts, and the next sync brings the result: the
// payer approved at "submitted", a declined request with support's reason.
func TestDirectoryRequestsThroughTheOutbox(t *testing.T) {
	svc, db, srv, _ := atPortal(t)
	if p, err := svc.Directories.Ask(ctx, intake.RequestAddPayer, "Acme Health", "why"); err != nil || p == nil || p.Code != "unknown-offering" {
		t.Errorf("asked about a payer the network does not list: %+v %v", p, err)
	}
	v, err := svc.Directories.View(ctx)
	if err != nil || v.Locked || len(v.Offerings) != 7 || v.SyncedAt == "" {
		t.Fatalf("the network's list from the last sync: %+v %v", v, err)
	}
	if o := offering(v, "Aetna"); o.StatusLabel != "Not credentialed" || actions(o) != intake.RequestAddPayer {
		t.Errorf("Aetna: %+v", o)
	}
	if o := offering(v, "Employee Assistance Program"); o.StatusLabel != "Not enrolled" || actions(o) != intake.RequestEnrollProgram {
		t.Errorf("program: %+v", o)
	}

	tests := []struct {
		kind, target, reason, field, code string
	}{
		{intake.RequestAddPayer, "Aetna", "  ", "reason", "invalid"},
		{intake.RequestEnrollProgram, "Aetna", "why", "reason", "invalid"},
		{intake.RequestUnenrollPayer, "Aetna", "why", "target", "not-allowed"},
	}
	for _, tt := range tests {
		if p, err := svc.Directories.Ask(ctx, tt.kind, tt.target, tt.reason); err != nil || p == nil || p.Field != tt.field || p.Code != tt.code {
			t.Errorf("%s %s %q: %+v %v, want %s on %s", tt.kind, tt.target, tt.reason, p, err, tt.code, tt.field)
		}
	}
	for _, r := range []struct{ kind, target string }{{intake.RequestAddPayer, "Aetna"}, {intake.RequestEnrollProgram, "Employee Assistance Program"}} {
		if p, err := svc.Directories.Ask(ctx, r.kind, r.target, "Clients ask for it."); p != nil || err != nil {
			t.Fatalf("ask %s: %+v %v", r.kind, p, err)
		}
	}
	if p, _ := svc.Directories.Ask(ctx, intake.RequestAddPayer, "Aetna", "Again."); p == nil || p.Code != "already-pending" {
		t.Errorf("asked twice: %+v", p)
	}
	pending := func(when string) {
		t.Helper()
		v, _ := svc.Directories.View(ctx)
		if len(v.Requests) != 2 || v.Requests[0].State != intake.RequestPending || v.Requests[1].State != intake.RequestPending {
			t.Errorf("%s: requests %+v", when, v.Requests)
		}
		if o := offering(v, "Aetna"); o.Pending != "Be credentialed with Aetna" || len(o.Actions) != 0 {
			t.Errorf("%s: Aetna %+v", when, o)
		}
	}
	pending("queued")
	items, _ := svc.Sync.Outbox(ctx)
	if items[0].What != "Request: Enroll in Employee Assistance Program" {
		t.Errorf("sync panel: %q", items[0].What)
	}

	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Delivered != 2 || rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	pending("delivered, support has not acted")
	rs, _ := db.Requests(ctx, 1)
	if len(rs) != 2 || rs[0].Target != "Aetna" || rs[0].Reason != "Clients ask for it." {
		t.Fatalf("on the server: %+v", rs)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Delivered != 0 {
		t.Errorf("resent: %+v", rep)
	}

	if err := db.ApproveRequest(ctx, rs[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeclineRequest(ctx, rs[1].ID, "The program is full this quarter."); err != nil {
		t.Fatal(err)
	}
	svc.Sync.Sync(ctx, srv.URL)
	v, _ = svc.Directories.View(ctx)
	byTarget := map[string]directories.Request{}
	for _, r := range v.Requests {
		byTarget[r.Target] = r
	}
	if r := byTarget["Aetna"]; r.State != intake.RequestApproved || r.DecidedAt == "" || len(r.DecidedOn) != len("2006-01-02") || r.AskedOn == "" {
		t.Errorf("approved request: %+v", r)
	}
	if r := byTarget["Employee Assistance Program"]; r.State != intake.RequestDeclined || r.Decision != "The program is full this quarter." {
		t.Errorf("declined request: %+v", r)
	}
	if o := offering(v, "Aetna"); o.StatusLabel != "Application submitted" || actions(o) != intake.RequestUnenrollPayer || o.Pending != "" {
		t.Errorf("Aetna after approval: %+v", o)
	}
	if o := offering(v, "Employee Assistance Program"); o.StatusLabel != "Not enrolled" || actions(o) != intake.RequestEnrollProgram {
		t.Errorf("program after decline: %+v", o)
	}
}

// A request the network refuses on arrival (support changed the status
// meanwhile) is the network's answer, not a failure to send: it shows as
// refused with the network's words, the outbox holds it as delivered (no
// Retry that would be refused again), and the provider may ask anew. An
// item an earlier version left failed for such a refusal becomes refused
// at its retry. (The old code left both failed for good, offering a Retry
// that failed again the same way.)
func TestDirectoryRequestRefusedOnArrival(t *testing.T) {
	svc, db, srv, st := atPortal(t)
	svc.Sync.Sync(ctx, srv.URL)
	if p, err := svc.Directories.Ask(ctx, intake.RequestAddPayer, "Cigna", "why"); p != nil || err != nil {
		t.Fatal(p, err)
	}
	if err := db.SetPayer(ctx, 1, "Cigna", intake.PayerApproved); err != nil {
		t.Fatal(err)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" {
		t.Errorf("the sync that brought the refusal: %+v", rep)
	}
	v, _ := svc.Directories.View(ctx)
	if len(v.Requests) != 1 || v.Requests[0].State != directories.RequestRefused || !strings.Contains(v.Requests[0].Decision, "already credentialed with Cigna") ||
		v.Requests[0].DecidedOn == "" {
		t.Errorf("refused request: %+v", v.Requests)
	}
	if o := offering(v, "Cigna"); o.StatusLabel != "Approved" || actions(o) != intake.RequestUnenrollPayer {
		t.Errorf("Cigna: %+v", o)
	}
	items, _ := svc.Sync.Outbox(ctx)
	if items[0].State != store.OutboxDelivered || items[0].LastError != "" {
		t.Errorf("outbox: %+v", items[0])
	}

	// What an earlier version left: the same kind of refusal, failed.
	payload, _ := json.Marshal(intake.DirectoryRequest{Ref: "0123456789abcdef", Kind: intake.RequestAddPayer, Target: "Cigna", Reason: "again"})
	if _, err := st.Enqueue(ctx, store.OutboxItem{Kind: directories.KindRequest, IdempotencyKey: "request/0123456789abcdef", Payload: payload, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	items, _ = svc.Sync.Outbox(ctx)
	if err := st.MarkFailed(ctx, items[0].ID, "You are already credentialed with Cigna, or your application is under way (approved).", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := svc.Sync.RetryItem(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	svc.Sync.Sync(ctx, srv.URL)
	v, _ = svc.Directories.View(ctx)
	states := map[string]string{}
	for _, r := range v.Requests {
		states[r.Ref] = r.State
	}
	if states["0123456789abcdef"] != directories.RequestRefused {
		t.Errorf("the retried leftover: %+v", v.Requests)
	}
	items, _ = svc.Sync.Outbox(ctx)
	for _, it := range items {
		if it.State == store.OutboxFailed {
			t.Errorf("still failed in the outbox: %+v", it)
		}
	}
}

// Unenrolled from a payer, the provider no longer sees it on the
// dashboard's credentialing card either: the feed no longer lists it, and
// the app forgets the status it kept.
func TestUnenrolledPayerLeavesTheDashboard(t *testing.T) {
	svc, db, srv, _ := atPortal(t)
	if err := db.SetPayer(ctx, 1, "Cigna", intake.PayerApproved); err != nil {
		t.Fatal(err)
	}
	db.SetPayer(ctx, 1, "Aetna", intake.PayerInReview)
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	payers := func() string {
		t.Helper()
		d, err := svc.Progress.Dashboard(ctx)
		if err != nil || d.Credentialing == nil {
			t.Fatalf("dashboard: %+v %v", d, err)
		}
		var out []string
		for _, p := range d.Credentialing.Payers {
			out = append(out, p.Payer+"="+p.Status)
		}
		return strings.Join(out, " ")
	}
	if got := payers(); got != "Aetna=in-review Cigna=approved" {
		t.Fatalf("payers before: %s", got)
	}
	if p, err := svc.Directories.Ask(ctx, intake.RequestUnenrollPayer, "Cigna", "I no longer see Cigna members."); p != nil || err != nil {
		t.Fatal(p, err)
	}
	svc.Sync.Sync(ctx, srv.URL)
	rs, _ := db.Requests(ctx, 1)
	if err := db.ApproveRequest(ctx, rs[0].ID); err != nil {
		t.Fatal(err)
	}
	svc.Sync.Sync(ctx, srv.URL)
	if got := payers(); got != "Aetna=in-review" {
		t.Errorf("payers after unenrolling from Cigna: %s", got)
	}
}
