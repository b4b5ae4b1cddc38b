package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"onramp/backend/forms"
	"onramp/backend/help"
	"onramp/backend/journey"
	"onramp/backend/onboarding"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// App is bound to the frontend. Its methods are thin: call a service, map
// the error. It is the only code that touches the Wails runtime.
type App struct {
	ctx     context.Context
	dataDir string
	now     func() time.Time
	help    *help.Library
	video   webinar.Video

	keyring secret.Keyring

	// defaults is the connection the command line and environment give;
	// saved settings win over it (see onboarding.Connection).
	defaults     onboarding.Connection
	syncInterval time.Duration
	syncKick     chan struct{}
	stopSync     context.CancelFunc
	syncDone     chan struct{}
	lastSync     onboarding.SyncReport

	mu        sync.Mutex
	closing   chan struct{} // open while the window waits for the frontend's last save
	store     *store.Store
	svc       *onboarding.Service
	box       *secret.Box
	keySource secret.Source
	recovery  *onboarding.Recovery
	openErr   error
	conn      onboarding.Connection // in use: the saved settings, else defaults
}

// NewApp builds the App for the data folder.
func NewApp(dataDir string, lib *help.Library, video webinar.Video, kr secret.Keyring, now func() time.Time) *App {
	return &App{dataDir: dataDir, help: lib, video: video, keyring: kr, now: now,
		syncInterval: 30 * time.Second, syncKick: make(chan struct{}, 1)}
}

// withIntake sets the network's intake server (a default: saved settings
// win) and how often to sync.
func (a *App) withIntake(url string, every time.Duration) *App {
	a.defaults.IntakeURL = url
	a.conn = a.defaults
	if every > 0 {
		a.syncInterval = every
	}
	return a
}

// withMail sets how the app sends email (a default: saved settings win).
func (a *App) withMail(cfg onboarding.MailConfig) *App {
	a.defaults.Mail = cfg
	a.conn = a.defaults
	return a
}

// connection is what the app syncs with and sends email through now.
func (a *App) connection() onboarding.Connection {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.conn
}

// syncLoop syncs at start, every interval, and when kicked (Sync now, a
// submission). It tells the frontend after each sync.
func (a *App) syncLoop(ctx context.Context) {
	defer close(a.syncDone)
	t := time.NewTicker(a.syncInterval)
	defer t.Stop()
	for {
		conn := a.connection()
		if svc, _, _ := a.service(); svc != nil && (conn.IntakeURL != "" || conn.Mail.Relay != nil) {
			rep := svc.Sync(ctx, conn.IntakeURL)
			a.mu.Lock()
			a.lastSync = rep
			a.mu.Unlock()
			if ctx.Err() == nil && a.ctx != nil {
				emit(a.ctx, "sync", rep)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-a.syncKick:
		}
	}
}

// startup opens the data. A damaged file is moved aside and reported by
// Status; any other failure is reported too, never a crash.
func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.mu.Lock()
	defer a.mu.Unlock()
	st, rec, err := onboarding.OpenData(ctx, a.dataDir, a.now())
	a.recovery, a.openErr = rec, err
	if err == nil {
		a.openErr = a.loadKey()
	}
	if st != nil {
		a.setStore(st)
	}
	if err != nil {
		log.Printf("open data: %v", err)
	}
	loopCtx, cancel := context.WithCancel(context.Background())
	a.stopSync, a.syncDone = cancel, make(chan struct{})
	go a.syncLoop(loopCtx)
}

// loadKey gets the key that encrypts secrets: from the OS keyring, or a
// 0600 key file in the data folder where no keyring runs.
func (a *App) loadKey() error {
	key, src, err := secret.LoadKey(a.dataDir, a.keyring)
	if err != nil {
		return err
	}
	if a.box, err = secret.NewBox(key); err != nil {
		return err
	}
	a.keySource = src
	if src.Notice != "" {
		log.Print("secrets: no system keyring; using the key file in the data folder")
	}
	return nil
}

