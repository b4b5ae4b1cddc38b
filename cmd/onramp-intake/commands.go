package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/validate"
)

// A command is one subcommand: the flags it takes, what it checks before
// anything is opened, and what it does with the database. Everything a
// user can get wrong on the command line is caught by check, so a typo
// never leaves a new database file behind.
type command struct {
	name     string
	synopsis string // its flags as the usage line shows them
	summary  string
	flags    []string // the flags it takes besides --db
	creates  bool     // may make a new database; the other commands need one that exists
	check    func(o *options) error
	do       func(ctx context.Context, db *server.DB, o *options, out io.Writer) error
	// local, instead of do, is a command that needs no database.
	local func(o *options, out io.Writer) error
	// before, when set, runs after check and before the database is
	// opened (or made): input read and refused there leaves nothing behind.
	before func(o *options, out io.Writer) error
}

// options are the parsed flags of one command; set names the flags given.
type options struct {
	db, addr, cert, key, smtp, mailFrom, portalURL                   string
	submissionAddr, submissionName, supportEmail, credentialingEmail string
	email, providerRef, form, ret, payer, status, date, id, out      string
	networkKey, field, keyFile, as                                   string
	from, to                                                         string    // copy
	role                                                             string    // staff add
	password                                                         string    // staff add and password: read by before
	in                                                               io.Reader // standard input: passwords
	json                                                             bool
	retry                                                            int64
	set                                                              map[string]bool

	add, remove, kind, decline string // offering and request
	approve                    bool
	consoleReveal              bool // serve: the console reveals with the network key
	reply                      string
	closeTicket, reopenTicket  bool
	requestID                  int64 // --id of request, checked
	release                    releaseFlags

	provider int64 // providerRef resolved, once the database is open
}

// define adds one flag to fs, bound to its field of o.
func (o *options) define(fs *flag.FlagSet, name string) {
	if o.release.define(fs, name) {
		return
	}
	switch name {
	case "db":
		def := os.Getenv("ONRAMP_INTAKE_DB")
		if def == "" {
			def = "intake.db"
		}
		fs.StringVar(&o.db, name, def, "the database: a SQLite file, or a PostgreSQL URL postgres://user@host:port/name (its password best in $PGPASSWORD or ~/.pgpass, out of ps), or $ONRAMP_INTAKE_DB")
	case "addr":
		fs.StringVar(&o.addr, name, "127.0.0.1:8765", "address to listen on")
	case "tls-cert":
		fs.StringVar(&o.cert, name, "", "TLS certificate (PEM) for HTTPS")
	case "tls-key":
		fs.StringVar(&o.key, name, "", "TLS private key (PEM) for HTTPS")
	case "smtp":
		// The relay's password in an environment variable stays out of ps.
		fs.StringVar(&o.smtp, name, os.Getenv("ONRAMP_INTAKE_SMTP"), "SMTP relay for guidance email, smtp://user:password@host:port, or $ONRAMP_INTAKE_SMTP (without one, email waits in the queue)")
	case "mail-from":
		fs.StringVar(&o.mailFrom, name, "Onramp onboarding <onboarding@network.localhost>", "the From address of guidance email")
	case "portal-url":
		fs.StringVar(&o.portalURL, name, "", "the provider portal's address, given to providers in the status feed once their portal password exists")
	case "submission-addr":
		fs.StringVar(&o.submissionAddr, name, "", "run the mail submission service for providers' apps on HOST:PORT (STARTTLS with --tls-cert off loopback)")
	case "submission-name":
		fs.StringVar(&o.submissionName, name, "", "the host name apps reach the submission service at, as in its certificate (default: the host of --submission-addr)")
	case "support-email":
		fs.StringVar(&o.supportEmail, name, "support@network.localhost", "support's address: providers' help requests may go there")
	case "credentialing-email":
		fs.StringVar(&o.credentialingEmail, name, "credentialing@network.localhost", "the credentialing team's address: providers' packets may go there")
	case "email":
		fs.StringVar(&o.email, name, "", "the provider's email")
	case "json":
		fs.BoolVar(&o.json, name, false, "print JSON")
	case "provider":
		fs.StringVar(&o.providerRef, name, "", "provider ID or email (see providers)")
	case "form":
		fs.StringVar(&o.form, name, "", "general or credentialing")
	case "return":
		fs.StringVar(&o.ret, name, "", "return the form to the provider with this reason")
	case "payer":
		fs.StringVar(&o.payer, name, "", "payer name")
	case "status":
		fs.StringVar(&o.status, name, "", "payer status: "+strings.Join(intake.PayerStates(), ", "))
	case "date":
		fs.StringVar(&o.date, name, "", "effective date, YYYY-MM-DD")
	case "id":
		fs.StringVar(&o.id, name, "", "packet ID (see packets), or a request's number (see requests)")
	case "out":
		fs.StringVar(&o.out, name, "", "file to write to")
	case "network-key":
		fs.StringVar(&o.networkKey, name, "", "the network's private key file (see network-key): sealed fields are accepted for its public key; without it none are")
	case "console-reveal":
		fs.BoolVar(&o.consoleReveal, name, false, "keep the --network-key private key in memory so the console's credentialing staff can reveal sealed fields (without it the server keeps only the public key)")
	case "reply":
		fs.StringVar(&o.reply, name, "", "the reply to a help request: the provider gets it by email and in the app's Help")
	case "close":
		fs.BoolVar(&o.closeTicket, name, false, "close the help request")
	case "reopen":
		fs.BoolVar(&o.reopenTicket, name, false, "open the help request again")
	case "field":
		fs.StringVar(&o.field, name, "", "a sealed field: "+sealedNames())
	case "key":
		fs.StringVar(&o.keyFile, name, "", "the private key file: the network's (reveal), the release key (release add)")
	case "as":
		fs.StringVar(&o.as, name, "", "who is revealing, for the audit (default: this computer's user name)")
	case "retry":
		fs.Int64Var(&o.retry, name, 0, "ID of a failed guidance email to send again (see mail)")
	case "add":
		fs.StringVar(&o.add, name, "", "name of a payer or program to add to the network's list")
	case "kind":
		fs.StringVar(&o.kind, name, "", "what --add adds: payer or program")
	case "remove":
		fs.StringVar(&o.remove, name, "", "name of a payer or program to take off the list")
	case "approve":
		fs.BoolVar(&o.approve, name, false, "approve the request and apply it")
	case "from":
		fs.StringVar(&o.from, name, "", "the SQLite file to copy from")
	case "to":
		fs.StringVar(&o.to, name, "", "the PostgreSQL database to copy into, postgres://user@host:port/name (new and empty)")
	case "role":
		fs.StringVar(&o.role, name, "", "the account's role: "+strings.Join(server.Roles(), ", "))
	case "decline":
		fs.StringVar(&o.decline, name, "", "decline the request with this reason (the provider sees it)")
	default:
		panic("onramp-intake: no flag --" + name) // a mistake in the command table
	}
}

