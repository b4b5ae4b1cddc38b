package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/intake/server"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/updates"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// TestUpdateOffered: the network published a newer version signed with the
// release key built into this build (the repository's TEST key); after a
// sync the app has downloaded and checked it, and the notice under the top
// bar says "Version 99.0.0 is available" with the notes and offers to open
// the installer (not clicked here: it would hand the file to xdg-open).
func TestUpdateOffered(t *testing.T) {
	if !updates.UsesTestKey() {
		t.Skip("this build trusts a real release key: the repository's test key signs nothing it takes")
	}
	dataDir := t.TempDir()
	seedAs(t, dataDir, "Zoë Łukasiewicz", "psych-np")
	var code, email string
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, st *store.Store) {
		a, _, _ := st.Account(ctx)
		code, email = a.InvitationCode, a.Email
	})
	db, err := server.Open(context.Background(), filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.AddInvitation(context.Background(), code, email); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "backend/onboarding/updates/testdata/release-test.key"))
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "release.key")
	os.WriteFile(keyFile, raw, 0o600)
	key, err := server.ReadReleaseKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRelease(context.Background(), key, server.NewRelease{Version: "99.0.0", Platform: updates.ThisPlatform(),
		FileName: "onramp_99.0.0_amd64.deb", Notes: "Sync is faster.\nThe Help drawer shows the version.", File: []byte("a newer Onramp")}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(intakeAPI(db))
	defer srv.Close()

	dev := startDev(t, dataDir, "ONRAMP_INTAKE_URL="+srv.URL, "ONRAMP_SYNC_EVERY=1s")
	b := newBrowser(t)
	b.do(t, "open", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#sync-status")))
	waitJS(t, b, "the update offered", `!!document.querySelector('#install-update')`)
	text := eval[string](t, b, `document.querySelector('#update-notice').innerText`)
	if !strings.Contains(text, "Version 99.0.0 is available.") || !strings.Contains(text, "Sync is faster.") || !strings.Contains(text, "Open the installer") {
		t.Errorf("the update notice reads %q", text)
	}
	screenshot(t, b, "e2e-update-offered.png")
	leave(t, b)
}