// setStore opens the service on st, with the saved connection settings if
// there are any. Called with a.mu held.
func (a *App) setStore(st *store.Store) {
	a.store = st
	svc := onboarding.New(st, a.now, a.video, a.box)
	ctx := a.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	conn, err := svc.Connection(ctx, a.defaults)
	if err != nil {
		log.Printf("connection settings: %v; using the command line's", err)
	}
	a.conn = conn
	a.svc = svc.WithMail(conn.Mail)
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
	emit(ctx, "app:closing", nil)
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

func (a *App) shutdown(context.Context) {
	if a.stopSync != nil {
		a.stopSync()
		<-a.syncDone
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.store != nil {
		a.store.Close()
		a.store, a.svc = nil, nil
	}
}

// focus brings the window forward when a second launch asks for it.
func (a *App) focus() {
	if a.ctx == nil {
		return
	}
	runtime.WindowUnminimise(a.ctx)
	runtime.WindowShow(a.ctx)
}

// AppStatus is what the frontend needs to pick its first screen.
type AppStatus struct {
	State    string               `json:"state"` // "setup", "ready", "recovery" or "error"
	DataDir  string               `json:"dataDir"`
	Recovery *onboarding.Recovery `json:"recovery,omitempty"`
	Account  *onboarding.Account  `json:"account,omitempty"`
	Error    string               `json:"error,omitempty"`
	// KeyNotice says, when there is no system keyring, where the key that
	// protects secrets is kept.
	KeyNotice string `json:"keyNotice,omitempty"`
}

// Status says which screen to show.
func (a *App) Status() AppStatus {
	svc, rec, openErr := a.service()
	st := AppStatus{DataDir: a.dataDir, KeyNotice: a.keySource.Notice}
	switch {
	case rec != nil:
		st.State, st.Recovery = "recovery", rec
	case openErr != nil || svc == nil:
		st.State, st.Error = "error", "Onramp couldn't open its data folder. Check that "+a.dataDir+" exists and that you can write to it."
	default:
		acct, err := svc.Account(a.ctx)
		switch {
		case errors.Is(err, onboarding.ErrNotSetUp):
			st.State = "setup"
		case err != nil:
			st.State, st.Error = "error", "Onramp couldn't read your account."
		default:
			st.State, st.Account = "ready", &acct
		}
	}
	return st
}

// StartFresh opens a new, empty database after a damaged one was moved aside.
func (a *App) StartFresh() (AppStatus, error) {
	a.mu.Lock()
	if a.store == nil {
		if a.box == nil {
			if err := a.loadKey(); err != nil {
				a.mu.Unlock()
				return AppStatus{}, uiError(err)
			}
		}
		st, err := onboarding.OpenFresh(a.ctx, a.dataDir)
		if err != nil {
			a.mu.Unlock()
			return AppStatus{}, uiError(err)
		}
		a.setStore(st)
		a.recovery, a.openErr = nil, nil
	}
	a.mu.Unlock()
	return a.Status(), nil
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
	problems, err := svc.SetUp(a.ctx, values)
	if err != nil {
		return SetupResult{}, uiError(err)
	}
	if problems == nil {
		problems = []forms.Problem{}
	}
	return SetupResult{Problems: problems}, nil
}

// Dashboard computes the dashboard.
func (a *App) Dashboard() (journey.Dashboard, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (journey.Dashboard, error) {
		return svc.Dashboard(ctx)
	})
}

// SetChecked ticks or unticks a checklist item and returns the new dashboard.
func (a *App) SetChecked(item string, done bool) (journey.Dashboard, error) {
	svc, err := a.ready()
	if err != nil {
		return journey.Dashboard{}, err
	}
	if err := svc.SetChecked(a.ctx, item, done); err != nil {
		return journey.Dashboard{}, uiError(err)
	}
	return a.Dashboard()
}

// Training is the webinar and quiz state.
func (a *App) Training() (onboarding.Training, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.Training, error) {
		return svc.Training(ctx)
	})
}

// ReportPlayback records what the player played since its last report.
func (a *App) ReportPlayback(version string, segments []webinar.Segment, position float64) (onboarding.Training, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.Training, error) {
		return svc.ReportPlayback(ctx, version, segments, position)
	})
}

// Quiz returns the questions (never the answers) once the webinar is watched.
func (a *App) Quiz() ([]webinar.Question, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) ([]webinar.Question, error) {
		return svc.Quiz(ctx)
	})
}

// SubmitQuiz grades an attempt in Go and keeps it.
func (a *App) SubmitQuiz(answers map[string]string) (onboarding.QuizOutcome, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.QuizOutcome, error) {
		return svc.SubmitQuiz(ctx, answers)
	})
}

// Form opens a long form (general or credentialing).
func (a *App) Form(id string) (onboarding.FormView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.FormView, error) {
		return svc.Form(ctx, id)
	})
}

// SaveDraft saves what was typed so far.
func (a *App) SaveDraft(id string, data forms.Data) (onboarding.DraftSaved, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.DraftSaved, error) {
		return svc.SaveDraft(ctx, id, data)
	})
}

// CheckForm validates the form as it stands.
func (a *App) CheckForm(id string, data forms.Data) ([]forms.Problem, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) ([]forms.Problem, error) {
		return svc.CheckForm(ctx, id, data)
	})
}

// SubmitForm validates in full and submits a new version.
func (a *App) SubmitForm(id string, data forms.Data) (onboarding.SubmitResult, error) {
	svc, err := a.ready()
	if err != nil {
		return onboarding.SubmitResult{}, err
	}
	res, err := svc.SubmitForm(a.ctx, id, data)
	if err == nil && res.Version > 0 {
		a.kickSync()
	}
	return res, uiError(err)
}

