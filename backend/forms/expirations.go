package forms

import (
	"sort"
	"strconv"
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
	field    string // where the expiry date is entered: "licenses.0.expires"
}

// Warning thresholds, in days before expiry: the dashboard's levels and the
// form's warnings as the provider types both come from here.
const (
	WarnFar  = 90
	WarnNear = 30
)

// ContextContractStart is the context value holding the account's
// contracted start date (YYYY-MM-DD): a credential must outlast it.
const ContextContractStart = "$contractStart"

// Expirations lists every license, DEA registration, board certification
// and liability policy in submitted Insurance form data, soonest first,
// each with its warning level (90, 30 and 0 days before) and what to do.
// The data must hold only what the form showed (see Shown; submitted
// versions are stored that way): ShownExpirations prunes it first.
func Expirations(d Data, today time.Time) []Expiration {
	today = calendarDay(today)
	out := []Expiration{}
	add := func(kind, label, field, expires, action string) {
		e, err := time.Parse(dateLayout, strings.TrimSpace(expires))
		if err != nil {
			return
		}
		x := Expiration{Kind: kind, Label: label, Expires: e.Format(dateLayout), DaysLeft: int(e.Sub(today).Hours() / 24), Level: "ok", field: field}
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
	for i, l := range d.Groups["licenses"] {
		label := strings.TrimSpace(strings.Join(strings.Fields(l["state"]+" "+l["type"]+" license "+l["number"]), " "))
		add("license", label, itemPath("licenses", i, "expires"), l["expires"], "Renew your license, then upload the renewed license and resubmit the Insurance form.")
	}
	if d.Fields["deaNumber"] != "" {
		add("dea", "DEA registration "+strings.ToUpper(d.Fields["deaNumber"]), "deaExpires", d.Fields["deaExpires"],
			"Renew your DEA registration, then upload the new certificate and resubmit the Insurance form.")
	}
	if d.Fields["board"] != "" {
		add("board", "Board certification ("+d.Fields["board"]+")", "boardExpires", d.Fields["boardExpires"],
			"Recertify, then upload the new board certificate and resubmit the Insurance form.")
	}
	if d.Fields["carrier"] != "" {
		add("liability", "Liability policy "+d.Fields["policyNumber"]+" ("+d.Fields["carrier"]+")", "policyExpires", d.Fields["policyExpires"],
			"Renew the policy, then upload the new face sheet and resubmit the Insurance form.")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DaysLeft < out[j].DaysLeft })
	return out
}

// ShownExpirations is Expirations of Insurance form data as the context
// shows it: a credential in a section the provider's license type hides
// (a DEA registration once they are an LCSW) is not listed.
func ShownExpirations(d Data, ctx Context) []Expiration {
	return Expirations(Shown(CredentialingForm(), d, ctx), ctx.Today)
}

// expiryWarnings warn, as the provider types, of a credential that expires
// within the dashboard's warning window (the same Expirations levels) or
// before the contracted start date. Expired ones are the "future" check's
// errors, not warnings.
func expiryWarnings(s Schema, d Data, ctx Context) []Problem {
	start, err := time.Parse(dateLayout, ctx.Values[ContextContractStart])
	hasStart := err == nil
	var out []Problem
	for _, x := range Expirations(Shown(s, d, ctx), ctx.Today) {
		e, _ := time.Parse(dateLayout, x.Expires)
		soon, early := x.Level != "ok", hasStart && e.Before(start)
		code, when := "expires-soon", "within "+strconv.Itoa(WarnFar)+" days"
		switch {
		case x.DaysLeft < 0:
			continue
		case soon && early:
			when += " and before your contracted start date (" + start.Format(longDate) + ")"
		case early:
			code, when = "expires-before-start", "before your contracted start date ("+start.Format(longDate)+")"
		case !soon:
			continue
		}
		out = append(out, Problem{Field: x.field, Code: code, Warning: true,
			Message: "This expires on " + e.Format(longDate) + ", " + when + ": renew it, then enter the new expiry date."})
	}
	return out
}

const longDate = "January 2, 2006"
