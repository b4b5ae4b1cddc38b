// Package mailtest gives tests real SMTP peers on this computer: a relay
// that wants AUTH PLAIN and, given a certificate, offers STARTTLS; the
// self-signed certificates and the non-loopback address to reach it as a
// relay that is "elsewhere".
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SelfSigned makes a certificate for the given host names and IP addresses
// and a pool that trusts it.
func SelfSigned(t testing.TB, hosts ...string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "onramp test server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// WritePEM writes a certificate and its key as PEM files (for servers that
// take file names) and returns their paths.
func WritePEM(t testing.TB, dir string, cert tls.Certificate) (certFile, keyFile string) {
	t.Helper()
	kder, err := x509.MarshalECPrivateKey(cert.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = dir+"/cert.pem", dir+"/key.pem"
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// OtherAddress is an IPv4 address of this computer that is not loopback, so
// that a relay there counts as elsewhere and must offer STARTTLS. The test
// is skipped on a computer that has none.
func OtherAddress(t testing.TB) string {
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

// Relay is a real SMTP server that wants AUTH PLAIN with one user name and
// password before MAIL, and records what it is given.
type Relay struct {
	Host string
	Port int

	user, pass string
	mu         sync.Mutex
	logins     int
	mails      int      // MAIL commands accepted
	delivered  []string // messages, as received
	sawTLS     bool     // a message arrived over TLS
}

// StartRelay listens on ip. With cert it offers STARTTLS (and AUTH only
// over it); without, it allows AUTH in the clear.
func StartRelay(t testing.TB, ip string, cert *tls.Certificate, user, pass string) *Relay {
	t.Helper()
	r := &Relay{user: user, pass: pass}
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
	r.Host = ip
	r.Port, _ = strconv.Atoi(port)
	return r
}

// Logins is how many sign-ins succeeded.
func (r *Relay) Logins() int { r.mu.Lock(); defer r.mu.Unlock(); return r.logins }

// Mails is how many MAIL commands were accepted.
func (r *Relay) Mails() int { r.mu.Lock(); defer r.mu.Unlock(); return r.mails }

// Delivered is every message received, and whether any came over TLS.
func (r *Relay) Delivered() ([]string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.delivered...), r.sawTLS
}

// NewSession is go-smtp's Backend.
func (r *Relay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{r: r, tls: isTLS}, nil
}

type session struct {
	r      *Relay
	tls    bool
	authed bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.r.user || pass != s.r.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.authed = true
		s.r.mu.Lock()
		s.r.logins++
		s.r.mu.Unlock()
		return nil
	}), nil
}
func (s *session) Mail(string, *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.r.mu.Lock()
	s.r.mails++
	s.r.mu.Unlock()
	return nil
}
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.r.mu.Lock()
	s.r.delivered = append(s.r.delivered, string(b))
	s.r.sawTLS = s.r.sawTLS || s.tls
	s.r.mu.Unlock()
	return err
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
