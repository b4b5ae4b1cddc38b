package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"onramp/backend/dbtest"
	"onramp/backend/intake"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/validate"
)

var ctx = context.Background()

type env struct {
	t   testing.TB
	db  *DB
	srv *httptest.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, err := Open(ctx, dbtest.NewDB(t), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(db).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	return &env{t, db, srv}
}

// call sends a request and returns the status and decoded JSON body.
func (e *env) call(method, path, token, key string, body []byte) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("%s %s: not JSON (%d): %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	if e, ok := body["error"].(map[string]any); ok {
		return e["code"].(string)
	}
	return ""
}

func (e *env) enroll(email, installation string) string {
	e.t.Helper()
	// A code registered with AddInvitation (a printed welcome letter) sends
	// no welcome email, so the tests of later email count only theirs;
	// TestInviteQueuesTheWelcomeEmail covers invite's.
	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.AddInvitation(ctx, code, email); err != nil {
		e.t.Fatal(err)
	}
	status, body := e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": installation, "name": "Zoë Ł", "email": email}))
	if status != 200 {
		e.t.Fatalf("enroll: %d %v", status, body)
	}
	return body["token"].(string)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func submission(form string, version int, note string) []byte {
	d := forms.NewData()
	d.Fields["note"] = note
	return mustJSON(intake.SubmissionUpload{Form: form, Version: version, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	if status, body := e.call("GET", "/healthz", "", "", nil); status != 200 || body["ok"] != true {
		t.Errorf("healthz: %d %v", status, body)
	}
}

func TestEnrollment(t *testing.T) {
	e := newEnv(t)
	code, _ := e.db.Invite(ctx, "zoe@example.org")
	req := func(code, inst string) (int, map[string]any) {
		return e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": inst, "name": "Zoë"}))
	}
	if s, b := req("ABCD-EFGH-JKLN", "i1"); s != 400 || errCode(b) != "bad-invitation" {
		t.Errorf("typo: %d %v", s, b)
	}
	other, _ := e.db.Invite(ctx, "x@example.org")
	e.db.db.Exec(`DELETE FROM invitations WHERE code = ?`, other)
	if s, b := req(other, "i1"); s != 404 || errCode(b) != "unknown-invitation" {
		t.Errorf("unknown: %d %v", s, b)
	}
	s, b := req(strings.ToLower(code), "i1")
	if s != 200 || b["token"] == "" {
		t.Fatalf("enroll: %d %v", s, b)
	}
	first := b["token"].(string)
	_, b = req(code, "i1") // the same installation again (a lost answer)
	second := b["token"].(string)
	if s, _ := e.call("GET", "/v1/status", first, "", nil); s != 401 {
		t.Errorf("old token still works: %d", s)
	}
	if s, _ := e.call("GET", "/v1/status", second, "", nil); s != 200 {
		t.Errorf("new token: %d", s)
	}
	if s, b := req(code, "another-laptop"); s != 409 || errCode(b) != "invitation-used" {
		t.Errorf("code reused elsewhere: %d %v", s, b)
	}
}

func TestSubmissionsAreIdempotent(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	body := submission("general", 1, "first")
	s1, b1 := e.call("POST", "/v1/submissions", tok, "key-1", body)
	s2, b2 := e.call("POST", "/v1/submissions", tok, "key-1", body)
	if s1 != 201 || s2 != 201 || fmt.Sprint(b1) != fmt.Sprint(b2) {
		t.Fatalf("replay: %d %v / %d %v", s1, b1, s2, b2)
	}
	if s, b := e.call("POST", "/v1/submissions", tok, "key-1", submission("general", 2, "other")); s != 409 || errCode(b) != "idempotency-conflict" {
		t.Errorf("same key, other body: %d %v", s, b)
	}
	if s, _ := e.call("POST", "/v1/submissions", tok, "key-2", body); s != 200 {
		t.Errorf("same version and content under a new key: %d", s)
	}
	if s, b := e.call("POST", "/v1/submissions", tok, "key-3", submission("general", 1, "changed")); s != 409 || errCode(b) != "version-conflict" {
		t.Errorf("same version, other content: %d %v", s, b)
	}
	subs, _ := e.db.Submissions(ctx, 1)
	if len(subs) != 1 {
		t.Errorf("%d submissions stored, want 1", len(subs))
	}
}

func TestBadInputGetsA4xxJSONError(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	good := forms.NewData()
	tests := []struct {
		name, method, path, token, key string
		body                           []byte
		status                         int
		code                           string
	}{
		{"no token", "GET", "/v1/status", "", "", nil, 401, "no-token"},
		{"bad token", "GET", "/v1/status", "nope", "", nil, 401, "bad-token"},
		{"missing key", "POST", "/v1/submissions", tok, "", submission("general", 1, "x"), 400, "no-idempotency-key"},
		{"malformed JSON", "POST", "/v1/submissions", tok, "k", []byte(`{"form":`), 400, "bad-json"},
		{"wrong types", "POST", "/v1/submissions", tok, "k", []byte(`{"form":1,"version":"one"}`), 400, "bad-json"},
		{"unknown field", "POST", "/v1/submissions", tok, "k", []byte(`{"form":"general","extra":true}`), 400, "bad-json"},
		{"unknown form", "POST", "/v1/submissions", tok, "k", mustJSON(intake.SubmissionUpload{Form: "tax", Version: 1, SchemaVersion: 1, Hash: good.Hash(), Data: good.Encode()}), 400, "unknown-form"},
		{"hash mismatch", "POST", "/v1/submissions", tok, "k", mustJSON(intake.SubmissionUpload{Form: "general", Version: 1, SchemaVersion: 1, Hash: strings.Repeat("0", 64), Data: good.Encode()}), 422, "hash-mismatch"},
		{"oversized", "POST", "/v1/submissions", tok, "k", bytes.Repeat([]byte("x"), MaxBody+10), 413, "too-large"},
		{"two values", "POST", "/v1/help", tok, "k", []byte(`{"subject":"a","message":"b"} {}`), 400, "bad-json"},
		{"a stray brace after the value", "POST", "/v1/help", tok, "k", []byte(`{"subject":"a","message":"b"}}`), 400, "bad-json"},
		{"empty help", "POST", "/v1/help", tok, "k", []byte(`{"subject":"","message":""}`), 400, "bad-request"},
		{"enroll garbage", "POST", "/v1/enroll", "", "", []byte(`[1,2]`), 400, "bad-json"},
		{"unknown endpoint", "GET", "/v1/secrets", tok, "", nil, 404, "not-found"},
		{"wrong method", "DELETE", "/v1/status", tok, "", nil, 404, "not-found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.call(tt.method, tt.path, tt.token, tt.key, tt.body)
			if status != tt.status || errCode(body) != tt.code {
				t.Errorf("%d %v, want %d %s", status, body, tt.status, tt.code)
			}
		})
	}
}

// Random bodies to every endpoint never get a 5xx.
func TestNoServerErrorOnGarbage(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe@example.org", "i1")
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{`{`, `}`, `"form"`, `:`, `"general"`, `,`, `"version"`, `1`, `-1`, `null`, `[`, `]`, `"data"`, `{"fields":{}}`, `"\u0000"`, `1e999`, `"password"`, `"subject"`}
	for i := 0; i < 300; i++ {
		var b strings.Builder
		for j := 0; j < r.IntN(12); j++ {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		for _, path := range []string{"/v1/enroll", "/v1/submissions", "/v1/portal-password", "/v1/help", "/v1/packets"} {
			status, _ := e.call("POST", path, tok, fmt.Sprint("g", i), []byte(b.String()))
			if status >= 500 {
				t.Fatalf("%s with %q: %d", path, b.String(), status)
			}
		}
	}
}

// A provider's token reaches only that provider's data.
func TestProvidersAreIsolated(t *testing.T) {
	e := newEnv(t)
	a := e.enroll("a@example.org", "ia")
	b := e.enroll("b@example.org", "ib")
	e.call("POST", "/v1/submissions", a, "k", submission("general", 1, "A's"))
	e.db.SetPayer(ctx, 1, "Aetna", "approved")
	e.db.SetEffective(ctx, 1, "2027-01-01")
	_, stB := e.call("GET", "/v1/status", b, "", nil)
	if forms := stB["forms"].([]any); len(forms) != 0 || len(stB["payers"].([]any)) != 0 || stB["effectiveDate"] != nil {
		t.Errorf("B sees A's data: %v", stB)
	}
	// The same idempotency key used by both does not mix them up.
	sA, _ := e.call("POST", "/v1/help", a, "shared-key", mustJSON(intake.HelpRequest{Subject: "Hi", Message: "From A"}))
	sB, _ := e.call("POST", "/v1/help", b, "shared-key", mustJSON(intake.HelpRequest{Subject: "Hi", Message: "From B"}))
	if sA != 201 || sB != 201 {
		t.Errorf("shared key: %d %d", sA, sB)
	}
	_, stA := e.call("GET", "/v1/status", a, "", nil)
	if len(stA["forms"].([]any)) != 1 || stA["effectiveDate"] != "2027-01-01" {
		t.Errorf("A's status: %v", stA)
	}
}

func TestReviewAndPortalPassword(t *testing.T) {
	e := newEnv(t)
	tok := e.enroll("zoe.lukasiewicz@example.org", "i1")
	e.call("POST", "/v1/submissions", tok, "g1", submission("general", 1, "g"))
	e.call("POST", "/v1/submissions", tok, "c1", submission("credentialing", 1, "c"))
	pw := mustJSON(intake.PasswordRequest{Password: "Blue-Kettle-42-rain"})
	if s, b := e.call("POST", "/v1/portal-password", tok, "p1", pw); s != 409 || errCode(b) != "not-reviewed" {
		t.Fatalf("before review: %d %v", s, b)
	}
	if err := e.db.Review(ctx, 1, "general", false, ""); err == nil {
		t.Error("returned without a reason")
	}
	e.db.Review(ctx, 1, "general", false, "Add your second office's ZIP code.")
	_, st := e.call("GET", "/v1/status", tok, "", nil)
	if f := st["forms"].([]any)[1].(map[string]any); f["review"] != "returned" || f["reason"] != "Add your second office's ZIP code." {
		t.Errorf("returned form: %v", f)
	}
	e.db.Review(ctx, 1, "general", true, "")
	e.db.Review(ctx, 1, "credentialing", true, "")
	for _, weak := range []string{"short", "alllowercaseletters", "zoe.lukasiewicz-Passw0rd!"} {
		if s, b := e.call("POST", "/v1/portal-password", tok, "w-"+weak, mustJSON(intake.PasswordRequest{Password: weak})); s != 422 || errCode(b) != "weak-password" {
			t.Errorf("weak %q: %d %v", weak, s, b)
		}
	}
	if s, _ := e.call("POST", "/v1/portal-password", tok, "p2", pw); s != 201 {
		t.Fatalf("strong password: %d", s)
	}
	if ok, err := e.db.CheckPortalPassword(ctx, 1, "Blue-Kettle-42-rain"); !ok || err != nil {
		t.Errorf("check: %v %v", ok, err)
	}
	if ok, _ := e.db.CheckPortalPassword(ctx, 1, "blue-kettle-42-rain"); ok {
		t.Error("wrong password accepted")
	}
	var stored string
	e.db.db.QueryRow(`SELECT hash FROM portal_passwords`).Scan(&stored)
	if strings.Contains(stored, "Kettle") || !strings.HasPrefix(stored, "argon2id$") {
		t.Errorf("stored %q", stored)
	}
	_, st = e.call("GET", "/v1/status", tok, "", nil)
	if st["portalCreated"] != true {
		t.Error("portal not marked created")
	}
	ps, _ := e.db.Providers(ctx)
	if len(ps) != 1 || len(ps[0].Forms) != 2 || !ps[0].PortalCreated {
		t.Errorf("providers: %+v", ps)
	}
}
