package journey

import (
	"strings"
	"testing"
	"time"

	"onramp/backend/intake"
)

// What the network owes counts from when it RECEIVED what completes the
// step, on the provider's calendar; nothing is overdue while the next move
// is the provider's (or their app's, with the form still in the outbox).
func TestGuidanceCountsFromTheNetworksReceipt(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	mon := day("2026-11-16")
	tests := []struct {
		name    string
		state   State
		today   string
		step    string
		dueBy   string
		waiting bool
		overdue bool
	}{
		{"account set up Monday, nothing filled in: nothing owed on Wednesday",
			State{AccountCreated: mon}, "2026-11-18", "", "", false, false},
		{"submitted Monday, still in the outbox on Wednesday: waiting, not overdue",
			State{AccountCreated: mon, GeneralSubmitted: mon}, "2026-11-18", intake.GuidanceInsurance, "", true, false},
		{"submitted Friday, received Monday: due Tuesday",
			State{AccountCreated: mon, GeneralSubmitted: day("2026-11-13"), GeneralReceived: mon}, "2026-11-17", intake.GuidanceInsurance, "2026-11-17", false, false},
		{"received Monday, Wednesday: overdue",
			State{AccountCreated: mon, GeneralSubmitted: day("2026-11-13"), GeneralReceived: mon}, "2026-11-18", intake.GuidanceInsurance, "2026-11-17", false, true},
		{"received the day before Thanksgiving: due the Friday after, not overdue that day",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: day("2026-11-25")}, "2026-11-27", intake.GuidanceInsurance, "2026-11-27", false, false},
		{"received on Christmas Eve: due Monday the 28th",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: day("2026-12-24")}, "2026-12-28", intake.GuidanceInsurance, "2026-12-28", false, false},
		{"received New Year's Eve: New Year's Day and the weekend pass, due Monday",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: day("2026-12-31")}, "2027-01-04", intake.GuidanceInsurance, "2027-01-04", false, false},
		{"received on a Saturday: due Monday, overdue Tuesday",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: day("2026-11-21")}, "2026-11-24", intake.GuidanceInsurance, "2026-11-23", false, true},
		{"received 04:00 UTC Friday is Thursday evening in Los Angeles: due Friday",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC).In(la)}, "2026-11-20", intake.GuidanceInsurance, "2026-11-20", false, false},
		{"the General form returned: the provider's move, nothing overdue weeks later",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: mon, GeneralReturned: "The NPI does not match"}, "2026-12-14", intake.GuidanceInsurance, "", true, false},
		{"Insurance form submitted, not received: waiting, though the General one's is long past",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: mon, CredentialingSubmitted: day("2026-11-20")}, "2026-12-01", intake.GuidanceReview, "", true, false},
		{"Insurance form received: the review guidance counts from the receipt",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: mon, CredentialingSubmitted: day("2026-11-20"), CredentialingReceived: day("2026-11-23")}, "2026-11-25", intake.GuidanceReview, "2026-11-24", false, true},
		{"the General form returned after the Insurance form was received: the provider's move, nothing overdue",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: mon, GeneralReturned: "Add your office's ZIP code", CredentialingSubmitted: mon, CredentialingReceived: mon}, "2026-12-01", intake.GuidanceReview, "", true, false},
		{"Insurance version 2 returned: nothing overdue",
			State{AccountCreated: mon, GeneralSubmitted: mon, GeneralReceived: mon, CredentialingSubmitted: mon, CredentialingReceived: mon, CredentialingReturned: "License expired"}, "2026-12-01", intake.GuidanceReview, "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Build(tt.state, day(tt.today)).NextStep
			if tt.step == "" {
				if got != nil {
					t.Fatalf("next step = %+v, want none", got)
				}
				return
			}
			if got == nil {
				t.Fatal("no next step")
			}
			if got.Step != tt.step || got.DueBy != tt.dueBy || (got.Waiting != "") != tt.waiting || got.Overdue != tt.overdue {
				t.Errorf("next step = %+v, want step %s due %q waiting %v overdue %v", got, tt.step, tt.dueBy, tt.waiting, tt.overdue)
			}
			if (got.Support != nil) != tt.overdue {
				t.Errorf("support offered %v, overdue %v", got.Support != nil, tt.overdue)
			}
			if got.Support != nil && (!strings.Contains(got.Support.Message, sayDate(day(got.DueBy))) || !strings.Contains(got.Support.Message, "received my") ||
				strings.Contains(got.Support.Message, "your") || got.Support.Subject == "") {
				t.Errorf("support message without its context: %+v", got.Support)
			}
			if tt.waiting && got.DoneOn != "" && tt.state.GeneralReturned == "" && tt.state.CredentialingReturned == "" {
				t.Errorf("waiting for the network yet a done date: %+v", got)
			}
		})
	}
}

