package notify_test

import (
	"errors"
	"runtime"
	"testing"

	"onramp/backend/notify"
	"onramp/backend/notify/notifytest"
)

func TestDesktopNotifies(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("desktop notifications are sent through D-Bus on Linux only")
	}
	addr := notifytest.Bus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	var d notify.Desktop
	defer d.Close()
	// Nothing shows notifications yet: a plain error, not a hang.
	if err := d.Notify("Title", "Body"); !errors.Is(err, notify.ErrNoService) {
		t.Fatalf("with no notification service: %v, want ErrNoService", err)
	}
	svc := notifytest.Serve(t, addr)
	if err := d.Notify("Your CA license expires on March 1, 2027", "Renew it."); err != nil {
		t.Fatal(err)
	}
	got := svc.Received()
	if len(got) != 1 || got[0].App != "Onramp" || got[0].Title != "Your CA license expires on March 1, 2027" || got[0].Body != "Renew it." {
		t.Fatalf("received %+v", got)
	}
	if v, ok := got[0].Hints["desktop-entry"]; !ok || v.Value() != notify.DesktopEntry {
		t.Errorf("desktop-entry hint: %v", got[0].Hints)
	}
}

func TestNoSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	var d notify.Desktop
	if err := d.Notify("a", "b"); !errors.Is(err, notify.ErrNoService) {
		t.Fatalf("no bus: %v, want ErrNoService", err)
	}
}
