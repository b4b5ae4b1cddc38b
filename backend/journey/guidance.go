package journey

import (
	"time"

	"onramp/backend/intake"
)

// Guidance is the network's guidance email for the provider's next step:
// due the first business day after the step before it was completed, or
// sent (as far as the last sync knows).
type Guidance struct {
	Step    string `json:"step"`             // the email, by intake's Guidance* step names
	After   string `json:"after"`            // what was completed
	Next    string `json:"next"`             // what the guidance is about
	DoneOn  string `json:"doneOn"`           // when it was completed
	DueBy   string `json:"dueBy"`            // YYYY-MM-DD
	SentOn  string `json:"sentOn,omitempty"` // YYYY-MM-DD once the network sent it
	Overdue bool   `json:"overdue"`          // past DueBy and not sent: offer "contact support"
}

// guidanceStep is one of the network's guidance emails and the journey
// milestone whose completion makes the server queue it.
type guidanceStep struct {
	at          time.Time
	step        string
	after, next string
}

// guidanceSteps lists the network's guidance emails in journey order. The
// server sends no guidance after account set-up (the welcome email came
// before it) or after the training, so neither appears here: the app must
// not promise, or call overdue, an email that never comes.
func (s State) guidanceSteps() []guidanceStep {
	return []guidanceStep{
		{s.GeneralSubmitted, intake.GuidanceInsurance, "General Onboarding form submitted", "completing your Insurance form"},
		{s.CredentialingSubmitted, intake.GuidanceReview, "Insurance form submitted", "the network's review and credentialing"},
		{s.bothReviewed(), intake.GuidancePortal, "Both forms reviewed", "creating your portal password"},
		{s.PortalCreated, intake.GuidanceTraining, "Portal password created", "the insurance training"},
	}
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

// guidance is the email for the furthest milestone reached. Journey order,
// not date order, picks it: a form reviewed again after the portal password
// was created does not bring the portal guidance back.
func (s State) guidance(today time.Time) *Guidance {
	var last *guidanceStep
	for _, g := range s.guidanceSteps() {
		if !g.at.IsZero() {
			last = &g
		}
	}
	if last == nil {
		return nil
	}
	due := NextBusinessDay(last.at)
	g := &Guidance{
		Step:   last.step,
		After:  last.after,
		Next:   last.next,
		DoneOn: Date(last.at).Format(DateLayout),
		DueBy:  due.Format(DateLayout),
	}
	if sent := s.GuidanceSent[last.step]; !sent.IsZero() {
		g.SentOn = Date(sent).Format(DateLayout)
		return g
	}
	g.Overdue = DaysBetween(due, today) > 0
	return g
}