// required names the first of the flags that was not given a value.
func (o *options) required(names ...string) error {
	values := map[string]string{"email": o.email, "provider": o.providerRef, "form": o.form,
		"payer": o.payer, "status": o.status, "date": o.date, "id": o.id, "out": o.out,
		"field": o.field, "key": o.keyFile}
	for _, n := range names {
		if strings.TrimSpace(values[n]) == "" {
			return fmt.Errorf("--%s is missing", n)
		}
	}
	return nil
}

func commands() []command {
	return []command{
		{name: "serve", synopsis: "[--addr HOST:PORT] [--tls-cert F --tls-key F] [--smtp smtp://user:pass@host:port --mail-from ADDRESS] [--submission-addr HOST:PORT [--submission-name HOST] --support-email A --credentialing-email A] [--network-key FILE] [--portal-url URL]",
			summary: "run the API, the mail submission service, and send the mail queue",
			flags:   []string{"addr", "tls-cert", "tls-key", "smtp", "mail-from", "submission-addr", "submission-name", "support-email", "credentialing-email", "network-key", "console-reveal", "portal-url"}, creates: true,
			check: func(o *options) error { _, err := o.serveConfig().parse(); return err },
			do:    doServe},
		{name: "invite", synopsis: "--email ADDRESS", summary: "issue an invitation code and queue the welcome email with it",
			flags: []string{"email"}, creates: true,
			check: func(o *options) error {
				if err := o.required("email"); err != nil {
					return err
				}
				return validate.Email(o.email)
			},
			do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
				code, err := db.Invite(ctx, o.email)
				if err == nil {
					fmt.Fprintln(out, code)
				}
				return err
			}},
		{name: "providers", synopsis: "[--json]", summary: "list providers and their progress",
			flags: []string{"json"}, check: func(*options) error { return nil },
			do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
				ps, err := db.Providers(ctx)
				if err != nil {
					return err
				}
				if o.json {
					return json.NewEncoder(out).Encode(ps)
				}
				printProviders(out, ps)
				return nil
			}},
		{name: "review", synopsis: `--provider ID|EMAIL --form general|credentialing [--return "reason"]`,
			summary: "mark a provider's latest form reviewed, or --return it with a reason",
			flags:   []string{"provider", "form", "return"}, check: checkReview, do: doReview},
		{name: "payer", synopsis: "--provider ID|EMAIL --payer NAME --status " + strings.Join(intake.PayerStates(), "|"),
			summary: "set a payer's credentialing status for a provider",
			flags:   []string{"provider", "payer", "status"}, check: checkPayer,
			do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
				if err := db.SetPayer(ctx, o.provider, o.payer, o.status); err != nil {
					return err
				}
				fmt.Fprintf(out, "provider %d: %s %s\n", o.provider, o.payer, o.status)
				return nil
			}},
		{name: "effective", synopsis: "--provider ID|EMAIL --date YYYY-MM-DD",
			summary: "set a provider's credentialing effective start date",
			flags:   []string{"provider", "date"},
			check:   func(o *options) error { return o.required("provider", "date") },
			do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
				if err := db.SetEffective(ctx, o.provider, o.date); err != nil {
					return err
				}
				fmt.Fprintf(out, "provider %d: effective %s\n", o.provider, o.date)
				return nil
			}},
		{name: "packets", synopsis: "[--provider ID|EMAIL] [--json]", summary: "list the support packets providers sent",
			flags: []string{"provider", "json"}, check: func(*options) error { return nil },
			do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
				ps, err := db.Packets(ctx, o.provider)
				if err != nil {
					return err
				}
				if o.json {
					return json.NewEncoder(out).Encode(ps)
				}
				printPackets(out, ps)
				return nil
			}},
		{name: "packet", synopsis: "--id PKT-... --out FILE [--provider ID|EMAIL]",
			summary: "write a stored packet to --out and verify it",
			flags:   []string{"id", "out", "provider"},
			check:   func(o *options) error { return o.required("id", "out") },
			do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
				return writePacket(ctx, db, o.provider, o.id, o.out, out)
			}},
		{name: "forget-key", synopsis: "--provider ID|EMAIL",
			summary: "forget the signing key a provider's packets must carry (they moved to a new computer)",
			flags:   []string{"provider"},
			check:   func(o *options) error { return o.required("provider") },
			do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
				if err := db.ForgetPacketKey(ctx, o.provider); err != nil {
					return err
				}
				fmt.Fprintf(out, "provider %d: the next packet's signing key will be trusted\n", o.provider)
				return nil
			}},
		{name: "mail", synopsis: "[--provider ID|EMAIL] [--json] [--retry ID]",
			summary: "list guidance email queued, sent and failed; --retry ID sends a failed one again",
			flags:   []string{"provider", "json", "retry"},
			check: func(o *options) error {
				if o.set["retry"] && o.retry <= 0 {
					return errors.New("--retry takes the ID of a failed email (see mail)")
				}
				return nil
			},
			do: doMail},
		networkKeyCommand(),
		revealCommand(),
		auditCommand(),
		reissueCommand(),
		offeringCommand(),
		requestsCommand(),
		requestCommand(),
		ticketsCommand(),
		ticketCommand(),
		releaseKeyCommand(),
		releaseCommand(),
		migrateCommand(),
		copyCommand(),
		staffAddCommand(),
		staffListCommand(),
		staffDisableCommand(),
		staffPasswordCommand(),
	}
}

