package lifecycle

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/settings"
	"onramp/backend/onboarding/syncing"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/testenv"
	"onramp/backend/validate"
	"onramp/backend/webinar"
)

// events collects what the core notifies, as the window would.
type events struct {
	mu    sync.Mutex
	syncs []syncing.SyncReport
}

func (e *events) Notify(event string, data any) {
	if event != "sync" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.syncs = append(e.syncs, data.(syncing.SyncReport))
}

func (e *events) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.syncs)
}

func (e *events) last() syncing.SyncReport {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.syncs[len(e.syncs)-1]
}

// intakeServer is the real intake server on loopback, with an invitation
// for code.
func intakeServer(t *testing.T, code string) (*server.DB, string) {
	t.Helper()
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.AddInvitation(ctx, code, "zoe@example.org"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	t.Cleanup(srv.Close)
	return db, srv.URL
}

func newCore(t *testing.T, dir string, def settings.Connection, every time.Duration, n Notifier) *Core {
	t.Helper()
	video, err := webinar.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	c := New(Config{DataDir: dir, Now: time.Now, Video: video, Defaults: def, SyncEvery: every, Notifier: n})
	c.Start(ctx)
	t.Cleanup(c.Stop)
	return c
}

func setUp(t *testing.T, c *Core) string {
	t.Helper()
	svc, err := c.Services()
	if err != nil {
		t.Fatal(err)
	}
	code, _ := validate.NewInvitationCode(nil)
	problems, err := svc.Progress.SetUp(ctx, forms.Values{
		forms.SetupLegalName: "Zoë Łukasiewicz", forms.SetupEmail: "zoe@example.org", forms.SetupLicenseType: "lcsw",
		forms.SetupContractStart: time.Now().Format("2006-01-02"), forms.SetupInvitationCode: code,
	})
	if err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	return code
}

// The scheduler syncs at start and when kicked, tells the notifier after
// each sync, and stops for good on Stop; no window is involved.
func TestSchedulerSyncsAtStartOnKickAndStops(t *testing.T) {
	dir := t.TempDir()
	ev := &events{}
	// Offline first: nothing to sync with, so nothing is notified.
	c := newCore(t, dir, settings.Connection{}, time.Hour, ev)
	code := setUp(t, c)
	c.KickSync()
	time.Sleep(100 * time.Millisecond)
	if n := ev.count(); n != 0 {
		t.Fatalf("%d syncs notified with nothing to sync with", n)
	}
	if st := c.Status(ctx); st.State != "ready" || st.Account == nil {
		t.Fatalf("status %+v", st)
	}
	c.Stop()

	db, url := intakeServer(t, code)
	c = newCore(t, dir, settings.Connection{IntakeURL: url}, time.Hour, ev)
	testenv.Eventually(t, "the sync at start", func() bool { return ev.count() == 1 })
	if rep := ev.last(); !rep.Online || !rep.Enrolled || rep.Error != "" {
		t.Fatalf("first sync: %+v", rep)
	}
	if ps, _ := db.Providers(ctx); len(ps) != 1 {
		t.Fatalf("providers %+v", ps)
	}
	// The interval is an hour: only a kick brings the next sync.
	svc, _ := c.Services()
	if p, err := svc.Sync.AskForHelp(ctx, "Kicked", "Does a kick sync at once?"); err != nil || p != nil {
		t.Fatal(err, p)
	}
	c.KickSync()
	testenv.Eventually(t, "the kicked sync", func() bool { return ev.count() == 2 })
	if rep := ev.last(); rep.Delivered != 1 {
		t.Errorf("kicked sync: %+v", rep)
	}
	if rep := c.LastSync(); !rep.Configured || rep.Delivered != 1 {
		t.Errorf("last sync: %+v", rep)
	}
	c.Stop()
	n := ev.count()
	c.KickSync()
	time.Sleep(100 * time.Millisecond)
	if ev.count() != n {
		t.Error("a sync ran after Stop")
	}
	if _, err := c.Services(); err != ErrNoData {
		t.Errorf("services after Stop: %v", err)
	}
}

// The scheduler also syncs on its interval, without a kick.
func TestSchedulerSyncsEveryInterval(t *testing.T) {
	dir := t.TempDir()
	c := newCore(t, dir, settings.Connection{}, time.Hour, nil)
	code := setUp(t, c)
	c.Stop()
	_, url := intakeServer(t, code)
	ev := &events{}
	newCore(t, dir, settings.Connection{IntakeURL: url}, 50*time.Millisecond, ev)
	testenv.Eventually(t, "three syncs on the interval", func() bool { return ev.count() >= 3 })
}

// Saved settings win over the defaults; Reconnect puts them in use at once
// and the next sync reaches the new server.
func TestReconnectSwitchesTheIntakeServer(t *testing.T) {
	dir := t.TempDir()
	ev := &events{}
	c := newCore(t, dir, settings.Connection{}, time.Hour, ev)
	code := setUp(t, c)
	db, url := intakeServer(t, code)
	svc, _ := c.Services()
	in := settings.ConnectionSettings{IntakeURL: url, MailFrom: "onramp@localhost", SupportEmail: "support@network.example",
		CredentialingEmail: "cred@network.example"}
	if res, err := svc.Settings.SaveSettings(ctx, c.Defaults(), in, "", false); err != nil || len(res.Problems) > 0 {
		t.Fatal(err, res.Problems)
	}
	if c.Connection().IntakeURL != "" {
		t.Fatal("saving alone switched the connection")
	}
	if err := c.Reconnect(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Connection().IntakeURL != url || svc.Mail.Config().Support != "support@network.example" {
		t.Fatalf("connection after reconnect: %+v", c.Connection())
	}
	testenv.Eventually(t, "a sync with the new server", func() bool { return ev.count() > 0 && ev.last().Enrolled })
	if ps, _ := db.Providers(ctx); len(ps) != 1 {
		t.Fatalf("providers %+v", ps)
	}
	// A restart reads the saved settings, whatever the defaults say.
	c.Stop()
	c = newCore(t, dir, settings.Connection{IntakeURL: "https://elsewhere.example"}, time.Hour, nil)
	if c.Connection().IntakeURL != url {
		t.Errorf("after a restart: %q", c.Connection().IntakeURL)
	}
}

// A damaged data file is moved aside and reported; Start fresh opens a new
// one; nothing crashes and the services are unavailable in between.
func TestStatusRecoveryAndStartFresh(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, store.FileName), []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newCore(t, dir, settings.Connection{}, time.Hour, nil)
	st := c.Status(ctx)
	if st.State != "recovery" || st.Recovery == nil || !strings.Contains(st.Recovery.MovedTo, "unreadable") {
		t.Fatalf("status %+v", st)
	}
	if _, err := c.Services(); err != ErrNoData {
		t.Fatalf("services while recovering: %v", err)
	}
	st, err := c.StartFresh(ctx)
	if err != nil || st.State != "setup" {
		t.Fatalf("start fresh: %+v %v", st, err)
	}
	setUp(t, c)
	if st := c.Status(ctx); st.State != "ready" {
		t.Errorf("after set-up: %+v", st)
	}
}

// A key file that can't be used (damaged) leaves the app on its error
// screen with no service running, not a service that fails or panics on
// the first secret it seals or opens, even while the scheduler syncs.
func TestUnusableKeyRunsNothing(t *testing.T) {
	dir := t.TempDir()
	c := newCore(t, dir, settings.Connection{}, time.Hour, nil)
	code := setUp(t, c)
	c.Stop()
	if err := os.WriteFile(filepath.Join(dir, secret.KeyFileName), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, url := intakeServer(t, code)
	ev := &events{}
	c = newCore(t, dir, settings.Connection{IntakeURL: url}, 20*time.Millisecond, ev)
	if st := c.Status(ctx); st.State != "error" || st.Error == "" {
		t.Errorf("status %+v", st)
	}
	if _, err := c.Services(); err != ErrNoData {
		t.Errorf("services: %v", err)
	}
	c.KickSync()
	time.Sleep(100 * time.Millisecond)
	if n := ev.count(); n != 0 {
		t.Errorf("%d syncs ran without the key", n)
	}
}
