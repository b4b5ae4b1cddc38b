package journey

import (
	"testing"
	"time"
)

func TestStepUnlockRules(t *testing.T) {
	d := day("2026-11-02")
	tests := []struct {
		name  string
		state State
		want  map[Step]Status
	}{
		{"before setup", State{},
			map[Step]Status{StepGeneral: Locked, StepCredentialing: Locked, StepPortal: Locked, StepTraining: Available}},
		{"account only", State{AccountCreated: d},
			map[Step]Status{StepGeneral: Available, StepCredentialing: Locked, StepPortal: Locked, StepTraining: Available}},
		{"general submitted", State{AccountCreated: d, GeneralSubmitted: d},
			map[Step]Status{StepGeneral: Done, StepCredentialing: Available, StepPortal: Locked, StepTraining: Available}},
		{"both submitted, not reviewed", State{AccountCreated: d, GeneralSubmitted: d, CredentialingSubmitted: d},
			map[Step]Status{StepGeneral: Done, StepCredentialing: Done, StepPortal: Locked, StepTraining: Available}},
		{"only one reviewed", State{AccountCreated: d, GeneralSubmitted: d, CredentialingSubmitted: d, GeneralReviewed: d},
			map[Step]Status{StepPortal: Locked}},
		{"both reviewed", State{AccountCreated: d, GeneralSubmitted: d, CredentialingSubmitted: d, GeneralReviewed: d, CredentialingReviewed: d},
			map[Step]Status{StepPortal: Available}},
		{"reviewed flags without submission do not unlock", State{AccountCreated: d, GeneralReviewed: d, CredentialingReviewed: d},
			map[Step]Status{StepPortal: Locked}},
		{"webinar without quiz", State{WebinarWatched: d},
			map[Step]Status{StepTraining: Available}},
		{"webinar and quiz", State{WebinarWatched: d, QuizPassed: d},
			map[Step]Status{StepTraining: Done}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.state.StepStates()
			for step, want := range tt.want {
				if got[step].Status != want {
					t.Errorf("%s: %s, want %s (reason %q)", step, got[step].Status, want, got[step].Reason)
				}
				if got[step].Status == Locked && got[step].Reason == "" {
					t.Errorf("%s locked without a reason", step)
				}
			}
		})
	}
}

func TestPortalLockReasonNamesWhatIsMissing(t *testing.T) {
	d := day("2026-11-02")
	s := State{AccountCreated: d, GeneralSubmitted: d, CredentialingSubmitted: d, CredentialingReviewed: d}
	if got := s.StepStates()[StepPortal].Reason; got != "Waiting for the network to review your General Onboarding form." {
		t.Errorf("reason = %q", got)
	}
}

func TestCompleteNeedsAllFourSteps(t *testing.T) {
	d := day("2026-11-02")
	s := State{AccountCreated: d, GeneralSubmitted: d, CredentialingSubmitted: d, GeneralReviewed: d,
		CredentialingReviewed: d, PortalCreated: d.AddDate(0, 0, 3), WebinarWatched: d}
	if s.Complete() {
		t.Fatal("complete without the quiz")
	}
	s.QuizPassed = d.AddDate(0, 0, 5)
	at, ok := s.CompletedAt()
	if !ok || at.Format(DateLayout) != "2026-11-07" {
		t.Fatalf("CompletedAt = %s, %v", at, ok)
	}
}

func TestStagesItemsAndLocks(t *testing.T) {
	s := State{AccountCreated: day("2026-11-02"), Ticked: map[string]time.Time{ItemPayouts: day("2026-11-03")}}
	stages := s.Stages(day("2026-11-04"))
	titles := []string{"Account Created", "Getting Started", "Understanding Insurance", "Expanding Your Caseload"}
	if len(stages) != len(titles) {
		t.Fatalf("%d stages", len(stages))
	}
	status := map[string]Item{}
	for i, st := range stages {
		if st.Title != titles[i] {
			t.Errorf("stage %d = %q, want %q", i, st.Title, titles[i])
		}
		for _, it := range st.Items {
			status[it.ID] = it
			if it.Help == "" {
				t.Errorf("%s has no help article", it.ID)
			}
		}
	}
	want := map[string]Status{
		ItemAccount: Done, ItemGeneralForm: Available, ItemInsuranceForm: Locked, ItemPortalPassword: Locked,
		ItemWebinar: Available, ItemQuiz: Locked, ItemScheduling: Available, ItemClaims: Available,
		ItemPayouts: Done, ItemFirstClient: Locked, ItemDirectory: Locked,
	}
	for id, w := range want {
		if status[id].Status != w {
			t.Errorf("%s = %s, want %s", id, status[id].Status, w)
		}
	}
	if status[ItemPayouts].DoneOn != "2026-11-03" {
		t.Errorf("payouts done on %q", status[ItemPayouts].DoneOn)
	}
	if status[ItemQuiz].Reason != "Watch the training webinar first." {
		t.Errorf("quiz reason %q", status[ItemQuiz].Reason)
	}
}