func checkReview(o *options) error {
	if err := o.required("provider", "form"); err != nil {
		return err
	}
	if _, ok := forms.SchemaByID(o.form); !ok {
		return fmt.Errorf("--form %q: give general or credentialing", o.form)
	}
	// An empty --return would otherwise read as "reviewed".
	if o.set["return"] && strings.TrimSpace(o.ret) == "" {
		return errors.New("--return needs the reason: the provider sees it")
	}
	return nil
}

func doReview(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
	reviewed := !o.set["return"]
	if err := db.Review(ctx, o.provider, o.form, reviewed, o.ret); err != nil {
		return err
	}
	fmt.Fprintf(out, "provider %d: %s form %s\n", o.provider, o.form, map[bool]string{true: "reviewed", false: "returned"}[reviewed])
	return nil
}

func checkPayer(o *options) error {
	if err := o.required("provider", "payer", "status"); err != nil {
		return err
	}
	for _, s := range intake.PayerStates() {
		if s == o.status {
			return nil
		}
	}
	return fmt.Errorf("--status %q: give one of %s", o.status, strings.Join(intake.PayerStates(), ", "))
}

func doMail(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
	if o.retry != 0 {
		if err := db.RetryMail(ctx, o.retry); err != nil {
			return err
		}
		fmt.Fprintf(out, "guidance email %d queued again\n", o.retry)
		return nil
	}
	q, err := db.MailQueue(ctx, o.provider)
	if err != nil {
		return err
	}
	if o.json {
		return json.NewEncoder(out).Encode(q)
	}
	printMail(out, q)
	return nil
}
