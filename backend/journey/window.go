package journey

import (
	"fmt"
	"strings"
	"time"
)

// Where the credentialing window stands.
const (
	// WindowWaiting: the latest Insurance version has not reached the
	// network yet; the window starts when it does.
	WindowWaiting = "waiting"
	// WindowReturned: the network returned the latest version; its window
	// is void until the resubmission is received.
	WindowReturned = "returned"
	WindowOpen     = "open"      // within the 45 days
	WindowPast     = "past"      // past day 45 with no effective date: contact support
	WindowDecided  = "effective" // the network set the effective date
)

// Window is the credentialing window: CredentialingWindowDays from the
// network's receipt of the latest Insurance form version, restarted by
// each resubmission's receipt.
type Window struct {
	State string `json:"state"`
	// SubmittedOn is when the Insurance form was first submitted (step 2's
	// date); Version is its latest version.
	SubmittedOn string `json:"submittedOn"`
	Version     int    `json:"version,omitempty"`
	// ReceivedOn (the window's start), ExpectedBy and DaysLeft are set
	// while open, past or decided.
	ReceivedOn    string        `json:"receivedOn,omitempty"`
	ExpectedBy    string        `json:"expectedBy,omitempty"`
	DaysLeft      int           `json:"daysLeft"` // negative once past
	EffectiveDate string        `json:"effectiveDate,omitempty"`
	InNetwork     bool          `json:"inNetwork"` // effective date reached
	Payers        []PayerStatus `json:"payers"`
	// Support is the message to support, filled in, once past day 45.
	Support *SupportRequest `json:"support,omitempty"`
}

func (s State) window(today time.Time) *Window {
	if s.CredentialingSubmitted.IsZero() {
		return nil
	}
	w := &Window{SubmittedOn: Date(s.CredentialingSubmitted).Format(DateLayout), Version: s.CredentialingVersion, Payers: s.Payers}
	if w.Payers == nil {
		w.Payers = []PayerStatus{}
	}
	if !s.EffectiveDate.IsZero() {
		w.State = WindowDecided
		w.EffectiveDate = Date(s.EffectiveDate).Format(DateLayout)
		w.InNetwork = DaysBetween(s.EffectiveDate, today) >= 0
		return w
	}
	switch {
	case s.CredentialingReturned != "":
		w.State = WindowReturned
		return w
	case s.CredentialingReceived.IsZero():
		w.State = WindowWaiting
		return w
	}
	expected := CredentialingExpectedBy(s.CredentialingReceived)
	w.ReceivedOn = Date(s.CredentialingReceived).Format(DateLayout)
	w.ExpectedBy = expected.Format(DateLayout)
	w.DaysLeft = DaysBetween(today, expected)
	w.State = WindowOpen
	if w.DaysLeft < 0 {
		w.State = WindowPast
		w.Support = s.windowSupport(expected)
	}
	return w
}

// windowSupport is the message to support past day 45: which form
// version, when the network received it, when the window ended, and each
// payer's word so far.
func (s State) windowSupport(expected time.Time) *SupportRequest {
	version := ""
	if s.CredentialingVersion > 0 {
		version = fmt.Sprintf(" (version %d)", s.CredentialingVersion)
	}
	msg := fmt.Sprintf("The network received my Insurance form%s on %s. The %d-day credentialing window ended on %s and I have no effective date yet.",
		version, sayDate(s.CredentialingReceived), CredentialingWindowDays, sayDate(expected))
	if len(s.Payers) > 0 {
		var ps []string
		for _, p := range s.Payers {
			ps = append(ps, p.Payer+": "+p.Label)
		}
		msg += " Payers so far: " + strings.Join(ps, "; ") + "."
	}
	return &SupportRequest{Subject: fmt.Sprintf("Credentialing past %d days", CredentialingWindowDays), Message: msg}
}
