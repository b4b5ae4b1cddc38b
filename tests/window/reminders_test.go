package window

import (
	"context"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/notify/notifytest"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/backend/testenv"
	"onramp/tests/seed"
)

// TestReminderReachesTheDesktop: the built app, in its window under Xvfb
// with a session D-Bus and a notification service on it, shows a license
// that expires in 10 days as one desktop notification, and not again when
// it is started a second time.
func TestReminderReachesTheDesktop(t *testing.T) {
	bin := binary(t)
	bus := notifytest.Bus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	desk := notifytest.Serve(t, bus)
	dir := t.TempDir()
	seedAccount(t, dir)
	expires := time.Now().AddDate(0, 0, 10)
	data := forms.NewData()
	data.Fields["caqhId"] = "12345678"
	data.Groups["licenses"] = []map[string]string{{"state": "CA", "type": "PMHNP", "number": "NP123", "expires": expires.Format("2006-01-02")}}
	seed.With(t, dir, func(ctx context.Context, _ *onboarding.Service, st *store.Store) {
		if _, err := st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 3, Data: data.Encode(), Hash: "seed", SubmittedAt: time.Now()}, "", nil); err != nil {
			t.Fatal(err)
		}
	})
	want := "CA PMHNP license NP123 expires on " + expires.Format("January 2, 2006")

	a, _ := launchWindow(t, bin, dir, 20*time.Second)
	testenv.Eventually(t, "the reminder's notification", func() bool { return len(desk.Received()) > 0 })
	n := desk.Received()[0]
	if n.App != "Onramp" || n.Title != want || !strings.Contains(n.Body, "in 10 days") {
		t.Fatalf("notification %+v, want %q", n, want)
	}
	a.stop()

	a, _ = launchWindow(t, bin, dir, 20*time.Second)
	// The reminders are looked at when the data opens, before the window
	// shows; give the second start time enough to have sent one.
	time.Sleep(3 * time.Second)
	a.stop()
	if got := desk.Received(); len(got) != 1 {
		t.Fatalf("after a restart: %d notifications, want 1: %+v", len(got), got)
	}
}
