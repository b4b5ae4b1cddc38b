package intake

// A payer's credentialing status, as the network's support staff set it.
// These are the only statuses there are: the server refuses any other, and
// the app, the training and the help name a payer's status only with these
// words.
const (
	PayerSubmitted = "submitted" // the network sent the application to the payer
	PayerInReview  = "in-review" // the payer is reviewing it
	PayerApproved  = "approved"  // credentialed with this payer
	PayerDenied    = "denied"    // the payer turned the application down
)

// payerLabels are the words shown for each status, in the order
// credentialing goes.
var payerLabels = [...]struct{ status, label string }{
	{PayerSubmitted, "Application submitted"},
	{PayerInReview, "In review"},
	{PayerApproved, "Approved"},
	{PayerDenied, "Denied"},
}

// PayerStates lists the statuses support can set, in the order
// credentialing goes.
func PayerStates() []string {
	out := make([]string, len(payerLabels))
	for i, p := range payerLabels {
		out[i] = p.status
	}
	return out
}

// PayerLabels lists the words shown for the statuses, in the same order.
func PayerLabels() []string {
	out := make([]string, len(payerLabels))
	for i, p := range payerLabels {
		out[i] = p.label
	}
	return out
}

// ValidPayerState reports whether status is one support can set.
func ValidPayerState(status string) bool {
	for _, p := range payerLabels {
		if p.status == status {
			return true
		}
	}
	return false
}

// PayerLabel is the words shown for a status. A status this version does
// not know (a newer server's) is shown as it came.
func PayerLabel(status string) string {
	for _, p := range payerLabels {
		if p.status == status {
			return p.label
		}
	}
	return status
}
