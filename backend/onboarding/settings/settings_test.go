package settings

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// flagDefaults is what main.go would build from the command line.
func flagDefaults() Connection {
	return Connection{IntakeURL: "https://intake.example.org", Mail: outmail.Config{
		Relay: &mail.Relay{Host: "smtp.example.org", Port: 587, Username: "onramp", Password: "flag-pass-7781"},
		From:  mail.Address{Name: "Onramp", Email: "onramp@example.org"}, Support: "support@example.org", Credentialing: "cred@example.org",
	}}
}

func validSettings() ConnectionSettings {
	return ConnectionSettings{IntakeURL: "https://intake.network.example", SMTPHost: "mail.network.example", SMTPPort: "2587",
		SMTPUsername: "clinic", MailFrom: "onramp@network.example", SupportEmail: "help@network.example", CredentialingEmail: "cred@network.example"}
}

var ctx = context.Background()

func fixedNow() time.Time { return time.Date(2026, 11, 25, 15, 0, 0, 0, time.Local) }

func settingsService(t *testing.T) *Service {
	t.Helper()
	return New(storetest.New(t), fixedNow, secrettest.Box(t))
}

func problemsByField(ps []forms.Problem) map[string]forms.Problem {
	out := map[string]forms.Problem{}
	for _, p := range ps {
		out[p.Field] = p
	}
	return out
}

// Every field is checked and each problem names its field in plain words;
// nothing is saved while there is one.
func TestSaveSettingsValidation(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ConnectionSettings)
		pw     string
		field  string
		code   string
		words  string
	}{
		{"http to another computer", func(c *ConnectionSettings) { c.IntakeURL = "http://intake.network.example" }, "p", FieldIntakeURL, "insecure-url", "https://"},
		{"http to a LAN address", func(c *ConnectionSettings) { c.IntakeURL = "http://192.168.1.20:8765" }, "p", FieldIntakeURL, "insecure-url", "this computer"},
		{"no scheme", func(c *ConnectionSettings) { c.IntakeURL = "intake.network.example" }, "p", FieldIntakeURL, "invalid", "starting with https://"},
		{"ftp", func(c *ConnectionSettings) { c.IntakeURL = "ftp://intake.network.example" }, "p", FieldIntakeURL, "invalid", "https://"},
		{"credentials in the URL", func(c *ConnectionSettings) { c.IntakeURL = "https://me:pw@intake.network.example" }, "p", FieldIntakeURL, "invalid", "user name and password out"},
		{"query", func(c *ConnectionSettings) { c.IntakeURL = "https://intake.network.example/?x=1" }, "p", FieldIntakeURL, "invalid", "without anything after"},
		{"host with scheme", func(c *ConnectionSettings) { c.SMTPHost = "smtp://mail.network.example" }, "p", FieldSMTPHost, "invalid", "without smtp://"},
		{"host with port", func(c *ConnectionSettings) { c.SMTPHost = "mail.network.example:587" }, "p", FieldSMTPHost, "invalid", "Port field"},
		{"host with a space", func(c *ConnectionSettings) { c.SMTPHost = "mail network" }, "p", FieldSMTPHost, "invalid", "no spaces"},
		{"host with an underscore", func(c *ConnectionSettings) { c.SMTPHost = "mail_1.example" }, "p", FieldSMTPHost, "invalid", "letters, digits"},
		{"host label too long", func(c *ConnectionSettings) { c.SMTPHost = strings.Repeat("a", 64) + ".example" }, "p", FieldSMTPHost, "invalid", "isn't a host name"},
		{"port zero", func(c *ConnectionSettings) { c.SMTPPort = "0" }, "p", FieldSMTPPort, "invalid", "1 to 65535"},
		{"port too big", func(c *ConnectionSettings) { c.SMTPPort = "70000" }, "p", FieldSMTPPort, "invalid", "1 to 65535"},
		{"port words", func(c *ConnectionSettings) { c.SMTPPort = "submission" }, "p", FieldSMTPPort, "invalid", "number"},
		{"user name with a line break", func(c *ConnectionSettings) { c.SMTPUsername = "a\nb" }, "p", FieldSMTPUsername, "invalid", "line breaks"},
		{"user without password", func(c *ConnectionSettings) {}, "", FieldSMTPPassword, "required", "password for this user name"},
		{"password without user", func(c *ConnectionSettings) { c.SMTPUsername = "" }, "p", FieldSMTPUsername, "required", "user name that goes with"},
		{"user but no host", func(c *ConnectionSettings) { c.SMTPHost = "" }, "p", FieldSMTPHost, "required", "host name"},
		{"password too long", func(c *ConnectionSettings) {}, strings.Repeat("x", 1025), FieldSMTPPassword, "invalid", "too long"},
		{"from empty", func(c *ConnectionSettings) { c.MailFrom = " " }, "p", FieldMailFrom, "invalid", "Enter the address Onramp's email comes from"},
		{"support not an address", func(c *ConnectionSettings) { c.SupportEmail = "support" }, "p", FieldSupportEmail, "invalid", "one @"},
		{"credentialing with a space", func(c *ConnectionSettings) { c.CredentialingEmail = "cred team@network.example" }, "p", FieldCredentialingEmail, "invalid", "spaces"},
		{"registry over http elsewhere", func(c *ConnectionSettings) { c.NPIRegistry = "http://registry.example/api/" }, "p", FieldNPIRegistry, "invalid", "https://"},
		{"registry not an address", func(c *ConnectionSettings) { c.NPIRegistry = "nppes" }, "p", FieldNPIRegistry, "invalid", "full address"},
		{"registry with a query", func(c *ConnectionSettings) { c.NPIRegistry = "https://registry.example/api/?version=2.1" }, "p", FieldNPIRegistry, "invalid", "after ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := settingsService(t)
			in := validSettings()
			tt.change(&in)
			res, err := svc.SaveSettings(ctx, Connection{}, in, tt.pw, false)
			if err != nil {
				t.Fatal(err)
			}
			p, ok := problemsByField(res.Problems)[tt.field]
			if !ok || p.Code != tt.code || !strings.Contains(p.Message, tt.words) {
				t.Fatalf("problems %+v, want %s/%s saying %q", res.Problems, tt.field, tt.code, tt.words)
			}
			if len(res.Problems) != 1 {
				t.Errorf("more problems than the one: %+v", res.Problems)
			}
			if v, _ := svc.Settings(ctx, Connection{}); v.Saved {
				t.Error("saved despite a problem")
			}
		})
	}
}

