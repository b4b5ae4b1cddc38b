package main

import (
	"fmt"
	"io"
	"strings"

	"onramp/backend/intake/server"
)

// printLearned prints what the app reported and the network concluded:
// training, start date, checklist, app version, live date, completion.
func printLearned(out io.Writer, l server.Learned) {
	if t := l.Training; t != nil {
		line := fmt.Sprintf("    training: watched %d%%, %d quiz attempts, best %d%%", int(t.WatchedShare*100+0.5), t.Attempts, t.BestScore)
		if t.CompletedAt != "" {
			line += ", completed " + minute(t.CompletedAt)
		}
		fmt.Fprintln(out, line)
	}
	if l.StartDate != "" {
		fmt.Fprintln(out, "    contracted start:", l.StartDate)
	}
	if len(l.Checklist) > 0 {
		var done []string
		for _, it := range l.Checklist {
			if it.Done {
				done = append(done, it.ID)
			}
		}
		fmt.Fprintf(out, "    checklist: %d of %d done %s\n", len(done), len(l.Checklist), strings.Join(done, ", "))
	}
	if l.AppVersion != "" {
		fmt.Fprintln(out, "    app:", strings.TrimSpace(l.AppVersion+" "+l.AppOS))
	}
	if l.ProfileLiveDate != "" {
		fmt.Fprintln(out, "    directory profile live:", l.ProfileLiveDate)
	}
	if l.CompletedAt != "" {
		fmt.Fprintln(out, "    onboarding complete", minute(l.CompletedAt))
	}
}
