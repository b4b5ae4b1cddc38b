package onboarding

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/intake/server"
	"onramp/backend/onboarding/updates"
)

// The sync looks for updates with the key built into the app: a release
// the network signed with it (the repository's TEST key in this build) is
// downloaded, checked and offered after a sync.
func TestSyncOffersASignedRelease(t *testing.T) {
	if !updates.UsesTestKey() {
		t.Skip("this build trusts a real release key: the repository's test key signs nothing it takes")
	}
	svc, st := trainingService(t)
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acct, _, _ := st.Account(ctx)
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "release-test.key")
	raw, err := os.ReadFile("updates/testdata/release-test.key")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(keyFile, raw, 0o600) // git keeps no 0600
	key, err := server.ReadReleaseKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	file := []byte("a newer Onramp")
	if _, err := db.AddRelease(ctx, key, server.NewRelease{Version: "99.0.0", Platform: updates.ThisPlatform(), FileName: "onramp-99.pkg", Notes: "Faster sync.", File: file}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db).Handler())
	defer srv.Close()
	if _, ok, err := svc.Updates.Offer(); ok || err != nil {
		t.Fatalf("an update offered before any sync (%v)", err)
	}
	if rep := svc.Sync.Sync(ctx, srv.URL); !rep.Enrolled || rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	offer, ok, err := svc.Updates.Offer()
	if err != nil || !ok || offer != (updates.Offer{Version: "99.0.0", Notes: "Faster sync.", Ready: true}) {
		t.Fatalf("offer after the sync: %+v %v %v", offer, ok, err)
	}
	if path, err := svc.Updates.Verified(); err != nil || filepath.Dir(path) != filepath.Join(filepath.Dir(st.Path()), "updates") {
		t.Errorf("verified file %q (%v), want it in the data folder's updates folder", path, err)
	}
}
