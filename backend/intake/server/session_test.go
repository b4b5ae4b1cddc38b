package server

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"onramp/backend/clocktest"
	"onramp/backend/dbtest"
)

// A login makes a new session each time; a wrong password, an unknown
// email, a disabled or locked account all get the one answer; five
// failures in 15 minutes lock the account for 15 minutes; a session ends
// after 30 idle minutes, at logout, and when its account is disabled.
func TestStaffLoginAndSessions(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	db, err := Open(ctx, dbtest.NewDB(t), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddStaff(ctx, "ann@network.example", RoleSupport, staffPW); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.StaffLogin(ctx, "nobody@network.example", staffPW, "192.0.2.9"); !errors.Is(err, ErrLogin) {
		t.Errorf("unknown account: %v", err)
	}
	id1, s1, err := db.StaffLogin(ctx, "ANN@network.example", staffPW, "192.0.2.9")
	if err != nil || s1.Staff.Email != "ann@network.example" || s1.Staff.Role != RoleSupport || len(s1.CSRF) != 64 {
		t.Fatalf("%+v %v", s1, err)
	}
	id2, _, _ := db.StaffLogin(ctx, "ann@network.example", staffPW, "192.0.2.9")
	if id1 == id2 || len(id1) != 64 {
		t.Errorf("two logins, one session ID: %q", id1)
	}
	var stored int
	db.db.QueryRow(`SELECT COUNT(*) FROM staff_sessions WHERE id_hash = ?`, id1).Scan(&stored)
	if stored != 0 {
		t.Error("the session ID itself is stored")
	}
	if got, err := db.StaffSessionFor(ctx, id1); err != nil || got.CSRF != s1.CSRF {
		t.Errorf("the session: %+v %v", got, err)
	}

	// Idle for 29 minutes, then 31.
	clock.Add(29 * time.Minute)
	if _, err := db.StaffSessionFor(ctx, id1); err != nil {
		t.Errorf("after 29 idle minutes: %v", err)
	}
	clock.Add(31 * time.Minute)
	if _, err := db.StaffSessionFor(ctx, id1); !errors.Is(err, ErrNoSession) {
		t.Errorf("after 31 idle minutes: %v", err)
	}
	if err := db.StaffLogout(ctx, id2, StaffSession{Staff: Staff{ID: 1, Email: "ann@network.example"}}, "192.0.2.9"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StaffSessionFor(ctx, id2); !errors.Is(err, ErrNoSession) {
		t.Errorf("after logout: %v", err)
	}

	// Five failures a minute apart lock the account, even for the right
	// password, for 15 minutes from the last failure.
	for i := range lockoutFailures {
		if i > 0 {
			clock.Add(time.Minute)
		}
		if _, _, err := db.StaffLogin(ctx, "ann@network.example", "Wrong-Lantern-73-moss", "192.0.2.9"); !errors.Is(err, ErrLogin) {
			t.Fatal(err)
		}
	}
	clock.Add(14 * time.Minute)
	if _, _, err := db.StaffLogin(ctx, "ann@network.example", staffPW, "192.0.2.9"); !errors.Is(err, ErrLogin) {
		t.Errorf("locked, 14 minutes after the fifth failure, the right password: %v", err)
	}
	clock.Add(time.Minute)
	id3, _, err := db.StaffLogin(ctx, "ann@network.example", staffPW, "192.0.2.9")
	if err != nil {
		t.Fatalf("15 minutes after the fifth failure: %v", err)
	}
	// Four failures, then a success: the count starts again.
	for range lockoutFailures - 1 {
		db.StaffLogin(ctx, "ann@network.example", "Wrong-Lantern-73-moss", "192.0.2.9")
	}
	if _, _, err := db.StaffLogin(ctx, "ann@network.example", staffPW, "192.0.2.9"); err != nil {
		t.Fatalf("after four failures: %v", err)
	}
	db.StaffLogin(ctx, "ann@network.example", "Wrong-Lantern-73-moss", "192.0.2.9")
	if _, _, err := db.StaffLogin(ctx, "ann@network.example", staffPW, "192.0.2.9"); err != nil {
		t.Errorf("one failure after a success locked the account: %v", err)
	}

	// Disabled: the open session ends, and no login.
	if err := db.DisableStaff(ctx, "ann@network.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StaffSessionFor(ctx, id3); !errors.Is(err, ErrNoSession) {
		t.Errorf("session of a disabled account: %v", err)
	}
	if _, _, err := db.StaffLogin(ctx, "ann@network.example", staffPW, "192.0.2.9"); !errors.Is(err, ErrLogin) {
		t.Errorf("login to a disabled account: %v", err)
	}

	// Each login, failed login (to the account that exists) and logout
	// is in the audit, which refuses to change.
	entries, err := db.StaffAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action+" "+e.Detail]++
		if e.Who != "ann@network.example" || e.Host != "192.0.2.9" || e.Staff != 1 {
			t.Errorf("entry %+v", e)
		}
	}
	want := map[string]int{"login ": 5, "logout ": 1, "login-failed wrong password": 10, "login-failed locked after too many failed logins": 1, "login-failed account disabled": 1}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Errorf("audit %v, want %v", count, want)
	}
	for _, q := range []string{`UPDATE staff_audit SET who = 'x'`, `DELETE FROM staff_audit`} {
		if _, err := db.db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
}
