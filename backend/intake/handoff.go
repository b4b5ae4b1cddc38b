package intake

// Wire types of the hand-off: what the network learns beyond the forms
// (training, start date, checklist, app version), its mail submission
// route, portal access, and Insurance & Directories requests. Every write
// carries an Idempotency-Key like the rest of the API; docs/intake-api.md
// documents each endpoint.

// MailRoute is the network's mail submission service (SMTP with STARTTLS
// and AUTH PLAIN: user name Username, password the provider's token). The
// app sends all its email there unless Settings name a relay.
type MailRoute struct {
	Addr string `json:"addr"` // HOST:PORT
	// ServerName is the name the server's certificate is checked against;
	// empty means the host of Addr.
	ServerName string `json:"serverName,omitempty"`
	Username   string `json:"username"`
	// From is the address the app's email must come from; Support and
	// Credentialing are where help requests and packets go.
	From          string `json:"from"`
	FromName      string `json:"fromName,omitempty"`
	Support       string `json:"support"`
	Credentialing string `json:"credentialing"`
}

// QuizAttempt is one try at the quiz.
type QuizAttempt struct {
	Number int    `json:"number"` // 1, 2, … in the order taken
	At     string `json:"at"`     // RFC 3339
	Score  int    `json:"score"`  // percent
	Passed bool   `json:"passed"`
}

// TrainingReport is POST /v1/training: the training as the app knows it
// (the whole of it each time, so a retry or a later report replaces an
// earlier one).
type TrainingReport struct {
	WebinarVersion string        `json:"webinarVersion"`
	WatchedShare   float64       `json:"watchedShare"` // 0..1
	WatchedAt      string        `json:"watchedAt,omitempty"`
	Attempts       []QuizAttempt `json:"attempts"`
	// CompletedAt is when webinar and quiz were both done (RFC 3339).
	CompletedAt string `json:"completedAt,omitempty"`
}

// TrainingStatus is the training as the network recorded it.
type TrainingStatus struct {
	WatchedShare float64 `json:"watchedShare"`
	Attempts     int     `json:"attempts"`
	BestScore    int     `json:"bestScore"`
	PassedAt     string  `json:"passedAt,omitempty"`
	CompletedAt  string  `json:"completedAt,omitempty"`
	ReceivedAt   string  `json:"receivedAt,omitempty"`
}

// StartDateReport is POST /v1/start-date: the contracted start date.
type StartDateReport struct {
	Date string `json:"date"` // YYYY-MM-DD
	// ReportedAt (RFC 3339) is when the app made the report: the server
	// keeps the latest made, so a late retry of an older one cannot roll
	// the date back.
	ReportedAt string `json:"reportedAt"`
}

// ChecklistReport is POST /v1/checklist: the provider's ticked items.
type ChecklistReport struct {
	Items []ChecklistEntry `json:"items"`
	// ReportedAt (RFC 3339) orders reports as StartDateReport's does.
	ReportedAt string `json:"reportedAt"`
}

// ChecklistEntry is one checklist item.
type ChecklistEntry struct {
	ID     string `json:"id"`
	Done   bool   `json:"done"`
	DoneAt string `json:"doneAt,omitempty"`
}

// AppVersionReport is POST /v1/app-version.
type AppVersionReport struct {
	Version string `json:"version"`
	OS      string `json:"os,omitempty"`
	// ReportedAt (RFC 3339) orders reports as StartDateReport's does.
	ReportedAt string `json:"reportedAt"`
}

// PortalAccess is where and as whom the provider logs into the portal.
type PortalAccess struct {
	URL      string `json:"url"`
	Username string `json:"username"`
}

// Offering kinds.
const (
	OfferingPayer   = "payer"
	OfferingProgram = "program" // such as an Employee Assistance Program
)

// Offering is one of the network's payers or programs and the provider's
// status in it.
type Offering struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // OfferingPayer or OfferingProgram
	// Status is the provider's: for a payer one of PayerStates or
	// "not-credentialed"; for a program "enrolled" or "not-enrolled".
	Status string `json:"status"`
}

// Request kinds.
const (
	RequestAddPayer      = "add-payer"
	RequestUnenrollPayer = "unenroll-payer"
	RequestEnrollProgram = "enroll-program"
	RequestLeaveProgram  = "leave-program"
)

// DirectoryRequest is POST /v1/requests: an Insurance & Directories
// request. Ref is the app's own ID for it, unique per provider, by which
// the feed reports it back.
type DirectoryRequest struct {
	Ref    string `json:"ref"`
	Kind   string `json:"kind"`
	Target string `json:"target"` // the payer's or program's name
	Reason string `json:"reason"`
}

// Request states.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestDeclined = "declined"
)

// RequestStatus is a request as the feed reports it.
type RequestStatus struct {
	ID        int64  `json:"id"`
	Ref       string `json:"ref"`
	Kind      string `json:"kind"`
	Target    string `json:"target"`
	Reason    string `json:"reason"`
	State     string `json:"state"`
	Decision  string `json:"decision,omitempty"` // support's reason when declined
	CreatedAt string `json:"createdAt"`
	DecidedAt string `json:"decidedAt,omitempty"`
}
