package onboarding

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"onramp/backend/intake/server"
	"onramp/backend/mail"
)

// authRelay is a real SMTP server that wants AUTH PLAIN with one user name
// and password, and counts what it was asked to deliver.
type authRelay struct {
	user, pass string
	mu         sync.Mutex
	mails      int
	logins     int
}

func (r *authRelay) NewSession(*smtp.Conn) (smtp.Session, error) { return &authSession{r: r}, nil }

type authSession struct{ r *authRelay }

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.r.user || pass != s.r.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.r.mu.Lock()
		s.r.logins++
		s.r.mu.Unlock()
		return nil
	}), nil
}
func (s *authSession) Reset()        {}
func (s *authSession) Logout() error { return nil }
func (s *authSession) Mail(string, *smtp.MailOptions) error {
	s.r.mu.Lock()
	s.r.mails++
	s.r.mu.Unlock()
	return nil
}
func (s *authSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *authSession) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }

// startAuthRelay listens on ip; with cert it offers STARTTLS.
func startAuthRelay(t *testing.T, ip string, cert *tls.Certificate) (*authRelay, string, int) {
	t.Helper()
	r := &authRelay{user: "clinic", pass: "relay-pass-55"}
	srv := smtp.NewServer(r)
	srv.Domain = "relay.test"
	srv.AllowInsecureAuth = cert == nil
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return r, ip, p
}

// otherAddress is an IPv4 address of this computer that is not loopback:
// a relay there must offer STARTTLS.
func otherAddress(t *testing.T) string {
	t.Helper()
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP.String()
		}
	}
	t.Skip("this computer has no non-loopback IPv4 address to run a STARTTLS relay on")
	return ""
}

func selfSigned(t *testing.T, ip string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP(ip)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

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
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()

	plain, _, plainPort := startAuthRelay(t, "127.0.0.1", nil)
	ip := otherAddress(t)
	cert, pool := selfSigned(t, ip)
	secure, _, securePort := startAuthRelay(t, ip, &cert)
	_, _, noTLSPort := startAuthRelay(t, ip, nil)
	trusting := Connection{Mail: MailConfig{Relay: &mail.Relay{RootCAs: &tls.Config{RootCAs: pool}}}}

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
			ConnectionSettings{IntakeURL: intakeSrv.URL, SMTPHost: "127.0.0.1", SMTPPort: strconv.Itoa(plainPort), SMTPUsername: "clinic"}, "relay-pass-55",
			CheckOK, "answered", CheckOK, "on this computer, so without encryption) and accepted the user name and password. Nothing was sent."},
		{"STARTTLS relay elsewhere", trusting,
			ConnectionSettings{IntakeURL: intakeSrv.URL + "/", SMTPHost: ip, SMTPPort: strconv.Itoa(securePort), SMTPUsername: "clinic"}, "relay-pass-55",
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
			ConnectionSettings{IntakeURL: "http://insecure.example.org", SMTPHost: "127.0.0.1", SMTPPort: strconv.Itoa(freePort(t))}, "",
			CheckSkipped, "fix the intake server address", CheckFailed, "Nothing answered at 127.0.0.1:"},
		{"no relay", Connection{}, ConnectionSettings{}, "", CheckSkipped, "works offline", CheckSkipped, "waits in the outbox"},
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
	for _, r := range []*authRelay{plain, secure} {
		if r.mails != 0 {
			t.Errorf("a test connection sent %d messages", r.mails)
		}
	}
	if plain.logins != 1 || secure.logins != 1 {
		t.Errorf("signed in %d and %d times", plain.logins, secure.logins)
	}
	if v, _ := svc.Settings(ctx, Connection{}); v.Saved {
		t.Error("testing saved the settings")
	}
}

// Test connection uses the stored password when the field is left empty.
func TestTestSettingsUsesStoredPassword(t *testing.T) {
	svc := settingsService(t)
	relay, host, port := startAuthRelay(t, "127.0.0.1", nil)
	in := ConnectionSettings{SMTPHost: host, SMTPPort: strconv.Itoa(port), SMTPUsername: "clinic"}
	addresses(&in)
	if res, _ := svc.SaveSettings(ctx, Connection{}, in, relay.pass, false); len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	res, err := svc.TestSettings(ctx, Connection{}, in, "", false)
	if err != nil || res.Mail.Status != CheckOK {
		t.Fatalf("%v %+v", err, res)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
