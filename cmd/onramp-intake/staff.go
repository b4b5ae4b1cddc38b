package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/validate"
)

// The staff commands: admins make, list, disable and reset the accounts
// the console's users log in with. A password is never a flag (it would
// stand in the process list and the shell's history): it is typed at a
// prompt, or read from standard input.

func staffAddCommand() command {
	return command{name: "staff add", synopsis: "--email E --role " + strings.Join(server.Roles(), "|") + "  (the password: typed at the prompt, or on standard input)",
		summary: "staff add: make a console account (the first one makes the database, as serve and invite do)",
		flags:   []string{"email", "role"}, creates: true,
		check: func(o *options) error {
			if err := o.required("email"); err != nil {
				return err
			}
			if !slices.Contains(server.Roles(), o.role) {
				return fmt.Errorf("--role must be one of %s", strings.Join(server.Roles(), ", "))
			}
			return validate.Email(o.email)
		},
		before: func(o *options, out io.Writer) error { return checkedPassword(o, out, "Password for "+o.email+": ") },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			by, host := commandLine()
			s, err := db.AddStaffAs(ctx, by, host, o.email, o.role, o.password)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "Staff account %d: %s, %s.\n", s.ID, s.Email, s.Role)
			return nil
		}}
}

func staffListCommand() command {
	return command{name: "staff list", synopsis: "[--json]", summary: "staff list: every console account and its role",
		flags: []string{"json"}, check: func(*options) error { return nil },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			list, err := db.StaffList(ctx)
			if err != nil {
				return err
			}
			if o.json {
				return json.NewEncoder(out).Encode(list)
			}
			if len(list) == 0 {
				fmt.Fprintln(out, "No staff accounts yet: make one with staff add.")
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tSINCE\tDISABLED")
			for _, s := range list {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", s.ID, s.Email, s.Role, s.CreatedAt[:10], s.DisabledAt)
			}
			return tw.Flush()
		}}
}

func staffDisableCommand() command {
	return command{name: "staff disable", synopsis: "--email E", summary: "staff disable: close an account; its sessions end at once",
		flags: []string{"email"}, check: func(o *options) error { return o.required("email") },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			by, host := commandLine()
			if err := db.DisableStaffAs(ctx, by, host, o.email); err != nil {
				return err
			}
			fmt.Fprintf(out, "%s can no longer log in.\n", o.email)
			return nil
		}}
}

func staffPasswordCommand() command {
	return command{name: "staff password", synopsis: "--email E  (the new password: typed at the prompt, or on standard input)",
		summary: "staff password: set a new password; the account's sessions end and a lockout is lifted",
		flags:   []string{"email"}, check: func(o *options) error { return o.required("email") },
		before: func(o *options, out io.Writer) error {
			return checkedPassword(o, out, "New password for "+o.email+": ")
		},
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			by, host := commandLine()
			if err := db.SetStaffPasswordAs(ctx, by, host, o.email, o.password); err != nil {
				return err
			}
			fmt.Fprintf(out, "%s has a new password.\n", o.email)
			return nil
		}}
}

// commandLine is who runs a staff command, for the staff audit: no
// account, but the computer's user and host name ("command line: root").
func commandLine() (server.Staff, string) {
	who := "unknown user"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return server.Staff{Email: "command line: " + who}, host
}

// checkedPassword reads the password into o.password and refuses one the
// rule refuses (the server checks it again).
func checkedPassword(o *options, out io.Writer, prompt string) error {
	pw, err := readPassword(o, out, prompt)
	if err != nil {
		return err
	}
	if p := intake.PasswordProblem(pw, o.email); p != "" {
		return errors.New(p)
	}
	o.password = pw
	return nil
}

// readPassword reads a password typed at a terminal (not echoed), or the
// first line of standard input.
func readPassword(o *options, out io.Writer, prompt string) (string, error) {
	if f, ok := o.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(out, prompt)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out)
		return string(pw), err
	}
	line, err := bufio.NewReader(o.in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password: type it at the prompt, or give it on standard input")
	}
	return pw, nil
}
