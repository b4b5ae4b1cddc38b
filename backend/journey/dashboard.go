package journey

import (
	"fmt"
	"time"

	"onramp/backend/webinar"
)

// ItemKind says how an action item gets done.
type ItemKind string

const (
	KindSetup     ItemKind = "setup"     // first-run account setup
	KindStep      ItemKind = "step"      // one of the four journey steps (or the quiz/webinar parts of 4)
	KindArticle   ItemKind = "article"   // done once the provider has read its article
	KindChecklist ItemKind = "checklist" // the provider ticks and unticks it
)

// Item is one action item as the dashboard shows it.
type Item struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Kind    ItemKind `json:"kind"`
	Status  Status   `json:"status"`
	Reason  string   `json:"reason,omitempty"` // why it is locked
	DoneOn  string   `json:"doneOn,omitempty"` // YYYY-MM-DD
	Help    string   `json:"help"`             // help article ID
	// Review is the network's review of a form item's latest version.
	Review *FormReview `json:"review,omitempty"`
}

// Stage groups action items under one of the dashboard's four headings.
type Stage struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Items []Item `json:"items"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// itemDef is the static part of an action item; status comes from the State.
type itemDef struct {
	id, title, summary, help string
	kind                     ItemKind
	step                     Step // for KindStep items
}

type stageDef struct {
	id, title string
	items     []itemDef
}

// Item IDs that other code refers to.
const (
	ItemAccount        = "account"
	ItemGeneralForm    = "general-form"
	ItemInsuranceForm  = "insurance-form"
	ItemPortalPassword = "portal-password"
	ItemWebinar        = "webinar"
	ItemQuiz           = "quiz"
	ItemScheduling     = "scheduling-insurance-visits"
	ItemClaims         = "claims-and-payouts"
	ItemPayouts        = "payouts-account"
	ItemFirstClient    = "first-client"
	ItemDirectory      = "directory-profile"
)

var stageDefs = []stageDef{
	{id: "account-created", title: "Account Created", items: []itemDef{
		{id: ItemAccount, kind: KindSetup, help: "account-setup",
			title: "Set up your Onramp account", summary: "Your name, email, license type, contracted start date and invitation code."},
	}},
	{id: "getting-started", title: "Getting Started", items: []itemDef{
		{id: ItemGeneralForm, kind: KindStep, step: StepGeneral, help: "general-onboarding-form",
			title: "Complete the General Onboarding form", summary: "Your practice, locations, specialties and directory profile."},
		{id: ItemInsuranceForm, kind: KindStep, step: StepCredentialing, help: "insurance-form",
			title: "Complete the Insurance form", summary: "CAQH, NPI, licenses, training, work history and liability insurance for credentialing."},
		{id: ItemPortalPassword, kind: KindStep, step: StepPortal, help: "portal-password",
			title: "Create your portal password", summary: "Your login to the network's provider portal, once the network has reviewed both forms."},
	}},
	{id: "understanding-insurance", title: "Understanding Insurance", items: []itemDef{
		{id: ItemWebinar, kind: KindStep, step: StepTraining, help: "training-webinar",
			title: "Watch the insurance training webinar", summary: fmt.Sprintf("About 3 minutes; plays offline. At least %d%% must be played.", webinar.WatchedPercent)},
		{id: ItemQuiz, kind: KindStep, step: StepTraining, help: "training-quiz",
			title: "Pass the insurance quiz", summary: fmt.Sprintf("Multiple choice, %d%% to pass, retake as often as you like.", webinar.PassMark)},
		{id: ItemScheduling, kind: KindArticle, help: ItemScheduling,
			title: "Learn how to schedule insurance visits", summary: "Who you can see before and after your effective start date."},
		{id: ItemClaims, kind: KindArticle, help: ItemClaims,
			title: "Know what to expect with claims and payouts", summary: "How claims are filed for you and when you are paid."},
	}},
	{id: "expanding-caseload", title: "Expanding Your Caseload", items: []itemDef{
		{id: ItemPayouts, kind: KindChecklist, help: ItemPayouts,
			title: "Set up your payouts account", summary: "Where your insurance payouts are deposited."},
		{id: ItemFirstClient, kind: KindChecklist, help: ItemFirstClient,
			title: "Add your first client to the roster", summary: "Cash-pay clients any time; insurance clients from your effective start date."},
		{id: ItemDirectory, kind: KindChecklist, help: ItemDirectory,
			title: "See your directory profile go live", summary: "Check your public profile once its live date arrives."},
	}},
}

// ChecklistItems reports whether id is an item the provider may tick.
func ChecklistItem(id string) bool {
	return itemKind(id) == KindChecklist
}

// ArticleItem reports whether id is an item done by reading its article.
func ArticleItem(id string) bool {
	return itemKind(id) == KindArticle
}

func itemKind(id string) ItemKind {
	for _, sd := range stageDefs {
		for _, it := range sd.items {
			if it.id == id {
				return it.kind
			}
		}
	}
	return ""
}

// HelpArticleIDs lists the help article of every action item, in dashboard
// order.
func HelpArticleIDs() []string {
	var ids []string
	for _, sd := range stageDefs {
		for _, it := range sd.items {
			ids = append(ids, it.help)
		}
	}
	return ids
}

// Stages computes the dashboard's four stages from the state, today.
func (s State) Stages(today time.Time) []Stage {
	steps := s.StepStates()
	stages := make([]Stage, 0, len(stageDefs))
	for _, sd := range stageDefs {
		st := Stage{ID: sd.id, Title: sd.title}
		for _, def := range sd.items {
			it := s.item(def, steps, today)
			if it.Status == Done {
				st.Done++
			}
			st.Total++
			st.Items = append(st.Items, it)
		}
		stages = append(stages, st)
	}
	return stages
}

func (s State) item(def itemDef, steps map[Step]StepState, today time.Time) Item {
	it := Item{ID: def.id, Title: def.title, Summary: def.summary, Kind: def.kind, Help: def.help, Status: Available}
	var doneAt time.Time
	switch def.kind {
	case KindSetup:
		doneAt = s.AccountCreated
	case KindStep:
		st := steps[def.step]
		it.Status, it.Reason, doneAt = st.Status, st.Reason, st.DoneAt
		it.Review = s.review(def.step)
		// Step 4 shows as two items: the webinar, then the quiz it unlocks.
		switch def.id {
		case ItemWebinar:
			doneAt = s.WebinarWatched
			it.Status = Available
		case ItemQuiz:
			doneAt = s.QuizPassed
			it.Status = Available
			if s.WebinarWatched.IsZero() {
				it.Status, it.Reason = Locked, "Watch the training webinar first."
			}
		}
	case KindArticle:
		doneAt = s.Ticked[def.id]
	case KindChecklist:
		doneAt = s.Ticked[def.id]
		if reason := s.ChecklistLock(def.id, today); reason != "" {
			it.Status, it.Reason = Locked, reason
		}
	}
	if !doneAt.IsZero() {
		it.Status, it.Reason, it.DoneOn = Done, "", doneAt.Format(DateLayout)
	}
	return it
}

// DateLayout is how dates travel to the frontend.
const DateLayout = "2006-01-02"
