package main

import (
	"context"
	"log"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"onramp/backend/forms"
	"onramp/backend/help"
	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/lifecycle"
	"onramp/backend/npi"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/onboarding/training"
	"onramp/backend/onboarding/updates"
	"onramp/backend/version"
	"onramp/backend/webinar"
)

// App is bound to the frontend. Its methods are thin: call a service, map
// the error. It and the dialogs in app_packet.go are the only code that
// touches the Wails runtime; the data folder's life (opening, recovery,
// keys, background sync, connection switching) is lifecycle.Core's.
type App struct {
	core *lifecycle.Core
	help *help.Library
	now  func() time.Time

	ctx      context.Context // Wails' context once started; Background in tests
	inWindow bool            // started by Wails: ctx carries its runtime

	mu      sync.Mutex
	closing chan struct{} // open while the window waits for the frontend's last save
}

// NewApp builds the App over cfg's data folder; the App itself tells the
// frontend what the core notifies.
func NewApp(cfg lifecycle.Config, lib *help.Library) *App {
	a := &App{help: lib, now: cfg.Now, ctx: context.Background()}
	if a.now == nil {
		a.now = time.Now
	}
	cfg.Notifier = a
	a.core = lifecycle.New(cfg)
	return a
}

// startWindow is Wails' OnStartup: from here on ctx carries the runtime,
// so events reach the frontend.
func (a *App) startWindow(ctx context.Context) {
	a.inWindow = true
	a.startup(ctx)
}

// startup opens the data and starts syncing in the background.
func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.core.Start(ctx)
}

// Notify sends an event to the frontend (lifecycle.Notifier). Without a
// window (tests) there is no frontend to tell.
func (a *App) Notify(event string, data any) {
	if a.inWindow {
		runtime.EventsEmit(a.ctx, event, data)
	}
}

// closeWait bounds how long closing the window waits for the frontend to
// save what is pending.
const closeWait = 2 * time.Second

// beforeClose runs when the window is closed (Wails calls it off the main
// thread): the frontend is asked to save at once whatever is waiting out
// the autosave pause, and the window goes when it says it has, or after
// closeWait.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	done := make(chan struct{})
	a.mu.Lock()
	a.closing = done
	a.mu.Unlock()
	a.Notify("app:closing", nil)
	select {
	case <-done:
	case <-time.After(closeWait):
		log.Print("closing: the window did not confirm its last save in time")
	}
	return false
}

// ClosingDone is the frontend saying it saved what was pending, so the
// window may close.
func (a *App) ClosingDone() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing != nil {
		close(a.closing)
		a.closing = nil
	}
}

func (a *App) shutdown(context.Context) { a.core.Stop() }

// focus brings the window forward when a second launch asks for it.
func (a *App) focus() {
	if !a.inWindow {
		return
	}
	runtime.WindowUnminimise(a.ctx)
	runtime.WindowShow(a.ctx)
}

// Status says which screen to show.
func (a *App) Status() lifecycle.Status { return a.core.Status(a.ctx) }

// StartFresh opens a new, empty database after a damaged one was moved aside.
func (a *App) StartFresh() (lifecycle.Status, error) {
	st, err := a.core.StartFresh(a.ctx)
	return st, uiError(err)
}

// Policies are the rules the screens state, given by Go so that the
// frontend never restates them.
type Policies struct {
	PortalPassword intake.PasswordPolicy `json:"portalPassword"`
	Help           intake.HelpLimits     `json:"help"`
	WatchedPercent int                   `json:"watchedPercent"`
	PassMark       int                   `json:"passMark"`
}

// Policies returns the rules the screens state.
func (a *App) Policies() Policies {
	return Policies{PortalPassword: intake.PortalPassword, Help: intake.Help, WatchedPercent: webinar.WatchedPercent, PassMark: webinar.PassMark}
}

// SetupForm is the first-run form's schema.
func (a *App) SetupForm() forms.Form { return forms.SetupForm() }

// ValidateSetupField checks one first-run field as the provider types.
func (a *App) ValidateSetupField(name, value string) *forms.Problem {
	return forms.ValidateSetupField(name, value, a.now())
}

// SetupResult lists the problems to show, none when the account was created.
type SetupResult struct {
	Problems []forms.Problem `json:"problems"`
}

// SetUp validates and saves first-run setup.
func (a *App) SetUp(values map[string]string) (SetupResult, error) {
	svc, err := a.ready()
	if err != nil {
		return SetupResult{}, err
	}
	problems, err := svc.Progress.SetUp(a.ctx, values)
	if err != nil {
		return SetupResult{}, uiError(err)
	}
	if len(problems) == 0 {
		a.core.KickSync() // there is something to sync with now
	}
	if problems == nil {
		problems = []forms.Problem{}
	}
	return SetupResult{Problems: problems}, nil
}

// Dashboard computes the dashboard.
func (a *App) Dashboard() (journey.Dashboard, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (journey.Dashboard, error) {
		return svc.Progress.Dashboard(ctx)
	})
}

