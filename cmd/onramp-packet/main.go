// Command onramp-packet verifies, opens and builds Onramp support packets
// (.onramp files) without the app. It reads every packet through the same
// reader the app uses, packet.Open.
//
//	onramp-packet verify [--trust FINGERPRINT]... FILE...
//	onramp-packet open [--json] [--extract DIR] [--trust FINGERPRINT]... FILE
//	onramp-packet keygen --out KEYFILE
//	onramp-packet build --data data.json --key KEYFILE --out FILE [--attach PATH]...
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"onramp/backend/packet"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // a packet is not valid, or the command could not do its work
	exitUsage   = 2
)

const usage = `usage: onramp-packet COMMAND [flags]

commands:
  verify [--trust FINGERPRINT]... FILE...
        check each packet: every file present, every hash right, signature valid.
        Prints "OK <fingerprint> <file> (signed by <key>)" or one FAIL line per problem.
        --trust accepts only packets signed by that key (repeat for several keys).
  open [--json] [--extract DIR] [--trust FINGERPRINT]... FILE
        verify, then show what the packet holds; --json prints its data.json,
        --extract writes its files into DIR (created if needed, must be empty).
  keygen --out KEYFILE
        make a signing key (never overwrites a file).
  build --data data.json --key KEYFILE --out FILE [--attach PATH]...
        render the PDF and write a signed packet; every attachment data.json
        lists must be given with --attach (matched by SHA-256).

exit status: 0 all good, 1 a packet is not valid or the command failed, 2 usage error.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errInvalid means a packet was refused; its problems are printed already.
var errInvalid = errors.New("not a valid packet")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	c := cli{stdout: stdout, stderr: stderr}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "verify":
		err = c.verify(rest)
	case "open":
		err = c.open(rest)
	case "keygen":
		err = c.keygen(rest)
	case "build":
		err = c.build(rest)
	default:
		err = usagef("unknown command %q", cmd)
	}
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "onramp-packet: %s\n(run onramp-packet -h for help)\n", ue.msg)
		return exitUsage
	case errors.Is(err, errInvalid):
		return exitInvalid
	default:
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "onramp-packet: %s\n", clean(line))
		}
		return exitInvalid
	}
}

type cli struct {
	stdout, stderr io.Writer
}

func (c cli) verify(args []string) error {
	fs := c.flags("verify")
	var trust listFlag
	fs.Var(&trust, "trust", "accept only packets signed by this key fingerprint (repeatable)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("verify needs at least one FILE")
	}
	opt, err := options(trust)
	if err != nil {
		return err
	}
	valid := true
	for _, file := range files {
		p, problems := packet.OpenFile(file, opt)
		if len(problems) > 0 {
			valid = false
			printProblems(c.stdout, file, problems)
			continue
		}
		fmt.Fprintf(c.stdout, "OK %s %s (signed by %s)\n", packet.ShortFingerprint(p.Fingerprint), file, packet.ShortFingerprint(p.SignerFingerprint))
	}
	if !valid {
		return errInvalid
	}
	return nil
}

func (c cli) open(args []string) error {
	fs := c.flags("open")
	var trust listFlag
	asJSON := fs.Bool("json", false, "print data.json instead of the summary")
	extract := fs.String("extract", "", "write the packet's files into this folder (created if needed, must be empty)")
	fs.Var(&trust, "trust", "accept only packets signed by this key fingerprint (repeatable)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("open needs exactly one FILE")
	}
	opt, err := options(trust)
	if err != nil {
		return err
	}
	p, problems := packet.OpenFile(files[0], opt)
	if len(problems) > 0 {
		printProblems(c.stderr, files[0], problems)
		return errInvalid
	}
	if *extract != "" {
		if err := p.Extract(*extract); err != nil {
			return err
		}
	}
	if *asJSON {
		c.stdout.Write(p.DataJSON)
	} else {
		summary(c.stdout, p)
	}
	if *extract != "" {
		note := c.stdout
		if *asJSON {
			note = c.stderr // keep stdout pure JSON
		}
		fmt.Fprintf(note, "Extracted %d files into %s\n", len(p.Files), *extract)
	}
	return nil
}

func (c cli) keygen(args []string) error {
	fs := c.flags("keygen")
	out := fs.String("out", "", "key file to create")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(rest) > 0 {
		return usagef("keygen needs --out KEYFILE and nothing else")
	}
	key, err := packet.GenerateKey()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: keygen never overwrites a key", *out)
	}
	if err != nil {
		return fmt.Errorf("cannot create the key file: %w", err)
	}
	_, err = f.Write(packet.MarshalPrivateKey(key))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return fmt.Errorf("cannot write the key file: %w", err)
	}
	fp := keyFingerprint(key)
	fmt.Fprintf(c.stdout, "Wrote %s\nKey fingerprint %s\n  (short: %s)\n", *out, fp, packet.ShortFingerprint(fp))
	return nil
}

// flags makes a command's flag set: errors come back to run, -h prints
// the usage on stdout.
func (c cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { fmt.Fprint(c.stdout, usage) }
	return fs
}

// parse parses flags wherever they are among the arguments ("open FILE
// --json" as well as "open --json FILE") and returns the others.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.Usage()
				return nil, err
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		consumed := len(args) - fs.NArg()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(rest, fs.Args()...), nil
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func options(trust []string) (packet.Options, error) {
	var opt packet.Options
	for _, t := range trust {
		fp, ok := packet.NormalizeKeyFingerprint(t)
		if !ok {
			return opt, usagef("--trust %q is not a key fingerprint (64 hex digits, spaces allowed)", t)
		}
		opt.Trusted = append(opt.Trusted, fp)
	}
	return opt, nil
}

func printProblems(w io.Writer, file string, problems []packet.Problem) {
	for _, p := range problems {
		fmt.Fprintf(w, "FAIL %s: %s: %s\n", file, p.Code, clean(p.Message))
	}
}
