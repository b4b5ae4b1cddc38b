package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

var ctx = context.Background()

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return s
}

func sampleAccount() store.Account {
	return store.Account{
		LegalName: "Zoë Łukasiewicz", PreferredName: "Zoë", Email: "zoe@example.org", LicenseType: "lcsw",
		ContractStart: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), InvitationCode: "ABCD-EFGH-JKLM",
		CreatedAt: time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC),
	}
}

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	s := open(t, path)
	if v, _ := s.Version(ctx); v != store.SchemaVersion() {
		t.Fatalf("version %d, want %d", v, store.SchemaVersion())
	}
	if err := s.CreateAccount(ctx, sampleAccount()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetChecked(ctx, "payouts-account", true, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t, path)
	defer s.Close()
	a, ok, err := s.Account(ctx)
	if err != nil || !ok {
		t.Fatalf("account after reopen: %v %v", ok, err)
	}
	want := sampleAccount()
	if a.LegalName != want.LegalName || a.PreferredName != want.PreferredName || !a.ContractStart.Equal(want.ContractStart) || !a.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("account = %+v", a)
	}
	checked, _ := s.Checked(ctx)
	if _, ok := checked["payouts-account"]; !ok {
		t.Error("checklist item lost on reopen")
	}
}

func TestFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Onramp")
	if err := store.EnsureDataDir(dir); err != nil {
		t.Fatal(err)
	}
	s := open(t, filepath.Join(dir, store.FileName))
	if err := s.CreateAccount(ctx, sampleAccount()); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) == 0 {
		t.Fatal("no files")
	}
	for _, e := range entries {
		info, _ := e.Info()
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", e.Name(), mode)
		}
	}
	s.Close()
	info, _ := os.Stat(dir)
	if info.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %o, want 700", info.Mode().Perm())
	}
}

func TestAccountOnlyOnce(t *testing.T) {
	s := storetest.New(t)
	if _, ok, _ := s.Account(ctx); ok {
		t.Fatal("account before setup")
	}
	if err := s.CreateAccount(ctx, sampleAccount()); err != nil {
		t.Fatal(err)
	}
	other := sampleAccount()
	other.LegalName = "Someone Else"
	if err := s.CreateAccount(ctx, other); !errors.Is(err, store.ErrAccountExists) {
		t.Fatalf("second setup: %v", err)
	}
	a, _, _ := s.Account(ctx)
	if a.LegalName != "Zoë Łukasiewicz" {
		t.Errorf("first account overwritten: %q", a.LegalName)
	}
}

func TestChecklistTickUntick(t *testing.T) {
	s := storetest.New(t)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	if err := s.SetChecked(ctx, "first-client", true, at); err != nil {
		t.Fatal(err)
	}
	// Ticking again keeps the first date.
	if err := s.SetChecked(ctx, "first-client", true, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Checked(ctx)
	if !got["first-client"].Equal(at) {
		t.Errorf("ticked at %s, want %s", got["first-client"], at)
	}
	if err := s.SetChecked(ctx, "first-client", false, at); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Checked(ctx)
	if _, ok := got["first-client"]; ok {
		t.Error("unticked item still ticked")
	}
}

func TestMilestonesKeepFirstDate(t *testing.T) {
	s := storetest.New(t)
	first := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	s.SetMilestone(ctx, store.MilestoneGeneralSubmitted, first)
	s.SetMilestone(ctx, store.MilestoneGeneralSubmitted, first.AddDate(0, 0, 3))
	m, err := s.Milestones(ctx)
	if err != nil || !m[store.MilestoneGeneralSubmitted].Equal(first) {
		t.Fatalf("milestones = %v, %v", m, err)
	}
}

func TestPayerStatusUpsert(t *testing.T) {
	s := storetest.New(t)
	at := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	s.SetPayerStatus(ctx, store.PayerStatus{Payer: "Cigna", Status: "pending", UpdatedAt: at})
	s.SetPayerStatus(ctx, store.PayerStatus{Payer: "Aetna", Status: "pending", UpdatedAt: at})
	s.SetPayerStatus(ctx, store.PayerStatus{Payer: "Cigna", Status: "approved", UpdatedAt: at.Add(time.Hour)})
	ps, err := s.PayerStatuses(ctx)
	if err != nil || len(ps) != 2 || ps[0].Payer != "Aetna" || ps[1].Status != "approved" {
		t.Fatalf("payers = %+v, %v", ps, err)
	}
}

// Each damaged file is refused with ErrCorrupt, left byte for byte as it
// was, and can then be moved aside for a fresh start.
func TestCorruptFilesAreRefusedAndKept(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"not a database": func(t *testing.T, path string) {
			os.WriteFile(path, []byte("this is a shopping list, not a database\n"), 0o600)
		},
		"garbage pages": func(t *testing.T, path string) {
			seed(t, path)
			f, _ := os.OpenFile(path, os.O_RDWR, 0)
			junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
			f.WriteAt(junk, 4096) // page 2 onwards
			f.Close()
		},
		"truncated": func(t *testing.T, path string) {
			seed(t, path)
			info, _ := os.Stat(path)
			os.Truncate(path, info.Size()/2+100)
		},
		"header only": func(t *testing.T, path string) {
			os.WriteFile(path, []byte("SQLite format 3\x00"+strings.Repeat("\x00", 40)), 0o600)
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, store.FileName)
			damage(t, path)
			before, _ := os.ReadFile(path)

			_, err := store.Open(ctx, path)
			if !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("open damaged file: %v, want ErrCorrupt", err)
			}
			after, _ := os.ReadFile(path)
			if string(before) != string(after) {
				t.Fatal("damaged file was modified by Open")
			}

			moved, err := store.MoveAside(path, time.Date(2026, 11, 27, 2, 30, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Base(moved) != "onramp.db.unreadable-20261127T023000Z" {
				t.Errorf("moved to %s", moved)
			}
			kept, _ := os.ReadFile(moved)
			if string(kept) != string(before) {
				t.Error("moved-aside file differs from the damaged one")
			}
			s := open(t, path) // fresh start
			s.Close()
		})
	}
}

