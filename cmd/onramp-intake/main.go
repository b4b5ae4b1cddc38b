// Command onramp-intake is the network's intake server and the support
// staff's tool over its database.
//
//	onramp-intake serve     --db DB [--addr HOST:PORT] [--tls-cert F --tls-key F] [--smtp smtp://user:pass@host:port --mail-from ADDRESS]
//	onramp-intake invite    --db DB --email ADDRESS
//	onramp-intake providers --db DB [--json]
//	onramp-intake review    --db DB --provider ID|EMAIL --form general|credentialing [--return "reason"]
//	onramp-intake payer     --db DB --provider ID|EMAIL --payer NAME --status submitted|in-review|approved|denied
//	onramp-intake effective --db DB --provider ID|EMAIL --date YYYY-MM-DD
//	onramp-intake packets   --db DB [--provider ID|EMAIL] [--json]
//	onramp-intake packet    --db DB --id PKT-... --out FILE [--provider ID|EMAIL]
//	onramp-intake forget-key --db DB --provider ID|EMAIL
//	onramp-intake mail      --db DB [--provider ID|EMAIL] [--json] [--retry ID]
//	onramp-intake network-key --out FILE
//	onramp-intake reveal    --db DB --provider ID|EMAIL --field NAME --key FILE [--as NAME]
//	onramp-intake audit     --db DB [--provider ID|EMAIL] [--json]
//	onramp-intake reissue   --db DB --provider ID|EMAIL
//	onramp-intake offering  --db DB [--add NAME --kind payer|program | --remove NAME] [--json]
//	onramp-intake requests  --db DB [--provider ID|EMAIL] [--json]
//	onramp-intake request   --db DB --id N --approve | --decline "reason"
//	onramp-intake tickets   --db DB --provider ID|EMAIL [--json]
//	onramp-intake ticket    --db DB --id N (--reply "text" | --close | --reopen)
//	onramp-intake release-key --out FILE
//	onramp-intake release add --db DB --version V --platform P --file F --notes FILE --key release.key
//	onramp-intake migrate   --db DB
//	onramp-intake copy      --from intake.db --to postgres://…
//	onramp-intake staff add --db DB --email E --role support|credentialing|admin   (password on stdin or typed)
//	onramp-intake staff list|disable|password --db DB [--email E]
//
// --db is a SQLite file or a PostgreSQL database's postgres:// URL (the
// default is $ONRAMP_INTAKE_DB, else intake.db). Only serve and invite
// make a new SQLite file (a PostgreSQL database is made by its
// administrator; any command brings its schema up to date); every command
// checks its flags before it opens anything.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"onramp/backend/intake/server"
)

// Exit codes: 1 when a command fails, 2 when it was not understood (and
// nothing was opened or written).
func main() {
	err := run(os.Args[1:], os.Stdout)
	var bad *usageError
	switch {
	case err == nil:
	case errors.As(err, &bad):
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "onramp-intake:", err)
		os.Exit(1)
	}
}

// usageError is a command line that was not understood: what is wrong, and
// the usage that says what is right.
type usageError struct {
	problem, usage string
}

func (e *usageError) Error() string { return "onramp-intake: " + e.problem + "\n\n" + e.usage }

func usage(cmds []command) string {
	var b strings.Builder
	b.WriteString("usage: onramp-intake COMMAND --db DB [flags]\n\ncommands:\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "  %-11s %s\n", c.name, c.summary)
	}
	b.WriteString("\n`onramp-intake COMMAND -h` lists a command's flags.")
	return b.String()
}

func (c command) usage(fs *flag.FlagSet) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "usage: onramp-intake %s --db DB %s\n\n%s.\n\nflags:\n", c.name, c.synopsis, c.summary)
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return strings.TrimRight(b.String(), "\n")
}

