package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// selfSigned makes a certificate for the given host names and IPs, and a
// pool that trusts it.
func selfSigned(t *testing.T, hosts ...string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "onramp test relay"},
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
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// remoteHost is a name for this machine that Send does not treat as this
// computer (so it must use STARTTLS), and an address to listen on for it:
// the host name when it resolves, else a non-loopback interface address.
func remoteHost(t *testing.T) (name, listen string) {
	if h, err := os.Hostname(); err == nil && h != "localhost" {
		if addrs, err := net.LookupHost(h); err == nil && len(addrs) > 0 {
			return h, addrs[0]
		}
	}
	ifaces, _ := net.InterfaceAddrs()
	for _, a := range ifaces {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String(), n.IP.String()
		}
	}
	t.Skip("no name or address for this machine other than loopback")
	return "", ""
}

// tlsRelay is a go-smtp server that offers STARTTLS (when cert is given)
// and AUTH PLAIN for one user, and records what it accepts.
type tlsRelay struct {
	mu        sync.Mutex
	delivered []string
	sawTLS    bool
	authed    string
}

func (r *tlsRelay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &tlsSession{r: r, tls: isTLS}, nil
}

type tlsSession struct {
	r    *tlsRelay
	tls  bool
	user string
}

func (s *tlsSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *tlsSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "relay-user" || pass != "relay-pass-ü" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication failed"}
		}
		s.user = user
		return nil
	}), nil
}
func (s *tlsSession) Mail(string, *smtp.MailOptions) error {
	if s.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	return nil
}
func (s *tlsSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *tlsSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.r.mu.Lock()
	s.r.delivered = append(s.r.delivered, string(b))
	s.r.sawTLS = s.r.sawTLS || s.tls
	s.r.authed = s.user
	s.r.mu.Unlock()
	return err
}
func (s *tlsSession) Reset()        {}
func (s *tlsSession) Logout() error { return nil }

func startTLSRelay(t *testing.T, listen string, cert *tls.Certificate) (*tlsRelay, int) {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(listen, "0"))
	if err != nil {
		t.Fatal(err)
	}
	r := &tlsRelay{}
	srv := smtp.NewServer(r)
	srv.Domain = "relay.test"
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return r, p
}

// A relay that is not this computer gets STARTTLS and AUTH PLAIN, and is
// refused when it offers no encryption or a certificate nobody trusts; a
// wrong password is a permanent failure.
func TestRemoteRelayNeedsSTARTTLS(t *testing.T) {
	name, listen := remoteHost(t)
	if Loopback(name) {
		t.Fatalf("%s counts as this computer", name)
	}
	cert, pool := selfSigned(t, name)
	msg := Message{ID: MessageID("tls-test"), From: Address{Email: "onramp@example.org"}, To: []Address{{Email: "team@example.org"}},
		Subject: "Über TLS", Text: "hello", Date: time.Now()}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	relay, port := startTLSRelay(t, listen, &cert)
	good := Relay{Host: name, Port: port, Username: "relay-user", Password: "relay-pass-ü", RootCAs: &tls.Config{RootCAs: pool}}
	if err := Send(ctx, good, msg); err != nil {
		t.Fatalf("send over STARTTLS: %v", err)
	}
	relay.mu.Lock()
	if len(relay.delivered) != 1 || !relay.sawTLS || relay.authed != "relay-user" || !strings.Contains(strings.ToLower(relay.delivered[0]), "message-id: <tls-test@onramp.invalid>") {
		t.Errorf("delivered %d, over TLS %v, as %q", len(relay.delivered), relay.sawTLS, relay.authed)
	}
	relay.mu.Unlock()

	bad := good
	bad.Password = "wrong"
	var me *Error
	if err := Send(ctx, bad, msg); !errors.As(err, &me) || me.Code != 535 || me.Temp {
		t.Errorf("wrong password: %v", err)
	}

	untrusted := good
	untrusted.RootCAs = &tls.Config{RootCAs: x509.NewCertPool()}
	if err := Send(ctx, untrusted, msg); !errors.As(err, &me) || me.Temp || !strings.Contains(err.Error(), "can't be trusted") {
		t.Errorf("a certificate nobody trusts was accepted: %v", err)
	}

	plain, plainPort := startTLSRelay(t, listen, nil)
	noTLS := good
	noTLS.Port = plainPort
	if err := Send(ctx, noTLS, msg); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("a relay without STARTTLS was used: %v", err)
	}
	plain.mu.Lock()
	if len(plain.delivered) != 0 {
		t.Error("mail crossed the network in the clear")
	}
	plain.mu.Unlock()
}
