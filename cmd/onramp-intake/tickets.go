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

// Help requests for support: a provider's tickets with their threads, and
// answering, closing or reopening one (the console's code, audited under
// "command line: USER").

func ticketsCommand() command {
	return command{name: "tickets", synopsis: "--provider ID|EMAIL [--json]",
		summary: "list a provider's help requests with support's replies",
		flags:   []string{"provider", "json"}, check: func(o *options) error { return o.required("provider") },
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			ts, err := db.Tickets(ctx, o.provider)
			if err != nil || o.json {
				if err == nil {
					if ts == nil {
						ts = []server.Ticket{}
					}
					err = json.NewEncoder(out).Encode(ts)
				}
				return err
			}
			if len(ts) == 0 {
				fmt.Fprintln(out, "No help requests from this provider.")
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATE\tASKED\tREPLIES\tSUBJECT")
			for _, t := range ts {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", t.ID, t.State, t.CreatedAt[:min(len(t.CreatedAt), 10)], len(t.Thread), t.Subject)
			}
			return tw.Flush()
		}}
}

func ticketCommand() command {
	return command{name: "ticket", synopsis: `--id N (--reply "text" | --close | --reopen)`,
		summary: "answer a help request (by email and in the app's Help), close it or open it again",
		flags:   []string{"id", "reply", "close", "reopen"},
		check: func(o *options) error {
			id, err := strconv.ParseInt(strings.TrimSpace(o.id), 10, 64)
			n := 0
			for _, given := range []bool{o.set["reply"], o.closeTicket, o.reopenTicket} {
				if given {
					n++
				}
			}
			switch {
			case err != nil || id <= 0:
				return errors.New("--id takes the number of a help request (see tickets)")
			case n != 1:
				return errors.New("give one of --reply, --close or --reopen")
			case o.set["reply"] && strings.TrimSpace(o.reply) == "":
				return errors.New("--reply needs the text: the provider reads it")
			}
			o.requestID = id
			return nil
		},
		do: func(ctx context.Context, db *server.DB, o *options, out io.Writer) error {
			by, host := commandLine()
			switch {
			case o.set["reply"]:
				if err := db.ReplyTicketAs(ctx, by, host, o.requestID, o.reply); err != nil {
					return err
				}
				fmt.Fprintf(out, "help request %d answered: by email, and in the app at its next sync\n", o.requestID)
			case o.closeTicket:
				if err := db.SetTicketStateAs(ctx, by, host, o.requestID, intake.TicketClosed); err != nil {
					return err
				}
				fmt.Fprintf(out, "help request %d closed\n", o.requestID)
			default:
				if err := db.SetTicketStateAs(ctx, by, host, o.requestID, intake.TicketOpen); err != nil {
					return err
				}
				fmt.Fprintf(out, "help request %d open again\n", o.requestID)
			}
			return nil
		}}
}
