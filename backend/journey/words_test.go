package journey

import (
	"strings"
	"testing"
	"time"

	"onramp/backend/intake"
)

// Guidance says "sent on …" once the status feed reports the email went
// out (with no due date then), and "contact support" (Overdue) only while
// it is really missing. The forms here reached the network the day they
// were submitted; TestGuidanceCountsFromTheNetworksReceipt covers the rest.
func TestGuidanceSentOrDue(t *testing.T) {
	fri := day("2026-11-20")
	tests := []struct {
		name  string
		state State
		today string
		want  *Guidance
	}{
		{"account only: the network sends nothing", State{AccountCreated: fri}, "2026-11-30", nil},
		{"general submitted, due Monday", State{AccountCreated: fri, GeneralSubmitted: fri, GeneralReceived: fri}, "2026-11-23",
			&Guidance{Step: intake.GuidanceInsurance, DoneOn: "2026-11-20", DueBy: "2026-11-23"}},
		{"past Monday and not sent: overdue", State{AccountCreated: fri, GeneralSubmitted: fri, GeneralReceived: fri}, "2026-11-24",
			&Guidance{Step: intake.GuidanceInsurance, DoneOn: "2026-11-20", DueBy: "2026-11-23", Overdue: true}},
		{"sent: not overdue, whatever the day", State{AccountCreated: fri, GeneralSubmitted: fri, GeneralReceived: fri,
			GuidanceSent: map[string]time.Time{intake.GuidanceInsurance: day("2026-11-20")}}, "2026-12-24",
			&Guidance{Step: intake.GuidanceInsurance, DoneOn: "2026-11-20", SentOn: "2026-11-20"}},
		{"another step's email does not count", State{AccountCreated: fri, GeneralSubmitted: fri, GeneralReceived: fri, CredentialingSubmitted: fri, CredentialingReceived: fri,
			GuidanceSent: map[string]time.Time{intake.GuidanceInsurance: fri}}, "2026-11-24",
			&Guidance{Step: intake.GuidanceReview, DoneOn: "2026-11-20", DueBy: "2026-11-23", Overdue: true}},
		{"training done last sends nothing: the review guidance stays", State{AccountCreated: fri, GeneralSubmitted: fri, GeneralReceived: fri,
			CredentialingSubmitted: fri, CredentialingReceived: fri, WebinarWatched: day("2026-11-25"), QuizPassed: day("2026-11-25")}, "2026-11-23",
			&Guidance{Step: intake.GuidanceReview, DoneOn: "2026-11-20", DueBy: "2026-11-23"}},
		{"both reviewed: the portal guidance", State{AccountCreated: fri, GeneralSubmitted: fri, GeneralReceived: fri, CredentialingSubmitted: fri, CredentialingReceived: fri,
			GeneralReviewed: day("2026-11-24"), CredentialingReviewed: day("2026-11-23")}, "2026-11-24",
			&Guidance{Step: intake.GuidancePortal, DoneOn: "2026-11-24", DueBy: "2026-11-25"}},
		{"a review after the portal does not bring the portal guidance back", State{AccountCreated: fri, GeneralSubmitted: fri, GeneralReceived: fri,
			CredentialingSubmitted: fri, CredentialingReceived: fri, GeneralReviewed: day("2026-12-01"), CredentialingReviewed: day("2026-11-23"), PortalCreated: day("2026-11-24")}, "2026-11-25",
			&Guidance{Step: intake.GuidanceTraining, DoneOn: "2026-11-24", DueBy: "2026-11-25"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Build(tt.state, day(tt.today)).NextStep
			if (got == nil) != (tt.want == nil) {
				t.Fatalf("next step = %+v, want %+v", got, tt.want)
			}
			if got == nil {
				return
			}
			if got.Step != tt.want.Step || got.DoneOn != tt.want.DoneOn || got.DueBy != tt.want.DueBy ||
				got.SentOn != tt.want.SentOn || got.Overdue != tt.want.Overdue {
				t.Errorf("next step = %+v, want %+v", got, tt.want)
			}
			if got.After == "" || got.Next == "" {
				t.Errorf("next step says nothing: %+v", got)
			}
		})
	}
}

// A resubmitted form whose new version is not reviewed yet (the state then
// has no review for it) leaves onboarding incomplete, even with the portal
// password created and the training done.
func TestResubmittedUnreviewedFormIsNotComplete(t *testing.T) {
	d0 := day("2026-10-01")
	s := State{AccountCreated: d0, GeneralSubmitted: d0, CredentialingSubmitted: d0, GeneralReviewed: d0,
		CredentialingReviewed: d0, PortalCreated: day("2026-10-20"), WebinarWatched: d0, QuizPassed: d0,
		CompletionEmail: Email{State: EmailSent, At: day("2026-10-21")}}
	if d := Build(s, day("2026-11-01")); !d.Complete {
		t.Fatalf("reviewed: not complete: %+v", d)
	}
	s.GeneralReviewed = time.Time{} // version 2 submitted, waiting for review
	d := Build(s, day("2026-11-01"))
	if d.Complete || d.CompletedOn != "" || d.CompletionEmail != nil {
		t.Errorf("complete with a version waiting for review: %+v", d)
	}
	if _, ok := s.CompletedAt(); ok {
		t.Error("CompletedAt with a version waiting for review")
	}
	if r := d.Steps[0].Review; r == nil || r.State != ReviewWaiting {
		t.Errorf("general step review = %+v", r)
	}
	// Reviewed again later: complete from that day.
	s.GeneralReviewed = day("2026-11-03")
	if at, ok := s.CompletedAt(); !ok || at.Format(DateLayout) != "2026-11-03" {
		t.Errorf("CompletedAt = %s %v", at, ok)
	}
}

