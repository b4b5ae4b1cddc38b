package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	netmail "net/mail"
	"sync"
	"time"

	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/retry"
)

type serveConfig struct {
	addr, cert, key string
	smtp, mailFrom  string
}

// mailEvery is how often the server looks for guidance email to send: the
// support commands queue it from another process.
const mailEvery = 2 * time.Second

// serve runs the API, and the guidance mail loop when there is a relay,
// until ctx ends.
func serve(ctx context.Context, db *server.DB, cfg serveConfig, out io.Writer) error {
	if (cfg.cert == "") != (cfg.key == "") {
		return errors.New("give both --tls-cert and --tls-key, or neither")
	}
	var mailer *server.Mailer
	if cfg.smtp != "" {
		relay, err := mail.ParseRelay(cfg.smtp)
		if err != nil {
			return err
		}
		from, err := netmail.ParseAddress(cfg.mailFrom)
		if err != nil {
			return fmt.Errorf("--mail-from %q: %w", cfg.mailFrom, err)
		}
		mailer = server.NewMailer(db, relay, mail.Address{Name: from.Name, Email: from.Address}, retry.GuidanceMail)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           server.NewServer(db).Handler(),
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
	fmt.Fprintf(out, "onramp-intake listening on %s://%s\n", scheme, ln.Addr())
	mailCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	if mailer != nil {
		fmt.Fprintf(out, "guidance email through %s from %s\n", redacted(cfg.smtp), cfg.mailFrom)
		wg.Go(func() { mailer.Run(mailCtx, mailEvery) })
	} else {
		fmt.Fprintln(out, "guidance email waits in the queue: no --smtp relay")
	}
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
