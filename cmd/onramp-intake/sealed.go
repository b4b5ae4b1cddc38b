package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/seal"
)

// The sealed-secrets and moving-computer commands: network-key makes the
// network's key pair, reveal opens one sealed field (audited), reissue
// gives a provider on a new computer a new invitation code.

func networkKeyCommand() command {
	return command{name: "network-key", synopsis: "--out FILE",
		summary: "make the network's encryption key pair: the private key goes to --out (0600), the public key is printed",
		flags:   []string{"out"},
		check:   func(o *options) error { return o.required("out") },
		local: func(o *options, out io.Writer) error {
			pub, err := seal.WriteKeyFile(o.out)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "private key: %s (keep it private: it opens every sealed field)\npublic key:  %s\nfingerprint: %s\n"+
				"Start the server with serve --network-key %s.\n", o.out, pub, pub.Fingerprint(), o.out)
			return nil
		}}
}

func revealCommand() command {
	return command{name: "reveal", synopsis: "--provider ID|EMAIL --field NAME --key FILE [--as NAME]",
		summary: "print a provider's latest sealed field (" + sealedNames() + "); every reveal is audited",
		flags:   []string{"provider", "field", "key", "as"},
		check: func(o *options) error {
			if err := o.required("provider", "field", "key"); err != nil {
				return err
			}
			if !strings.Contains(" "+sealedNames()+" ", " "+o.field+" ") {
				return fmt.Errorf("--field %q: give one of %s", o.field, sealedNames())
			}
			_, err := seal.ReadKeyFile(o.keyFile)
			return err
		},
		do: doReveal}
}

func reissueCommand() command {
	return command{name: "reissue", synopsis: "--provider ID|EMAIL",
		summary: "give a provider on a new computer a new invitation code (the old computer's token and packet key stop working)",
		flags:   []string{"provider"},
		check:   func(o *options) error { return o.required("provider") },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			code, err := db.Reissue(ctx, o.provider)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%s\nprovider %d: the new computer enrolls with this code; the old computer's token and packet key no longer work\n", code, o.provider)
			return nil
		}}
}

func auditCommand() command {
	return command{name: "audit", synopsis: "[--provider ID|EMAIL] [--json]",
		summary: "list every reveal of a sealed field: when, who, from where, with which key, and whether it opened",
		flags:   []string{"provider", "json"}, check: func(*options) error { return nil },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			rs, err := db.RevealAudit(ctx, o.provider)
			if err != nil {
				return err
			}
			if o.json {
				return json.NewEncoder(out).Encode(rs)
			}
			if len(rs) == 0 {
				fmt.Fprintln(out, "No sealed field was revealed.")
			}
			for _, r := range rs {
				fmt.Fprintf(out, "%s  %s on %s  provider %d %s v%d %s  key %.12s…  %s\n",
					r.At, r.Who, r.Host, r.Provider, r.Form, r.Version, r.Field, r.Key, r.Outcome)
			}
			return nil
		}}
}

func doReveal(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
	key, err := seal.ReadKeyFile(o.keyFile)
	if err != nil {
		return err
	}
	who := o.as
	if who == "" {
		u, err := user.Current()
		if err != nil {
			return errors.New("who is revealing? this computer does not say: give --as NAME")
		}
		who = u.Username
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	v, err := db.Reveal(ctx, server.RevealRequest{Provider: o.provider, Field: o.field, Key: key, Who: who, Where: host})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, v)
	return nil
}

// sealedNames lists the fields a provider's forms seal.
func sealedNames() string {
	var names []string
	for _, id := range []string{forms.FormGeneral, forms.FormCredentialing} {
		s, _ := forms.SchemaByID(id)
		for _, f := range forms.SealedFields(s) {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, " ")
}