// StartResubmission opens a draft from the latest submitted version.
func (a *App) StartResubmission(id string) (onboarding.FormView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.FormView, error) {
		return svc.StartResubmission(ctx, id)
	})
}

// SetSecret encrypts and stores a secret field (CAQH password, SSN) and
// returns only its mask.
func (a *App) SetSecret(formID, field, value string) (onboarding.SecretResult, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.SecretResult, error) {
		return svc.SetSecret(ctx, formID, field, value)
	})
}

// AttachFile stores a file the frontend read (file input or drop), given as
// base64.
func (a *App) AttachFile(formID, field, name, base64Data string) (onboarding.AttachResult, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.AttachResult, error) {
		return svc.AttachBase64(ctx, formID, field, name, base64Data)
	})
}

// ChooseFile opens the native file dialog and attaches the chosen file; an
// empty result means the provider cancelled.
func (a *App) ChooseFile(formID, field, title string) (onboarding.AttachResult, error) {
	svc, err := a.ready()
	if err != nil {
		return onboarding.AttachResult{}, err
	}
	path, err := runtime.OpenFileDialog(a.ctx, runtime.OpenDialogOptions{
		Title: title,
		Filters: []runtime.FileFilter{
			{DisplayName: "Documents and photos (PDF, PNG, JPEG)", Pattern: "*.pdf;*.png;*.jpg;*.jpeg;*.PDF;*.PNG;*.JPG;*.JPEG"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
	if err != nil || path == "" {
		return onboarding.AttachResult{}, uiError(err)
	}
	res, err := svc.AttachPath(a.ctx, formID, field, path)
	return res, uiError(err)
}

// Preview describes a stored file, with an image's content.
func (a *App) Preview(hash string) (onboarding.Preview, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.Preview, error) {
		return svc.Preview(ctx, hash)
	})
}

// OpenAttachment opens a stored file in the system's viewer.
func (a *App) OpenAttachment(hash string) error {
	svc, err := a.ready()
	if err != nil {
		return err
	}
	path, err := svc.AttachmentPath(a.ctx, hash)
	if err != nil {
		return uiError(err)
	}
	runtime.BrowserOpenURL(a.ctx, fileURL(path))
	return nil
}

// DiscardDraft drops a resubmission draft.
func (a *App) DiscardDraft(id string) (onboarding.FormView, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (onboarding.FormView, error) {
		return svc.DiscardDraft(ctx, id)
	})
}

// SetPlace remembers where the provider is, to return there next time.
func (a *App) SetPlace(place string) error {
	svc, err := a.ready()
	if err != nil {
		return err
	}
	return uiError(svc.SetPlace(a.ctx, place))
}

// Place is where the provider was when the app last closed.
func (a *App) Place() (string, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (string, error) {
		return svc.Place(ctx)
	})
}

// SyncNow syncs at once and returns what happened.
func (a *App) SyncNow() (onboarding.SyncReport, error) {
	svc, err := a.ready()
	if err != nil {
		return onboarding.SyncReport{}, err
	}
	rep := svc.Sync(a.ctx, a.connection().IntakeURL)
	a.mu.Lock()
	a.lastSync = rep
	a.mu.Unlock()
	return rep, nil
}

// LastSync is the last sync's report.
func (a *App) LastSync() onboarding.SyncReport {
	a.mu.Lock()
	defer a.mu.Unlock()
	rep := a.lastSync
	rep.Configured = a.conn.IntakeURL != ""
	return rep
}

// kickSync asks the background loop to sync soon.
func (a *App) kickSync() {
	select {
	case a.syncKick <- struct{}{}:
	default:
	}
}

// OutboxItems lists what is queued, sent and failed.
func (a *App) OutboxItems() ([]onboarding.OutboxEntry, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) ([]onboarding.OutboxEntry, error) {
		return svc.Outbox(ctx)
	})
}

// RetryOutboxItem queues a failed item again and syncs.
func (a *App) RetryOutboxItem(id int64) error {
	svc, err := a.ready()
	if err != nil {
		return err
	}
	if err := svc.RetryItem(a.ctx, id); err != nil {
		return uiError(err)
	}
	a.kickSync()
	return nil
}

// AskForHelp queues a help request for support.
func (a *App) AskForHelp(subject, message string) (*forms.Problem, error) {
	svc, err := a.ready()
	if err != nil {
		return nil, err
	}
	p, err := svc.AskForHelp(a.ctx, subject, message)
	if err == nil && p == nil {
		a.kickSync()
	}
	return p, uiError(err)
}

