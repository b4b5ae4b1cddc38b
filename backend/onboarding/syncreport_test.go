package onboarding

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store/storetest"
)

// Before the account is set up there is nothing to sync: no problem is
// reported, whatever the connection.
func TestSyncBeforeSetUpIsNoProblem(t *testing.T) {
	svc := New(storetest.New(t), fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"ok":true}`)) }))
	defer srv.Close()
	for _, url := range []string{"", srv.URL} {
		if rep := svc.Sync.Sync(ctx, url); rep.Error != "" || rep.AccountReady {
			t.Errorf("sync with %q before set-up: %+v", url, rep)
		}
	}
}

// What stopped a sync, and why an item was not sent, read as plain words:
// never a Go error's own text.
func TestSyncProblemsInPlainWords(t *testing.T) {
	svc, st := trainingService(t)
	if rep := svc.Sync.Sync(ctx, "ftp://intake.example"); !strings.HasPrefix(rep.Error, "The network's server address in Settings isn't a web address") {
		t.Errorf("a bad address: %q", rep.Error)
	}
	if rep := svc.Sync.Sync(ctx, "http://intake.example"); !strings.Contains(rep.Error, "must start with https://") {
		t.Errorf("plain HTTP to another computer: %q", rep.Error)
	}

	// An invitation code the server does not know: the server's words.
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	real := server.NewServer(db).Handler()
	srv := httptest.NewServer(real)
	defer srv.Close()
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Error != "This invitation code is not known. Check it against your welcome email." {
		t.Errorf("unknown invitation: %q", rep.Error)
	}

	// A server that fails every submission: the item waits with a plain
	// reason.
	acct, _, _ := st.Account(ctx)
	db.AddInvitation(ctx, acct.InvitationCode, acct.Email)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/submissions" {
			http.Error(w, "upstream connect error", http.StatusBadGateway)
			return
		}
		real.ServeHTTP(w, r)
	}))
	defer failing.Close()
	if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || res.Version != 1 {
		t.Fatal(err, res.Problems)
	}
	if rep := svc.Sync.Sync(ctx, failing.URL); rep.Retrying != 1 || rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	items, _ := svc.Sync.Outbox(ctx)
	for _, it := range items {
		if it.What == "General Onboarding form, version 1" &&
			it.LastError != "The network's server had a problem answering. Onramp tries again by itself." {
			t.Errorf("the waiting submission says %q", it.LastError)
		}
	}
}
