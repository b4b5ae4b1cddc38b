package notify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// The notification service's names on the bus.
const (
	busName = "org.freedesktop.Notifications"
	objPath = dbus.ObjectPath("/org/freedesktop/Notifications")
	method  = busName + ".Notify"
)

// Desktop sends notifications to the session bus's notification service.
// It connects on first use and again after the connection is lost; the
// zero value is ready.
type Desktop struct {
	mu   sync.Mutex
	conn *dbus.Conn
}

// Notify shows one notification with a title and a body, returning once
// the service has taken it (within 5 seconds).
func (d *Desktop) Notify(title, body string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil || !d.conn.Connected() {
		conn, err := connect()
		if err != nil {
			return err
		}
		d.conn = conn
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hints := map[string]dbus.Variant{
		"desktop-entry": dbus.MakeVariant(DesktopEntry),
		"urgency":       dbus.MakeVariant(byte(1)), // normal
		"category":      dbus.MakeVariant("im.received"),
	}
	var id uint32
	err := d.conn.Object(busName, objPath).CallWithContext(ctx, method, 0,
		AppName, uint32(0), DesktopEntry, title, body, []string{}, hints, int32(-1)).Store(&id)
	if err != nil {
		if e, ok := err.(dbus.Error); ok && strings.HasSuffix(e.Name, "ServiceUnknown") {
			return fmt.Errorf("%w: nothing on the session bus shows notifications", ErrNoService)
		}
		return fmt.Errorf("desktop notification: %w", err)
	}
	return nil
}

// Close drops the connection to the bus.
func (d *Desktop) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn = nil
	return err
}

// connect reaches the session bus the desktop session gives: its address
// in DBUS_SESSION_BUS_ADDRESS, or the per-user bus in XDG_RUNTIME_DIR. It
// never starts a bus of its own (D-Bus's "autolaunch").
func connect() (*dbus.Conn, error) {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
			if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
				addr = "unix:path=" + filepath.Join(dir, "bus")
			}
		}
	}
	if addr == "" {
		return nil, fmt.Errorf("%w: no session bus", ErrNoService)
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("%w: session bus: %v", ErrNoService, err)
	}
	return conn, nil
}
