// Package e2e drives the real frontend in Debian's headless Chromium against
// `wails dev`, which serves it with the real Go backend bound behind it.
// `make test-e2e` gives it the Wails CLI and a display; without them it skips.
package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/backend/testenv"
	"onramp/tests/seed"
)

// portalURL is the provider portal's address the e2e intake servers give
// in the status feed once a portal password exists.
const portalURL = "https://portal.network.localhost/login"

// intakeAPI is the intake server's API over db as `onramp-intake serve
// --portal-url` runs it: with the portal's address, so the app shows where
// to log in.
func intakeAPI(db *server.DB) http.Handler {
	return server.NewServer(db).WithPortal(portalURL).Handler()
}

// serveIntake starts an intake server on loopback over a new database, as
// `onramp-intake serve --portal-url` runs, for the rest of the test.
func serveIntake(t testing.TB) (*server.DB, string) {
	t.Helper()
	db, err := server.Open(context.Background(), filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: intakeAPI(db)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); db.Close() })
	return db, "http://" + ln.Addr().String()
}

// reviewedByTheNetwork enrols the account in dataDir with the intake
// server (db at url), delivers its two submitted forms, has support review
// both and syncs again: the portal password is open, not yet created.
func reviewedByTheNetwork(t testing.TB, dataDir string, db *server.DB, url string) {
	t.Helper()
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, st *store.Store) {
		a, _, _ := st.Account(ctx)
		if err := db.AddInvitation(ctx, a.InvitationCode, a.Email); err != nil {
			t.Fatal(err)
		}
		if rep := svc.Sync.Sync(ctx, url); rep.Delivered < 2 || rep.Error != "" {
			t.Fatalf("the first sync: %+v", rep)
		}
		for _, f := range []string{forms.FormGeneral, forms.FormCredentialing} {
			if err := db.Review(ctx, 1, f, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		if rep := svc.Sync.Sync(ctx, url); rep.Error != "" {
			t.Fatalf("the sync after the reviews: %+v", rep)
		}
	})
}

// devServer is one `wails dev` run: the app built for development, its
// window under Xvfb, and its dev server that a browser can use.
type devServer struct {
	URL string
	cmd *exec.Cmd
	log *strings.Builder
}

func repoRoot(t testing.TB) string {
	_, file, _, _ := goruntime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// startDev runs `wails dev` with its data in dataDir (and any extra
// KEY=value environment) and waits until its dev server answers.
func startDev(t testing.TB, dataDir string, env ...string) *devServer {
	t.Helper()
	wails := os.Getenv("ONRAMP_E2E_WAILS")
	if wails == "" {
		t.Skip("browser end-to-end tests need ONRAMP_E2E_WAILS (the Wails CLI) and a display: run them with `make test-e2e`")
	}
	// Asked to run: from here what is missing fails under ONRAMP_REQUIRE_ALL.
	testenv.NeedDisplay(t)
	testenv.NeedFrontend(t)
	chromiumPath(t)
	addr := freeAddr(t)
	d := &devServer{URL: "http://" + addr, log: &strings.Builder{}}
	d.cmd = exec.Command(wails, "dev", "-s", "-m", "-nosyncgomod", "-skipbindings", "-noreload", "-nogorebuild",
		"-devserver", addr, "-loglevel", "Warning")
	d.cmd.Dir = repoRoot(t)
	d.cmd.Env = append(append(os.Environ(), "ONRAMP_DATA_DIR="+dataDir), env...)
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	t.Cleanup(func() {
		if t.Failed() {
			out := d.log.String()
			t.Logf("the app's log (last 4000 bytes):\n%s", out[max(0, len(out)-4000):])
		}
	})

	deadline := time.Now().Add(5 * time.Minute) // a cold development build compiles SQLite
	for time.Now().Before(deadline) {
		resp, err := http.Get(d.URL)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return d
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	d.Stop()
	t.Fatalf("wails dev did not serve %s in time; its output:\n%s", d.URL, d.log)
	return nil
}

// Stop ends wails dev and the app it started (one process group).
func (d *devServer) Stop() {
	if d.cmd.Process == nil || d.cmd.ProcessState != nil {
		return
	}
	pgid := d.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
	// The app may outlive the CLI for a moment; make sure the group is gone
	// before the next start takes the data folder's lock.
	for i := 0; i < 50 && syscall.Kill(-pgid, 0) == nil; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// browser is a fresh headless Chromium that records console errors and
// uncaught exceptions.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t testing.TB) *browser {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	// The browser lives as long as the context of its first Run: no timeout
	// on it; each step gets its own below.
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				msg := m.String()
				if m.URL != "" && !strings.Contains(msg, m.URL) {
					msg += " (" + m.URL + ")"
				}
				b.record(msg)
			}
		}
	}()
	return b
}

// chromiumPath is Debian's Chromium, or $ONRAMP_CHROMIUM.
func chromiumPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("ONRAMP_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "Chromium at %s (Debian package chromium, or ONRAMP_CHROMIUM=PATH)", p)
	}
	return p
}

func (b *browser) record(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, msg)
}

// consoleErrors returns what the page logged as errors so far.
func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// do runs steps with a time limit and fails the test on error.
func (b *browser) do(t testing.TB, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		// Say what the page showed, for whoever reads the failure.
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body?.innerText.slice(0, 1500) ?? ''`))
		t.Fatalf("%s: %v; console: %v; the page showed:\n%s", what, err, b.consoleErrors(), text)
	}
}

// eval runs JavaScript in the page (awaiting a promise) and returns its
// result.
func eval[T any](t testing.TB, b *browser, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// waitJS polls a JavaScript condition until it is true.
func waitJS(t testing.TB, b *browser, what, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Say what the page showed, for whoever reads the failure.
	text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 1500)`))
	t.Fatalf("timed out waiting for %s (%s); console: %v; the page showed:\n%s", what, js, b.consoleErrors(), text)
}

func screenshot(t testing.TB, b *browser, name string) {
	t.Helper()
	dir := os.Getenv("ONRAMP_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func js(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// leave closes the page as the window would be closed, after the page's
// debounced calls to the backend (autosave 400 ms, remembered place 300 ms)
// have gone out, so none of them hits a closing connection.
func leave(t testing.TB, b *browser) {
	t.Helper()
	time.Sleep(600 * time.Millisecond)
	b.do(t, "leave the page", chromedp.Navigate("about:blank"))
}
