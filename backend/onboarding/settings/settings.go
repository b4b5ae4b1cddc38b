// Package settings is the connection settings: the network's intake server
// and the mail relay, as the Settings screen shows, checks, saves and tests
// them. The command line and environment give the defaults; saved settings
// win over them.
package settings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/validate"
)

// Service reads, checks, saves and tests the connection settings.
type Service struct {
	store   *store.Store
	now     func() time.Time
	secrets *secret.Box
}

// New builds the service; secrets seals the relay password.
func New(st *store.Store, now func() time.Time, secrets *secret.Box) *Service {
	return &Service{store: st, now: now, secrets: secrets}
}

// Connection settings: the network's intake server and the mail relay.
//
// The command line and environment (--intake-url, --smtp, --mail-from,
// --support-email, --credentialing-email and their $ONRAMP_* variables) give
// the defaults. Once the provider saves the Settings screen, the saved
// settings are used instead, all of them together: a flag changed later no
// longer matters on this computer.

const (
	settingConnection  = "connection"
	secretSMTPPassword = "settings/smtp-password"
	defaultSMTPPort    = 587
	maxSMTPPassword    = 1024
)

// Field names of the Settings screen, as problems name them.
const (
	FieldIntakeURL          = "intakeURL"
	FieldSMTPHost           = "smtpHost"
	FieldSMTPPort           = "smtpPort"
	FieldSMTPUsername       = "smtpUsername"
	FieldSMTPPassword       = "smtpPassword"
	FieldMailFrom           = "mailFrom"
	FieldSupportEmail       = "supportEmail"
	FieldCredentialingEmail = "credentialingEmail"
	FieldNPIRegistry        = "npiRegistry"
)

// Connection is what the app syncs with and sends email through.
type Connection struct {
	IntakeURL string
	Mail      outmail.Config
	// NPIRegistry is the NPPES Registry API's address ("": the public
	// registry, npi.DefaultURL).
	NPIRegistry string
}

// ConnectionSettings is the Settings screen's values. The relay password is
// never in it: only whether one is stored.
type ConnectionSettings struct {
	IntakeURL          string `json:"intakeURL"`
	SMTPHost           string `json:"smtpHost"`
	SMTPPort           string `json:"smtpPort"` // as typed; empty means 587
	SMTPUsername       string `json:"smtpUsername"`
	HasSMTPPassword    bool   `json:"hasSMTPPassword"`
	MailFrom           string `json:"mailFrom"`
	SupportEmail       string `json:"supportEmail"`
	CredentialingEmail string `json:"credentialingEmail"`
	NPIRegistry        string `json:"npiRegistry"`
}

// SettingsSection is one group of fields on the Settings screen.
type SettingsSection struct {
	Title  string        `json:"title"`
	Intro  string        `json:"intro,omitempty"`
	Fields []forms.Field `json:"fields"`
}

// SettingsView is what the Settings screen shows.
type SettingsView struct {
	Sections []SettingsSection  `json:"sections"`
	Settings ConnectionSettings `json:"settings"`
	// Saved is false while the values are the defaults from the command
	// line or environment.
	Saved bool `json:"saved"`
}

// SettingsSaved lists the problems to show beside their fields, none when
// the settings were saved.
type SettingsSaved struct {
	Problems []forms.Problem    `json:"problems"`
	Settings ConnectionSettings `json:"settings"`
}

// savedConnection is how the settings are kept in the settings table; the
// password is a sealed secret beside it.
type savedConnection struct {
	IntakeURL          string `json:"intakeURL"`
	SMTPHost           string `json:"smtpHost"`
	SMTPPort           int    `json:"smtpPort"`
	SMTPUsername       string `json:"smtpUsername"`
	MailFrom           string `json:"mailFrom"`
	SupportEmail       string `json:"supportEmail"`
	CredentialingEmail string `json:"credentialingEmail"`
	NPIRegistry        string `json:"npiRegistry,omitempty"`
}

// Connection is the connection to use: the saved settings, or def (from
// the command line and environment) until settings are saved.
func (s *Service) Connection(ctx context.Context, def Connection) (Connection, error) {
	saved, ok, err := s.savedConnection(ctx)
	if err != nil || !ok {
		return def, err
	}
	pw, err := s.storedPassword(ctx)
	if err != nil {
		return def, err
	}
	c := Connection{IntakeURL: saved.IntakeURL, NPIRegistry: saved.NPIRegistry, Mail: outmail.Config{
		From:          mail.Address{Name: def.Mail.From.Name, Email: saved.MailFrom},
		Support:       saved.SupportEmail,
		Credentialing: saved.CredentialingEmail,
	}}
	if c.Mail.From.Name == "" {
		c.Mail.From.Name = "Onramp"
	}
	if saved.SMTPHost != "" {
		r := mail.Relay{Host: saved.SMTPHost, Port: saved.SMTPPort, Username: saved.SMTPUsername, Password: pw}
		if def.Mail.Relay != nil {
			r.RootCAs = def.Mail.Relay.RootCAs
		}
		c.Mail.Relay = &r
	}
	return c, nil
}

