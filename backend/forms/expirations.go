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

// credential is one expiring credential in Insurance form data: where its
// expiry date is entered and how the dashboard names it.
type credential struct {
	kind, label, path, expires, action string
}

// credentials lists the licenses, DEA registration, board certification
// and liability policy in Insurance form data, in form order.
func credentials(d Data) []credential {
	var out []credential
	for i, l := range d.Groups["licenses"] {
		label := strings.Join(strings.Fields(l["state"]+" "+l["type"]+" license "+l["number"]), " ")
		out = append(out, credential{"license", label, itemPath("licenses", i, "expires"), l["expires"],
			"Renew your license, then upload the renewed license and resubmit the Insurance form."})
	}
	if d.Fields["deaNumber"] != "" {
		out = append(out, credential{"dea", "DEA registration " + strings.ToUpper(d.Fields["deaNumber"]), "deaExpires", d.Fields["deaExpires"],
			"Renew your DEA registration, then upload the new certificate and resubmit the Insurance form."})
	}
	if d.Fields["board"] != "" {
		out = append(out, credential{"board", "Board certification (" + d.Fields["board"] + ")", "boardExpires", d.Fields["boardExpires"],
			"Recertify, then upload the new board certificate and resubmit the Insurance form."})
	}
	if d.Fields["carrier"] != "" {
		out = append(out, credential{"liability", "Liability policy " + d.Fields["policyNumber"] + " (" + d.Fields["carrier"] + ")", "policyExpires", d.Fields["policyExpires"],
			"Renew the policy, then upload the new face sheet and resubmit the Insurance form."})
	}
	return out
}

// expiryLevel is how close an expiry is: its days left from today and its
// level (ok, 90, 30, expired). The one home of the warning window.
func expiryLevel(expires, today time.Time) (int, string) {
	days := int(calendarDay(expires).Sub(calendarDay(today)).Hours() / 24)
	switch {
	case days <= 0:
		return days, "expired"
	case days <= WarnNear:
		return days, "30"
	case days <= WarnFar:
		return days, "90"
	}
	return days, "ok"
}

// Expirations lists every license, DEA registration, board certification
// and liability policy in submitted Insurance form data, soonest first,
// each with its warning level (90, 30 and 0 days before) and what to do.
// The data must hold only what the form showed (see Shown; submitted
// versions are stored that way): ShownExpirations prunes it first.
func Expirations(d Data, today time.Time) []Expiration {
	out := []Expiration{}
	for _, c := range credentials(d) {
		e, err := time.Parse(dateLayout, strings.TrimSpace(c.expires))
		if err != nil {
			continue
		}
		x := Expiration{Kind: c.kind, Label: c.label, Expires: e.Format(dateLayout)}
		x.DaysLeft, x.Level = expiryLevel(e, today)
		if x.Level != "ok" {
			x.Action = c.action
		}
		out = append(out, x)
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
// within the warning window or before the contracted start date. Expired
// ones are the "future" check's errors, not warnings.
func expiryWarnings(s Schema, d Data, ctx Context) []Problem {
	today := calendarDay(ctx.Today)
	start, err := time.Parse(dateLayout, ctx.Values[ContextContractStart])
	hasStart := err == nil
	var out []Problem
	for _, c := range credentials(Shown(s, d, ctx)) {
		e, err := time.Parse(dateLayout, strings.TrimSpace(c.expires))
		if err != nil || e.Before(today) {
			continue
		}
		on := e.Format("January 2, 2006")
		beforeStart := hasStart && e.Before(start)
		switch _, level := expiryLevel(e, today); {
		case level != "ok" && beforeStart:
			out = append(out, Problem{Field: c.path, Code: "expires-soon", Warning: true,
				Message: "This expires on " + on + ", within " + strconv.Itoa(WarnFar) + " days and before your contracted start date (" + start.Format("January 2, 2006") + "): renew it, then enter the new expiry date."})
		case level != "ok":
			out = append(out, Problem{Field: c.path, Code: "expires-soon", Warning: true,
				Message: "This expires on " + on + ", within " + strconv.Itoa(WarnFar) + " days: renew it, then enter the new expiry date."})
		case beforeStart:
			out = append(out, Problem{Field: c.path, Code: "expires-before-start", Warning: true,
				Message: "This expires on " + on + ", before your contracted start date (" + start.Format("January 2, 2006") + "): renew it, then enter the new expiry date."})
		}
	}
	return out
}
