// Package lifecycle is the desktop app's life over its data folder:
// opening it (a damaged or newer database is moved aside and reported, never
// overwritten), loading the key that seals secrets, building the services,
// the connection in use (saved settings over the command line's), and the
// background sync scheduler. The app's window code only binds and shows
// what it offers; events reach the frontend through an injected Notifier.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"onramp/backend/npi"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/progress"
	"onramp/backend/onboarding/settings"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/webinar"
)

// Notifier tells the frontend that something changed ("sync", with the
// report). The app's emits a Wails event; nil notifies nobody.
type Notifier interface {
	Notify(event string, data any)
}

// DefaultSyncInterval is how often the app syncs while it runs, besides a
// sync at start, after each submission and on "Sync now".
const DefaultSyncInterval = 30 * time.Second

// Config is what the app is started with.
type Config struct {
	DataDir string
	Keyring secret.Keyring // nil: only the 0600 key file in the data folder
	Now     func() time.Time
	Video   webinar.Video
	// Defaults is the connection the command line and environment give;
	// saved settings win over it.
	Defaults  settings.Connection
	SyncEvery time.Duration // 0: DefaultSyncInterval
	Notifier  Notifier
	// Desktop shows reminders as desktop notifications; nil shows none
	// (the dashboard lists them either way).
	Desktop     DesktopNotifier
	RemindEvery time.Duration // 0: DefaultRemindEvery
}

// ErrNoData means the data folder is not open (it failed to open, or a
// damaged file waits for the provider's choice).
var ErrNoData = errors.New("no data is open")

// Core holds the open data folder and what runs over it.
type Core struct {
	cfg    Config
	sched  *scheduler
	remind *reminders

	mu        sync.Mutex
	store     *store.Store
	svc       *onboarding.Service
	npi       *npi.Registry // looks NPIs up, with its day's cache
	box       *secret.Box
	keySource secret.Source
	recovery  *Recovery
	openErr   error
	conn      settings.Connection // in use: the saved settings, else the defaults
}

