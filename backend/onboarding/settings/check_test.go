package settings

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding/outmail"
)

const relayUser, relayPass = "clinic", "relay-pass-55"

func addresses(c *ConnectionSettings) {
	c.MailFrom, c.SupportEmail, c.CredentialingEmail = "onramp@localhost", "help@network.example", "cred@network.example"
}

// "Test connection" against real servers on this computer: the intake
// server's /healthz, something else answering, nothing answering; a relay on
// loopback without TLS, one elsewhere with STARTTLS and AUTH, a wrong
// password, a relay that offers no STARTTLS. Nothing is ever sent.
func TestTestSettings(t *testing.T) {
	svc := settingsService(t)
	db, err := server.Open(ctx, t.TempDir()+"/intake.db", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	intakeSrv := httptest.NewServer(server.NewServer(db).Handler())
	defer intakeSrv.Close()
	notIntake := httptest.NewServer(http.NotFoundHandler())
	defer notIntake.Close()
	downURL := "http://127.0.0.1:" + strconv.Itoa(mailtest.ClosedPort(t))

	plain := mailtest.StartRelay(t, "127.0.0.1", nil, relayUser, relayPass)
	ip := mailtest.OtherAddress(t)
	cert, pool := mailtest.SelfSigned(t, ip)
	secure := mailtest.StartRelay(t, ip, &cert, relayUser, relayPass)
	plainPort, securePort := plain.Port, secure.Port
	noTLSPort := mailtest.StartRelay(t, ip, nil, relayUser, relayPass).Port
	trusting := Connection{Mail: outmail.Config{Relay: &mail.Relay{RootCAs: &tls.Config{RootCAs: pool}}}}

	tests := []struct {
		name       string
		def        Connection
		in         ConnectionSettings
		pw         string
		intake     string // status, then words
		intakeSays string
		mail       string
		mailSays   string
	}{
		{"intake up, loopback relay with sign-in", Connection{},
			ConnectionSettings{IntakeURL: intakeSrv.URL, SMTPHost: "127.0.0.1", SMTPPort: strconv.Itoa(plainPort), SMTPUsername: "clinic"}, relayPass,
			CheckOK, "answered", CheckOK, "on this computer, so without encryption) and accepted the user name and password. Nothing was sent."},
		{"STARTTLS relay elsewhere", trusting,
			ConnectionSettings{IntakeURL: intakeSrv.URL + "/", SMTPHost: ip, SMTPPort: strconv.Itoa(securePort), SMTPUsername: "clinic"}, relayPass,
			CheckOK, "answered", CheckOK, "over an encrypted connection (STARTTLS) and accepted"},
		{"wrong password", trusting,
			ConnectionSettings{IntakeURL: notIntake.URL, SMTPHost: ip, SMTPPort: strconv.Itoa(securePort), SMTPUsername: "clinic"}, "nope",
			CheckFailed, "not as an intake server (404 Not Found", CheckFailed, "refused the user name or password"},
		{"untrusted certificate", Connection{},
			ConnectionSettings{IntakeURL: downURL, SMTPHost: ip, SMTPPort: strconv.Itoa(securePort)}, "",
			CheckFailed, "Nothing answered at", CheckFailed, "certificate"},
		{"no STARTTLS elsewhere", trusting,
			ConnectionSettings{SMTPHost: ip, SMTPPort: strconv.Itoa(noTLSPort)}, "",
			CheckSkipped, "works offline", CheckFailed, "did not start an encrypted session (STARTTLS)"},
		{"nothing listening", Connection{},
			ConnectionSettings{IntakeURL: "http://insecure.example.org", SMTPHost: "127.0.0.1", SMTPPort: strconv.Itoa(mailtest.ClosedPort(t))}, "",
			CheckSkipped, "fix the intake server address", CheckFailed, "Nothing answered at 127.0.0.1:"},
		{"no relay", Connection{}, ConnectionSettings{}, "", CheckSkipped, "works offline", CheckSkipped, "goes through the network"},
		{"bad port", Connection{}, ConnectionSettings{SMTPHost: "127.0.0.1", SMTPPort: "99999"}, "", CheckSkipped, "", CheckSkipped, "fix the mail relay's fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addresses(&tt.in)
			res, err := svc.TestSettings(ctx, tt.def, tt.in, tt.pw, false)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("intake: %s\nmail: %s", res.Intake.Message, res.Mail.Message)
			if res.Intake.Status != tt.intake || !strings.Contains(res.Intake.Message, tt.intakeSays) {
				t.Errorf("intake: %+v, want %s %q", res.Intake, tt.intake, tt.intakeSays)
			}
			if res.Mail.Status != tt.mail || !strings.Contains(res.Mail.Message, tt.mailSays) {
				t.Errorf("mail: %+v, want %s %q", res.Mail, tt.mail, tt.mailSays)
			}
		})
	}
	for _, r := range []*mailtest.Relay{plain, secure} {
		if n := r.Mails(); n != 0 {
			t.Errorf("a test connection sent %d messages", n)
		}
	}
	if plain.Logins() != 1 || secure.Logins() != 1 {
		t.Errorf("signed in %d and %d times", plain.Logins(), secure.Logins())
	}
	if v, _ := svc.Settings(ctx, Connection{}); v.Saved {
		t.Error("testing saved the settings")
	}
}

// Test connection uses the stored password when the field is left empty.
func TestTestSettingsUsesStoredPassword(t *testing.T) {
	svc := settingsService(t)
	relay := mailtest.StartRelay(t, "127.0.0.1", nil, relayUser, relayPass)
	in := ConnectionSettings{SMTPHost: relay.Host, SMTPPort: strconv.Itoa(relay.Port), SMTPUsername: relayUser}
	addresses(&in)
	if res, _ := svc.SaveSettings(ctx, Connection{}, in, relayPass, false); len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	res, err := svc.TestSettings(ctx, Connection{}, in, "", false)
	if err != nil || res.Mail.Status != CheckOK {
		t.Fatalf("%v %+v", err, res)
	}
}