// Settings is the Settings screen: its fields and the values in use.
func (s *Service) Settings(ctx context.Context, def Connection) (SettingsView, error) {
	saved, ok, err := s.savedConnection(ctx)
	if err != nil {
		return SettingsView{}, err
	}
	if !ok {
		saved = fromConnection(def)
	}
	v := SettingsView{Sections: settingsSections(), Settings: saved.settings(), Saved: ok}
	pw, err := s.keptPassword(ctx, def, saved.SMTPHost, saved.SMTPUsername)
	if err != nil {
		return SettingsView{}, err
	}
	v.Settings.HasSMTPPassword = pw != ""
	return v, nil
}

// SaveSettings checks and saves the settings. An empty password keeps the
// stored one (for the same relay and user name only, so that it never goes
// to a server it was not given for); clearPassword removes it. The password
// is sealed with the secrets box and never returned.
func (s *Service) SaveSettings(ctx context.Context, def Connection, in ConnectionSettings, password string, clearPassword bool) (SettingsSaved, error) {
	before, err := s.Connection(ctx, def)
	if err != nil {
		return SettingsSaved{}, err
	}
	c, pw, problems, err := s.checkSettings(ctx, def, in, password, clearPassword)
	if err != nil {
		return SettingsSaved{}, err
	}
	if len(problems) > 0 {
		return SettingsSaved{Problems: problems, Settings: in}, nil
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return SettingsSaved{}, err
	}
	var sealed, mask string
	if pw != "" {
		if sealed, err = s.secrets.Seal([]byte(pw), secretSMTPPassword); err != nil {
			return SettingsSaved{}, err
		}
		mask = "••••••••"
	}
	if err := s.store.SetSettingWithSecret(ctx, settingConnection, string(raw), secretSMTPPassword, sealed, mask, s.now()); err != nil {
		return SettingsSaved{}, err
	}
	if c.IntakeURL != before.IntakeURL {
		// The token was given by the old server: enroll with the new one.
		if err := s.store.SetSecret(ctx, syncing.TokenSecret, "", "", s.now()); err != nil {
			return SettingsSaved{}, err
		}
	}
	out := c.settings()
	out.HasSMTPPassword = pw != ""
	return SettingsSaved{Problems: []forms.Problem{}, Settings: out}, nil
}

// ResetSettings forgets the saved settings and the stored relay password:
// the command line's and environment's settings (def) are used again.
func (s *Service) ResetSettings(ctx context.Context, def Connection) (SettingsView, error) {
	before, err := s.Connection(ctx, def)
	if err != nil {
		return SettingsView{}, err
	}
	if err := s.store.SetSettingWithSecret(ctx, settingConnection, "", secretSMTPPassword, "", "", s.now()); err != nil {
		return SettingsView{}, err
	}
	if def.IntakeURL != before.IntakeURL {
		// The token was given by the server no longer used.
		if err := s.store.SetSecret(ctx, syncing.TokenSecret, "", "", s.now()); err != nil {
			return SettingsView{}, err
		}
	}
	return s.Settings(ctx, def)
}

func (s *Service) savedConnection(ctx context.Context) (savedConnection, bool, error) {
	raw, err := s.store.Setting(ctx, settingConnection)
	if err != nil || raw == "" {
		return savedConnection{}, false, err
	}
	var c savedConnection
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return savedConnection{}, false, fmt.Errorf("read the saved connection settings: %w", err)
	}
	return c, true, nil
}

// storedPassword opens the saved relay password. One that no longer opens
// (the key was replaced) counts as none: the Settings screen then asks for it.
func (s *Service) storedPassword(ctx context.Context) (string, error) {
	sealed, _, ok, err := s.store.Secret(ctx, secretSMTPPassword)
	if err != nil || !ok || sealed == "" {
		return "", err
	}
	pw, err := s.secrets.Open(sealed, secretSMTPPassword)
	if errors.Is(err, secret.ErrCorrupt) {
		log.Print("settings: the saved mail relay password could not be decrypted; enter it again")
		return "", nil
	}
	return string(pw), err
}

