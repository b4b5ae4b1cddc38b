package forms

import (
	"sort"
	"strings"
	"time"
)

// Expiration is one credential's expiry as the dashboard lists it.
type Expiration struct {
	Kind     string `json:"kind"` // license, dea, board, liability
	Label    string `json:"label"`
	Expires  string `json:"expires"` // YYYY-MM-DD
	DaysLeft int    `json:"daysLeft"`
	Level    string `json:"level"` // ok, 90, 30, expired
	Action   string `json:"action,omitempty"`
}

// Warning thresholds, in days before expiry.
const (
	WarnFar  = 90
	WarnNear = 30
)

// Expirations lists every license, DEA registration, board certification
// and liability policy in submitted Insurance form data, soonest first,
// each with its warning level (90, 30 and 0 days before) and what to do.
func Expirations(d Data, today time.Time) []Expiration {
	today = calendarDay(today)
	out := []Expiration{}
	add := func(kind, label, expires, action string) {
		e, err := time.Parse(dateLayout, strings.TrimSpace(expires))
		if err != nil {
			return
		}
		x := Expiration{Kind: kind, Label: label, Expires: e.Format(dateLayout), DaysLeft: int(e.Sub(today).Hours() / 24), Level: "ok"}
		switch {
		case x.DaysLeft <= 0:
			x.Level = "expired"
		case x.DaysLeft <= WarnNear:
			x.Level = "30"
		case x.DaysLeft <= WarnFar:
			x.Level = "90"
		}
		if x.Level != "ok" {
			x.Action = action
		}
		out = append(out, x)
	}
	for _, l := range d.Groups["licenses"] {
		label := strings.TrimSpace(strings.Join(strings.Fields(l["state"]+" "+l["type"]+" license "+l["number"]), " "))
		add("license", label, l["expires"], "Renew your license, then upload the renewed license and resubmit the Insurance form.")
	}
	if d.Fields["deaNumber"] != "" {
		add("dea", "DEA registration "+strings.ToUpper(d.Fields["deaNumber"]), d.Fields["deaExpires"],
			"Renew your DEA registration, then upload the new certificate and resubmit the Insurance form.")
	}
	if d.Fields["board"] != "" {
		add("board", "Board certification ("+d.Fields["board"]+")", d.Fields["boardExpires"],
			"Recertify, then upload the new board certificate and resubmit the Insurance form.")
	}
	if d.Fields["carrier"] != "" {
		add("liability", "Liability policy "+d.Fields["policyNumber"]+" ("+d.Fields["carrier"]+")", d.Fields["policyExpires"],
			"Renew the policy, then upload the new face sheet and resubmit the Insurance form.")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DaysLeft < out[j].DaysLeft })
	return out
}
