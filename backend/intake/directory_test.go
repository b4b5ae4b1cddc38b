package intake

import (
	"strings"
	"testing"
)

// The one rule of what a provider may ask, by request kind and status.
func TestRequestProblem(t *testing.T) {
	payer := func(status string) Offering { return Offering{Name: "Aetna", Kind: OfferingPayer, Status: status} }
	program := func(status string) Offering {
		return Offering{Name: "Employee Assistance Program", Kind: OfferingProgram, Status: status}
	}
	tests := []struct {
		kind   string
		o      Offering
		reason string
		says   string // "" when allowed
	}{
		{RequestAddPayer, payer(NotCredentialed), "why", ""},
		{RequestAddPayer, payer(PayerDenied), "why", ""},
		{RequestAddPayer, payer(PayerSubmitted), "why", "under way (application submitted)"},
		{RequestAddPayer, payer(PayerInReview), "why", "under way (in review)"},
		{RequestAddPayer, payer(PayerApproved), "why", "already credentialed with Aetna"},
		{RequestUnenrollPayer, payer(PayerApproved), "why", ""},
		{RequestUnenrollPayer, payer(PayerInReview), "why", ""},
		{RequestUnenrollPayer, payer(NotCredentialed), "why", "nothing to unenroll from"},
		{RequestUnenrollPayer, payer(PayerDenied), "why", "nothing to unenroll from"},
		{RequestEnrollProgram, program(NotEnrolled), "why", ""},
		{RequestEnrollProgram, program(Enrolled), "why", "already enrolled"},
		{RequestLeaveProgram, program(Enrolled), "why", ""},
		{RequestLeaveProgram, program(NotEnrolled), "why", "nothing to leave"},
		{RequestEnrollProgram, payer(NotCredentialed), "why", "Aetna is a payer, not a program"},
		{RequestAddPayer, program(NotEnrolled), "why", "is a program, not a payer"},
		{"join", payer(NotCredentialed), "why", "not a request there is"},
		{RequestAddPayer, payer(NotCredentialed), " \n ", "Say why"},
		{RequestAddPayer, payer(NotCredentialed), strings.Repeat("x", MaxRequestReason+1), "over 1000 characters"},
	}
	for _, tt := range tests {
		got := RequestProblem(tt.kind, tt.o, tt.reason)
		if (tt.says == "") != (got == "") || !strings.Contains(got, tt.says) {
			t.Errorf("%s %s (%s): %q, want %q", tt.kind, tt.o.Name, tt.o.Status, got, tt.says)
		}
	}
}
