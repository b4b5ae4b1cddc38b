package intake

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// The provider's status in an offering besides the payer states.
const (
	NotCredentialed = "not-credentialed" // a payer the provider is not credentialed with
	Enrolled        = "enrolled"         // a program the provider is in
	NotEnrolled     = "not-enrolled"     // a program the provider is not in
)

// MaxRequestReason bounds a request's reason, and MaxOfferingName an
// offering's name.
const (
	MaxRequestReason = 1000
	MaxOfferingName  = 80
)

// RequestOffering is the kind of offering each request kind is about.
var requestOffering = map[string]string{
	RequestAddPayer:      OfferingPayer,
	RequestUnenrollPayer: OfferingPayer,
	RequestEnrollProgram: OfferingProgram,
	RequestLeaveProgram:  OfferingProgram,
}

// RequestProblem says in plain words why a request of kind may not be made
// about o with this reason, or "" when it may: RequestInputProblem, then
// RequestStatusProblem. The app checks before it queues a request and the
// server again when it arrives, with this one rule.
func RequestProblem(kind string, o Offering, reason string) string {
	if p := RequestInputProblem(kind, o, reason); p != "" {
		return p
	}
	return RequestStatusProblem(kind, o)
}

// RequestInputProblem is what is wrong with the request itself: a kind
// that does not exist or does not fit the offering, a missing or overlong
// reason.
func RequestInputProblem(kind string, o Offering, reason string) string {
	want, ok := requestOffering[kind]
	switch {
	case !ok:
		return fmt.Sprintf("%q is not a request there is: ask to add a payer, unenroll from a payer, or enroll in or leave a program.", kind)
	case o.Kind != want:
		return fmt.Sprintf("%s is a %s, not a %s.", o.Name, o.Kind, want)
	case strings.TrimSpace(reason) == "":
		return "Say why in a few words: support reads it before acting."
	case len(reason) > MaxRequestReason:
		return fmt.Sprintf("The reason is over %d characters.", MaxRequestReason)
	}
	return ""
}

// RequestStatusProblem is why the provider's status in o does not allow
// the request: a payer is added only when the provider is not credentialed
// with it (or was denied) and unenrolled from only when they are; a
// program is entered only when not enrolled and left only when enrolled.
func RequestStatusProblem(kind string, o Offering) string {
	switch kind {
	case RequestAddPayer:
		if o.Status != NotCredentialed && o.Status != PayerDenied {
			return fmt.Sprintf("You are already credentialed with %s, or your application is under way (%s).", o.Name, strings.ToLower(PayerLabel(o.Status)))
		}
	case RequestUnenrollPayer:
		if o.Status == NotCredentialed || o.Status == PayerDenied {
			return fmt.Sprintf("You are not credentialed with %s: there is nothing to unenroll from.", o.Name)
		}
	case RequestEnrollProgram:
		if o.Status == Enrolled {
			return fmt.Sprintf("You are already enrolled in %s.", o.Name)
		}
	case RequestLeaveProgram:
		if o.Status != Enrolled {
			return fmt.Sprintf("You are not enrolled in %s: there is nothing to leave.", o.Name)
		}
	}
	return ""
}

// RequestLabel is the words for a request kind, as the app and support see
// it ("Add Aetna").
func RequestLabel(kind, target string) string {
	switch kind {
	case RequestAddPayer:
		return "Be credentialed with " + target
	case RequestUnenrollPayer:
		return "Unenroll from " + target
	case RequestEnrollProgram:
		return "Enroll in " + target
	case RequestLeaveProgram:
		return "Leave " + target
	}
	return kind + " " + target
}

// Request sends an Insurance & Directories request under an idempotency
// key; the server answers with the request as it recorded it.
func (c *Client) Request(ctx context.Context, key string, req DirectoryRequest) (RequestStatus, error) {
	var out RequestStatus
	err := c.do(ctx, http.MethodPost, "/v1/requests", key, req, &out)
	return out, err
}
