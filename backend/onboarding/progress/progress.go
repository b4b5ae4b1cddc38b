// Package progress is the provider's account and where they are on the
// journey: first-run set-up, the journey state read from the store, the
// dashboard, the checklist, the place to reopen at, and the
// onboarding-complete email once every step is done.
package progress

import (
	"context"
	"errors"
	"fmt"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/reports"
	"onramp/backend/store"
)

var (
	// ErrNotSetUp means first-run setup has not been done yet.
	ErrNotSetUp = errors.New("set up your account first")
	// ErrNotChecklist means the item cannot be ticked by hand.
	ErrNotChecklist = errors.New("this item is not a checklist item")
	// ErrItemLocked means the checklist item can't be ticked yet; the
	// error is a *LockedError that says why.
	ErrItemLocked = errors.New("this item can't be ticked yet")
)

// LockedError is a refused tick: Reason, in plain words, is what the item
// waits for (the same words the dashboard shows under it).
type LockedError struct {
	Item   string
	Reason string
}

func (e *LockedError) Error() string { return fmt.Sprintf("%s: %s", e.Item, e.Reason) }

// Unwrap makes a LockedError match ErrItemLocked.
func (e *LockedError) Unwrap() error { return ErrItemLocked }

// Service reads and records the provider's progress.
type Service struct {
	store *store.Store
	now   func() time.Time
	mail  *outmail.Settings
}

// New builds the service; now is the clock, mail composes the
// onboarding-complete email.
func New(st *store.Store, now func() time.Time, mail *outmail.Settings) *Service {
	return &Service{store: st, now: now, mail: mail}
}

// Account is what the app shows of the account.
type Account struct {
	LegalName      string `json:"legalName"`
	PreferredName  string `json:"preferredName"` // as given at set-up
	Email          string `json:"email"`
	LicenseType    string `json:"licenseType"`
	LicenseLabel   string `json:"licenseLabel"`
	ContractStart  string `json:"contractStart"`
	InvitationCode string `json:"invitationCode"`
	// Names is how the name is shown in each use; screens take it from
	// here and never split the legal name.
	Names forms.Names `json:"names"`
}

// Account returns the account, or ErrNotSetUp.
func (s *Service) Account(ctx context.Context) (Account, error) {
	a, err := s.StoredAccount(ctx)
	if err != nil {
		return Account{}, err
	}
	names, err := s.namesOf(ctx, a)
	if err != nil {
		return Account{}, err
	}
	return Account{
		LegalName: a.LegalName, PreferredName: a.PreferredName, Email: a.Email, LicenseType: a.LicenseType,
		LicenseLabel: forms.LicenseLabel(a.LicenseType), ContractStart: a.ContractStart.Format(journey.DateLayout),
		InvitationCode: a.InvitationCode, Names: names,
	}, nil
}

// Names is how the provider's name is shown in each use, from the account
// and the latest submitted General form (forms.NamesFor says which wins).
func (s *Service) Names(ctx context.Context) (forms.Names, error) {
	a, err := s.StoredAccount(ctx)
	if err != nil {
		return forms.Names{}, err
	}
	return s.namesOf(ctx, a)
}

func (s *Service) namesOf(ctx context.Context, a store.Account) (forms.Names, error) {
	subs, err := s.store.Submissions(ctx, forms.FormGeneral)
	if err != nil {
		return forms.Names{}, err
	}
	if len(subs) == 0 {
		return forms.NamesFor(a.LegalName, a.PreferredName, nil), nil
	}
	g, err := forms.DecodeData(subs[len(subs)-1].Data)
	if err != nil {
		// The account is read as the app starts: a damaged submission (its own
		// screen says so) must not keep the app from opening over a name.
		return forms.NamesFor(a.LegalName, a.PreferredName, nil), nil
	}
	return forms.NamesFor(a.LegalName, a.PreferredName, &g), nil
}

// StoredAccount is the account as stored, or ErrNotSetUp.
func (s *Service) StoredAccount(ctx context.Context) (store.Account, error) {
	a, ok, err := s.store.Account(ctx)
	if err != nil {
		return store.Account{}, err
	}
	if !ok {
		return store.Account{}, ErrNotSetUp
	}
	return a, nil
}

// SetUp validates and records first-run setup. It returns the problems to
// show next to their fields, or saves and returns none.
func (s *Service) SetUp(ctx context.Context, v forms.Values) ([]forms.Problem, error) {
	setup, problems := forms.ParseSetup(v, s.now())
	if len(problems) > 0 {
		return problems, nil
	}
	err := s.store.CreateAccount(ctx, store.Account{
		LegalName: setup.LegalName, PreferredName: setup.PreferredName, Email: setup.Email, LicenseType: string(setup.LicenseType),
		ContractStart: setup.ContractStart, InvitationCode: setup.InvitationCode, CreatedAt: s.now(),
	})
	if err != nil {
		return nil, fmt.Errorf("set up account: %w", err)
	}
	// The network learns the contracted start date at the next sync.
	return nil, reports.QueueStartDate(ctx, s.store, s.now())
}

