package intake

import (
	"encoding/json"
	"fmt"
	"strconv"
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
	// ReceivedAt is when the network received LatestVersion (RFC 3339):
	// the honest start of what the network owes for it.
	ReceivedAt string `json:"receivedAt,omitempty"`
	// Versions lists every version the network received, oldest first.
	Versions []FormVersion `json:"versions,omitempty"`
}

// FormVersion is one received version of a form and the network's word on
// it.
type FormVersion struct {
	Version    int    `json:"version"`
	ReceivedAt string `json:"receivedAt"`
	Review     string `json:"review"` // received, reviewed, returned
	Reason     string `json:"reason,omitempty"`
	ReviewedAt string `json:"reviewedAt,omitempty"`
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
	// PortalCreatedAt is when the portal password was created (RFC 3339).
	PortalCreatedAt string `json:"portalCreatedAt,omitempty"`
	// Portal is where the provider logs in once the password exists.
	Portal *PortalAccess `json:"portal,omitempty"`
	// Training is what the network has recorded of the training.
	Training *TrainingStatus `json:"training,omitempty"`
	// ProfileLiveDate (YYYY-MM-DD) is the directory-profile live date the
	// network computed with journey.ProfileLiveDate; empty while unknown.
	ProfileLiveDate string `json:"profileLiveDate,omitempty"`
	// CompletedAt is when the network saw onboarding complete (RFC 3339).
	CompletedAt string `json:"completedAt,omitempty"`
	// Offerings are the network's payers and programs with the provider's
	// status in each; Requests the provider's Insurance & Directories
	// requests and what support decided.
	Offerings []Offering      `json:"offerings,omitempty"`
	Requests  []RequestStatus `json:"requests,omitempty"`
	// Tickets are the provider's help requests as the network holds them,
	// with support's replies, oldest first. A server older than this field
	// sends none.
	Tickets []TicketStatus `json:"tickets,omitempty"`
}

// TicketStatus is one help request and its thread.
type TicketStatus struct {
	ID        int64         `json:"id"`
	Subject   string        `json:"subject"`
	Message   string        `json:"message"`
	State     string        `json:"state"` // TicketOpen or TicketClosed
	CreatedAt string        `json:"createdAt"`
	Replies   []TicketReply `json:"replies,omitempty"`
}

// TicketReply is support's answer in a ticket's thread.
type TicketReply struct {
	At   string `json:"at"`
	Body string `json:"body"`
}

// Ticket states.
const (
	TicketOpen   = "open"
	TicketClosed = "closed"
)

// MaxTicketReply bounds a reply, in characters: as long as a question.
const MaxTicketReply = 10_000

// The network's guidance emails, by the step each guides the provider to.
// The server queues each with the write that completes the step before it.
const (
	GuidanceInsurance = "insurance-form"  // the General Onboarding form arrived
	GuidanceReview    = "review"          // the Insurance form arrived
	GuidancePortal    = "portal-password" // support reviewed both forms
	GuidanceTraining  = "training"        // the portal password was created
	// GuidanceWelcome is step one: the invitation code and how to start,
	// queued by support's invite (keyed by the invitation, as no provider
	// exists yet).
	GuidanceWelcome = "welcome"
	// GuidanceReturned tells the provider why a form came back, once per
	// returned version.
	GuidanceReturned = "form-returned"
	// GuidanceComplete is the onboarding-complete confirmation, queued once
	// per provider by the write that completed the last step.
	GuidanceComplete = "complete"
)

