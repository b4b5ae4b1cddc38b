package forms

import (
	"strconv"
	"strings"
	"time"
)

// FieldCAQHAttested is the Insurance form's date of the provider's last
// CAQH attestation.
const FieldCAQHAttested = "caqhAttested"

// CAQH re-attestation: every AttestEvery days, reminded AttestWarn days
// before and on the day.
const (
	AttestEvery = 120
	AttestWarn  = 30
)

// Reattestation is the provider's next CAQH re-attestation as an
// Expiration (kind "caqh"): every 120 days counted from the attestation
// date in the Insurance form data, or, without one, from the day the form
// was submitted. The due date is the first on or after today, so a cycle
// the provider attested in CAQH without telling Onramp is not shown as
// overdue for ever; on the day it reads "expired" (due today).
func Reattestation(d Data, submitted, today time.Time) (Expiration, bool) {
	today = calendarDay(today)
	base, err := time.Parse(dateLayout, strings.TrimSpace(d.Fields[FieldCAQHAttested]))
	if err != nil {
		if submitted.IsZero() {
			return Expiration{}, false
		}
		base = calendarDay(submitted)
	}
	due := base.AddDate(0, 0, AttestEvery)
	for due.Before(today) {
		due = due.AddDate(0, 0, AttestEvery)
	}
	x := Expiration{Kind: "caqh", Label: "CAQH re-attestation", Expires: due.Format(dateLayout),
		DaysLeft: int(due.Sub(today).Hours()/24 + 0.5), Level: "ok", field: FieldCAQHAttested}
	switch {
	case x.DaysLeft <= 0:
		x.Level = "expired"
	case x.DaysLeft <= AttestWarn:
		x.Level = "30"
	}
	if x.Level != "ok" {
		x.Action = "Re-attest in CAQH ProView (every " + strconv.Itoa(AttestEvery) + " days), then enter the date on the Insurance form when you next resubmit it."
	}
	return x, true
}

// Reminder is one reminder due: a credential that has reached one of its
// thresholds (90, 30 or 0 days before it expires; 30 or 0 before a CAQH
// re-attestation). Key names the credential, its date and the threshold,
// so a reminder is sent once: a renewed credential (a new date) starts
// again.
type Reminder struct {
	Key     string `json:"key"`
	Kind    string `json:"kind"`
	Label   string `json:"label"`
	Date    string `json:"date"` // the expiry or due date, YYYY-MM-DD
	Level   string `json:"level"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Reminders turns expirations (Expirations, Reattestation) into the
// reminders due now: one for each that has reached a threshold, at the
// highest threshold reached only (a credential first seen 10 days before
// it expires gets the 30-day reminder, not the 90-day one as well).
func Reminders(exps []Expiration) []Reminder {
	var out []Reminder
	for _, x := range exps {
		if x.Level == "ok" {
			continue
		}
		long, what := longDay(x.Expires), midSentence(x.Label)
		r := Reminder{Key: x.Kind + "|" + strings.ToLower(x.Label) + "|" + x.Expires + "|" + x.Level,
			Kind: x.Kind, Label: x.Label, Date: x.Expires, Level: x.Level}
		switch {
		case x.Kind == "caqh" && x.Level == "expired":
			r.Subject = "Your CAQH re-attestation is due today"
			r.Body = "Your CAQH re-attestation is due today (" + long + ")."
		case x.Kind == "caqh":
			r.Subject = "Your CAQH re-attestation is due on " + long
			r.Body = "Your CAQH re-attestation is due on " + long + ", in " + days(x.DaysLeft) + "."
		case x.DaysLeft < 0:
			r.Subject = x.Label + " has expired"
			r.Body = "Your " + what + " expired on " + long + "."
		case x.DaysLeft == 0:
			r.Subject = x.Label + " expires today"
			r.Body = "Your " + what + " expires today (" + long + ")."
		default:
			r.Subject = x.Label + " expires on " + long
			r.Body = "Your " + what + " expires on " + long + ", in " + days(x.DaysLeft) + "."
		}
		r.Body += " " + x.Action
		out = append(out, r)
	}
	return out
}

// NextThreshold is the first day after today on which x reaches its next
// reminder threshold, when Reminders has a new reminder for it: 90 and 30
// days before a credential expires and the day it does; 30 days before a
// CAQH re-attestation, the day it is due and 30 days before the next one.
// There is none once a credential has expired: its renewal (a new date, in
// a new Insurance form version) starts again. A server that looks at a
// provider again on that day, or at the first chance after it, misses no
// reminder and need not look in between.
func NextThreshold(x Expiration, today time.Time) (time.Time, bool) {
	today = calendarDay(today)
	date, err := time.Parse(dateLayout, x.Expires)
	if err != nil {
		return time.Time{}, false
	}
	before := []int{WarnFar, WarnNear, 0}
	if x.Kind == "caqh" {
		before = []int{AttestWarn, 0, AttestWarn - AttestEvery}
	}
	for _, n := range before {
		if day := date.AddDate(0, 0, -n); day.After(today) {
			return day, true
		}
	}
	return time.Time{}, false
}

func longDay(s string) string {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return s
	}
	return t.Format(longDate)
}

// midSentence lowercases a label's first letter ("Board certification"),
// but not an abbreviation's ("DEA registration", "CA license").
func midSentence(label string) string {
	if len(label) > 1 && label[0] >= 'A' && label[0] <= 'Z' && label[1] >= 'a' && label[1] <= 'z' {
		return strings.ToLower(label[:1]) + label[1:]
	}
	return label
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
