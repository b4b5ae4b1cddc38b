package journey

import "time"

// SupportRequest is a message to support with the context filled in: the
// dashboard's "contact support" opens the help drawer with it, so the
// provider need not work out which step and which dates to mention.
type SupportRequest struct {
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// sayDate is a date as a message to a person says it.
func sayDate(t time.Time) string { return Date(t).Format(longDate) }
