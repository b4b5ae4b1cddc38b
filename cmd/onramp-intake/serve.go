package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"onramp/backend/intake/console"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/retry"
	"onramp/backend/seal"
)

type serveConfig struct {
	addr, cert, key string
	smtp, mailFrom  string
	networkKey      string // the private key file; "" takes no sealed fields
	consoleReveal   bool   // keep the private key for the console's reveal
	portalURL       string
	// The mail submission service: where it listens, the name apps reach
	// it at, and where providers may write besides their own address.
	submissionAddr, submissionName   string
	supportEmail, credentialingEmail string
}

// mailEvery is how often the server looks for guidance email to send: the
// support commands queue it from another process.
const mailEvery = 2 * time.Second

// remindEvery is how often the server looks for credential and CAQH
// reminders due (at start, then on this interval).
const remindEvery = time.Hour

// mailConfig is serve's parsed relay and From address; without --smtp,
// relay is nil.
type mailConfig struct {
	relay      *mail.Relay
	from       mail.Address
	submission *submissionConfig // nil without --submission-addr
}

// parse checks everything serve is given before the database is opened.
func (c serveConfig) parse() (mailConfig, error) {
	if (c.cert == "") != (c.key == "") {
		return mailConfig{}, errors.New("give both --tls-cert and --tls-key, or neither")
	}
	if c.cert != "" {
		if _, err := tls.LoadX509KeyPair(c.cert, c.key); err != nil {
			return mailConfig{}, fmt.Errorf("--tls-cert and --tls-key: %w", err)
		}
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return mailConfig{}, fmt.Errorf("--addr %q: give HOST:PORT, such as 127.0.0.1:8765", c.addr)
	}
	if c.consoleReveal && c.networkKey == "" {
		return mailConfig{}, errors.New("--console-reveal reveals with the --network-key private key: give both")
	}
	if c.networkKey != "" {
		if _, err := seal.ReadKeyFile(c.networkKey); err != nil {
			return mailConfig{}, fmt.Errorf("--network-key: %w", err)
		}
	}
	if c.portalURL != "" {
		if u, err := url.Parse(c.portalURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return mailConfig{}, fmt.Errorf("--portal-url %q: give the portal's address, such as https://portal.example.org", c.portalURL)
		}
	}
	if c.smtp == "" && c.submissionAddr == "" {
		return mailConfig{}, nil
	}
	addr, err := netmail.ParseAddress(c.mailFrom)
	if err != nil {
		return mailConfig{}, fmt.Errorf("--mail-from %q: %w", c.mailFrom, err)
	}
	mc := mailConfig{from: mail.Address{Name: addr.Name, Email: addr.Address}}
	if mc.submission, err = c.parseSubmission(mc.from); err != nil {
		return mailConfig{}, err
	}
	if c.smtp != "" {
		relay, err := mail.ParseRelay(c.smtp)
		if err != nil {
			return mailConfig{}, err
		}
		mc.relay = &relay
	}
	return mc, nil
}

func (o *options) serveConfig() serveConfig {
	return serveConfig{addr: o.addr, cert: o.cert, key: o.key, smtp: o.smtp, mailFrom: o.mailFrom, networkKey: o.networkKey, consoleReveal: o.consoleReveal, portalURL: o.portalURL,
		submissionAddr: o.submissionAddr, submissionName: o.submissionName, supportEmail: o.supportEmail, credentialingEmail: o.credentialingEmail}
}

func doServe(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return serve(ctx, db, o.serveConfig(), out)
}

// serve runs the API, the reminder passes, and the guidance mail loop when
// there is a relay, until ctx ends.
func serve(ctx context.Context, db *server.DB, cfg serveConfig, out io.Writer) error {
	mc, err := cfg.parse()
	if err != nil {
		return err
	}
	// Everything serve says is a JSON log line (log/slog), with the
	// request's ID on each line logged while answering one.
	logger := slog.New(server.NewLogHandler(out))
	stats := server.NewMetrics(db)
	var mailer *server.Mailer
	if mc.relay != nil {
		mailer = server.NewMailer(db, *mc.relay, mc.from, retry.GuidanceMail).WithLogger(logger).WithMetrics(stats)
	}
	var priv *seal.PrivateKey
	if cfg.networkKey != "" {
		key, err := seal.ReadKeyFile(cfg.networkKey)
		if err != nil {
			return fmt.Errorf("--network-key: %w", err)
		}
		priv = &key
	}
	var consoleOpts []console.Option
	if cfg.consoleReveal {
		// The one case where serving holds the private key: the console's
		// credentialing staff reveal with it (each reveal audited).
		consoleOpts = append(consoleOpts, console.WithNetworkKey(*priv))
	}
	opts := []server.Option{server.WithLogger(logger), server.WithMetrics(stats),
		server.WithConsole(console.New(db, logger, consoleOpts...).Handler())}
	if mc.submission != nil {
		mc.submission.cfg.Log = logger
		svc, route, err := startSubmission(db, mc.submission, logger)
		if err != nil {
			return err
		}
		defer svc.Close()
		opts = append(opts, route)
	}
	api := server.NewServer(db, opts...).WithPortal(cfg.portalURL)
	if priv != nil {
		// Only the public key is kept (unless --console-reveal): the API
		// never opens a sealed field.
		api.WithNetworkKey(priv.Public())
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	scheme := "http"
	if cfg.cert != "" {
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	logger.Info("onramp-intake listening on "+url, "url", url, "engine", db.Engine())
	if k := api.NetworkKey(); k != nil {
		logger.Info("sealed fields accepted for the network key "+k.Fingerprint(), "fingerprint", k.Fingerprint())
	} else {
		logger.Warn("no --network-key: the server accepts no sealed fields, so the CAQH login, SSN and date of birth do not reach the network")
	}
	mailCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	if mailer != nil {
		logger.Info(fmt.Sprintf("guidance email through %s from %s", redacted(cfg.smtp), cfg.mailFrom))
		wg.Go(func() { mailer.Run(mailCtx, mailEvery) })
	} else {
		logger.Warn("guidance email waits in the queue: no --smtp relay")
	}
	wg.Go(func() { db.RunReminders(mailCtx, remindEvery, logger) })
	errc := make(chan error, 1)
	go func() {
		if cfg.cert != "" {
			errc <- srv.ServeTLS(ln, cfg.cert, cfg.key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		return srv.Shutdown(sctx)
	}
}

// redacted is the relay URL without its password, for the log.
func redacted(smtpURL string) string {
	r, err := mail.ParseRelay(smtpURL)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("smtp://%s:%d", r.Host, r.Port)
}