// Each form's step and action item show submitted (and whether the network
// has it yet) → reviewed (with the date) → returned (with the reason).
func TestFormReviewShown(t *testing.T) {
	d0 := day("2026-11-02")
	tests := []struct {
		name  string
		state State
		want  *FormReview
	}{
		{"not submitted", State{AccountCreated: d0}, nil},
		{"submitted, not at the network yet", State{AccountCreated: d0, GeneralSubmitted: d0}, &FormReview{State: ReviewWaiting, NotReceived: true}},
		{"received, waiting for review", State{AccountCreated: d0, GeneralSubmitted: d0, GeneralReceived: d0}, &FormReview{State: ReviewWaiting}},
		{"reviewed", State{AccountCreated: d0, GeneralSubmitted: d0, GeneralReviewed: day("2026-11-04")},
			&FormReview{State: ReviewReviewed, On: "2026-11-04"}},
		{"returned", State{AccountCreated: d0, GeneralSubmitted: d0, GeneralReturned: "Add the ZIP code of your office."},
			&FormReview{State: ReviewReturned, Reason: "Add the ZIP code of your office."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Build(tt.state, day("2026-11-05"))
			var item *FormReview
			for _, it := range d.Stages[1].Items {
				if it.ID == ItemGeneralForm {
					item = it.Review
				}
			}
			for where, got := range map[string]*FormReview{"step": d.Steps[0].Review, "item": item} {
				if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
					t.Errorf("%s review = %+v, want %+v", where, got, tt.want)
				}
			}
			if d.Steps[1].Review != nil {
				t.Errorf("Insurance form review before it was submitted: %+v", d.Steps[1].Review)
			}
		})
	}
	returned := State{AccountCreated: d0, GeneralSubmitted: d0, CredentialingSubmitted: d0, CredentialingReviewed: d0,
		GeneralReturned: "Add the ZIP code of your office."}
	if r := returned.StepStates()[StepPortal].Reason; !strings.Contains(r, "returned your General Onboarding form") {
		t.Errorf("portal lock reason = %q", r)
	}
}

// The confirmation email is pending until the network's feed lists it sent,
// then sent with the date.
func TestCompletionEmailPendingThenSent(t *testing.T) {
	d0 := day("2026-10-01")
	s := State{AccountCreated: d0, GeneralSubmitted: d0, CredentialingSubmitted: d0, GeneralReviewed: d0,
		CredentialingReviewed: d0, PortalCreated: d0, WebinarWatched: d0, QuizPassed: d0}
	tests := []struct {
		email Email
		want  *CompletionEmail
	}{
		{Email{}, nil},
		{Email{State: EmailPending}, &CompletionEmail{State: EmailPending}},
		{Email{State: EmailSent, At: day("2026-10-03")}, &CompletionEmail{State: EmailSent, SentOn: "2026-10-03"}},
	}
	for _, tt := range tests {
		s.CompletionEmail = tt.email
		got := Build(s, day("2026-10-05")).CompletionEmail
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("%+v: completion email = %+v, want %+v", tt.email, got, tt.want)
		}
	}
}

// A checklist item can be ticked only once it is possible; until then it is
// locked with the reason.
func TestChecklistItemsWaitForWhatMakesThemPossible(t *testing.T) {
	d0 := day("2026-10-01")
	account := State{AccountCreated: d0, ContractStart: day("2026-11-01")}
	general := account
	general.GeneralSubmitted = d0
	insurance := general
	insurance.CredentialingSubmitted = d0
	liveKnown := insurance
	liveKnown.EffectiveDate, liveKnown.WebinarWatched, liveKnown.QuizPassed = day("2026-11-15"), d0, d0
	tests := []struct {
		name       string
		state      State
		today      string
		item       string
		wantReason string // "" when it can be ticked
	}{
		{"payouts before the Insurance form", general, "2026-10-02", ItemPayouts, "Insurance form"},
		{"payouts after it", insurance, "2026-10-02", ItemPayouts, ""},
		{"first client before the General form", account, "2026-10-02", ItemFirstClient, "General Onboarding form"},
		{"first client after it", general, "2026-10-02", ItemFirstClient, ""},
		{"directory profile, live date unknown", insurance, "2026-10-02", ItemDirectory, "isn't known yet: it waits for your credentialing effective date and your insurance training"},
		{"directory profile before its live date", liveKnown, "2026-11-14", ItemDirectory, "goes live on Sunday, November 15, 2026"},
		{"directory profile on its live date", liveKnown, "2026-11-15", ItemDirectory, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason := tt.state.ChecklistLock(tt.item, day(tt.today))
			if tt.wantReason == "" && reason != "" || !strings.Contains(reason, tt.wantReason) {
				t.Errorf("reason %q, want it to say %q", reason, tt.wantReason)
			}
			var it Item
			for _, st := range Build(tt.state, day(tt.today)).Stages {
				for _, x := range st.Items {
					if x.ID == tt.item {
						it = x
					}
				}
			}
			if wantLocked := tt.wantReason != ""; (it.Status == Locked) != wantLocked || it.Reason != reason {
				t.Errorf("item = %+v, want locked %v", it, wantLocked)
			}
		})
	}
	// One ticked before this rule existed stays ticked.
	account.Ticked = map[string]time.Time{ItemFirstClient: d0}
	if st := Build(account, d0).Stages[3].Items[1]; st.Status != Done {
		t.Errorf("ticked item = %+v", st)
	}
}
