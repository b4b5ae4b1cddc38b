// Package notify shows desktop notifications: on Linux through the
// freedesktop notification service on the session D-Bus
// (org.freedesktop.Notifications), which every desktop's notification
// daemon implements. Elsewhere there is none yet, and the dashboard alone
// shows reminders.
package notify

import "errors"

// ErrNoService means no notification service can be reached: no session
// bus, or nothing on it shows notifications.
var ErrNoService = errors.New("no desktop notification service")

// AppName and DesktopEntry are how a notification names the app: the
// installed packages' desktop entry and icon (build/linux), which let the
// desktop show Onramp's icon and group its notifications.
const (
	AppName      = "Onramp"
	DesktopEntry = "invalid.onramp.Onramp"
)