// The 45-day window counts from the network's receipt of the latest
// Insurance version; a returned version's window is void until the
// resubmission is received, which restarts it; past day 45 support is
// offered with the form version, the dates and the payers filled in.
func TestCredentialingWindowFromReceipt(t *testing.T) {
	v1Received := day("2026-10-05")
	payers := []PayerStatus{{Payer: "Aetna", Status: "in-review", Label: "In review"}}
	base := State{AccountCreated: day("2026-10-01"), GeneralSubmitted: day("2026-10-01"), GeneralReceived: day("2026-10-01"),
		CredentialingSubmitted: day("2026-10-01"), CredentialingVersion: 1, Payers: payers}
	with := func(f func(*State)) State { s := base; f(&s); return s }
	tests := []struct {
		name       string
		state      State
		today      string
		state_     string
		expectedBy string
		daysLeft   int
	}{
		{"submitted, not received: waiting, no dates", base, "2026-12-01", WindowWaiting, "", 0},
		{"received: 45 days from the receipt, not the submit",
			with(func(s *State) { s.CredentialingReceived = v1Received }), "2026-11-01", WindowOpen, "2026-11-19", 18},
		{"day 45 itself: still open",
			with(func(s *State) { s.CredentialingReceived = v1Received }), "2026-11-19", WindowOpen, "2026-11-19", 0},
		{"day 46: past, support offered",
			with(func(s *State) { s.CredentialingReceived = v1Received }), "2026-11-20", WindowPast, "2026-11-19", -1},
		{"returned: void, nothing past even long after the first receipt",
			with(func(s *State) { s.CredentialingReceived = v1Received; s.CredentialingReturned = "License expired" }), "2026-12-30", WindowReturned, "", 0},
		{"resubmitted after the return, not received yet: waiting",
			with(func(s *State) { s.CredentialingSubmitted, s.CredentialingVersion = day("2026-11-30"), 2 }), "2026-12-30", WindowWaiting, "", 0},
		{"the resubmission received: the window restarts from it",
			with(func(s *State) {
				s.CredentialingSubmitted, s.CredentialingVersion, s.CredentialingReceived = day("2026-11-30"), 2, day("2026-12-01")
			}), "2026-12-30", WindowOpen, "2027-01-15", 16},
		{"effective date set: decided, never past",
			with(func(s *State) { s.CredentialingReceived = v1Received; s.EffectiveDate = day("2026-12-01") }), "2026-12-30", WindowDecided, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Build(tt.state, day(tt.today)).Credentialing
			if w == nil {
				t.Fatal("no window")
			}
			if w.State != tt.state_ || w.ExpectedBy != tt.expectedBy || w.DaysLeft != tt.daysLeft {
				t.Errorf("window = %+v, want %s expected %q days left %d", w, tt.state_, tt.expectedBy, tt.daysLeft)
			}
			if (w.Support != nil) != (tt.state_ == WindowPast) {
				t.Fatalf("support = %+v in state %s", w.Support, w.State)
			}
			if w.Support != nil {
				for _, want := range []string{"version 1", "Monday, October 5, 2026", "Thursday, November 19, 2026", "Aetna: In review"} {
					if !strings.Contains(w.Support.Message, want) {
						t.Errorf("support message %q lacks %q", w.Support.Message, want)
					}
				}
			}
		})
	}
}
