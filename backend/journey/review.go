package journey

// Review states of a submitted form: the network's latest word on its
// latest version.
const (
	ReviewWaiting  = "submitted" // submitted, not reviewed yet
	ReviewReviewed = "reviewed"
	ReviewReturned = "returned"
)

// FormReview is where the network stands on a form's latest submitted
// version: submitted and waiting, reviewed (with the date), or returned
// (with the reason).
type FormReview struct {
	State  string `json:"state"`
	On     string `json:"on,omitempty"`     // reviewed: YYYY-MM-DD
	Reason string `json:"reason,omitempty"` // returned: the network's reason
	// NotReceived: waiting, and the version has not reached the network yet
	// (still in the outbox, or no sync has seen it arrive).
	NotReceived bool `json:"notReceived,omitempty"`
}

// review is the review of a form step's latest version, nil for a step that
// is not a form or a form not submitted yet.
func (s State) review(step Step) *FormReview {
	var submitted, reviewed, received = s.GeneralSubmitted, s.GeneralReviewed, s.GeneralReceived
	returned := s.GeneralReturned
	switch step {
	case StepGeneral:
	case StepCredentialing:
		submitted, reviewed, received, returned = s.CredentialingSubmitted, s.CredentialingReviewed, s.CredentialingReceived, s.CredentialingReturned
	default:
		return nil
	}
	switch {
	case submitted.IsZero():
		return nil
	case returned != "":
		return &FormReview{State: ReviewReturned, Reason: returned}
	case !reviewed.IsZero():
		return &FormReview{State: ReviewReviewed, On: Date(reviewed).Format(DateLayout)}
	}
	return &FormReview{State: ReviewWaiting, NotReceived: received.IsZero()}
}

// CompletionEmail is where the onboarding-complete confirmation stands, as
// the dashboard says it.
type CompletionEmail struct {
	State  string `json:"state"`            // EmailPending or EmailSent
	SentOn string `json:"sentOn,omitempty"` // YYYY-MM-DD, once sent
}

// completionEmail is nil until onboarding is complete.
func (s State) completionEmail() *CompletionEmail {
	switch s.CompletionEmail.State {
	case "":
		return nil
	case EmailSent:
		return &CompletionEmail{State: EmailSent, SentOn: Date(s.CompletionEmail.At).Format(DateLayout)}
	}
	return &CompletionEmail{State: s.CompletionEmail.State}
}