// What the rules accept: https anywhere, http on this computer, no relay,
// a relay without sign-in, IP literals, name@localhost for the local sink.
func TestSaveSettingsAccepts(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ConnectionSettings)
		pw     string
	}{
		{"everything", func(*ConnectionSettings) {}, "secret"},
		{"http on localhost", func(c *ConnectionSettings) { c.IntakeURL = "http://localhost:8765" }, "secret"},
		{"http on 127.0.0.1 with a path", func(c *ConnectionSettings) { c.IntakeURL = "http://127.0.0.1:8765/onramp/" }, "secret"},
		{"http on ::1", func(c *ConnectionSettings) { c.IntakeURL = "http://[::1]:8765" }, "secret"},
		{"offline", func(c *ConnectionSettings) { c.IntakeURL = "" }, "secret"},
		{"no relay", func(c *ConnectionSettings) { c.SMTPHost, c.SMTPPort, c.SMTPUsername = "", "", "" }, ""},
		{"relay without sign-in", func(c *ConnectionSettings) { c.SMTPUsername = "" }, ""},
		{"IPv4 relay", func(c *ConnectionSettings) { c.SMTPHost = "192.0.2.25" }, "secret"},
		{"IPv6 relay in brackets", func(c *ConnectionSettings) { c.SMTPHost = "[2001:db8::25]" }, "secret"},
		{"default port", func(c *ConnectionSettings) { c.SMTPPort = "" }, "secret"},
		{"local sink addresses", func(c *ConnectionSettings) {
			c.MailFrom, c.SupportEmail = "onramp@localhost", "support@network.localhost"
		}, "secret"},
		{"spaces around", func(c *ConnectionSettings) {
			c.IntakeURL, c.SMTPHost = "  https://intake.network.example ", " mail.network.example "
		}, "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := settingsService(t)
			in := validSettings()
			tt.change(&in)
			res, err := svc.SaveSettings(ctx, Connection{}, in, tt.pw, false)
			if err != nil || len(res.Problems) != 0 {
				t.Fatalf("%v %+v", err, res.Problems)
			}
			if res.Settings.HasSMTPPassword != (tt.pw != "") {
				t.Errorf("hasSMTPPassword = %v", res.Settings.HasSMTPPassword)
			}
		})
	}
	svc := settingsService(t)
	in := validSettings()
	in.SMTPPort, in.SMTPHost = "", "[2001:db8::25]"
	res, _ := svc.SaveSettings(ctx, Connection{}, in, "pw", false)
	if res.Settings.SMTPPort != "587" || res.Settings.SMTPHost != "2001:db8::25" {
		t.Errorf("saved as %+v", res.Settings)
	}
	c, _ := svc.Connection(ctx, Connection{})
	if c.Mail.Relay == nil || c.Mail.Relay.Port != 587 || c.Mail.Relay.Host != "2001:db8::25" {
		t.Errorf("relay %+v", c.Mail.Relay)
	}
}

