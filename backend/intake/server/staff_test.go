package server

import (
	"errors"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
)

const staffPW = "Copper-Lantern-73-moss"

// Staff accounts: made with a role and a password that follows the portal
// password rule, unique by email whatever its case, listed without their
// passwords; disabling one and changing a password end its sessions and
// forget its failed logins.
func TestStaffAccounts(t *testing.T) {
	db, err := Open(ctx, dbtest.NewDB(t), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range []struct {
		email, role, pw, says string
	}{
		{"not-an-email", RoleSupport, staffPW, "email"},
		{"ann@network.example", "boss", staffPW, "support, credentialing, admin"},
		{"ann@network.example", RoleSupport, "short", "12"},
	} {
		if _, err := db.AddStaff(ctx, tt.email, tt.role, tt.pw); err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("AddStaff(%q, %q): %v, want %q", tt.email, tt.role, err, tt.says)
		}
	}
	ann, err := db.AddStaff(ctx, "ann@network.example", RoleCredentialing, staffPW)
	if err != nil || ann.ID == 0 || ann.Role != RoleCredentialing {
		t.Fatalf("%+v %v", ann, err)
	}
	if _, err := db.AddStaff(ctx, "ANN@network.example", RoleAdmin, staffPW); !errors.Is(err, ErrStaffExists) {
		t.Errorf("the same email in capitals: %v", err)
	}
	if _, err := db.AddStaff(ctx, "bo@network.example", RoleAdmin, staffPW); err != nil {
		t.Fatal(err)
	}
	list, err := db.StaffList(ctx)
	if err != nil || len(list) != 2 || list[0].Email != "ann@network.example" || list[1].Role != RoleAdmin {
		t.Fatalf("%+v %v", list, err)
	}

	var stored string
	db.db.QueryRow(`SELECT password_hash FROM staff WHERE id = ?`, ann.ID).Scan(&stored)
	if strings.Contains(stored, staffPW) || !strings.HasPrefix(stored, "argon2id$") {
		t.Fatalf("stored %q", stored)
	}
	if ok, err := checkPassword(stored, staffPW); !ok || err != nil {
		t.Errorf("the password does not check: %v", err)
	}
	if ok, _ := checkPassword(stored, staffPW+"x"); ok {
		t.Error("another password checks")
	}

	// A session and a failed login, then a new password: both gone.
	sessionsAndFailures := func() (int, int) {
		var s, f int
		db.db.QueryRow(`SELECT COUNT(*) FROM staff_sessions WHERE staff = ?`, ann.ID).Scan(&s)
		db.db.QueryRow(`SELECT COUNT(*) FROM login_failures WHERE staff = ?`, ann.ID).Scan(&f)
		return s, f
	}
	seed := func() {
		t.Helper()
		if _, err := db.db.Exec(`INSERT INTO staff_sessions (id_hash, staff, csrf, created_at, last_seen) VALUES (?, ?, 'c', 1, 1)`, "h"+time.Now().String(), ann.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`INSERT INTO login_failures (staff, at) VALUES (?, 1)`, ann.ID); err != nil {
			t.Fatal(err)
		}
	}
	seed()
	if err := db.SetStaffPassword(ctx, "Ann@Network.example", "short"); err == nil {
		t.Error("a weak new password was taken")
	}
	if err := db.SetStaffPassword(ctx, "Ann@Network.example", "Second-Copper-Lantern-74"); err != nil {
		t.Fatal(err)
	}
	if s, f := sessionsAndFailures(); s != 0 || f != 0 {
		t.Errorf("after a new password: %d sessions, %d failed logins", s, f)
	}
	db.db.QueryRow(`SELECT password_hash FROM staff WHERE id = ?`, ann.ID).Scan(&stored)
	if ok, _ := checkPassword(stored, "Second-Copper-Lantern-74"); !ok {
		t.Error("the new password does not check")
	}
	seed()
	if err := db.DisableStaff(ctx, "ann@network.example"); err != nil {
		t.Fatal(err)
	}
	if s, f := sessionsAndFailures(); s != 0 || f != 0 {
		t.Errorf("after disabling: %d sessions, %d failed logins", s, f)
	}
	if list, _ := db.StaffList(ctx); list[0].DisabledAt == "" {
		t.Errorf("not disabled: %+v", list[0])
	}
	if err := db.DisableStaff(ctx, "nobody@network.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("disabling an unknown account: %v", err)
	}
}
