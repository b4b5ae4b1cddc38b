// Package onboarding is the service behind the dashboard: first-run setup,
// the journey state read from the store, and the checklist.
package onboarding

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"onramp/backend/forms"
	"onramp/backend/journey"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// Service answers the dashboard's questions from the store.
type Service struct {
	*shared
	store   *store.Store
	now     func() time.Time
	video   webinar.Video
	secrets *secret.Box
	mailCfg MailConfig
}

// shared is the state every copy of a Service made by Switched keeps
// in common: its locks and what it remembers between calls.
type shared struct {
	syncMu sync.Mutex // one sync at a time: enrollment must not race
	// released: items a previous run of the app left "sending" (it crashed
	// or was closed mid-send) go back in the queue on this run's first sync.
	released sync.Once

	keyMu    sync.Mutex // making the packet signing key
	packetMu sync.Mutex
	prepared *preparedPacket // the packet last previewed
}

// New builds the service; now is the clock (time.Now in the app), video the
// current training webinar and secrets the box that encrypts the CAQH
// password and the SSN.
func New(s *store.Store, now func() time.Time, video webinar.Video, secrets *secret.Box) *Service {
	return &Service{shared: &shared{}, store: s, now: now, video: video, secrets: secrets}
}

var (
	// ErrNotSetUp means first-run setup has not been done yet.
	ErrNotSetUp = errors.New("set up your account first")
	// ErrNotChecklist means the item cannot be ticked by hand.
	ErrNotChecklist = errors.New("this item is not a checklist item")
)

// Account is what the app shows of the account.
type Account struct {
	LegalName      string `json:"legalName"`
	Email          string `json:"email"`
	LicenseType    string `json:"licenseType"`
	LicenseLabel   string `json:"licenseLabel"`
	ContractStart  string `json:"contractStart"`
	InvitationCode string `json:"invitationCode"`
}

// Account returns the account, or ErrNotSetUp.
func (s *Service) Account(ctx context.Context) (Account, error) {
	a, ok, err := s.store.Account(ctx)
	if err != nil {
		return Account{}, err
	}
	if !ok {
		return Account{}, ErrNotSetUp
	}
	return Account{
		LegalName: a.LegalName, Email: a.Email, LicenseType: a.LicenseType,
		LicenseLabel: forms.LicenseLabel(a.LicenseType), ContractStart: a.ContractStart.Format(journey.DateLayout),
		InvitationCode: a.InvitationCode,
	}, nil
}

// SetUp validates and records first-run setup. It returns the problems to
// show next to their fields, or saves and returns none.
func (s *Service) SetUp(ctx context.Context, v forms.Values) ([]forms.Problem, error) {
	setup, problems := forms.ParseSetup(v, s.now())
	if len(problems) > 0 {
		return problems, nil
	}
	err := s.store.CreateAccount(ctx, store.Account{
		LegalName: setup.LegalName, Email: setup.Email, LicenseType: string(setup.LicenseType),
		ContractStart: setup.ContractStart, InvitationCode: setup.InvitationCode, CreatedAt: s.now(),
	})
	if err != nil {
		return nil, fmt.Errorf("set up account: %w", err)
	}
	return nil, nil
}

// ValidateSetupField checks one first-run field as the provider types.
func (s *Service) ValidateSetupField(name, value string) *forms.Problem {
	return forms.ValidateSetupField(name, value, s.now())
}

// Dashboard computes the dashboard for today. It also makes sure a
// completed onboarding has its confirmation email queued.
func (s *Service) Dashboard(ctx context.Context) (journey.Dashboard, error) {
	st, err := s.State(ctx)
	if err != nil {
		return journey.Dashboard{}, err
	}
	if st.Complete() {
		if err := s.queueCompletion(ctx); err != nil {
			return journey.Dashboard{}, err
		}
	}
	d := journey.Build(st, s.now().Local())
	if d.Returned, err = s.returned(ctx); err != nil {
		return journey.Dashboard{}, err
	}
	subs, err := s.store.Submissions(ctx, forms.FormCredentialing)
	if err != nil {
		return journey.Dashboard{}, err
	}
	if len(subs) > 0 {
		latest, err := forms.DecodeData(subs[len(subs)-1].Data)
		if err != nil {
			return journey.Dashboard{}, err
		}
		d.Expirations = forms.Expirations(latest, s.now().Local())
	}
	return d, nil
}

// State reads the journey state from the store.
func (s *Service) State(ctx context.Context) (journey.State, error) {
	a, ok, err := s.store.Account(ctx)
	if err != nil {
		return journey.State{}, err
	}
	if !ok {
		return journey.State{}, ErrNotSetUp
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
	}
	for id, at := range ticked {
		st.Ticked[id] = at.Local()
	}
	for _, p := range payers {
		st.Payers = append(st.Payers, journey.PayerStatus{Payer: p.Payer, Status: p.Status, UpdatedAt: p.UpdatedAt})
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
func (s *Service) SetChecked(ctx context.Context, item string, done bool) error {
	if !journey.ChecklistItem(item) {
		return fmt.Errorf("%w: %q", ErrNotChecklist, item)
	}
	return s.store.SetChecked(ctx, item, done, s.now())
}

// ArticleRead marks an article action item done once its article is opened;
// other articles are ignored.
func (s *Service) ArticleRead(ctx context.Context, article string) error {
	if !journey.ArticleItem(article) {
		return nil
	}
	return s.store.SetChecked(ctx, article, true, s.now())
}

// returned lists the forms whose latest submitted version the network
// returned, with the reason it gave. A newer version hides it.
func (s *Service) returned(ctx context.Context) ([]journey.Returned, error) {
	out := []journey.Returned{}
	items := map[string]string{forms.FormGeneral: journey.ItemGeneralForm, forms.FormCredentialing: journey.ItemInsuranceForm}
	for _, id := range []string{forms.FormGeneral, forms.FormCredentialing} {
		v, err := s.store.Setting(ctx, "returned/"+id)
		if err != nil {
			return nil, err
		}
		version, reason, ok := strings.Cut(v, "|")
		if !ok {
			continue
		}
		subs, err := s.store.Submissions(ctx, id)
		if err != nil {
			return nil, err
		}
		n, _ := strconv.Atoi(version)
		if len(subs) == 0 || subs[len(subs)-1].Version != n {
			continue
		}
		out = append(out, journey.Returned{Form: id, Item: items[id], Title: formTitle(id), Version: n, Reason: reason})
	}
	return out, nil
}
