package onboarding

import (
	"database/sql"
	"errors"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/seal"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
	"onramp/backend/testenv"
)

// captureLog sends the process's log (the intake server's and the app's)
// to a buffer for the rest of the test.
func captureLog(t *testing.T) *testenv.Buffer {
	var buf testenv.Buffer
	log.SetOutput(&buf)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return &buf
}

// networkKeyFile makes a network key pair the way support does, in its own
// folder (not the server's data folder).
func networkKeyFile(t testing.TB) (string, seal.PublicKey, seal.PrivateKey) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "network.key")
	pub, err := seal.WriteKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := seal.ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, pub, priv
}

// sealedIntake runs a real intake server over a SQLite file in dataDir,
// with the network key pub when it is not nil, knowing the account's
// invitation code.
func sealedIntake(t testing.TB, st *store.Store, dataDir string, pub *seal.PublicKey) (*server.DB, *httptest.Server) {
	t.Helper()
	db, err := server.Open(ctx, filepath.Join(dataDir, "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	api := server.NewServer(db)
	if pub != nil {
		api.WithNetworkKey(*pub)
	}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	acct, _, _ := st.Account(ctx)
	if err := db.AddInvitation(ctx, acct.InvitationCode, acct.Email); err != nil && !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatal(err)
	}
	return db, srv
}

// The Insurance form's CAQH login, SSN and date of birth reach the network
// sealed to its key: the server stores ciphertext and masks only, support
// reads each with the private key file (another key fails in plain
// words), every reveal is audited in a table that refuses changes, and the
// planted values are in no file of the server's data folder (WAL
// included) and not in the log.
func TestHandoffSealedSecrets(t *testing.T) {
	logged := captureLog(t)
	svc, st := trainingService(t)
	_, pub, priv := networkKeyFile(t)
	_, _, otherPriv := networkKeyFile(t)
	dataDir := t.TempDir()
	db, srv := sealedIntake(t, st, dataDir, &pub)

	const ssn, password = "219-09-8765", "Kettle-Plum-7731-caqh"
	const username, birth = "zluk", "1985-04-12" // what submitBothForms enters
	submitBothForms(t, svc, ssn, password)
	rep := svc.Sync.Sync(ctx, srv.URL)
	if !rep.Enrolled || rep.Delivered < 2 || rep.Failed != 0 || rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}

	subs, err := db.Submissions(ctx, 1)
	if err != nil || len(subs) != 2 {
		t.Fatalf("server submissions: %+v %v", subs, err)
	}
	got, err := forms.DecodeData([]byte(subs[1].Data))
	if err != nil || subs[1].Form != forms.FormCredentialing || got.Hash() != subs[1].Hash {
		t.Fatalf("the network's copy: %v, hash %s of data %s", err, subs[1].Hash, got.Hash())
	}
	for field, mask := range map[string]string{"caqhUsername": forms.SealedMask, "dateOfBirth": forms.SealedMask, "ssn": "•••-••-8765", "caqhPassword": "••••••••"} {
		if got.Fields[field] != mask {
			t.Errorf("the network's %s is %q, not the mask %q", field, got.Fields[field], mask)
		}
	}
	// This computer keeps the version as submitted.
	v, err := svc.Forms.Form(ctx, forms.FormCredentialing)
	if err != nil || v.Data.Fields["caqhUsername"] != username || v.Data.Fields["dateOfBirth"] != birth || v.Versions[0].Hash == got.Hash() {
		t.Errorf("the local version: %v %q %q", err, v.Data.Fields["caqhUsername"], v.Data.Fields["dateOfBirth"])
	}

	for field, want := range map[string]string{"caqhUsername": username, "caqhPassword": password, "ssn": ssn, "dateOfBirth": birth} {
		got, err := db.Reveal(ctx, server.RevealRequest{Provider: 1, Field: field, Key: priv, Who: "ana", Where: "support-desk"})
		if err != nil || got != want {
			t.Errorf("reveal %s: %q %v", field, got, err)
		}
	}
	_, err = db.Reveal(ctx, server.RevealRequest{Provider: 1, Field: "ssn", Key: otherPriv, Who: "mallory", Where: "elsewhere"})
	if !errors.Is(err, server.ErrNotRevealed) || strings.Contains(err.Error(), "219") || !strings.Contains(err.Error(), "not to this key") {
		t.Errorf("reveal with another key: %v", err)
	}
	audit, err := db.RevealAudit(ctx, 1)
	if err != nil || len(audit) != 5 {
		t.Fatalf("audit: %+v %v", audit, err)
	}
	for _, a := range audit[:4] {
		if a.Who != "ana" || a.Host != "support-desk" || a.Key != pub.Fingerprint() || a.Outcome != "revealed" || a.At == "" {
			t.Errorf("audit row: %+v", a)
		}
	}
	if a := audit[4]; a.Who != "mallory" || a.Field != "ssn" || a.Key != otherPriv.Public().Fingerprint() || !strings.HasPrefix(a.Outcome, "refused") {
		t.Errorf("the refused reveal's row: %+v", a)
	}
	raw, err := sql.Open("sqlite3", filepath.Join(dataDir, "intake.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{`UPDATE reveal_audit SET who = 'nobody'`, `DELETE FROM reveal_audit WHERE who = 'mallory'`, `DELETE FROM reveal_audit`} {
		if _, err := raw.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}

	planted := []string{ssn, "219098765", password, "zluk", birth}
	grep := func(when string) {
		t.Helper()
		assertNonePlanted(t, when, planted, dataDir, map[string]string{"the log": string(logged.Bytes())})
	}
	if _, err := os.Stat(filepath.Join(dataDir, "intake.db-wal")); err != nil {
		t.Errorf("no WAL to look into while the server runs: %v", err)
	}
	grep("while the server runs")
	srv.Close()
	raw.Close()
	db.Close()
	grep("after the server closed")
}

// assertNonePlanted fails t for each planted value in a file of dir (which
// must not be empty) or in one of texts, named by its key.
func assertNonePlanted(t *testing.T, when string, planted []string, dir string, texts map[string]string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatalf("%s: %s is empty", when, dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(f)] = string(b)
	}
	for name, text := range texts {
		for _, p := range planted {
			if strings.Contains(text, p) {
				t.Errorf("%s: %s holds %q", when, name, p)
			}
		}
	}
}

