package journey

import (
	"time"

	"onramp/backend/forms"
)

// Dashboard is everything the dashboard shows, computed for one day.
type Dashboard struct {
	Today         string      `json:"today"`
	Stages        []Stage     `json:"stages"`
	Progress      Progress    `json:"progress"`
	NextStep      *Guidance   `json:"nextStep,omitempty"`
	Credentialing *Window     `json:"credentialing,omitempty"`
	ProfileLive   ProfileLive `json:"profileLive"`
	Complete      bool        `json:"complete"`
	CompletedOn   string      `json:"completedOn,omitempty"`
	// CompletionEmail says whether the network has sent its confirmation
	// email yet; nil until onboarding is complete.
	CompletionEmail *CompletionEmail `json:"completionEmail,omitempty"`
	Steps           []StepSummary    `json:"steps"`
	// Expirations lists the credentials in the latest submitted Insurance
	// form, soonest first (filled in by the service that has that form).
	Expirations []forms.Expiration `json:"expirations"`
	// Returned lists forms the network sent back, with its reason (filled
	// in by the service from the status feed).
	Returned []Returned `json:"returned"`
	// Portal is where and as whom the provider logs into the portal, once
	// the password exists and the network's feed said (filled in by the
	// service that keeps it).
	Portal *PortalAccess `json:"portal,omitempty"`
	// Names is how the provider's name is shown (filled in by the service
	// that has the account and the General form).
	Names forms.Names `json:"names"`
}

// PortalAccess is the portal's address and the user name the network gave.
type PortalAccess struct {
	URL      string `json:"url"`
	Username string `json:"username"`
}

// Returned is a form the network returned for changes.
type Returned struct {
	Form    string `json:"form"`
	Item    string `json:"item"` // the action item that opens it
	Title   string `json:"title"`
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// StepSummary is one journey step for the progress strip.
type StepSummary struct {
	Step   Step   `json:"step"`
	Number int    `json:"number"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	Reason string `json:"reason,omitempty"`
	DoneOn string `json:"doneOn,omitempty"`
	// Review is the network's review of a form step's latest version.
	Review *FormReview `json:"review,omitempty"`
}

// Progress counts the action items done.
type Progress struct {
	Done      int `json:"done"`
	Total     int `json:"total"`
	Percent   int `json:"percent"`
	StepsDone int `json:"stepsDone"`
}

// ProfileLive is the directory profile's live date, or what it waits for.
type ProfileLive struct {
	Date    string   `json:"date,omitempty"`
	Known   bool     `json:"known"`
	Waiting []string `json:"waiting,omitempty"`
}

var stepTitles = map[Step]string{
	StepGeneral:       "General Onboarding form",
	StepCredentialing: "Insurance form",
	StepPortal:        "Portal access",
	StepTraining:      "Insurance training",
}

// Build computes the dashboard for today.
func Build(s State, today time.Time) Dashboard {
	today = Date(today)
	d := Dashboard{Today: today.Format(DateLayout), Stages: s.Stages(today), Complete: s.Complete(), Expirations: []forms.Expiration{}, Returned: []Returned{}}
	for _, st := range d.Stages {
		d.Progress.Done += st.Done
		d.Progress.Total += st.Total
	}
	if d.Progress.Total > 0 {
		d.Progress.Percent = d.Progress.Done * 100 / d.Progress.Total
	}
	steps := s.StepStates()
	for i, step := range Steps {
		st := steps[step]
		sum := StepSummary{Step: step, Number: i + 1, Title: stepTitles[step], Status: st.Status, Reason: st.Reason, Review: s.review(step)}
		if st.Status == Done {
			d.Progress.StepsDone++
			sum.DoneOn = Date(st.DoneAt).Format(DateLayout)
		}
		d.Steps = append(d.Steps, sum)
	}
	if at, ok := s.CompletedAt(); ok {
		d.CompletedOn = Date(at).Format(DateLayout)
		d.CompletionEmail = s.completionEmail()
	} else {
		d.NextStep = s.guidance(today)
	}
	d.Credentialing = s.window(today)
	d.ProfileLive = s.profileLive()
	return d
}

func (s State) profileLive() ProfileLive {
	if d, ok := ProfileLiveDate(s.EffectiveDate, s.ContractStart, s.TrainingDone()); ok {
		return ProfileLive{Date: d.Format(DateLayout), Known: true}
	}
	var waiting []string
	if s.EffectiveDate.IsZero() {
		waiting = append(waiting, "your credentialing effective date")
	}
	if s.ContractStart.IsZero() {
		waiting = append(waiting, "your contracted start date")
	}
	if s.TrainingDone().IsZero() {
		waiting = append(waiting, "your insurance training (webinar and quiz)")
	}
	return ProfileLive{Waiting: waiting}
}
