package journey

import (
	"fmt"
	"time"

	"onramp/backend/intake"
)

// Guidance is the network's guidance email for the provider's next step.
// The network owes it once it has what completes the step before: a form
// counts when the network RECEIVED its latest version (a version still in
// the outbox, or one it returned, leaves the provider's own step pending
// and nothing owed). Then it is due the first business day after, and
// overdue (offer "contact support") only past that day and not sent.
type Guidance struct {
	Step  string `json:"step"`  // the email, by intake's Guidance* step names
	After string `json:"after"` // what was completed, as a sentence start
	Next  string `json:"next"`  // what the guidance is about
	// DoneOn is when the network had what completes the step (YYYY-MM-DD);
	// "" while Waiting.
	DoneOn string `json:"doneOn,omitempty"`
	// DueBy is YYYY-MM-DD; "" while Waiting.
	DueBy string `json:"dueBy,omitempty"`
	// Waiting, when set, says in a plain sentence what must happen before
	// the network owes the email (the form reaching it, or the provider
	// resubmitting a returned one).
	Waiting string `json:"waiting,omitempty"`
	SentOn  string `json:"sentOn,omitempty"` // YYYY-MM-DD once the network sent it
	Overdue bool   `json:"overdue"`          // past DueBy and not sent
	// Support is the message to support, filled in, while Overdue.
	Support *SupportRequest `json:"support,omitempty"`
}

// guidanceStep is one of the network's guidance emails: reached is when the
// provider did their part (their local time), owedFrom when the network had
// it (zero while it waits for the network, or for the provider again).
type guidanceStep struct {
	reached, owedFrom time.Time
	waiting           string // why owedFrom is still zero
	step              string
	after, next       string
	told              string // after, as the provider tells support
}

// guidanceSteps lists the network's guidance emails in journey order. The
// welcome email (sent with the invitation, before the account exists) is
// the only one before step 1, and the server sends none after the
// training, so neither appears here: the app must not promise, or call
// overdue, an email that never comes.
func (s State) guidanceSteps() []guidanceStep {
	general := formOwed(s.GeneralSubmitted, s.GeneralReceived, s.GeneralReturned, "General Onboarding form")
	insurance := formOwed(s.CredentialingSubmitted, s.CredentialingReceived, s.CredentialingReturned, "Insurance form")
	return []guidanceStep{
		{s.GeneralSubmitted, general.at, general.waiting, intake.GuidanceInsurance,
			"The network received your General Onboarding form", "completing your Insurance form", "The network received my General Onboarding form"},
		{s.CredentialingSubmitted, insurance.at, insurance.waiting, intake.GuidanceReview,
			"The network received your Insurance form", "the network's review and credentialing", "The network received my Insurance form"},
		{s.bothReviewed(), s.bothReviewed(), "", intake.GuidancePortal,
			"The network reviewed both of your forms", "creating your portal password", "The network reviewed both of my forms"},
		{s.PortalCreated, s.PortalCreated, "", intake.GuidanceTraining,
			"You created your portal password", "the insurance training", "I created my portal password"},
	}
}

// owed is when the network had a form, or what it still waits for.
type owed struct {
	at      time.Time
	waiting string
}

// formOwed is the network's receipt of a form's latest version, unless the
// network has not received it yet or returned it: both leave the next move
// to the provider's app or the provider.
func formOwed(submitted, received time.Time, returned, title string) owed {
	switch {
	case submitted.IsZero():
		return owed{}
	case returned != "":
		return owed{waiting: "The network returned your " + title + ": change it and submit it again."}
	case received.IsZero():
		return owed{waiting: "Your " + title + " hasn't reached the network yet: it goes when you're online."}
	}
	return owed{at: received}
}

// bothReviewed is when the later of the two reviews came, zero until both
// forms' latest versions are reviewed.
func (s State) bothReviewed() time.Time {
	if s.GeneralSubmitted.IsZero() || s.CredentialingSubmitted.IsZero() || s.GeneralReviewed.IsZero() || s.CredentialingReviewed.IsZero() {
		return time.Time{}
	}
	if s.CredentialingReviewed.After(s.GeneralReviewed) {
		return s.CredentialingReviewed
	}
	return s.GeneralReviewed
}

// guidance is the email for the furthest milestone the provider reached.
// Journey order, not date order, picks it: a form reviewed again after the
// portal password was created does not bring the portal guidance back.
func (s State) guidance(today time.Time) *Guidance {
	var last *guidanceStep
	for _, g := range s.guidanceSteps() {
		if !g.reached.IsZero() {
			last = &g
		}
	}
	if last == nil {
		return nil
	}
	g := &Guidance{Step: last.step, After: last.after, Next: last.next}
	if !last.owedFrom.IsZero() {
		g.DoneOn = Date(last.owedFrom).Format(DateLayout)
	}
	if sent := s.GuidanceSent[last.step]; !sent.IsZero() {
		g.SentOn = Date(sent).Format(DateLayout)
		return g
	}
	// A returned form, either of them, is the provider's move: nothing the
	// network owes is overdue meanwhile.
	if returned := s.returnedWaiting(); returned != "" {
		g.Waiting = returned
		return g
	}
	if last.owedFrom.IsZero() {
		g.Waiting = last.waiting
		return g
	}
	due := NextBusinessDay(last.owedFrom)
	g.DueBy = due.Format(DateLayout)
	if DaysBetween(due, today) > 0 {
		g.Overdue = true
		g.Support = &SupportRequest{
			Subject: "Next-step guidance email not received",
			Message: fmt.Sprintf("%s on %s. The network's guidance email that should follow, due by %s, has not reached me.",
				last.told, sayDate(last.owedFrom), sayDate(due)),
		}
	}
	return g
}

// returnedWaiting says which returned form waits for the provider, "" when
// neither was returned.
func (s State) returnedWaiting() string {
	if s.GeneralReturned != "" {
		return formOwed(s.GeneralSubmitted, s.GeneralReceived, s.GeneralReturned, "General Onboarding form").waiting
	}
	if s.CredentialingReturned != "" {
		return formOwed(s.CredentialingSubmitted, s.CredentialingReceived, s.CredentialingReturned, "Insurance form").waiting
	}
	return ""
}
