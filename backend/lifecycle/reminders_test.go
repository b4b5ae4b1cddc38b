package lifecycle

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/notify"
	"onramp/backend/notify/notifytest"
	"onramp/backend/store"
	"onramp/backend/testenv"
	"onramp/backend/webinar"
)

// clock is a time the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(days int)   { c.mu.Lock(); c.t = c.t.AddDate(0, 0, days); c.mu.Unlock() }

func reminderCore(t *testing.T, dir string, clk *clock) *Core {
	t.Helper()
	video, err := webinar.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	c := New(Config{DataDir: dir, Now: clk.now, Video: video, Desktop: &notify.Desktop{}, RemindEvery: time.Hour})
	c.Start(ctx)
	t.Cleanup(c.Stop)
	return c
}

// pass kicks the reminder loop and waits until it has looked again.
func pass(t *testing.T, c *Core) {
	t.Helper()
	before := c.remind.passes()
	c.remind.kick()
	testenv.Eventually(t, "a reminder pass", func() bool { return c.remind.passes() > before })
}

func titles(ns []notifytest.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Title)
	}
	return out
}

// Reminders reach the desktop's notification service on a real session
// bus, each once: not again on the next pass, nor after a restart; the
// next threshold brings the next one.
func TestRemindersNotifyOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("desktop notifications go through D-Bus on Linux only")
	}
	bus := notifytest.Bus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	desk := notifytest.Serve(t, bus)
	clk := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)}
	day := func(d int) string { return clk.now().AddDate(0, 0, d).Format("2006-01-02") }
	dir := t.TempDir()
	c := reminderCore(t, dir, clk)
	setUp(t, c)
	d := forms.NewData()
	d.Fields["caqhId"], d.Fields[forms.FieldCAQHAttested] = "12345678", day(-100) // due in 20 days
	d.Fields["carrier"], d.Fields["policyNumber"], d.Fields["policyExpires"] = "CPH", "PL-1", day(60)
	// An LCSW's form does not show a board certification: not reminded.
	d.Fields["board"], d.Fields["boardExpires"] = "ANCC", day(10)
	d.Groups["licenses"] = []map[string]string{{"state": "CA", "type": "LCSW", "number": "L-77", "expires": day(20)}}
	if _, err := c.store.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 3, Data: d.Encode(), Hash: "h", SubmittedAt: clk.now()}, "", nil); err != nil {
		t.Fatal(err)
	}
	c.KickSync() // as after a submission
	testenv.Eventually(t, "three notifications", func() bool { return len(desk.Received()) >= 3 })
	pass(t, c)
	got := titles(desk.Received())
	want := map[string]bool{
		"CA LCSW license L-77 expires on March 22, 2026":     true,
		"Your CAQH re-attestation is due on March 22, 2026":  true,
		"Liability policy PL-1 (CPH) expires on May 1, 2026": true,
	}
	if len(got) != 3 {
		t.Fatalf("want 3 notifications, one each; got %q", got)
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("unexpected notification %q; want %v", g, want)
		}
	}
	if n := desk.Received()[0]; n.App != "Onramp" || n.Body == "" {
		t.Errorf("notification %+v", n)
	}

	// A restart shows nothing again.
	c.Stop()
	c = reminderCore(t, dir, clk)
	pass(t, c)
	if n := len(desk.Received()); n != 3 {
		t.Fatalf("after a restart: %d notifications, want still 3: %q", n, titles(desk.Received()))
	}

	// 25 days on: the license has expired (its 0-day reminder); the CAQH
	// cycle rolled on; the liability policy is at 35 days (still 90).
	clk.add(25)
	pass(t, c)
	got = titles(desk.Received())
	if len(got) != 4 || got[3] != "CA LCSW license L-77 has expired" {
		t.Fatalf("25 days on: %q", got)
	}
	clk.add(10) // the liability policy at 25 days: its 30-day reminder
	pass(t, c)
	pass(t, c)
	got = titles(desk.Received())
	if len(got) != 5 || got[4] != "Liability policy PL-1 (CPH) expires on May 1, 2026" {
		t.Fatalf("35 days on: %q", got)
	}
}

// With no notification service on the bus nothing is recorded as shown:
// the reminder appears once a service is there.
func TestRemindersWaitForANotificationService(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("desktop notifications go through D-Bus on Linux only")
	}
	bus := notifytest.Bus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	clk := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)}
	c := reminderCore(t, t.TempDir(), clk)
	setUp(t, c)
	d := forms.NewData()
	d.Groups["licenses"] = []map[string]string{{"state": "CA", "type": "LCSW", "number": "L-77", "expires": clk.now().AddDate(0, 0, 10).Format("2006-01-02")}}
	if _, err := c.store.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 3, Data: d.Encode(), Hash: "h", SubmittedAt: clk.now()}, "", nil); err != nil {
		t.Fatal(err)
	}
	pass(t, c)
	svc, _ := c.Services()
	if due, err := svc.Progress.RemindersDue(ctx); err != nil || len(due) != 1 {
		t.Fatalf("with no service the reminder must stay due: %v %+v", err, due)
	}
	desk := notifytest.Serve(t, bus)
	pass(t, c)
	if got := titles(desk.Received()); len(got) != 1 || got[0] != "CA LCSW license L-77 expires on March 12, 2026" {
		t.Fatalf("once a service is there: %q", got)
	}
}