// SetChecked ticks or unticks a checklist item and returns the new dashboard.
func (a *App) SetChecked(item string, done bool) (journey.Dashboard, error) {
	svc, err := a.ready()
	if err != nil {
		return journey.Dashboard{}, err
	}
	if err := svc.Progress.SetChecked(a.ctx, item, done); err != nil {
		return journey.Dashboard{}, uiError(err)
	}
	return a.Dashboard()
}

// Training is the webinar and quiz state.
func (a *App) Training() (training.Training, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (training.Training, error) {
		return svc.Training.Training(ctx)
	})
}

// ReportPlayback records what the player played since its last report.
func (a *App) ReportPlayback(version string, segments []webinar.Segment, position float64) (training.Training, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (training.Training, error) {
		return svc.Training.ReportPlayback(ctx, version, segments, position)
	})
}

// Quiz returns the questions (never the answers) once the webinar is watched.
func (a *App) Quiz() ([]webinar.Question, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) ([]webinar.Question, error) {
		return svc.Training.Quiz(ctx)
	})
}

// SubmitQuiz grades an attempt in Go and keeps it.
func (a *App) SubmitQuiz(answers map[string]string) (training.QuizOutcome, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (training.QuizOutcome, error) {
		return svc.Training.SubmitQuiz(ctx, answers)
	})
}

// Form opens a long form (general or credentialing).
func (a *App) Form(id string) (formfill.FormView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (formfill.FormView, error) {
		return svc.Forms.Form(ctx, id)
	})
}

// SaveDraft saves what was typed so far.
func (a *App) SaveDraft(id string, data forms.Data) (formfill.DraftSaved, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (formfill.DraftSaved, error) {
		return svc.Forms.SaveDraft(ctx, id, data)
	})
}

// CheckForm validates the form as it stands.
func (a *App) CheckForm(id string, data forms.Data) ([]forms.Problem, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) ([]forms.Problem, error) {
		return svc.Forms.CheckForm(ctx, id, data)
	})
}

// SubmitForm validates in full and submits a new version.
func (a *App) SubmitForm(id string, data forms.Data) (formfill.SubmitResult, error) {
	svc, err := a.ready()
	if err != nil {
		return formfill.SubmitResult{}, err
	}
	res, err := svc.Forms.SubmitForm(a.ctx, id, data)
	if err == nil && res.Version > 0 {
		a.core.KickSync()
	}
	return res, uiError(err)
}

// StartResubmission opens a draft from the latest submitted version.
func (a *App) StartResubmission(id string) (formfill.FormView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (formfill.FormView, error) {
		return svc.Forms.StartResubmission(ctx, id)
	})
}

// SetSecret encrypts and stores a secret field (CAQH password, SSN) and
// returns only its mask.
func (a *App) SetSecret(formID, field, value string) (formfill.SecretResult, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (formfill.SecretResult, error) {
		return svc.Forms.SetSecret(ctx, formID, field, value)
	})
}

// AttachFile stores a file the frontend read (file input or drop), given as
// base64.
func (a *App) AttachFile(formID, field, name, base64Data string) (formfill.AttachResult, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (formfill.AttachResult, error) {
		return svc.Forms.AttachBase64(ctx, formID, field, name, base64Data)
	})
}

// ChooseFile opens the native file dialog and attaches the chosen file; an
// empty result means the provider cancelled.
func (a *App) ChooseFile(formID, field, title string) (formfill.AttachResult, error) {
	svc, err := a.ready()
	if err != nil {
		return formfill.AttachResult{}, err
	}
	path, err := runtime.OpenFileDialog(a.ctx, runtime.OpenDialogOptions{
		Title: title,
		Filters: []runtime.FileFilter{
			{DisplayName: "Documents and photos (PDF, PNG, JPEG)", Pattern: "*.pdf;*.png;*.jpg;*.jpeg;*.PDF;*.PNG;*.JPG;*.JPEG"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
	if err != nil || path == "" {
		return formfill.AttachResult{}, uiError(err)
	}
	res, err := svc.Forms.AttachPath(a.ctx, formID, field, path)
	return res, uiError(err)
}

// Preview describes a stored file, with an image's content.
func (a *App) Preview(hash string) (formfill.Preview, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (formfill.Preview, error) {
		return svc.Forms.Preview(ctx, hash)
	})
}

// OpenAttachment opens a stored file in the system's viewer.
func (a *App) OpenAttachment(hash string) error {
	svc, err := a.ready()
	if err != nil {
		return err
	}
	path, err := svc.Forms.AttachmentPath(a.ctx, hash)
	if err != nil {
		return uiError(err)
	}
	runtime.BrowserOpenURL(a.ctx, fileURL(path))
	return nil
}

// DiscardDraft drops a resubmission draft.
func (a *App) DiscardDraft(id string) (formfill.FormView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (formfill.FormView, error) {
		return svc.Forms.DiscardDraft(ctx, id)
	})
}

// SetPlace remembers where the provider is, to return there next time.
func (a *App) SetPlace(place string) error {
	svc, err := a.ready()
	if err != nil {
		return err
	}
	return uiError(svc.Progress.SetPlace(a.ctx, place))
}

// Place is where the provider was when the app last closed.
func (a *App) Place() (string, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (string, error) {
		return svc.Progress.Place(ctx)
	})
}

// SyncNow syncs at once and returns what happened.
func (a *App) SyncNow() (syncing.SyncReport, error) {
	rep, err := a.core.SyncNow(a.ctx)
	return rep, uiError(err)
}

// LastSync is the last sync's report.
func (a *App) LastSync() syncing.SyncReport { return a.core.LastSync() }

// OutboxItems lists what is queued, sent and failed.
func (a *App) OutboxItems() ([]syncing.OutboxEntry, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) ([]syncing.OutboxEntry, error) {
		return svc.Sync.Outbox(ctx)
	})
}

