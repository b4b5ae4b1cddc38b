// Package journey holds the onboarding journey: its four steps and their
// unlock rules, the dashboard's stages and action items, and the dates the
// dashboard shows. It is pure: it reads a State and a "today" and computes.
package journey

import "time"

// Step identifies one of the four journey steps.
type Step string

const (
	StepGeneral       Step = "general"       // 1: General Onboarding form
	StepCredentialing Step = "credentialing" // 2: Credentialing (Insurance) form
	StepPortal        Step = "portal"        // 3: portal access
	StepTraining      Step = "training"      // 4: webinar and quiz
)

// Steps lists the steps in journey order.
var Steps = []Step{StepGeneral, StepCredentialing, StepPortal, StepTraining}

// Status is where an action item or step stands.
type Status string

const (
	Locked    Status = "locked"
	Available Status = "available"
	Done      Status = "done"
)

// State is everything the journey needs to know, as recorded by the app and
// learned by sync. A zero time means "not yet".
type State struct {
	AccountCreated         time.Time
	ContractStart          time.Time
	GeneralSubmitted       time.Time
	GeneralReviewed        time.Time
	CredentialingSubmitted time.Time
	CredentialingReviewed  time.Time
	PortalCreated          time.Time
	WebinarWatched         time.Time
	QuizPassed             time.Time
	EffectiveDate          time.Time
	Payers                 []PayerStatus
	// Ticked holds the checklist items the provider has ticked and articles
	// they have read, with when.
	Ticked map[string]time.Time

	// GeneralReviewed and CredentialingReviewed above count only for the
	// latest submitted version of each form. GeneralReturned and
	// CredentialingReturned hold the network's reason for returning that
	// version, "" when it was not returned.
	GeneralReturned       string
	CredentialingReturned string
	// GeneralReceived and CredentialingReceived are when the network
	// received the latest submitted version of each form, as the status
	// feed says; zero while the version waits in the outbox or no sync has
	// seen it arrive. What the network owes counts from these, never from
	// the local submit. CredentialingVersion is that latest version.
	GeneralReceived       time.Time
	CredentialingReceived time.Time
	CredentialingVersion  int
	// GuidanceSent holds when the network sent each step's guidance email,
	// by intake's Guidance* step names, as the last sync learned it.
	GuidanceSent map[string]time.Time
	// CompletionEmail is where the onboarding-complete email stands.
	CompletionEmail Email
}

// Email is where an email the network sends stands: EmailPending until the
// status feed lists it sent, then EmailSent at At; "" when none is due.
// The network's mailer retries by itself, so the provider never sees it
// fail: there is no failed state.
type Email struct {
	State string
	At    time.Time
}

// Email states as the dashboard says them.
const (
	EmailPending = "pending"
	EmailSent    = "sent"
)

// PayerStatus is one payer's credentialing decision as set by the network,
// with the words the app shows for it (intake.PayerLabel).
type PayerStatus struct {
	Payer     string    `json:"payer"`
	Status    string    `json:"status"`
	Label     string    `json:"label"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// StepState is one step with its status, why it is locked, and when it was
// done.
type StepState struct {
	Step   Step
	Status Status
	Reason string
	DoneAt time.Time
}

// TrainingDone is when step 4 was completed: the later of webinar watched and
// quiz passed, zero until both happened.
func (s State) TrainingDone() time.Time {
	if s.WebinarWatched.IsZero() || s.QuizPassed.IsZero() {
		return time.Time{}
	}
	if s.QuizPassed.After(s.WebinarWatched) {
		return s.QuizPassed
	}
	return s.WebinarWatched
}

// StepStates applies the unlock rules: 1 → 2 → 3 strictly in order, with 3
// also waiting for the network's review of 1 and 2; 4 is always available.
func (s State) StepStates() map[Step]StepState {
	out := make(map[Step]StepState, len(Steps))
	set := func(step Step, doneAt time.Time, lockedReason string) {
		st := StepState{Step: step, DoneAt: doneAt}
		switch {
		case !doneAt.IsZero():
			st.Status = Done
		case lockedReason != "":
			st.Status, st.Reason = Locked, lockedReason
		default:
			st.Status = Available
		}
		out[step] = st
	}
	generalLock := ""
	if s.AccountCreated.IsZero() {
		generalLock = "Set up your account first."
	}
	set(StepGeneral, s.GeneralSubmitted, generalLock)

	credLock := generalLock
	if credLock == "" && s.GeneralSubmitted.IsZero() {
		credLock = "Submit the General Onboarding form first."
	}
	set(StepCredentialing, s.CredentialingSubmitted, credLock)

	set(StepPortal, s.PortalCreated, s.portalLockReason())
	set(StepTraining, s.TrainingDone(), "")
	return out
}

func (s State) portalLockReason() string {
	switch {
	case s.GeneralSubmitted.IsZero():
		return "Submit the General Onboarding form and the Insurance form first."
	case s.CredentialingSubmitted.IsZero():
		return "Submit the Insurance form first."
	case s.GeneralReturned != "":
		return "The network returned your General Onboarding form: change it and submit it again."
	case s.CredentialingReturned != "":
		return "The network returned your Insurance form: change it and submit it again."
	case s.GeneralReviewed.IsZero() && s.CredentialingReviewed.IsZero():
		return "Waiting for the network to review both of your forms."
	case s.GeneralReviewed.IsZero():
		return "Waiting for the network to review your General Onboarding form."
	case s.CredentialingReviewed.IsZero():
		return "Waiting for the network to review your Insurance form."
	}
	return ""
}

// Complete reports whether all four steps are done and the network has
// reviewed the latest version of both forms: a resubmitted form waiting
// for its review leaves onboarding incomplete.
func (s State) Complete() bool {
	steps := s.StepStates()
	for _, st := range Steps {
		if steps[st].Status != Done {
			return false
		}
	}
	return !s.GeneralReviewed.IsZero() && !s.CredentialingReviewed.IsZero()
}

// CompletedAt is when onboarding became complete: the latest of the steps'
// dates and the reviews'.
func (s State) CompletedAt() (time.Time, bool) {
	if !s.Complete() {
		return time.Time{}, false
	}
	latest := s.GeneralReviewed
	if s.CredentialingReviewed.After(latest) {
		latest = s.CredentialingReviewed
	}
	for _, st := range s.StepStates() {
		if st.DoneAt.After(latest) {
			latest = st.DoneAt
		}
	}
	return latest, true
}