// New prepares the app's core; Start opens the data.
func New(cfg Config) *Core {
	if cfg.SyncEvery <= 0 {
		cfg.SyncEvery = DefaultSyncInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RemindEvery <= 0 {
		cfg.RemindEvery = DefaultRemindEvery
	}
	c := &Core{cfg: cfg, conn: cfg.Defaults, npi: npi.New(cfg.Defaults.NPIRegistry)}
	c.sched = newScheduler(cfg.SyncEvery, c.syncOnce, c.notify)
	c.remind = newReminders(cfg.RemindEvery, cfg.Desktop, c)
	return c
}

// Start opens the data folder and starts syncing in the background. A
// damaged file is moved aside and reported by Status; any other failure is
// reported there too, never a crash.
func (c *Core) Start(ctx context.Context) {
	c.mu.Lock()
	st, rec, err := OpenData(ctx, c.cfg.DataDir, c.cfg.Now())
	c.recovery, c.openErr = rec, err
	if err == nil {
		if kerr := c.loadKey(); kerr != nil {
			// Without the key no secret can be sealed or opened: no service
			// runs (Status says so) rather than one that fails on first use.
			c.openErr = fmt.Errorf("load the key that protects secrets: %w", kerr)
			if cerr := st.Close(); cerr != nil {
				log.Printf("close data: %v", cerr)
			}
			st = nil
		}
	}
	if st != nil {
		c.setStore(ctx, st)
	}
	openErr := c.openErr
	c.mu.Unlock()
	if openErr != nil {
		log.Printf("open data: %v", openErr)
	}
	c.sched.start()
	c.remind.start()
}

// Stop ends the background sync, waiting for one under way, and closes
// the data.
func (c *Core) Stop() {
	c.sched.stop()
	c.remind.stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store != nil {
		if err := c.store.Close(); err != nil {
			log.Printf("close data: %v", err)
		}
		c.store, c.svc = nil, nil
	}
}

// loadKey gets the key that seals secrets: from the OS keyring, or a 0600
// key file in the data folder where no keyring runs. Called with c.mu held.
func (c *Core) loadKey() error {
	key, src, err := secret.LoadKey(c.cfg.DataDir, c.cfg.Keyring)
	if err != nil {
		return err
	}
	if c.box, err = secret.NewBox(key); err != nil {
		return err
	}
	c.keySource = src
	if src.Notice != "" {
		log.Print("secrets: no system keyring; using the key file in the data folder")
	}
	return nil
}

// setStore builds the services on st, with the saved connection settings
// if there are any. Called with c.mu held.
func (c *Core) setStore(ctx context.Context, st *store.Store) {
	c.store = st
	c.svc = onboarding.New(st, c.cfg.Now, c.cfg.Video, c.box, c.cfg.Defaults.Mail)
	conn, err := c.svc.Settings.Connection(ctx, c.cfg.Defaults)
	if err != nil {
		log.Printf("connection settings: %v; using the command line's", err)
	}
	c.conn = conn
	c.svc.Mail.Use(conn.Mail)
	c.npi.SetURL(conn.NPIRegistry)
}

// Services are the open data folder's services, or ErrNoData.
func (c *Core) Services() (*onboarding.Service, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.svc == nil {
		return nil, ErrNoData
	}
	return c.svc, nil
}

// NPI is the NPI Registry the forms check NPIs against.
func (c *Core) NPI() *npi.Registry { return c.npi }

// Defaults is the connection the command line and environment give.
func (c *Core) Defaults() settings.Connection { return c.cfg.Defaults }

// Connection is what the app syncs with and sends email through now.
func (c *Core) Connection() settings.Connection {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn
}

// Reconnect puts the saved connection settings in use (after Settings are
// saved or reset) and asks for a sync. A sync already running finishes
// with the old ones.
func (c *Core) Reconnect(ctx context.Context) error {
	svc, err := c.Services()
	if err != nil {
		return err
	}
	conn, err := svc.Settings.Connection(ctx, c.cfg.Defaults)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.conn = conn
	c.mu.Unlock()
	svc.Mail.Use(conn.Mail)
	c.npi.SetURL(conn.NPIRegistry)
	c.KickSync()
	return nil
}

// Status says which screen the app opens on.
type Status struct {
	State    string            `json:"state"` // "setup", "ready", "recovery" or "error"
	DataDir  string            `json:"dataDir"`
	Recovery *Recovery         `json:"recovery,omitempty"`
	Account  *progress.Account `json:"account,omitempty"`
	Error    string            `json:"error,omitempty"`
	// KeyNotice says, when there is no system keyring, where the key that
	// protects secrets is kept.
	KeyNotice string `json:"keyNotice,omitempty"`
}

// Status says which screen to show.
func (c *Core) Status(ctx context.Context) Status {
	c.mu.Lock()
	svc, rec, openErr := c.svc, c.recovery, c.openErr
	st := Status{DataDir: c.cfg.DataDir, KeyNotice: c.keySource.Notice}
	c.mu.Unlock()
	switch {
	case rec != nil:
		st.State, st.Recovery = "recovery", rec
	case openErr != nil || svc == nil:
		st.State, st.Error = "error", "Onramp couldn't open its data folder. Check that "+c.cfg.DataDir+" exists and that you can write to it."
	default:
		acct, err := svc.Progress.Account(ctx)
		switch {
		case errors.Is(err, progress.ErrNotSetUp):
			st.State = "setup"
		case err != nil:
			log.Printf("read the account: %v", err)
			st.State, st.Error = "error", "Onramp couldn't read your account."
		default:
			st.State, st.Account = "ready", &acct
		}
	}
	return st
}

// StartFresh opens a new, empty database after a damaged one was moved
// aside.
func (c *Core) StartFresh(ctx context.Context) (Status, error) {
	c.mu.Lock()
	if c.store == nil {
		if c.box == nil {
			if err := c.loadKey(); err != nil {
				c.mu.Unlock()
				return Status{}, err
			}
		}
		st, err := OpenFresh(ctx, c.cfg.DataDir)
		if err != nil {
			c.mu.Unlock()
			return Status{}, err
		}
		c.setStore(ctx, st)
		c.recovery, c.openErr = nil, nil
	}
	c.mu.Unlock()
	return c.Status(ctx), nil
}

// KickSync asks the scheduler to sync soon (after a submission, Retry).
// It also looks for reminders then: a submission may bring a credential
// that is due.
func (c *Core) KickSync() {
	c.sched.kick()
	c.remind.kick()
}

// SyncNow syncs at once and returns what happened.
func (c *Core) SyncNow(ctx context.Context) (syncing.SyncReport, error) {
	svc, err := c.Services()
	if err != nil {
		return syncing.SyncReport{}, err
	}
	rep := svc.Sync.Sync(ctx, c.Connection().IntakeURL)
	c.sched.record(rep)
	return rep, nil
}

// LastSync is the last sync's report.
func (c *Core) LastSync() syncing.SyncReport {
	rep := c.sched.last()
	rep.Configured = c.Connection().IntakeURL != ""
	return rep
}

// syncOnce syncs with the connection in use, if the data is open and there
// is something to sync with; ran is false otherwise.
func (c *Core) syncOnce(ctx context.Context) (rep syncing.SyncReport, ran bool) {
	svc, err := c.Services()
	conn := c.Connection()
	if err != nil || (conn.IntakeURL == "" && conn.Mail.Relay == nil) {
		return syncing.SyncReport{Configured: conn.IntakeURL != ""}, false
	}
	return svc.Sync.Sync(ctx, conn.IntakeURL), true
}

func (c *Core) notify(event string, data any) {
	if c.cfg.Notifier != nil {
		c.cfg.Notifier.Notify(event, data)
	}
}