// seed writes a real database with enough rows to span several pages.
func seed(t *testing.T, path string) {
	t.Helper()
	s := open(t, path)
	for i := 0; i < 400; i++ {
		s.SetChecked(ctx, fmt.Sprintf("item-%03d-%s", i, strings.Repeat("x", 60)), true, time.Now())
	}
	s.Close()
}

func TestNewerVersionRefusedUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	s := open(t, path)
	s.DB().Exec(fmt.Sprintf("PRAGMA user_version = %d", store.SchemaVersion()+5))
	s.Close()
	before, _ := os.ReadFile(path)
	_, err := store.Open(ctx, path)
	if !errors.Is(err, store.ErrTooNew) {
		t.Fatalf("open newer database: %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("newer database was modified")
	}
}

func TestMoveAsideKeepsWALAndNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	now := time.Date(2026, 11, 27, 2, 30, 0, 0, time.UTC)
	for i := 0; i < 2; i++ {
		os.WriteFile(path, []byte(fmt.Sprintf("bad %d", i)), 0o600)
		os.WriteFile(path+"-wal", []byte("wal"), 0o600)
		if _, err := store.MoveAside(path, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"onramp.db.unreadable-20261127T023000Z", "onramp.db.unreadable-20261127T023000Z-wal",
		"onramp.db.unreadable-20261127T023000Z-2", "onramp.db.unreadable-20261127T023000Z-2-wal"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s", name)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "onramp.db.unreadable-20261127T023000Z")); string(b) != "bad 0" {
		t.Errorf("first moved file overwritten: %q", b)
	}
}

func TestResolveDataDir(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == store.EnvDataDir {
				return v
			}
			return ""
		}
	}
	if got, _ := store.ResolveDataDir("/tmp/flag", env("/tmp/env")); got != "/tmp/flag" {
		t.Errorf("flag: %s", got)
	}
	if got, _ := store.ResolveDataDir("", env("/tmp/env")); got != "/tmp/env" {
		t.Errorf("env: %s", got)
	}
	got, err := store.ResolveDataDir("", env(""))
	if err != nil || filepath.Base(got) != "Onramp" {
		t.Errorf("default: %s %v", got, err)
	}
}

// An outbox item found by its idempotency key says its state and when it
// last changed: the dashboard tells a queued confirmation email from a sent
// one by it.
func TestOutboxItemByKey(t *testing.T) {
	s := storetest.New(t)
	if _, ok, err := s.OutboxItemByKey(ctx, "email/x"); ok || err != nil {
		t.Fatalf("before queuing: %v %v", ok, err)
	}
	queued := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if _, err := s.Enqueue(ctx, store.OutboxItem{Kind: "email", IdempotencyKey: "email/x", Payload: []byte(`{}`), CreatedAt: queued}); err != nil {
		t.Fatal(err)
	}
	it, ok, err := s.OutboxItemByKey(ctx, "email/x")
	if err != nil || !ok || it.State != store.OutboxQueued || !it.UpdatedAt.Equal(queued) {
		t.Fatalf("queued: %+v %v %v", it, ok, err)
	}
	sent := queued.Add(26 * time.Hour)
	if err := s.MarkDelivered(ctx, it.ID, sent); err != nil {
		t.Fatal(err)
	}
	if it, _, _ = s.OutboxItemByKey(ctx, "email/x"); it.State != store.OutboxDelivered || !it.UpdatedAt.Equal(sent) || !it.CreatedAt.Equal(queued) {
		t.Errorf("delivered: %+v", it)
	}
}
