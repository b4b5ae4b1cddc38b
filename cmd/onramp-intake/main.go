// Command onramp-intake is the network's intake server and the support
// staff's tool over its database.
//
//	onramp-intake serve     --db FILE [--addr HOST:PORT] [--tls-cert F --tls-key F]
//	onramp-intake invite    --db FILE --email ADDRESS
//	onramp-intake providers --db FILE [--json]
//	onramp-intake review    --db FILE --provider ID|EMAIL --form general|credentialing [--return "reason"]
//	onramp-intake payer     --db FILE --provider ID|EMAIL --payer NAME --status submitted|in-review|approved|denied
//	onramp-intake effective --db FILE --provider ID|EMAIL --date YYYY-MM-DD
//	onramp-intake packets   --db FILE [--provider ID|EMAIL] [--json]
//	onramp-intake packet    --db FILE --id PKT-... --out FILE [--provider ID|EMAIL]
//	onramp-intake forget-key --db FILE --provider ID|EMAIL
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"onramp/backend/intake/server"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "onramp-intake:", err)
		os.Exit(1)
	}
}

const usage = `usage: onramp-intake COMMAND [flags]

commands:
  serve       run the API (--db, --addr, --tls-cert, --tls-key)
  invite      issue an invitation code (--db, --email)
  providers   list providers and their progress (--db, --json)
  review      mark a provider's latest form reviewed, or --return it with a reason
  payer       set a payer's credentialing status for a provider
  effective   set a provider's credentialing effective start date
  packets     list the support packets providers sent (--provider, --json)
  packet      write a stored packet to --out and verify it (--id, --out)
  forget-key  forget the signing key a provider's packets must carry (they moved to a new computer)`

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	dbPath := fs.String("db", "intake.db", "SQLite database file")
	addr := fs.String("addr", "127.0.0.1:8765", "address to listen on")
	cert := fs.String("tls-cert", "", "TLS certificate (PEM) for HTTPS")
	key := fs.String("tls-key", "", "TLS private key (PEM) for HTTPS")
	email := fs.String("email", "", "the provider's email")
	asJSON := fs.Bool("json", false, "print JSON")
	providerRef := fs.String("provider", "", "provider ID or email (see providers)")
	form := fs.String("form", "", "general or credentialing")
	ret := fs.String("return", "", "return the form to the provider with this reason")
	payer := fs.String("payer", "", "payer name")
	status := fs.String("status", "", "payer status")
	date := fs.String("date", "", "effective date, YYYY-MM-DD")
	packetID := fs.String("id", "", "packet ID (see packets)")
	outPath := fs.String("out", "", "file to write the packet to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	db, err := server.Open(ctx, *dbPath, time.Now)
	if err != nil {
		return err
	}
	defer db.Close()
	var provider int64
	if *providerRef != "" {
		if provider, err = db.ResolveProvider(ctx, *providerRef); err != nil {
			return err
		}
	}

	switch cmd {
	case "serve":
		return serve(db, *addr, *cert, *key, out)
	case "invite":
		code, err := db.Invite(ctx, *email)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, code)
	case "providers":
		ps, err := db.Providers(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(out).Encode(ps)
		}
		printProviders(out, ps)
	case "review":
		if *form == "" || provider == 0 {
			return errors.New("review needs --provider and --form")
		}
		if err := db.Review(ctx, provider, *form, *ret == "", *ret); err != nil {
			return err
		}
		fmt.Fprintf(out, "provider %d: %s form %s\n", provider, *form, map[bool]string{true: "reviewed", false: "returned"}[*ret == ""])
	case "payer":
		if err := db.SetPayer(ctx, provider, *payer, *status); err != nil {
			return err
		}
		fmt.Fprintf(out, "provider %d: %s %s\n", provider, *payer, *status)
	case "effective":
		if err := db.SetEffective(ctx, provider, *date); err != nil {
			return err
		}
		fmt.Fprintf(out, "provider %d: effective %s\n", provider, *date)
	case "packets":
		ps, err := db.Packets(ctx, provider)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(out).Encode(ps)
		}
		printPackets(out, ps)
	case "packet":
		if *packetID == "" || *outPath == "" {
			return errors.New("packet needs --id and --out")
		}
		return writePacket(ctx, db, provider, *packetID, *outPath, out)
	case "forget-key":
		if provider == 0 {
			return errors.New("forget-key needs --provider")
		}
		if err := db.ForgetPacketKey(ctx, provider); err != nil {
			return err
		}
		fmt.Fprintf(out, "provider %d: the next packet's signing key will be trusted\n", provider)
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
	return nil
}

func printProviders(out io.Writer, ps []server.ProviderSummary) {
	if len(ps) == 0 {
		fmt.Fprintln(out, "No providers have enrolled yet.")
		return
	}
	for _, p := range ps {
		fmt.Fprintf(out, "%d  %s <%s>  enrolled %s\n", p.ID, p.Name, p.Email, p.EnrolledAt[:10])
		for _, f := range p.Forms {
			line := fmt.Sprintf("    %-14s v%d  %s", f.Form, f.LatestVersion, f.Review)
			if f.Reason != "" {
				line += " (" + f.Reason + ")"
			}
			fmt.Fprintln(out, line)
		}
		var payers []string
		for _, py := range p.Payers {
			payers = append(payers, py.Payer+": "+py.Status)
		}
		if len(payers) > 0 {
			fmt.Fprintln(out, "    payers:", strings.Join(payers, ", "))
		}
		if p.EffectiveDate != "" {
			fmt.Fprintln(out, "    effective:", p.EffectiveDate)
		}
		if p.PortalCreated {
			fmt.Fprintln(out, "    portal password created")
		}
		if p.Packets > 0 {
			fmt.Fprintln(out, "    packets:", p.Packets)
		}
	}
}

func serve(db *server.DB, addr, cert, key string, out io.Writer) error {
	if (cert == "") != (key == "") {
		return errors.New("give both --tls-cert and --tls-key, or neither")
	}
	ln, err := net.Listen("tcp", addr)
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
	if cert != "" {
		scheme = "https"
	}
	fmt.Fprintf(out, "onramp-intake listening on %s://%s\n", scheme, ln.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() {
		if cert != "" {
			errc <- srv.ServeTLS(ln, cert, key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-stop:
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	}
}
