// Command onramp-intake is the network's intake server and the support
// staff's tool over its database.
//
//	onramp-intake serve     --db FILE [--addr HOST:PORT] [--tls-cert F --tls-key F] [--smtp smtp://user:pass@host:port --mail-from ADDRESS]
//	onramp-intake invite    --db FILE --email ADDRESS
//	onramp-intake providers --db FILE [--json]
//	onramp-intake review    --db FILE --provider ID|EMAIL --form general|credentialing [--return "reason"]
//	onramp-intake payer     --db FILE --provider ID|EMAIL --payer NAME --status submitted|in-review|approved|denied
//	onramp-intake effective --db FILE --provider ID|EMAIL --date YYYY-MM-DD
//	onramp-intake packets   --db FILE [--provider ID|EMAIL] [--json]
//	onramp-intake packet    --db FILE --id PKT-... --out FILE [--provider ID|EMAIL]
//	onramp-intake forget-key --db FILE --provider ID|EMAIL
//	onramp-intake mail      --db FILE [--provider ID|EMAIL] [--json] [--retry ID]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
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
  serve       run the API and send guidance email (--db, --addr, --tls-cert, --tls-key, --smtp, --mail-from)
  invite      issue an invitation code (--db, --email)
  providers   list providers and their progress (--db, --json)
  review      mark a provider's latest form reviewed, or --return it with a reason
  payer       set a payer's credentialing status for a provider
  effective   set a provider's credentialing effective start date
  packets     list the support packets providers sent (--provider, --json)
  packet      write a stored packet to --out and verify it (--id, --out)
  forget-key  forget the signing key a provider's packets must carry (they moved to a new computer)
  mail        list guidance email queued, sent and failed (--provider, --json); --retry ID sends a failed one again`

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
	// The relay's password in an environment variable stays out of ps.
	smtpURL := fs.String("smtp", os.Getenv("ONRAMP_INTAKE_SMTP"), "SMTP relay for guidance email, smtp://user:password@host:port, or $ONRAMP_INTAKE_SMTP (without one, email waits in the queue)")
	mailFrom := fs.String("mail-from", "Onramp onboarding <onboarding@network.localhost>", "the From address of guidance email")
	retry := fs.Int64("retry", 0, "ID of a failed guidance email to send again (see mail)")
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
		ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		return serve(ctx, db, serveConfig{addr: *addr, cert: *cert, key: *key, smtp: *smtpURL, mailFrom: *mailFrom}, out)
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
	case "mail":
		if *retry != 0 {
			if err := db.RetryMail(ctx, *retry); err != nil {
				return err
			}
			fmt.Fprintf(out, "guidance email %d queued again\n", *retry)
			return nil
		}
		q, err := db.MailQueue(ctx, provider)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(out).Encode(q)
		}
		printMail(out, q)
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
		if m := p.GuidanceMail; m != (server.MailCounts{}) {
			fmt.Fprintf(out, "    guidance mail: %d sent, %d queued, %d failed\n", m.Sent, m.Queued, m.Failed)
		}
	}
}