// The relay password is sealed: it never appears in the database files, in
// what Settings or SaveSettings return, and it opens only for its own name.
func TestSMTPPasswordIsSealed(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	svc := New(st, fixedNow, secrettest.Box(t))
	const pw = "Relay-Pa55word-QZX-9130"
	res, err := svc.SaveSettings(ctx, Connection{}, validSettings(), pw, false)
	if err != nil || len(res.Problems) > 0 {
		t.Fatal(err, res.Problems)
	}
	view, err := svc.Settings(ctx, Connection{})
	if err != nil {
		t.Fatal(err)
	}
	for what, v := range map[string]any{"SaveSettings": res, "Settings": view} {
		raw, _ := json.Marshal(v)
		if bytes.Contains(raw, []byte(pw)) {
			t.Errorf("%s returns the password: %s", what, raw)
		}
	}
	if !view.Settings.HasSMTPPassword || !view.Saved {
		t.Errorf("view %+v", view)
	}
	sealed, mask, ok, err := st.Secret(ctx, secretSMTPPassword)
	if err != nil || !ok || !strings.HasPrefix(sealed, "v1:") || mask != "••••••••" {
		t.Fatalf("secret %q %q %v %v", sealed, mask, ok, err)
	}
	if _, err := secrettest.Box(t).Open(sealed, secretCAQH); err == nil {
		t.Error("the sealed password opens under another name")
	}
	c, err := svc.Connection(ctx, Connection{})
	if err != nil || c.Mail.Relay == nil || c.Mail.Relay.Password != pw {
		t.Fatalf("the dispatcher's relay: %v %+v", err, c.Mail.Relay)
	}
	grepDataDir(t, dir, pw)
	st.Close() // checkpoints the WAL into the main file
	grepDataDir(t, dir, pw)
}

const secretCAQH = "credentialing/caqhPassword"

func grepDataDir(t *testing.T, dir, plain string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(plain)) {
			t.Errorf("%s holds the relay password in plaintext", filepath.Base(f))
		}
	}
}