// SubmissionUpload is a submitted form version as the app sends it.
type SubmissionUpload struct {
	Form          string          `json:"form"`
	Version       int             `json:"version"`
	SchemaVersion int             `json:"schemaVersion"`
	Hash          string          `json:"hash"`
	SubmittedAt   time.Time       `json:"submittedAt"`
	Data          json.RawMessage `json:"data"`
	// Sealed holds the form's sealed fields (forms.SealedFields), each an
	// anonymous sealed box to the network key, base64; Data carries only
	// their masks. SealedTo is the fingerprint of that key.
	Sealed   map[string]string `json:"sealed,omitempty"`
	SealedTo string            `json:"sealedTo,omitempty"`
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

// EnrollResponse carries the provider's token, the network's public
// encryption key (which the app pins) and its mail submission route.
type EnrollResponse struct {
	ProviderID int64  `json:"providerId"`
	Token      string `json:"token"`
	// NetworkKey is the network's X25519 public key, base64 (standard,
	// padded) of its 32 bytes; empty when the server runs without
	// --network-key (then nothing sealed can be sent).
	NetworkKey string `json:"networkKey,omitempty"`
	// Mail is the network's mail submission service; nil when the server
	// runs without --submission-addr.
	Mail *MailRoute `json:"mail,omitempty"`
	// Versions is, by form, the latest version the network received from
	// another computer of the provider's (one they moved from, see
	// onramp-intake reissue); absent for a form with none. The app numbers
	// its own versions after it, so that a new computer's first version
	// is the network's next, not a conflicting "version 1".
	Versions map[string]int `json:"versions,omitempty"`
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

// PasswordPolicy is the portal password's rule, in one place: the server
// enforces it, the app checks it before sending and shows its Hint, and the
// guidance email states it.
type PasswordPolicy struct {
	MinLength int `json:"minLength"`
	MaxLength int `json:"maxLength"`
	// MinClasses of lowercase, uppercase, digits and symbols must be mixed,
	// unless the password is a passphrase of PassphraseLength or more.
	MinClasses       int    `json:"minClasses"`
	PassphraseLength int    `json:"passphraseLength"`
	Hint             string `json:"hint"`
}

// PortalPassword is the portal password's rule.
var PortalPassword = newPasswordPolicy(12, 200, 3, 20)

func newPasswordPolicy(minLen, maxLen, classes, passphrase int) PasswordPolicy {
	p := PasswordPolicy{MinLength: minLen, MaxLength: maxLen, MinClasses: classes, PassphraseLength: passphrase}
	p.Hint = fmt.Sprintf("At least %d characters mixing %s of lowercase letters, capitals, digits and symbols — or a passphrase of %d characters or more.",
		minLen, countWord(classes), passphrase)
	return p
}

func countWord(n int) string {
	if n >= 0 && n < 5 {
		return [...]string{"none", "one", "two", "three", "all four"}[n]
	}
	return strconv.Itoa(n)
}

// Problem says what is wrong with a password for the account with email,
// or "".
func (p PasswordPolicy) Problem(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	classes := 0
	for _, f := range []func(rune) bool{unicode.IsLower, unicode.IsUpper, unicode.IsDigit, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ' }} {
		if strings.IndexFunc(pw, f) >= 0 {
			classes++
		}
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	switch {
	case n < p.MinLength:
		return fmt.Sprintf("Use at least %d characters.", p.MinLength)
	case n > p.MaxLength:
		return fmt.Sprintf("Use at most %d characters.", p.MaxLength)
	case n < p.PassphraseLength && classes < p.MinClasses:
		return fmt.Sprintf("Mix at least %s of: lowercase, uppercase, digits, symbols — or use a passphrase of %d characters or more.",
			countWord(p.MinClasses), p.PassphraseLength)
	case len(local) >= 4 && strings.Contains(strings.ToLower(pw), local):
		return "Don't put your email name in your password."
	}
	return ""
}

// PasswordProblem says what is wrong with a portal password, or "".
func PasswordProblem(pw, email string) string { return PortalPassword.Problem(pw, email) }

// HelpLimits bound a help request, in characters: the app checks them
// before queueing, the server on arrival, and the Help drawer's fields
// take no more.
type HelpLimits struct {
	Subject int `json:"subject"`
	Message int `json:"message"`
}

// Help is the help request's limits.
var Help = HelpLimits{Subject: 200, Message: 10_000}

// Problem says which field of a help request is wrong and why, in words
// for the provider; field is "" when both are fine.
func (l HelpLimits) Problem(subject, message string) (field, msg string) {
	switch n := utf8.RuneCountInString(subject); {
	case strings.TrimSpace(subject) == "" || n > l.Subject:
		return "subject", fmt.Sprintf("Give your question a short subject (%s characters at most).", thousands(l.Subject))
	}
	switch n := utf8.RuneCountInString(message); {
	case strings.TrimSpace(message) == "" || n > l.Message:
		return "message", fmt.Sprintf("Describe what you need (%s characters at most).", thousands(l.Message))
	}
	return "", ""
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