// CreatePortalPassword sets the portal password on the network's server.
func (a *App) CreatePortalPassword(password string) (*forms.Problem, error) {
	return withService(a, func(ctx context.Context, svc *onboarding.Service) (*forms.Problem, error) {
		return svc.CreatePortalPassword(ctx, a.connection().IntakeURL, password)
	})
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
	if svc, _, _ := a.service(); svc != nil {
		if err := svc.ArticleRead(a.ctx, id); err != nil {
			log.Printf("mark article read: %v", err)
		}
	}
	return art, nil
}

// SearchHelp searches the help articles.
func (a *App) SearchHelp(query string) []help.Result { return a.help.Search(query) }

func (a *App) service() (*onboarding.Service, *onboarding.Recovery, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.svc, a.recovery, a.openErr
}

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
	svc, _, _ := a.service()
	if svc == nil {
		return nil, uiError(errNoData)
	}
	return svc, nil
}

var errNoData = errors.New("no data is open")

// uiProblem is how an error reaches the frontend: a stable code, the field it
// concerns if any, and a message in plain words.
type uiProblem struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// uiError maps a backend error to a JSON-encoded uiProblem; the frontend's
// api layer decodes it.
func uiError(err error) error {
	if err == nil {
		return nil
	}
	p := uiProblem{Code: "internal", Message: "Something went wrong. Your saved work is safe; please try again."}
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, onboarding.ErrNotSetUp):
		p = uiProblem{Code: "not-set-up", Message: "Set up your account first."}
	case errors.Is(err, onboarding.ErrNotChecklist):
		p = uiProblem{Code: "not-checklist", Message: "This item is ticked automatically when you complete it."}
	case errors.Is(err, store.ErrAccountExists):
		p = uiProblem{Code: "account-exists", Message: "Your account is already set up."}
	case errors.Is(err, help.ErrNotFound):
		p = uiProblem{Code: "help-not-found", Message: "That help article isn't available."}
	case errors.Is(err, onboarding.ErrQuizLocked):
		p = uiProblem{Code: "quiz-locked", Message: "The quiz opens once at least 90% of the webinar has been played."}
	case errors.Is(err, onboarding.ErrStaleVideo):
		p = uiProblem{Code: "stale-video", Message: "The training video was updated. It will reload; your progress on it starts fresh."}
	case errors.Is(err, webinar.ErrUnknownAnswer):
		p = uiProblem{Code: "unknown-answer", Message: "Those answers don't match the quiz. Reload the quiz and try again."}
	case errors.Is(err, onboarding.ErrFormLocked):
		p = uiProblem{Code: "form-locked", Message: "Submit the General Onboarding form first."}
	case errors.Is(err, onboarding.ErrUnknownForm):
		p = uiProblem{Code: "unknown-form", Message: "That form doesn't exist."}
	case errors.Is(err, forms.ErrBadData):
		p = uiProblem{Code: "bad-data", Message: "This form's saved data couldn't be read. Your submitted versions are safe; contact support."}
	case errors.Is(err, onboarding.ErrNotSecret):
		p = uiProblem{Code: "not-secret", Message: "That field isn't a protected field."}
	case errors.Is(err, onboarding.ErrNotFileField):
		p = uiProblem{Code: "not-file-field", Message: "That field doesn't take a file."}
	case errors.Is(err, onboarding.ErrNoAttachment):
		p = uiProblem{Code: "no-attachment", Message: "That file isn't stored any more. Attach it again."}
	case errors.Is(err, onboarding.ErrOffline):
		p = uiProblem{Code: "offline", Message: "You need a connection to the network for this. Try again when you're online."}
	case errors.Is(err, onboarding.ErrPortalLocked):
		p = uiProblem{Code: "portal-locked", Message: "The portal opens once the network has reviewed both of your forms."}
	case errors.Is(err, onboarding.ErrNoPacketYet):
		p = uiProblem{Code: "no-packet-yet", Message: "Submit the Insurance form first: the packet is made from your submitted forms."}
	case errors.Is(err, onboarding.ErrPreviewGone):
		p = uiProblem{Code: "preview-gone", Message: "Your forms changed since this preview. Preview the packet again, then export it."}
	case errors.As(err, &pathErr):
		p = uiProblem{Code: "file", Message: "Onramp couldn't use " + pathErr.Path + " (" + pathErr.Err.Error() + "). Choose another place."}
	case errors.Is(err, errNoData):
		p = uiProblem{Code: "no-data", Message: "Your data isn't open. Restart Onramp."}
	default:
		log.Printf("error: %v", err)
	}
	b, _ := json.Marshal(p)
	return errors.New(string(b))
}

// emit sends an event to the frontend. Without a window (tests) the Wails
// runtime is absent from the context and would exit the process: skip.
func emit(ctx context.Context, name string, data any) {
	if ctx.Value("events") == nil {
		return
	}
	runtime.EventsEmit(ctx, name, data)
}