// Before anything is saved the flags and environment are used; once saved,
// the saved settings win, whatever the flags say later. An empty password
// keeps the stored one for the same relay and user only; clear removes it.
func TestSettingsPrecedenceAndPassword(t *testing.T) {
	svc := settingsService(t)
	def := flagDefaults()

	view, err := svc.Settings(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	want := ConnectionSettings{IntakeURL: "https://intake.example.org", SMTPHost: "smtp.example.org", SMTPPort: "587", SMTPUsername: "onramp",
		HasSMTPPassword: true, MailFrom: "onramp@example.org", SupportEmail: "support@example.org", CredentialingEmail: "cred@example.org"}
	if view.Saved || view.Settings != want {
		t.Fatalf("defaults shown as %+v (saved %v)", view.Settings, view.Saved)
	}
	if c, _ := svc.Connection(ctx, def); c.IntakeURL != def.IntakeURL || c.Mail.Relay.Password != "flag-pass-7781" {
		t.Fatalf("before saving: %+v", c)
	}

	// Saving the defaults unchanged, password left empty: the flag's
	// password is kept, now stored here.
	in := view.Settings
	in.IntakeURL = "https://other-intake.example.org"
	if res, err := svc.SaveSettings(ctx, def, in, "", false); err != nil || len(res.Problems) > 0 || !res.Settings.HasSMTPPassword {
		t.Fatalf("save: %v %+v", err, res)
	}
	later := flagDefaults()
	later.IntakeURL, later.Mail.Relay.Host, later.Mail.Relay.Password, later.Mail.From.Email = "https://flag-changed.example.org", "smtp.changed.example", "changed", "x@example.org"
	c, err := svc.Connection(ctx, later)
	if err != nil {
		t.Fatal(err)
	}
	if c.IntakeURL != "https://other-intake.example.org" || c.Mail.Relay.Host != "smtp.example.org" || c.Mail.Relay.Password != "flag-pass-7781" ||
		c.Mail.From.Email != "onramp@example.org" || c.Mail.From.Name != "Onramp" || c.Mail.Support != "support@example.org" {
		t.Fatalf("saved settings do not win: %+v relay %+v", c, c.Mail.Relay)
	}

	// A new password replaces it; an empty one keeps it.
	if res, _ := svc.SaveSettings(ctx, later, in, "new-pass-1", false); len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	if res, _ := svc.SaveSettings(ctx, later, in, "", false); len(res.Problems) > 0 || !res.Settings.HasSMTPPassword {
		t.Fatal(res)
	}
	if c, _ := svc.Connection(ctx, later); c.Mail.Relay.Password != "new-pass-1" {
		t.Errorf("password after keeping: %q", c.Mail.Relay.Password)
	}

	// Another relay host: the stored password is not sent there.
	moved := in
	moved.SMTPHost = "smtp.elsewhere.example"
	res, _ := svc.SaveSettings(ctx, later, moved, "", false)
	if p := problemsByField(res.Problems)[FieldSMTPPassword]; !strings.Contains(p.Message, "again") {
		t.Errorf("moving the relay: %+v", res.Problems)
	}
	if v, _ := svc.Settings(ctx, later); v.Settings.SMTPHost != "smtp.example.org" {
		t.Error("saved despite the problem")
	}

	// Clear: the user name must go too, or a new password be given.
	res, _ = svc.SaveSettings(ctx, later, in, "", true)
	if _, ok := problemsByField(res.Problems)[FieldSMTPPassword]; !ok {
		t.Errorf("clearing with a user name: %+v", res.Problems)
	}
	noUser := in
	noUser.SMTPUsername = ""
	if res, _ := svc.SaveSettings(ctx, later, noUser, "", true); len(res.Problems) > 0 || res.Settings.HasSMTPPassword {
		t.Fatalf("clear: %+v", res)
	}
	if _, _, ok, _ := svc.store.Secret(ctx, secretSMTPPassword); ok {
		t.Error("the cleared password is still stored")
	}
	if c, _ := svc.Connection(ctx, later); c.Mail.Relay.Password != "" || c.Mail.Relay.Username != "" {
		t.Errorf("relay after clearing: %+v", c.Mail.Relay)
	}
	// Same host and user as the flags again: the flag's password does not
	// come back once settings are saved.
	if res, _ := svc.SaveSettings(ctx, later, in, "", false); len(res.Problems) == 0 {
		t.Error("the flag's password came back after saving")
	}
}

// The flag's password goes only to the flag's relay and user: saving
// another host asks for a password.
func TestFlagPasswordStaysWithItsRelay(t *testing.T) {
	svc := settingsService(t)
	def := flagDefaults()
	in := validSettings() // another host and user
	if v, _ := svc.Settings(ctx, def); !v.Settings.HasSMTPPassword {
		t.Fatal("the flag's password is not shown as stored")
	}
	res, _ := svc.SaveSettings(ctx, def, in, "", false)
	if p := problemsByField(res.Problems)[FieldSMTPPassword]; p.Code != "required" {
		t.Fatalf("problems %+v", res.Problems)
	}
}

// Changing the intake server forgets the old server's token, so the next
// sync enrolls with the new one; keeping it keeps the token.
func TestNewIntakeURLForgetsToken(t *testing.T) {
	svc := settingsService(t)
	def := Connection{IntakeURL: "https://a.example.org", Mail: outmail.Config{From: mail.Address{Email: "onramp@example.org"}, Support: "s@example.org", Credentialing: "c@example.org"}}
	sealed, _ := svc.secrets.Seal([]byte("tok"), syncing.TokenSecret)
	svc.store.SetSecret(ctx, syncing.TokenSecret, sealed, "", fixedNow())
	v, _ := svc.Settings(ctx, def)
	if res, _ := svc.SaveSettings(ctx, def, v.Settings, "", false); len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	if s, _, _, _ := svc.store.Secret(ctx, syncing.TokenSecret); s != sealed {
		t.Error("the token was dropped though the server did not change")
	}
	v.Settings.IntakeURL = "https://b.example.org"
	if res, _ := svc.SaveSettings(ctx, def, v.Settings, "", false); len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	if s, _, _, _ := svc.store.Secret(ctx, syncing.TokenSecret); s != "" {
		t.Error("the old server's token was kept")
	}
}

// A saved password that no longer opens (the key was replaced) counts as
// none: the screen asks for it again instead of failing.
func TestUnreadablePasswordCountsAsNone(t *testing.T) {
	svc := settingsService(t)
	if res, _ := svc.SaveSettings(ctx, Connection{}, validSettings(), "pw", false); len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	svc.store.SetSecret(ctx, secretSMTPPassword, "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "••••••••", fixedNow())
	v, err := svc.Settings(ctx, Connection{})
	if err != nil || v.Settings.HasSMTPPassword {
		t.Fatalf("%v %+v", err, v.Settings)
	}
	if c, err := svc.Connection(ctx, Connection{}); err != nil || c.Mail.Relay.Password != "" {
		t.Fatalf("%v %+v", err, c.Mail.Relay)
	}
}

// The screen's fields are the ones problems name.
func TestSettingsSectionsNameEveryField(t *testing.T) {
	names := map[string]bool{}
	for _, s := range settingsSections() {
		for _, f := range s.Fields {
			names[f.Name] = true
		}
	}
	for _, f := range []string{FieldIntakeURL, FieldSMTPHost, FieldSMTPPort, FieldSMTPUsername, FieldSMTPPassword, FieldMailFrom, FieldSupportEmail, FieldCredentialingEmail, FieldNPIRegistry} {
		if !names[f] {
			t.Errorf("no field %s on the screen", f)
		}
	}
	raw, _ := json.Marshal(ConnectionSettings{})
	for f := range names {
		if f != FieldSMTPPassword && !bytes.Contains(raw, []byte(`"`+f+`"`)) {
			t.Errorf("field %s is not in ConnectionSettings' JSON", f)
		}
	}
}

// "Use the defaults" forgets the saved settings and the stored relay
// password; the command line's settings are in use again, and a token from
// a server no longer used is dropped.
func TestResetSettings(t *testing.T) {
	svc := settingsService(t)
	def := flagDefaults()
	if res, err := svc.SaveSettings(ctx, def, validSettings(), "saved-pass-4411", false); err != nil || len(res.Problems) > 0 {
		t.Fatal(err, res.Problems)
	}
	sealed, _ := svc.secrets.Seal([]byte("tok"), syncing.TokenSecret)
	svc.store.SetSecret(ctx, syncing.TokenSecret, sealed, "", fixedNow())
	v, err := svc.ResetSettings(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	if v.Saved || v.Settings.IntakeURL != def.IntakeURL || v.Settings.SMTPHost != "smtp.example.org" || !v.Settings.HasSMTPPassword {
		t.Errorf("after reset: %+v", v)
	}
	conn, err := svc.Connection(ctx, def)
	if err != nil || conn.IntakeURL != def.IntakeURL || conn.Mail.Relay == nil || conn.Mail.Relay.Password != "flag-pass-7781" {
		t.Errorf("connection after reset: %+v %v", conn, err)
	}
	if s, _, ok, _ := svc.store.Secret(ctx, secretSMTPPassword); ok && s != "" {
		t.Error("the saved relay password was kept")
	}
	if s, _, _, _ := svc.store.Secret(ctx, syncing.TokenSecret); s != "" {
		t.Error("the saved server's token was kept")
	}
}

// The registry's address: saved with the rest, in the connection the app
// uses; a test registry on this computer may be plain HTTP.
func TestNPIRegistrySetting(t *testing.T) {
	svc := settingsService(t)
	in := validSettings()
	in.NPIRegistry = "http://127.0.0.1:8089/api/"
	res, err := svc.SaveSettings(ctx, Connection{}, in, "p", false)
	if err != nil || len(res.Problems) != 0 {
		t.Fatalf("save: %+v %v", res.Problems, err)
	}
	c, err := svc.Connection(ctx, Connection{NPIRegistry: "https://flag.example/api/"})
	if err != nil || c.NPIRegistry != "http://127.0.0.1:8089/api/" {
		t.Errorf("connection %+v %v", c, err)
	}
	v, _ := svc.Settings(ctx, Connection{})
	if v.Settings.NPIRegistry != "http://127.0.0.1:8089/api/" {
		t.Errorf("the screen shows %q", v.Settings.NPIRegistry)
	}
}