// RetryOutboxItem queues a failed item again and syncs.
func (a *App) RetryOutboxItem(id int64) error {
	svc, err := a.ready()
	if err != nil {
		return err
	}
	if err := svc.Sync.RetryItem(a.ctx, id); err != nil {
		return uiError(err)
	}
	a.core.KickSync()
	return nil
}

// AskForHelp queues a help request for support.
func (a *App) AskForHelp(subject, message string) (*forms.Problem, error) {
	svc, err := a.ready()
	if err != nil {
		return nil, err
	}
	p, err := svc.Sync.AskForHelp(a.ctx, subject, message)
	if err == nil && p == nil {
		a.core.KickSync()
	}
	return p, uiError(err)
}

// HelpThreads lists the provider's questions to support with the
// network's replies, newest first.
func (a *App) HelpThreads() ([]syncing.HelpThread, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) ([]syncing.HelpThread, error) {
		return svc.Sync.HelpThreads(ctx)
	})
}

// CheckNPI looks an NPI typed in a form's field ("npi" or "groupNpi") up
// in the NPI Registry and says what does not match; it never fails the
// form (offline or slow, the check says it could not run).
func (a *App) CheckNPI(field, number string) (npi.Check, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (npi.Check, error) {
		who, err := svc.NPIWho(ctx)
		if err != nil {
			return npi.Check{}, err
		}
		return a.core.NPI().CheckField(ctx, field, number, who), nil
	})
}

// CreatePortalPassword sets the portal password on the network's server.
func (a *App) CreatePortalPassword(password string) (*forms.Problem, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (*forms.Problem, error) {
		return svc.Sync.CreatePortalPassword(ctx, a.core.Connection().IntakeURL, password)
	})
}

// Version is the app's version (wails.json's productVersion, stamped in by
// the Makefile's build), shown in the Help drawer for support.
func (a *App) Version() string { return version.String() }

// UpdateOffer is the newer version of Onramp the network published, when
// one is on offer (or the reason its download was refused); nil when none.
func (a *App) UpdateOffer() (*updates.Offer, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (*updates.Offer, error) {
		offer, ok, err := svc.Updates.Offer()
		if !ok || err != nil {
			return nil, err
		}
		return &offer, nil
	})
}

// InstallUpdate checks the downloaded update once more and opens it with
// the system's installer. It returns, in plain words, why it did not
// ("" when it did): a file that fails its check is deleted, never opened.
func (a *App) InstallUpdate() (string, error) {
	svc, err := a.ready()
	if err != nil {
		return "", err
	}
	if err := svc.Updates.Install(); err != nil {
		log.Printf("updates: %v", err)
		if offer, ok, _ := svc.Updates.Offer(); ok && offer.Problem != "" {
			return offer.Problem, nil
		}
		return "Onramp couldn't open the update with your system's installer. Please try again later, or ask support for the installer.", nil
	}
	return "", nil
}

// HelpIndex lists the help articles.
func (a *App) HelpIndex() []help.Summary { return a.help.Index() }

// HelpArticle returns one article and, for an article action item, marks it
// read.
func (a *App) HelpArticle(id string) (help.Article, error) {
	art, err := a.help.Article(id)
	if err != nil {
		return help.Article{}, uiError(err)
	}
	if svc, err := a.core.Services(); err == nil {
		if err := svc.Progress.ArticleRead(a.ctx, id); err != nil {
			log.Printf("mark article read: %v", err)
		}
	}
	return art, nil
}

// SearchHelp searches the help articles.
func (a *App) SearchHelp(query string) []help.Result { return a.help.Search(query) }

// withService runs fn with the open service and maps its error for the
// frontend: the shape of most bound methods.
func withService[T any](a *App, fn func(ctx context.Context, svc *onboarding.Service) (T, error)) (T, error) {
	svc, err := a.ready()
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := fn(a.ctx, svc)
	return v, uiError(err)
}

func (a *App) ready() (*onboarding.Service, error) {
	svc, err := a.core.Services()
	return svc, uiError(err)
}