// keptPassword is the password an empty password field keeps for this relay
// host and user name: the saved one, or before anything is saved the one
// from the command line — in both cases only for the host and user name it
// was given with.
func (s *Service) keptPassword(ctx context.Context, def Connection, host, user string) (string, error) {
	saved, ok, err := s.savedConnection(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case ok && sameRelay(saved.SMTPHost, saved.SMTPUsername, host, user):
		return s.storedPassword(ctx)
	case !ok && def.Mail.Relay != nil && sameRelay(def.Mail.Relay.Host, def.Mail.Relay.Username, host, user):
		return def.Mail.Relay.Password, nil
	}
	return "", nil
}

func sameRelay(host1, user1, host2, user2 string) bool {
	return host1 != "" && strings.EqualFold(host1, host2) && user1 == user2
}

func fromConnection(c Connection) savedConnection {
	out := savedConnection{IntakeURL: c.IntakeURL, MailFrom: c.Mail.From.Email, SupportEmail: c.Mail.Support, CredentialingEmail: c.Mail.Credentialing,
		NPIRegistry: c.NPIRegistry}
	if r := c.Mail.Relay; r != nil {
		out.SMTPHost, out.SMTPPort, out.SMTPUsername = r.Host, r.Port, r.Username
	}
	return out
}

func (c savedConnection) settings() ConnectionSettings {
	out := ConnectionSettings{IntakeURL: c.IntakeURL, SMTPHost: c.SMTPHost, SMTPUsername: c.SMTPUsername,
		MailFrom: c.MailFrom, SupportEmail: c.SupportEmail, CredentialingEmail: c.CredentialingEmail, NPIRegistry: c.NPIRegistry}
	if c.SMTPPort != 0 {
		out.SMTPPort = strconv.Itoa(c.SMTPPort)
	}
	return out
}

// checkSettings validates what the Settings screen sent and works out the
// relay password to use. It returns the settings as they would be saved.
func (s *Service) checkSettings(ctx context.Context, def Connection, in ConnectionSettings, password string, clearPassword bool) (savedConnection, string, []forms.Problem, error) {
	c := savedConnection{
		IntakeURL:    strings.TrimSpace(in.IntakeURL),
		SMTPHost:     strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(in.SMTPHost), "["), "]"),
		SMTPUsername: strings.TrimSpace(in.SMTPUsername),
		MailFrom:     strings.TrimSpace(in.MailFrom), SupportEmail: strings.TrimSpace(in.SupportEmail),
		CredentialingEmail: strings.TrimSpace(in.CredentialingEmail),
		NPIRegistry:        strings.TrimSpace(in.NPIRegistry),
	}
	var problems []forms.Problem
	add := func(field, code, msg string) {
		problems = append(problems, forms.Problem{Field: field, Code: code, Message: msg})
	}
	if code, msg := checkIntakeURL(c.IntakeURL); msg != "" {
		add(FieldIntakeURL, code, msg)
	}
	if msg := checkRegistryURL(c.NPIRegistry); msg != "" {
		add(FieldNPIRegistry, "invalid", msg)
	}
	if c.SMTPHost != "" {
		if err := validate.Host(c.SMTPHost); err != nil {
			add(FieldSMTPHost, "invalid", err.Error())
		}
		port, err := validate.Port(strings.TrimSpace(in.SMTPPort), defaultSMTPPort)
		if err != nil {
			add(FieldSMTPPort, "invalid", err.Error())
		}
		c.SMTPPort = port
	}
	if err := validate.Username(c.SMTPUsername); err != nil {
		add(FieldSMTPUsername, "invalid", err.Error())
	}
	if utf8.RuneCountInString(password) > maxSMTPPassword || strings.ContainsRune(password, 0) {
		add(FieldSMTPPassword, "invalid", fmt.Sprintf("This password is too long or has characters a mail relay can't take (%d characters at most).", maxSMTPPassword))
	}

	pw := password
	if pw == "" && !clearPassword {
		kept, err := s.keptPassword(ctx, def, c.SMTPHost, c.SMTPUsername)
		if err != nil {
			return c, "", nil, err
		}
		pw = kept
	}
	switch {
	case c.SMTPHost == "" && (c.SMTPUsername != "" || password != ""):
		add(FieldSMTPHost, "required", "Enter the mail relay's host name, or clear its user name and password.")
	case c.SMTPHost == "":
		pw = "" // no relay: nothing to keep a password for
	case c.SMTPUsername != "" && pw == "":
		msg := "Enter the password for this user name, or clear the user name if the relay needs none."
		if had, err := s.hadPassword(ctx, def); err != nil {
			return c, "", nil, err
		} else if had && !clearPassword {
			msg = "Enter the password again: it is kept only for the relay and user name it was given with."
		}
		add(FieldSMTPPassword, "required", msg)
	case c.SMTPUsername == "" && password != "":
		add(FieldSMTPUsername, "required", "Enter the user name that goes with this password, or clear the password.")
	}

	for _, m := range []struct{ field, value, what string }{
		{FieldMailFrom, c.MailFrom, "the address Onramp's email comes from"},
		{FieldSupportEmail, c.SupportEmail, "support's email address"},
		{FieldCredentialingEmail, c.CredentialingEmail, "the credentialing team's email address"},
	} {
		if err := validate.Mailbox(m.value, m.what); err != nil {
			add(m.field, "invalid", err.Error())
		}
	}
	return c, pw, problems, nil
}

