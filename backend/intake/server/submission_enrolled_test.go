package server

import (
	"errors"
	"testing"

	"onramp/backend/mail"
	"onramp/backend/validate"
)

// enrollAs enrolls installation with code, the app's account email being
// email; the token.
func (e *env) enrollAs(code, email, installation string) string {
	e.t.Helper()
	status, body := e.call("POST", "/v1/enroll", "", "", mustJSON(map[string]string{"invitationCode": code, "installation": installation,
		"name": "Zoë Ł", "email": email}))
	if status != 200 {
		e.t.Fatalf("enroll: %d %v", status, body)
	}
	return body["token"].(string)
}

// The app sends receipts to the address the provider set it up with, which
// may not be the one the network invited: the submission service takes
// both, and a later enrollment (a new computer, set up with another
// address) replaces the app's address; the invitation's stays.
func TestSubmissionAllowsTheEnrolledAddress(t *testing.T) {
	m := newMailEnv(t, "127.0.0.1", MailSubmissionConfig{})
	code, err := validate.NewInvitationCode(nil)
	if err != nil {
		t.Fatal(err)
	}
	const invited, typed, later = "ana@example.org", "ana.lopez@clinic.test", "ana@newclinic.test"
	if err := m.db.AddInvitation(ctx, code, invited); err != nil {
		t.Fatal(err)
	}
	tok := m.enrollAs(code, "  Ana López <"+typed+">  ", "old-computer")
	id, _, err := m.db.providerByToken(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	send := func(token, id, to string) error {
		relay := m.relay()
		relay.Username, relay.Password = SubmissionUser(mustProvider(t, m, token)), token
		return mail.SendRaw(ctx, relay, routeFrom, []string{to}, rawMessage(id, routeFrom, to, "receipt"))
	}
	refused := func(err error) bool {
		var me *mail.Error
		return errors.As(err, &me) && me.Code == 550
	}
	for _, c := range []struct {
		to      string
		refused bool
	}{
		{typed, false},   // where the app sends receipts (refused 550 before the fix)
		{invited, false}, // the invitation's address keeps working
		{"someone@else.test", true},
	} {
		err := send(tok, "old-"+c.to+"@onramp.invalid", c.to)
		if refused(err) != c.refused || (!c.refused && err != nil) {
			t.Errorf("to %s: %v, want refused %v", c.to, err, c.refused)
		}
	}

	// Support reissues; the new computer is set up with another address.
	code2, err := m.db.Reissue(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	tok2 := m.enrollAs(code2, later, "new-computer")
	for _, c := range []struct {
		to      string
		refused bool
	}{
		{later, false},
		{invited, false},
		{typed, true}, // the app no longer uses it: not an open door
	} {
		err := send(tok2, "new-"+c.to+"@onramp.invalid", c.to)
		if refused(err) != c.refused || (!c.refused && err != nil) {
			t.Errorf("after the new enrollment, to %s: %v, want refused %v", c.to, err, c.refused)
		}
	}
	ps, err := m.db.Providers(ctx)
	if err != nil || len(ps) != 2 || ps[1].Email != invited || ps[1].AppEmail != later || ps[0].AppEmail != "" {
		t.Errorf("providers: %+v %v; want Ana's email the invitation's %s, her app's %s (Zoë's the same: none shown)", ps, err, invited, later)
	}
}

func mustProvider(t *testing.T, m *mailEnv, token string) int64 {
	t.Helper()
	id, _, err := m.db.providerByToken(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