// Without a network key the form goes with masks only: nothing sealed
// leaves in the clear, and the rest of the form reaches the network.
func TestHandoffSealedWithoutNetworkKey(t *testing.T) {
	svc, st := trainingService(t)
	dataDir := t.TempDir()
	db, srv := sealedIntake(t, st, dataDir, nil)
	submitBothForms(t, svc, "219-09-8765", "Kettle-Plum-7731-caqh")
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Delivered < 2 || rep.Error != "" {
		t.Fatalf("sync: %+v", rep)
	}
	subs, _ := db.Submissions(ctx, 1)
	if len(subs) != 2 || !strings.Contains(subs[1].Data, `"caqhUsername":"`+forms.SealedMask+`"`) || strings.Contains(subs[1].Data, "1985-04-12") {
		t.Fatalf("the network's copy: %+v", subs)
	}
	if _, err := db.Reveal(ctx, server.RevealRequest{Provider: 1, Field: "ssn"}); !errors.Is(err, server.ErrNotFound) {
		t.Errorf("a sealed field without a key: %v", err)
	}
}

// A different network key at a later enrollment (or none) is refused in
// plain words, and nothing more is sent; the pinned key stays.
func TestHandoffNetworkKeyChange(t *testing.T) {
	svc, st := trainingService(t)
	_, first, _ := networkKeyFile(t)
	_, second, _ := networkKeyFile(t)
	_, srv := sealedIntake(t, st, t.TempDir(), &first)
	if rep := svc.Sync.Sync(ctx, srv.URL); !rep.Enrolled || rep.Error != "" {
		t.Fatalf("first enrollment: %+v", rep)
	}
	if r, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || r.Version != 1 {
		t.Fatal(err, r.Problems)
	}
	for _, tt := range []struct {
		name string
		key  *seal.PublicKey
	}{{"another key", &second}, {"no key", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			// Another server (a new database) does not know the token: the
			// app enrolls again and is offered another key.
			db, other := sealedIntake(t, st, t.TempDir(), tt.key)
			svc.Sync.Sync(ctx, other.URL) // the token is refused (401) and forgotten
			rep := svc.Sync.Sync(ctx, other.URL)
			if rep.Enrolled || rep.Delivered != 0 || !strings.Contains(rep.Error, "The network's encryption key changed") || !strings.Contains(rep.Error, "contact support") {
				t.Errorf("enrollment with %s: %+v", tt.name, rep)
			}
			if subs, _ := db.Submissions(ctx, 1); len(subs) != 0 {
				t.Errorf("sent to a server with %s: %+v", tt.name, subs)
			}
		})
	}
	// The network's own server (its key unchanged) is trusted as before.
	if rep := svc.Sync.Sync(ctx, srv.URL); !rep.Enrolled || rep.Error != "" {
		t.Errorf("back to the network's own key: %+v", rep)
	}
}

// A server restarted without its network key refuses the sealed form; the
// form waits (retrying, "contact support" in the panel) instead of failing,
// and goes once the server has its key again.
func TestHandoffServerWithoutItsKeyAgain(t *testing.T) {
	clk := clocktest.New(fixedNow())
	st := storetest.New(t)
	svc := New(st, clk.Now, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	if problems, err := svc.Progress.SetUp(ctx, validValues(t)); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	_, pub, priv := networkKeyFile(t)
	dataDir := t.TempDir()
	db, srv := sealedIntake(t, st, dataDir, &pub)
	if rep := svc.Sync.Sync(ctx, srv.URL); !rep.Enrolled || rep.Error != "" {
		t.Fatalf("enrollment: %+v", rep)
	}
	srv.Close()
	db.Close()
	db, srv = sealedIntake(t, st, dataDir, nil) // the same database, no key
	submitBothForms(t, svc, "219-09-8765", "Kettle-Plum-7731-caqh")
	rep := svc.Sync.Sync(ctx, srv.URL)
	if rep.Retrying != 1 || rep.Failed != 0 {
		t.Fatalf("sync with a server without its key: %+v", rep)
	}
	items, _ := svc.Sync.Outbox(ctx)
	var waiting int64
	for _, it := range items {
		if it.What == "Insurance form, version 1" {
			waiting = it.ID
			if it.State != "queued" || !strings.Contains(it.LastError, "contact support") {
				t.Errorf("the waiting form: %+v", it)
			}
		}
	}
	if waiting == 0 {
		t.Fatalf("no Insurance form in the outbox: %+v", items)
	}
	srv.Close()
	db.Close()
	db, srv = sealedIntake(t, st, dataDir, &pub)
	clk.Add(time.Hour) // past the retry's backoff
	if rep := svc.Sync.Sync(ctx, srv.URL); rep.Delivered != 1 || rep.Error != "" {
		t.Fatalf("sync with the key back: %+v", rep)
	}
	if got, err := db.Reveal(ctx, server.RevealRequest{Provider: 1, Field: "ssn", Key: priv, Who: "ana", Where: "desk"}); err != nil || got != "219-09-8765" {
		t.Errorf("reveal: %q %v", got, err)
	}
}