// FormValues are the account's values that the forms' conditions and rules
// read: $licenseType (the latest submitted General form's, else the
// account's), $legalName and $contractStart. One place, so that what a
// form shows, what is submitted and what the dashboard lists agree.
func (s *Service) FormValues(ctx context.Context) (map[string]string, error) {
	a, err := s.StoredAccount(ctx)
	if err != nil {
		return nil, err
	}
	values := map[string]string{"$licenseType": a.LicenseType, "$legalName": a.LegalName}
	if !a.ContractStart.IsZero() {
		values[forms.ContextContractStart] = a.ContractStart.Format(journey.DateLayout)
	}
	subs, err := s.store.Submissions(ctx, forms.FormGeneral)
	if err != nil {
		return nil, err
	}
	if len(subs) > 0 {
		// A submitted version that no longer reads leaves the account's type.
		if g, err := forms.DecodeData(subs[len(subs)-1].Data); err == nil && g.Fields["licenseType"] != "" {
			values["$licenseType"] = g.Fields["licenseType"]
		}
	}
	return values, nil
}

// State reads the journey state from the store.
func (s *Service) State(ctx context.Context) (journey.State, error) {
	a, err := s.StoredAccount(ctx)
	if err != nil {
		return journey.State{}, err
	}
	m, err := s.store.Milestones(ctx)
	if err != nil {
		return journey.State{}, err
	}
	ticked, err := s.store.Checked(ctx)
	if err != nil {
		return journey.State{}, err
	}
	payers, err := s.store.PayerStatuses(ctx)
	if err != nil {
		return journey.State{}, err
	}
	reviews, err := s.reviews(ctx)
	if err != nil {
		return journey.State{}, err
	}
	email, err := s.completionEmail(ctx)
	if err != nil {
		return journey.State{}, err
	}
	st := journey.State{
		AccountCreated: a.CreatedAt.Local(), ContractStart: a.ContractStart,
		GeneralSubmitted:       local(m[store.MilestoneGeneralSubmitted]),
		GeneralReviewed:        local(m[store.MilestoneGeneralReviewed]),
		CredentialingSubmitted: local(m[store.MilestoneCredentialingSubmitted]),
		CredentialingReviewed:  local(m[store.MilestoneCredentialingReviewed]),
		PortalCreated:          local(m[store.MilestonePortalCreated]),
		WebinarWatched:         local(m[store.MilestoneWebinarWatched]),
		QuizPassed:             local(m[store.MilestoneQuizPassed]),
		EffectiveDate:          m[store.MilestoneEffectiveDate], // a calendar date, kept in UTC
		Ticked:                 map[string]time.Time{},
		GuidanceSent:           map[string]time.Time{},
		CompletionEmail:        email,
	}
	// A review counts for the version it was of: once a newer version is
	// submitted, the form waits for its own review.
	if !reviews[forms.FormGeneral].current {
		st.GeneralReviewed = time.Time{}
	}
	if !reviews[forms.FormCredentialing].current {
		st.CredentialingReviewed = time.Time{}
	}
	st.GeneralReturned = reviews[forms.FormGeneral].returned
	st.CredentialingReturned = reviews[forms.FormCredentialing].returned
	if err := s.addReceipts(ctx, &st, reviews); err != nil {
		return journey.State{}, err
	}
	for name, at := range m {
		if step, ok := store.GuidanceStep(name); ok {
			st.GuidanceSent[step] = at.Local()
		}
	}
	for id, at := range ticked {
		st.Ticked[id] = at.Local()
	}
	for _, p := range payers {
		st.Payers = append(st.Payers, journey.PayerStatus{Payer: p.Payer, Status: p.Status, Label: intake.PayerLabel(p.Status), UpdatedAt: p.UpdatedAt})
	}
	return st, nil
}

// local shows a stored instant on the provider's own calendar.
func local(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Local()
}

// SetChecked ticks or unticks one of the Expanding Your Caseload items.
// An item can be ticked only once it is possible (journey.ChecklistLock);
// unticking is always allowed.
func (s *Service) SetChecked(ctx context.Context, item string, done bool) error {
	if !journey.ChecklistItem(item) {
		return fmt.Errorf("%w: %q", ErrNotChecklist, item)
	}
	if done {
		st, err := s.State(ctx)
		if err != nil {
			return err
		}
		if reason := st.ChecklistLock(item, s.now().Local()); reason != "" {
			return &LockedError{Item: item, Reason: reason}
		}
	}
	if err := s.store.SetChecked(ctx, item, done, s.now()); err != nil {
		return err
	}
	return reports.QueueChecklist(ctx, s.store, s.now())
}

// ArticleRead marks an article action item done once its article is opened;
// other articles are ignored.
func (s *Service) ArticleRead(ctx context.Context, article string) error {
	if !journey.ArticleItem(article) {
		return nil
	}
	if err := s.store.SetChecked(ctx, article, true, s.now()); err != nil {
		return err
	}
	return reports.QueueChecklist(ctx, s.store, s.now())
}

// Reach records a milestone. (The network sees onboarding complete from
// what the app reports and sends the confirmation email itself.)
func (s *Service) Reach(ctx context.Context, milestone string) error {
	return s.store.SetMilestone(ctx, milestone, s.now())
}
