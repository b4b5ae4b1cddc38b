package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"

	"onramp/backend/intake/server"
	"onramp/backend/mail"
)

// submissionConfig is serve's mail submission service, parsed; nil without
// --submission-addr.
type submissionConfig struct {
	addr       string // where to listen
	publicName string // the name apps dial and check the certificate against; "" means addr's host
	cfg        server.MailSubmissionConfig
}

// parseSubmission checks the submission flags: off loopback the service
// needs the server's certificate, and the addresses must be addresses.
func (c serveConfig) parseSubmission(from mail.Address) (*submissionConfig, error) {
	if c.submissionAddr == "" {
		return nil, nil
	}
	host, _, err := net.SplitHostPort(c.submissionAddr)
	if err != nil {
		return nil, fmt.Errorf("--submission-addr %q: give HOST:PORT, such as 127.0.0.1:8587", c.submissionAddr)
	}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	if !loopback && c.cert == "" {
		return nil, errors.New("--submission-addr off this computer needs --tls-cert and --tls-key: providers' tokens never cross a network in the clear")
	}
	if (host == "" || (ip != nil && ip.IsUnspecified())) && c.submissionName == "" {
		return nil, errors.New("give --submission-name, the host name apps reach the submission service at (its certificate's name)")
	}
	sc := &submissionConfig{addr: c.submissionAddr, publicName: c.submissionName,
		cfg: server.MailSubmissionConfig{Domain: c.submissionName, From: from.Email, FromName: from.Name}}
	for _, a := range []struct {
		flag string
		in   string
		out  *string
	}{{"support-email", c.supportEmail, &sc.cfg.Support}, {"credentialing-email", c.credentialingEmail, &sc.cfg.Credentialing}} {
		addr, err := netmail.ParseAddress(a.in)
		if err != nil {
			return nil, fmt.Errorf("--%s %q: %w", a.flag, a.in, err)
		}
		*a.out = addr.Address
	}
	if c.cert != "" {
		cert, err := tls.LoadX509KeyPair(c.cert, c.key)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert and --tls-key: %w", err)
		}
		sc.cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	return sc, nil
}

// startSubmission listens and serves the submission service in the
// background; the route is what enrollment tells apps. The caller closes
// the service.
func startSubmission(db *server.DB, sc *submissionConfig, logger *slog.Logger) (*server.MailSubmission, server.Option, error) {
	ln, err := net.Listen("tcp", sc.addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--submission-addr: %w", err)
	}
	svc := server.NewMailSubmission(db, sc.cfg)
	go svc.Serve(ln)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	host, _, _ := net.SplitHostPort(sc.addr)
	if sc.publicName != "" {
		host = sc.publicName
	}
	route := svc.Route(net.JoinHostPort(host, port), sc.publicName)
	tlsWord := "STARTTLS"
	if sc.cfg.TLS == nil {
		tlsWord = "no TLS: loopback only"
	}
	logger.Info(fmt.Sprintf("mail submission on %s (%s), from %s to support %s and credentialing %s",
		route.Addr, tlsWord, route.From, route.Support, route.Credentialing), "addr", route.Addr)
	return svc, server.WithMailRoute(route), nil
}
