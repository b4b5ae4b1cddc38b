package updates_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/updates"
)

var ctx = context.Background()

// fixture is a real intake server (its handler over a real database file)
// behind a recording handler that can misbehave like a bad network: cut a
// download off, or answer another platform's release.
type fixture struct {
	t       *testing.T
	dbPath  string
	db      *server.DB
	client  *intake.Client
	key     ed25519.PrivateKey
	now     time.Time
	dir     string // the app's updates folder
	mu      sync.Mutex
	asked   int      // GET /v1/releases/latest requests
	ranges  []string // the Range header of each file request
	cutAt   int64    // > 0: the next file answer stops after this many bytes
	sent    int64    // file bytes the server sent in all
	rewrite string   // answer the latest request for this platform instead
	broken  bool     // the latest request fails (500), as a server in trouble
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, dbPath: filepath.Join(t.TempDir(), "intake.db"), now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), dir: filepath.Join(t.TempDir(), "updates")}
	db, err := server.Open(ctx, f.dbPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	f.db = db
	_, f.key, _ = ed25519.GenerateKey(rand.Reader)
	api := server.NewServer(db).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if strings.HasSuffix(r.URL.Path, "/latest") {
			f.asked++
			if f.broken {
				f.mu.Unlock()
				http.Error(w, "trouble", http.StatusInternalServerError)
				return
			}
			if f.rewrite != "" {
				r.URL.RawQuery = "platform=" + f.rewrite
			}
		}
		isFile := strings.HasSuffix(r.URL.Path, "/file")
		cut := int64(0)
		if isFile {
			cut, f.cutAt = f.cutAt, 0
			f.ranges = append(f.ranges, r.Header.Get("Range"))
		}
		f.mu.Unlock()
		if isFile {
			w = &countingWriter{ResponseWriter: w, f: f, cutAt: cut}
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); db.Close() })
	code, err := db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	c, err := intake.NewClient(srv.URL, "", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	token, err := c.Enroll(ctx, code, "laptop-1", "Zoë", "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	f.client = c.WithToken(token)
	return f
}

// countingWriter counts the file bytes sent and, with cutAt, sends that
// many and drops the connection, as a line that fails mid-download.
type countingWriter struct {
	http.ResponseWriter
	f       *fixture
	cutAt   int64
	written int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	if w.cutAt > 0 && w.written+int64(len(p)) > w.cutAt {
		p = p[:w.cutAt-w.written]
		n, _ := w.ResponseWriter.Write(p)
		w.count(n)
		w.ResponseWriter.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // the server drops the connection
	}
	n, err := w.ResponseWriter.Write(p)
	w.count(n)
	return n, err
}

func (w *countingWriter) count(n int) {
	w.written += int64(n)
	w.f.mu.Lock()
	w.f.sent += int64(n)
	w.f.mu.Unlock()
}

// publish records a release signed with key.
func (f *fixture) publish(key ed25519.PrivateKey, version, platform string, file []byte) server.Release {
	f.t.Helper()
	rel, err := f.db.AddRelease(ctx, key, server.NewRelease{Version: version, Platform: platform, FileName: "onramp_" + version + "_amd64.deb",
		Notes: "Fixes the sync panel.", File: file})
	if err != nil {
		f.t.Fatal(err)
	}
	return rel
}

// app is the app's side, running version on platform with the key the
// fixture signs with.
func (f *fixture) app(version, platform string) *updates.Service {
	return updates.New(f.dir, func() time.Time { return f.now }, f.key.Public().(ed25519.PublicKey), platform, version)
}

func installer(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

// files lists what the updates folder holds besides its state.
func (f *fixture) files() []string {
	entries, _ := os.ReadDir(f.dir)
	var names []string
	for _, e := range entries {
		if e.Name() != "state.json" {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestGoodReleaseIsOfferedDownloadedAndVerified(t *testing.T) {
	f := newFixture(t)
	file := installer(300 << 10)
	f.publish(f.key, "0.2.0", intake.PlatformDeb, file)
	app := f.app("0.1.0", intake.PlatformDeb)
	if err := app.Check(ctx, f.client); err != nil {
		t.Fatal(err)
	}
	offer, ok, err := app.Offer()
	if err != nil || !ok || offer != (updates.Offer{Version: "0.2.0", Notes: "Fixes the sync panel.", Ready: true}) {
		t.Fatalf("offer = %+v, %v, %v; want version 0.2.0 ready", offer, ok, err)
	}
	path, err := app.Verified()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, file) || filepath.Base(path) != "onramp_0.2.0_amd64.deb" {
		t.Errorf("verified file %s is not the release's file", path)
	}
	// The same day, the next sync asks nothing more.
	f.now = f.now.Add(23 * time.Hour)
	if err := app.Check(ctx, f.client); err != nil || f.asked != 1 {
		t.Errorf("check the same day: %v, asked the server %d times, want once", err, f.asked)
	}
	f.now = f.now.Add(2 * time.Hour)
	if err := app.Check(ctx, f.client); err != nil || f.asked != 2 {
		t.Errorf("check the next day: %v, asked the server %d times, want twice", err, f.asked)
	}
	if f.sent != int64(len(file)) {
		t.Errorf("the file was sent %d bytes in all, want %d (once)", f.sent, len(file))
	}
}

func TestRefusedReleases(t *testing.T) {
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	for _, tc := range []struct {
		name              string
		version, platform string // the app's
		publish           func(f *fixture)
		rewrite           string // the server answers this platform's release
		wantErr           error
	}{
		{name: "signed by another key", version: "0.1.0", platform: intake.PlatformDeb,
			publish: func(f *fixture) { f.publish(otherKey, "0.2.0", intake.PlatformDeb, installer(1000)) }, wantErr: intake.ErrBadSignature},
		{name: "older version", version: "0.3.0", platform: intake.PlatformDeb,
			publish: func(f *fixture) { f.publish(f.key, "0.2.0", intake.PlatformDeb, installer(1000)) }},
		{name: "same version", version: "0.2.0", platform: intake.PlatformDeb,
			publish: func(f *fixture) { f.publish(f.key, "0.2.0", intake.PlatformDeb, installer(1000)) }},
		{name: "another platform's file", version: "0.1.0", platform: intake.PlatformRPM, rewrite: intake.PlatformWindows,
			publish: func(f *fixture) { f.publish(f.key, "0.2.0", intake.PlatformWindows, installer(1000)) }, wantErr: updates.ErrOtherPlatform},
		{name: "none published", version: "0.1.0", platform: intake.PlatformDeb, publish: func(*fixture) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.publish(f)
			f.rewrite = tc.rewrite
			app := f.app(tc.version, tc.platform)
			if err := app.Check(ctx, f.client); !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("check: %v, want %v", err, tc.wantErr)
			}
			if offer, ok, err := app.Offer(); ok || err != nil {
				t.Errorf("offered %+v (%v) from a refused release", offer, err)
			}
			if _, err := app.Verified(); err == nil {
				t.Error("a refused release has a verified file")
			}
			if len(f.ranges) != 0 || len(f.files()) != 0 {
				t.Errorf("a refused release was downloaded: requests %q, files %q", f.ranges, f.files())
			}
		})
	}
}

func TestFileWithOneByteChangedIsDeleted(t *testing.T) {
	f := newFixture(t)
	file := installer(64 << 10)
	rel := f.publish(f.key, "0.2.0", intake.PlatformDeb, file)
	// The file on the server changes after it was signed.
	bad := bytes.Clone(file)
	bad[len(bad)/2] ^= 1
	raw, err := sql.Open("sqlite3", f.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE releases SET file = ? WHERE id = ?`, bad, rel.ID); err != nil {
		t.Fatal(err)
	}
	app := f.app("0.1.0", intake.PlatformDeb)
	if err := app.Check(ctx, f.client); !errors.Is(err, updates.ErrBadFile) {
		t.Fatalf("check: %v, want the bad file refused", err)
	}
	offer, ok, err := app.Offer()
	if err != nil || !ok || offer.Ready || !strings.Contains(offer.Problem, "deleted it without opening it") {
		t.Errorf("offer = %+v, %v, %v; want the reason shown and nothing ready", offer, ok, err)
	}
	if _, err := app.Verified(); err == nil {
		t.Error("the bad file passed as verified")
	}
	if names := f.files(); len(names) != 0 {
		t.Errorf("the bad file was kept: %q", names)
	}
	// It is not fetched again at every sync: the next day's check retries.
	if err := app.Check(ctx, f.client); err != nil || len(f.ranges) != 1 {
		t.Errorf("next sync: %v, file requests %q, want none more", err, f.ranges)
	}
	// The network withdraws the release: the next day the reason goes too.
	if _, err := raw.Exec(`DELETE FROM releases`); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(25 * time.Hour)
	if err := app.Check(ctx, f.client); err != nil {
		t.Fatal(err)
	}
	if offer, ok, err := app.Offer(); ok || err != nil {
		t.Errorf("with no release published the notice still says %+v (%v)", offer, err)
	}
}

func TestDownloadCutOffHalfwayResumes(t *testing.T) {
	f := newFixture(t)
	file := installer(512 << 10)
	f.publish(f.key, "0.2.0", intake.PlatformDeb, file)
	app := f.app("0.1.0", intake.PlatformDeb)
	f.cutAt = int64(len(file) / 2)
	if err := app.Check(ctx, f.client); err == nil {
		t.Fatal("a download cut off passed")
	}
	if offer, _, _ := app.Offer(); offer.Ready || offer.Version != "0.2.0" || offer.Problem != "" {
		t.Errorf("after the cut: offer %+v, want 0.2.0 on offer, not ready, no problem", offer)
	}
	part, err := os.Stat(filepath.Join(f.dir, "download.part"))
	if err != nil || part.Size() == 0 || part.Size() >= int64(len(file)) {
		t.Fatalf("after the cut the download holds %v (%v), want part of the file", part, err)
	}
	if err := app.Check(ctx, f.client); err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "bytes=" + strconv.FormatInt(part.Size(), 10) + "-"}; len(f.ranges) != 2 || f.ranges[1] != want[1] {
		t.Errorf("file requests %q, want %q", f.ranges, want)
	}
	path, err := app.Verified()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, file) {
		t.Error("the resumed download is not the release's file")
	}
	f.mu.Lock() // the cut-off handler may still be counting
	sent := f.sent
	f.mu.Unlock()
	if sent != int64(len(file)) {
		t.Errorf("the server sent %d bytes in all, want %d: the second request resumed", sent, len(file))
	}
}

// A server that fails to answer is asked again the next day, not at every
// sync (every 30 seconds).
func TestFailedCheckWaitsADay(t *testing.T) {
	f := newFixture(t)
	f.publish(f.key, "0.2.0", intake.PlatformDeb, installer(1000))
	app := f.app("0.1.0", intake.PlatformDeb)
	f.broken = true
	if err := app.Check(ctx, f.client); err == nil {
		t.Fatal("a failed check passed")
	}
	f.broken = false
	f.now = f.now.Add(time.Hour)
	if err := app.Check(ctx, f.client); err != nil || f.asked != 1 {
		t.Errorf("the next sync: %v, asked %d times, want once", err, f.asked)
	}
	f.now = f.now.Add(24 * time.Hour)
	if err := app.Check(ctx, f.client); err != nil || f.asked != 2 {
		t.Errorf("the next day: %v, asked %d times, want twice", err, f.asked)
	}
	if offer, ok, _ := app.Offer(); !ok || !offer.Ready {
		t.Errorf("the next day's offer: %+v", offer)
	}
}
