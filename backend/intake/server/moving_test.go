package server

import (
	"maps"
	"testing"

	"onramp/backend/intake"
	"onramp/backend/validate"
)

// The enrollment answer tells a computer the latest version of each form
// the network holds from the provider's other computers: none for the
// first computer, nor for it enrolling again; the old computer's for the
// new one after a reissue, and not the new computer's own after that.
func TestEnrollTellsTheVersionsFromOtherComputers(t *testing.T) {
	e := newEnv(t)
	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddInvitation(ctx, code, "zoe@example.org"); err != nil {
		t.Fatal(err)
	}
	enroll := func(code, installation string) intake.EnrollResponse {
		t.Helper()
		var resp intake.EnrollResponse
		status, body := e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": installation, "name": "Zoë"}))
		if status != 200 {
			t.Fatalf("enroll %s: %d %v", installation, status, body)
		}
		resp.Token = body["token"].(string)
		if v, ok := body["versions"].(map[string]any); ok {
			resp.Versions = map[string]int{}
			for k, n := range v {
				resp.Versions[k] = int(n.(float64))
			}
		}
		return resp
	}
	submit := func(tok, form string, version int, note string) {
		t.Helper()
		if status, body := e.call("POST", "/v1/submissions", tok, "k/"+tok[:8]+"/"+form+note, submission(form, version, note)); status != 201 {
			t.Fatalf("submit %s %d: %d %v", form, version, status, body)
		}
	}
	old := enroll(code, "old")
	if old.Versions != nil {
		t.Errorf("first enrollment: %v", old.Versions)
	}
	submit(old.Token, "general", 1, "a")
	submit(old.Token, "general", 2, "b")
	submit(old.Token, "credentialing", 1, "c")
	if again := enroll(code, "old"); again.Versions != nil {
		t.Errorf("the same computer enrolling again is told its own versions: %v", again.Versions)
	}
	code2, err := e.db.Reissue(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"general": 2, "credentialing": 1}
	fresh := enroll(code2, "new")
	if !maps.Equal(fresh.Versions, want) {
		t.Errorf("new computer: %v, want %v", fresh.Versions, want)
	}
	submit(fresh.Token, "general", 3, "d")
	if again := enroll(code2, "new"); !maps.Equal(again.Versions, want) {
		t.Errorf("new computer enrolling again: %v, want the old computer's %v", again.Versions, want)
	}
}
