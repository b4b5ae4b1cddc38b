package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// Insurance & Directories for support: the network's list of payers and
// programs, the providers' requests, and approving or declining one. Each
// command parses its flags and calls one server.DB method.

func offeringCommand() command {
	return command{name: "offering", synopsis: "[--add NAME --kind payer|program | --remove NAME] [--json]",
		summary: "list the network's payers and programs, --add one or --remove one",
		flags:   []string{"add", "kind", "remove", "json"},
		check: func(o *options) error {
			switch {
			case o.set["add"] && o.set["remove"]:
				return errors.New("give --add or --remove, not both")
			case o.set["add"] && o.kind != intake.OfferingPayer && o.kind != intake.OfferingProgram:
				return fmt.Errorf("--add needs --kind %s or --kind %s", intake.OfferingPayer, intake.OfferingProgram)
			case o.set["kind"] && !o.set["add"]:
				return errors.New("--kind goes with --add")
			case o.set["add"] && strings.TrimSpace(o.add) == "", o.set["remove"] && strings.TrimSpace(o.remove) == "":
				return errors.New("name the payer or program")
			}
			return nil
		},
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			switch {
			case o.set["add"]:
				if err := db.AddOffering(ctx, o.add, o.kind); err != nil {
					return err
				}
				fmt.Fprintf(out, "added %s %s\n", o.kind, strings.TrimSpace(o.add))
				return nil
			case o.set["remove"]:
				if err := db.RemoveOffering(ctx, o.remove); err != nil {
					return err
				}
				fmt.Fprintf(out, "removed %s (providers in it keep their status)\n", strings.TrimSpace(o.remove))
				return nil
			}
			list, err := db.Catalogue(ctx)
			if err != nil || o.json {
				if err == nil {
					err = json.NewEncoder(out).Encode(list)
				}
				return err
			}
			printCatalogue(out, list)
			return nil
		}}
}

func requestsCommand() command {
	return command{name: "requests", synopsis: "[--provider ID|EMAIL] [--json]",
		summary: "list Insurance & Directories requests",
		flags:   []string{"provider", "json"}, check: func(*options) error { return nil },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			rs, err := db.Requests(ctx, o.provider)
			if err != nil || o.json {
				if err == nil {
					err = json.NewEncoder(out).Encode(rs)
				}
				return err
			}
			printRequests(out, rs)
			return nil
		}}
}

func requestCommand() command {
	return command{name: "request", synopsis: `--id N --approve | --decline "reason"`,
		summary: "approve a request (applied at once) or decline it with a reason the provider sees",
		flags:   []string{"id", "approve", "decline"},
		check: func(o *options) error {
			id, err := strconv.ParseInt(strings.TrimSpace(o.id), 10, 64)
			switch {
			case err != nil || id <= 0:
				return errors.New("--id takes the number of a request (see requests)")
			case o.approve == o.set["decline"]:
				return errors.New("give --approve or --decline with a reason")
			case o.set["decline"] && strings.TrimSpace(o.decline) == "":
				return errors.New("--decline needs the reason: the provider sees it")
			}
			o.requestID = id
			return nil
		},
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			if o.approve {
				if err := db.ApproveRequest(ctx, o.requestID); err != nil {
					return err
				}
				fmt.Fprintf(out, "request %d approved and applied\n", o.requestID)
				return nil
			}
			if err := db.DeclineRequest(ctx, o.requestID, o.decline); err != nil {
				return err
			}
			fmt.Fprintf(out, "request %d declined\n", o.requestID)
			return nil
		}}
}

func printCatalogue(out io.Writer, list []server.CatalogueEntry) {
	if len(list) == 0 {
		fmt.Fprintln(out, "The network lists no payers or programs. Add one with: onramp-intake offering --add NAME --kind payer")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tNAME")
	for _, c := range list {
		fmt.Fprintf(tw, "%s\t%s\n", c.Kind, c.Name)
	}
	tw.Flush()
}

func printRequests(out io.Writer, rs []server.ProviderRequest) {
	if len(rs) == 0 {
		fmt.Fprintln(out, "No requests yet.")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROVIDER\tREQUEST\tSTATE\tASKED\tREASON")
	pending := false
	for _, r := range rs {
		state := r.State
		if r.Decision != "" {
			state += " (" + r.Decision + ")"
		}
		pending = pending || r.State == intake.RequestPending
		fmt.Fprintf(tw, "%d\t%d %s\t%s\t%s\t%s\t%s\n", r.ID, r.Provider, r.ProviderEmail, intake.RequestLabel(r.Kind, r.Target),
			state, minute(r.CreatedAt), oneLine(r.Reason))
	}
	tw.Flush()
	if pending {
		fmt.Fprintln(out, `Act on a pending one with: onramp-intake request --id ID --approve | --decline "reason"`)
	}
}

// oneLine keeps a provider's reason on its row of the table.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
