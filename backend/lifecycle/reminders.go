package lifecycle

import (
	"context"
	"errors"
	"log"
	"sync/atomic"
	"time"

	"onramp/backend/notify"
)

// DesktopNotifier shows a desktop notification (notify.Desktop).
type DesktopNotifier interface {
	Notify(title, body string) error
}

// DefaultRemindEvery is how often, while the app runs, it looks for a
// credential that has reached a reminder threshold (besides at start).
const DefaultRemindEvery = 10 * time.Minute

// reminders shows each reminder due as a desktop notification, once: a
// reminder is recorded as shown only after the notification service took
// it, so one the desktop could not show is tried again later, and one
// shown is never shown again, not even after a restart.
type reminders struct {
	*loop
	desktop DesktopNotifier
	core    *Core
	warned  bool         // "no notification service" logged once per run
	nPasses atomic.Int64 // passes made, for tests
}

func newReminders(every time.Duration, desktop DesktopNotifier, core *Core) *reminders {
	r := &reminders{desktop: desktop, core: core}
	r.loop = newLoop(every, func(ctx context.Context) {
		r.once(ctx)
		r.nPasses.Add(1)
	})
	return r
}

func (r *reminders) passes() int64 { return r.nPasses.Load() }

// start runs the loop when there is a desktop to notify.
func (r *reminders) start() {
	if r.desktop != nil {
		r.loop.start()
	}
}

// once shows the reminders due now.
func (r *reminders) once(ctx context.Context) {
	svc, err := r.core.Services()
	if err != nil {
		return // no data open: nothing to remind of
	}
	due, err := svc.Progress.RemindersDue(ctx)
	if err != nil {
		log.Printf("reminders: %v", err)
		return
	}
	for _, rem := range due {
		if ctx.Err() != nil {
			return
		}
		if err := r.desktop.Notify(rem.Subject, rem.Body); err != nil {
			if !errors.Is(err, notify.ErrNoService) || !r.warned {
				log.Printf("reminders: %v (the dashboard still lists them)", err)
			}
			r.warned = r.warned || errors.Is(err, notify.ErrNoService)
			return
		}
		if err := svc.Progress.ReminderShown(ctx, rem.Key); err != nil {
			log.Printf("reminders: %v", err)
			return
		}
	}
}