// hadPassword says whether a relay password is stored or given on the
// command line, for any relay.
func (s *Service) hadPassword(ctx context.Context, def Connection) (bool, error) {
	_, ok, err := s.savedConnection(ctx)
	if err != nil {
		return false, err
	}
	if ok {
		pw, err := s.storedPassword(ctx)
		return pw != "", err
	}
	return def.Mail.Relay != nil && def.Mail.Relay.Password != "", nil
}

// checkIntakeURL applies the intake client's own rule (HTTPS, or HTTP to
// this computer only) and asks for a plain server address.
// checkRegistryURL: empty (the public registry), or an address over
// HTTPS (HTTP only on this computer, for a test registry).
func checkRegistryURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "Enter the registry's full address, starting with https://, or leave it empty for the public NPI Registry."
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "Enter only the registry's address, without a user name or anything after ? or #."
	}
	if u.Scheme == "http" {
		if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return "The registry's address must start with https:// (http:// only for one on this computer)."
		}
	}
	return ""
}

func checkIntakeURL(s string) (code, msg string) {
	if s == "" {
		return "", ""
	}
	u, err := url.Parse(s)
	if err != nil || !strings.Contains(s, "://") {
		return "invalid", "Enter the server's full address, starting with https://, like https://intake.example.org."
	}
	if u.User != nil {
		return "invalid", "Leave the user name and password out of the address: Onramp signs in with your invitation code."
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#") {
		return "invalid", "Enter only the server's address, without anything after ? or #."
	}
	if _, err := intake.NewClient(s, "", checkTimeout); err != nil {
		if errors.Is(err, intake.ErrInsecureURL) {
			return "insecure-url", "Use an https:// address. Plain http:// is allowed only for a server on this computer (localhost or 127.0.0.1)."
		}
		return "invalid", "Enter the server's full address, starting with https://, like https://intake.example.org."
	}
	return "", ""
}

func settingsSections() []SettingsSection {
	return []SettingsSection{
		{
			Title: "The network's intake server",
			Intro: "Where Onramp sends your forms and gets the network's reviews.",
			Fields: []forms.Field{{
				Name: FieldIntakeURL, Label: "Intake server address", Type: "text", Placeholder: "https://intake.example.org", Wide: true,
				Help: "It must start with https:// (http:// only for a server on this computer). Leave it empty to work offline; everything waits in the outbox.",
			}},
		},
		{
			Title: "Your own mail relay (SMTP, optional)",
			Intro: "Onramp sends its email (receipts, help requests, support packets) through the network once it is connected: nothing to set up. Name a relay here only to send through your own mail server instead.",
			Fields: []forms.Field{
				{Name: FieldSMTPHost, Label: "Host", Type: "text", Placeholder: "smtp.example.org",
					Help: "Leave it empty to send through the network."},
				{Name: FieldSMTPPort, Label: "Port", Type: "text", Placeholder: "587",
					Help: "Usually 587. The connection is encrypted with STARTTLS unless the relay runs on this computer."},
				{Name: FieldSMTPUsername, Label: "User name", Type: "text", Autocomplete: "off",
					Help: "Leave it empty if the relay doesn't ask you to sign in."},
				{Name: FieldSMTPPassword, Label: "Password", Type: "password",
					Help: "Stored encrypted on this computer and never shown again. Leave it empty to keep the stored one."},
			},
		},
		{
			Title: "Addresses",
			Intro: "Used with your own relay; through the network, its own addresses apply.",
			Fields: []forms.Field{
				{Name: FieldMailFrom, Label: "Send email from", Type: "email", Placeholder: "onramp@example.org"},
				{Name: FieldSupportEmail, Label: "Support's address", Type: "email", Help: "Help requests go here."},
				{Name: FieldCredentialingEmail, Label: "Credentialing team's address", Type: "email", Help: "Exported support packets go here."},
			},
		},
		{
			Title: "The NPI Registry",
			Intro: "Onramp looks the NPI you type up in the national NPI Registry (NPPES) and shows what it holds beside it.",
			Fields: []forms.Field{
				{Name: FieldNPIRegistry, Label: "Registry address", Type: "text", Placeholder: "https://npiregistry.cms.hhs.gov/api/", Wide: true,
					Help: "Leave it empty for the public registry. Offline, the forms work without the check."},
			},
		},
	}
}
