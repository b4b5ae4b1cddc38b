package intake

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FormStatus is where the network stands on one form.
type FormStatus struct {
	Form          string `json:"form"`
	LatestVersion int    `json:"latestVersion"`
	Review        string `json:"review"` // received, reviewed, returned
	Reason        string `json:"reason,omitempty"`
	ReviewedAt    string `json:"reviewedAt,omitempty"`
}

// PayerStatus is one payer's decision.
type PayerStatus struct {
	Payer     string `json:"payer"`
	Status    string `json:"status"` // one of PayerStates
	UpdatedAt string `json:"updatedAt"`
}

// GuidanceSent is a step's guidance email the network sent the provider.
type GuidanceSent struct {
	Step   string `json:"step"`   // one of the Guidance* steps
	SentAt string `json:"sentAt"` // RFC 3339
}

// Status is the feed the app pulls.
type Status struct {
	Forms         []FormStatus  `json:"forms"`
	Payers        []PayerStatus `json:"payers"`
	EffectiveDate string        `json:"effectiveDate,omitempty"`
	PortalCreated bool          `json:"portalCreated"`
	// Guidance lists the guidance emails sent so far (not those still
	// queued or failed). A server older than this field sends none.
	Guidance []GuidanceSent `json:"guidance,omitempty"`
}

// The network's guidance emails, by the step each guides the provider to.
// The server queues each with the write that completes the step before it.
const (
	GuidanceInsurance = "insurance-form"  // the General Onboarding form arrived
	GuidanceReview    = "review"          // the Insurance form arrived
	GuidancePortal    = "portal-password" // support reviewed both forms
	GuidanceTraining  = "training"        // the portal password was created
)

// SubmissionUpload is a submitted form version as the app sends it.
type SubmissionUpload struct {
	Form          string          `json:"form"`
	Version       int             `json:"version"`
	SchemaVersion int             `json:"schemaVersion"`
	Hash          string          `json:"hash"`
	SubmittedAt   time.Time       `json:"submittedAt"`
	Data          json.RawMessage `json:"data"`
}

// SubmitResponse answers an upload.
type SubmitResponse struct {
	Form       string `json:"form"`
	Version    int    `json:"version"`
	ReceivedAt string `json:"receivedAt"`
}

// PacketContentType is the Content-Type of a packet upload: the body is the
// .onramp archive itself.
const PacketContentType = "application/vnd.onramp.packet"

// PacketReceipt answers a packet upload: the server verified and stored the
// packet with this content fingerprint.
type PacketReceipt struct {
	PacketID    string `json:"packetId"`
	Fingerprint string `json:"fingerprint"`
	ReceivedAt  string `json:"receivedAt"`
}

// EnrollRequest trades an invitation code for a token.
type EnrollRequest struct {
	InvitationCode string `json:"invitationCode"`
	Installation   string `json:"installation"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	// SigningKey is the fingerprint of the installation's packet signing
	// key (64 hex digits). Sent at enrollment, which the invitation code
	// authenticates, it is the key every packet of the provider must carry.
	SigningKey string `json:"signingKey,omitempty"`
}

// EnrollResponse carries the provider's token.
type EnrollResponse struct {
	ProviderID int64  `json:"providerId"`
	Token      string `json:"token"`
}

// PasswordRequest creates the portal password.
type PasswordRequest struct {
	Password string `json:"password"`
}

// HelpRequest is a question for support.
type HelpRequest struct {
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// PasswordProblem says what is wrong with a portal password, or "".
func PasswordProblem(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	classes := 0
	for _, f := range []func(rune) bool{unicode.IsLower, unicode.IsUpper, unicode.IsDigit, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ' }} {
		if strings.IndexFunc(pw, f) >= 0 {
			classes++
		}
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	switch {
	case n < 12:
		return "Use at least 12 characters."
	case n > 200:
		return "Use at most 200 characters."
	case n < 20 && classes < 3:
		return "Mix at least three of: lowercase, uppercase, digits, symbols — or use a passphrase of 20 characters or more."
	case len(local) >= 4 && strings.Contains(strings.ToLower(pw), local):
		return "Don't put your email name in your password."
	}
	return ""
}
