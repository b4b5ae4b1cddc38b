package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"onramp/backend/intake/server"
)

func printMail(out io.Writer, q []server.QueuedMail) {
	if len(q) == 0 {
		fmt.Fprintln(out, "No guidance email yet.")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROVIDER\tSTEP\tSTATE\tTRIES\tWHEN\tREASON")
	failed := false
	for _, m := range q {
		when := ""
		switch m.State {
		case "sent":
			when = "sent " + minute(m.SentAt)
		case "queued":
			when = "next " + minute(m.NextAt)
		case "failed":
			failed = true
		}
		who := fmt.Sprintf("%d %s", m.Provider, m.ProviderEmail)
		if m.Provider == 0 {
			who = "- " + m.ProviderEmail // an invitation's: no provider yet
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", m.ID, who, m.Step, m.State, m.Attempts, when, m.LastError)
	}
	tw.Flush()
	if failed {
		fmt.Fprintln(out, "Send a failed email again with: onramp-intake mail --retry ID")
	}
}

// minute shows an RFC 3339 time to the minute, in UTC.
func minute(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}
