package server

import (
	"database/sql"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/seal"
)

// sealedEnv is an intake server with a network key.
func sealedEnv(t *testing.T) (*env, seal.PublicKey, seal.PrivateKey) {
	t.Helper()
	pub, priv, err := seal.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, dbtest.NewDB(t), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(db).WithNetworkKey(pub).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	return &env{t, db, srv}, pub, priv
}

// sealedUpload is version v of the Insurance form with the SSN sealed for
// its field and masked in the data.
func sealedUpload(t *testing.T, to seal.PublicKey, v int, ssn, dataSSN string) intake.SubmissionUpload {
	t.Helper()
	d := forms.NewData()
	d.Fields["npi"] = "1234567893"
	d.Fields["ssn"] = dataSSN
	box, err := seal.Seal(to, forms.SecretName(forms.FormCredentialing, "ssn"), []byte(ssn))
	if err != nil {
		t.Fatal(err)
	}
	return intake.SubmissionUpload{Form: forms.FormCredentialing, Version: v, SchemaVersion: 1, Hash: d.Hash(),
		SubmittedAt: time.Now(), Data: d.Encode(), Sealed: map[string]string{"ssn": box}, SealedTo: to.Fingerprint()}
}

func TestSealedSubmissionsAndReveal(t *testing.T) {
	e, pub, priv := sealedEnv(t)
	status, body := e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": mustInvite(t, e.db, "zoe@example.org"), "installation": "i-1", "name": "Zoë", "email": "zoe@example.org"}))
	if status != 200 || body["networkKey"] != pub.String() {
		t.Fatalf("enroll: %d %v", status, body)
	}
	tok := body["token"].(string)
	otherPub, otherPriv, _ := seal.GenerateKey()

	refusals := []struct {
		name string
		up   intake.SubmissionUpload
		code string
	}{
		{"the SSN in the clear in the data", sealedUpload(t, pub, 1, "219-09-8765", "219-09-8765"), "plaintext-sealed-field"},
		{"sealed to another key", sealedUpload(t, otherPub, 1, "219-09-8765", "•••-••-8765"), "network-key-mismatch"},
		{"a field the form does not seal", func() intake.SubmissionUpload {
			up := sealedUpload(t, pub, 1, "219-09-8765", "•••-••-8765")
			up.Sealed["npi"] = up.Sealed["ssn"]
			return up
		}(), "bad-sealed"},
		{"not a box", func() intake.SubmissionUpload {
			up := sealedUpload(t, pub, 1, "219-09-8765", "•••-••-8765")
			up.Sealed["ssn"] = "MjE5LTA5LTg3NjU="
			return up
		}(), "bad-sealed"},
	}
	for _, tt := range refusals {
		status, body := e.call("POST", "/v1/submissions", tok, "k-"+tt.name, mustJSON(tt.up))
		if status < 400 || errCode(body) != tt.code {
			t.Errorf("%s: %d %v", tt.name, status, body)
		}
		if strings.Contains(mustString(body), "219-09") {
			t.Errorf("%s: the answer echoes the value: %v", tt.name, body)
		}
	}

	up := sealedUpload(t, pub, 1, "219-09-8765", "•••-••-8765")
	if status, body := e.call("POST", "/v1/submissions", tok, "sub-1", mustJSON(up)); status != 201 {
		t.Fatalf("sealed submission: %d %v", status, body)
	}
	// A retry after a lost answer seals afresh: other boxes, same key.
	again := up
	again.Sealed = sealedUpload(t, pub, 1, "219-09-8765", "•••-••-8765").Sealed
	if status, body := e.call("POST", "/v1/submissions", tok, "sub-1", mustJSON(again)); status != 201 {
		t.Fatalf("retry with fresh boxes: %d %v", status, body)
	}
	up2 := sealedUpload(t, pub, 2, "078-05-1120", "•••-••-1120")
	if status, body := e.call("POST", "/v1/submissions", tok, "sub-2", mustJSON(up2)); status != 201 {
		t.Fatalf("second version: %d %v", status, body)
	}

	if got, err := e.db.Reveal(ctx, RevealRequest{Provider: 1, Field: "ssn", Key: priv, Who: "ana", Where: "desk-1"}); err != nil || got != "078-05-1120" {
		t.Fatalf("reveal the latest: %q %v", got, err)
	}
	if got, err := e.db.Reveal(ctx, RevealRequest{Provider: 1, Field: "ssn", Key: otherPriv, Who: "bo", Where: "desk-2"}); !errors.Is(err, ErrNotRevealed) || got != "" {
		t.Fatalf("reveal with another key: %q %v", got, err)
	}
	if _, err := e.db.Reveal(ctx, RevealRequest{Provider: 1, Field: "caqhPassword", Key: priv, Who: "ana", Where: "desk-1"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a field never sent: %v", err)
	}
	audit, err := e.db.RevealAudit(ctx, 1)
	if err != nil || len(audit) != 2 {
		t.Fatalf("audit: %+v %v", audit, err)
	}
	if a := audit[0]; a.Who != "ana" || a.Host != "desk-1" || a.Field != "ssn" || a.Version != 2 || a.Key != pub.Fingerprint() || a.Outcome != "revealed" {
		t.Errorf("first audit row: %+v", a)
	}
	if a := audit[1]; a.Who != "bo" || a.Key != otherPub.Fingerprint() || !strings.HasPrefix(a.Outcome, "refused") {
		t.Errorf("second audit row: %+v", a)
	}
	for _, stmt := range []string{`UPDATE reveal_audit SET who = 'nobody'`, `DELETE FROM reveal_audit`} {
		if _, err := e.db.db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	if audit, _ := e.db.RevealAudit(ctx, 0); len(audit) != 2 || audit[0].Who != "ana" {
		t.Errorf("audit after the refused edits: %+v", audit)
	}
}

// Without a network key the server hands none out and takes no sealed
// field; masks alone are fine.
func TestNoNetworkKeyTakesNoSealedFields(t *testing.T) {
	e := newEnv(t)
	status, body := e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": mustInvite(t, e.db, "zoe@example.org"), "installation": "i-1", "name": "Zoë", "email": "zoe@example.org"}))
	if status != 200 || body["networkKey"] != nil {
		t.Fatalf("enroll: %d %v", status, body)
	}
	tok := body["token"].(string)
	pub, _, _ := seal.GenerateKey()
	if status, body := e.call("POST", "/v1/submissions", tok, "s1", mustJSON(sealedUpload(t, pub, 1, "219-09-8765", "•••-••-8765"))); status != 409 || errCode(body) != "network-key-mismatch" {
		t.Errorf("sealed without a key: %d %v", status, body)
	}
	up := sealedUpload(t, pub, 1, "219-09-8765", "•••-••-8765")
	up.Sealed, up.SealedTo = nil, ""
	if status, body := e.call("POST", "/v1/submissions", tok, "s2", mustJSON(up)); status != 201 {
		t.Errorf("masks only: %d %v", status, body)
	}
}

// Reissue: the old token is refused, the old code enrolls nothing, the new
// code enrolls a new computer as the same provider, and the packet key is
// forgotten (the new computer's takes its place).
func TestReissue(t *testing.T) {
	e := newEnv(t)
	oldCode := mustInvite(t, e.db, "zoe@example.org")
	oldKey, newKey := strings.Repeat("a", 64), strings.Repeat("b", 64)
	enroll := func(code, inst, key string) (int, map[string]any) {
		return e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": inst, "name": "Zoë", "email": "zoe@example.org", "signingKey": key}))
	}
	status, body := enroll(oldCode, "old-laptop", oldKey)
	if status != 200 {
		t.Fatalf("enroll: %d %v", status, body)
	}
	oldTok := body["token"].(string)
	d := forms.NewData()
	d.Fields["npi"] = "1234567893"
	e.call("POST", "/v1/submissions", oldTok, "s1", mustJSON(intake.SubmissionUpload{Form: forms.FormGeneral, Version: 1, SchemaVersion: 1, Hash: d.Hash(), Data: d.Encode(), SubmittedAt: time.Now()}))

	if _, err := e.db.Reissue(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("reissue for no provider: %v", err)
	}
	code, err := e.db.Reissue(ctx, 1)
	if err != nil || code == oldCode {
		t.Fatalf("reissue: %q %v", code, err)
	}
	if status, _ := e.call("GET", "/v1/status", oldTok, "", nil); status != 401 {
		t.Errorf("the old token: %d", status)
	}
	if k, _ := e.db.PacketKey(ctx, 1); k != "" {
		t.Errorf("packet key kept: %q", k)
	}
	if status, body := enroll(oldCode, "old-laptop", oldKey); status != 404 {
		t.Errorf("the old code: %d %v", status, body)
	}
	status, body = enroll(code, "new-laptop", newKey)
	if status != 200 || body["providerId"] != float64(1) {
		t.Fatalf("enroll with the new code: %d %v", status, body)
	}
	if status, body := e.call("GET", "/v1/status", body["token"].(string), "", nil); status != 200 || len(body["forms"].([]any)) != 1 {
		t.Errorf("the new computer's feed: %d %v", status, body)
	}
	if k, _ := e.db.PacketKey(ctx, 1); k != newKey {
		t.Errorf("packet key: %q", k)
	}
	if status, body := enroll(code, "third-laptop", newKey); status != 409 || errCode(body) != "invitation-used" {
		t.Errorf("the new code on a third computer: %d %v", status, body)
	}
}

// A reissue that fails part way changes nothing: one transaction.
func TestReissueIsOneTransaction(t *testing.T) {
	e := newEnv(t)
	code := mustInvite(t, e.db, "zoe@example.org")
	status, body := e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": "i-1", "name": "Zoë", "email": "zoe@example.org", "signingKey": strings.Repeat("a", 64)}))
	if status != 200 {
		t.Fatal(status, body)
	}
	tok := body["token"].(string)
	// Make the last write (re-pointing the invitation) fail.
	refuse := `CREATE TRIGGER no_repoint BEFORE UPDATE ON invitations BEGIN SELECT RAISE(ABORT, 'refused'); END`
	if dbtest.Engine() == "postgres" {
		refuse = `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
			CREATE TRIGGER no_repoint BEFORE UPDATE ON invitations FOR EACH ROW EXECUTE FUNCTION refuse()`
	}
	if _, err := e.db.db.ExecContext(ctx, refuse); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Reissue(ctx, 1); err == nil {
		t.Fatal("reissue went through")
	}
	if status, _ := e.call("GET", "/v1/status", tok, "", nil); status != 200 {
		t.Errorf("the token was revoked by a failed reissue: %d", status)
	}
	var signer string
	if err := e.db.db.QueryRowContext(ctx, `SELECT signer FROM packet_keys WHERE provider = 1`).Scan(&signer); errors.Is(err, sql.ErrNoRows) {
		t.Error("the packet key was forgotten by a failed reissue")
	}
}

func mustInvite(t *testing.T, db *DB, email string) string {
	t.Helper()
	code, err := db.Invite(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func mustString(v any) string { return string(mustJSON(v)) }