func TestChecklistAndArticleItems(t *testing.T) {
	for _, id := range []string{ItemPayouts, ItemFirstClient, ItemDirectory} {
		if !ChecklistItem(id) {
			t.Errorf("%s should be tickable", id)
		}
	}
	for _, id := range []string{ItemAccount, ItemGeneralForm, ItemQuiz, ItemScheduling, "nonsense"} {
		if ChecklistItem(id) {
			t.Errorf("%s should not be tickable", id)
		}
	}
	if !ArticleItem(ItemClaims) || ArticleItem(ItemPayouts) {
		t.Error("article items wrong")
	}
}

func TestBuildDashboard(t *testing.T) {
	created := day("2026-11-25") // Wednesday before Thanksgiving
	s := State{AccountCreated: created, ContractStart: day("2026-12-01")}
	// The network sends no guidance after account set-up: none is due.
	d := Build(s, day("2026-11-30"))
	if d.NextStep != nil {
		t.Errorf("next step after set-up = %+v", d.NextStep)
	}
	s.GeneralSubmitted, s.GeneralReceived = created, created
	d = Build(s, day("2026-11-27"))
	if d.NextStep == nil || d.NextStep.DueBy != "2026-11-27" || d.NextStep.Overdue {
		t.Fatalf("next step = %+v", d.NextStep)
	}
	d = Build(s, day("2026-11-30"))
	if !d.NextStep.Overdue {
		t.Error("guidance past its due date not overdue")
	}
	s.GeneralSubmitted = time.Time{}
	d = Build(s, day("2026-11-30"))
	if d.Credentialing != nil {
		t.Error("credentialing window before submission")
	}
	if d.ProfileLive.Known || len(d.ProfileLive.Waiting) != 2 {
		t.Errorf("profile live = %+v", d.ProfileLive)
	}
	if d.Progress.Done != 1 || d.Progress.Total != 11 || d.Progress.StepsDone != 0 {
		t.Errorf("progress = %+v", d.Progress)
	}
	if len(d.Steps) != 4 || d.Steps[0].Status != Available {
		t.Errorf("steps = %+v", d.Steps)
	}
}

func TestBuildCredentialingWindowAndLiveDate(t *testing.T) {
	d0 := day("2026-10-01")
	s := State{
		AccountCreated: d0, ContractStart: day("2026-11-01"),
		GeneralSubmitted: d0, GeneralReceived: d0, CredentialingSubmitted: day("2026-10-05"), CredentialingReceived: day("2026-10-05"),
		WebinarWatched: day("2026-10-10"), QuizPassed: day("2026-10-11"),
		Payers: []PayerStatus{{Payer: "Aetna", Status: "approved"}},
	}
	d := Build(s, day("2026-11-01"))
	w := d.Credentialing
	if w == nil || w.ExpectedBy != "2026-11-19" || w.DaysLeft != 18 || w.InNetwork || w.EffectiveDate != "" {
		t.Fatalf("window = %+v", w)
	}
	// The training was done last, but the network sends no guidance after
	// it: the Insurance form's is the one to expect.
	if d.NextStep.After != "The network received your Insurance form" || d.NextStep.DueBy != "2026-10-06" {
		t.Errorf("next step = %+v", d.NextStep)
	}
	s.EffectiveDate = day("2026-11-15")
	d = Build(s, day("2026-11-16"))
	if !d.Credentialing.InNetwork || d.Credentialing.EffectiveDate != "2026-11-15" {
		t.Errorf("window = %+v", d.Credentialing)
	}
	if !d.ProfileLive.Known || d.ProfileLive.Date != "2026-11-15" {
		t.Errorf("profile live = %+v", d.ProfileLive)
	}
}

func TestBuildComplete(t *testing.T) {
	d0 := day("2026-10-01")
	s := State{AccountCreated: d0, GeneralSubmitted: d0, CredentialingSubmitted: d0, GeneralReviewed: d0,
		CredentialingReviewed: d0, PortalCreated: day("2026-10-20"), WebinarWatched: d0, QuizPassed: d0}
	d := Build(s, day("2026-11-01"))
	if !d.Complete || d.CompletedOn != "2026-10-20" || d.NextStep != nil || d.Progress.StepsDone != 4 {
		t.Errorf("dashboard = %+v", d)
	}
}