// parse reads a command's flags. A usage error here has the command's own
// usage; -h returns flag.ErrHelp with the usage printed to out.
func (c command) parse(args []string, out io.Writer) (*options, error) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the errors come back in a usageError instead
	o := &options{set: map[string]bool{}}
	o.define(fs, "db")
	for _, name := range c.flags {
		o.define(fs, name)
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(out, c.usage(fs))
		return nil, err
	case err != nil:
		return nil, &usageError{err.Error(), c.usage(fs)}
	case fs.NArg() > 0:
		return nil, &usageError{fmt.Sprintf("%s takes no argument %q (flags start with --)", c.name, fs.Arg(0)), c.usage(fs)}
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if strings.TrimSpace(o.db) == "" {
		err = errors.New("--db is empty")
	} else {
		err = c.check(o)
	}
	if err != nil {
		return nil, &usageError{err.Error(), c.usage(fs)}
	}
	return o, nil
}

func run(args []string, out io.Writer) error { return runWith(args, os.Stdin, out) }

// runWith is run with in as standard input (where passwords come from).
func runWith(args []string, in io.Reader, out io.Writer) error {
	cmds := commands()
	if len(args) == 0 {
		return &usageError{"no command given", usage(cmds)}
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(out, usage(cmds))
		return nil
	}
	var cmd *command
	rest := args[1:]
	for i := range cmds {
		if cmds[i].name == args[0] {
			cmd = &cmds[i]
		}
		// A command of two words (release add) is found by both.
		if len(rest) > 0 && cmds[i].name == args[0]+" "+rest[0] {
			cmd, rest = &cmds[i], rest[1:]
			break
		}
	}
	if cmd == nil {
		return &usageError{fmt.Sprintf("unknown command %q", args[0]), usage(cmds)}
	}
	o, err := cmd.parse(rest, out)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	o.in = in
	if cmd.local != nil {
		return cmd.local(o, out)
	}
	if cmd.before != nil {
		// What can be refused without the database is refused before a
		// first run makes one.
		if err := cmd.before(o, out); err != nil {
			return err
		}
	}
	if !cmd.creates && !server.IsPostgres(o.db) {
		if _, err := os.Stat(o.db); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("there is no intake database at %s (is --db right? serve and invite make a new one)", o.db)
		}
	}
	ctx := context.Background()
	db, err := server.Open(ctx, o.db, time.Now)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.providerRef != "" {
		if o.provider, err = db.ResolveProvider(ctx, o.providerRef); err != nil {
			return err
		}
	}
	return cmd.do(ctx, db, o, out)
}

func printProviders(out io.Writer, ps []server.ProviderSummary) {
	if len(ps) == 0 {
		fmt.Fprintln(out, "No providers have enrolled yet.")
		return
	}
	for _, p := range ps {
		fmt.Fprintf(out, "%d  %s <%s>  enrolled %s\n", p.ID, p.Name, p.Email, p.EnrolledAt[:10])
		if p.AppEmail != "" {
			fmt.Fprintf(out, "    app set up with <%s>\n", p.AppEmail)
		}
		for _, f := range p.Forms {
			line := fmt.Sprintf("    %-14s v%d  %s", f.Form, f.LatestVersion, f.Review)
			if f.ReceivedAt != "" {
				line += "  received " + minute(f.ReceivedAt)
			}
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
			line := "    portal password created"
			if p.PortalCreatedAt != "" {
				line += " " + minute(p.PortalCreatedAt)
			}
			if p.PortalUsername != "" {
				line += ", user name " + p.PortalUsername
			}
			fmt.Fprintln(out, line)
		}
		printLearned(out, p.Learned)
		if p.Packets > 0 {
			fmt.Fprintln(out, "    packets:", p.Packets)
		}
		if m := p.GuidanceMail; m != (server.MailCounts{}) {
			fmt.Fprintf(out, "    guidance mail: %d sent, %d queued, %d failed\n", m.Sent, m.Queued, m.Failed)
		}
	}
}
