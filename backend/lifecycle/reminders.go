package lifecycle

import (
	"context"
	"errors"
	"log"
	"sync"
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
	every   time.Duration
	desktop DesktopNotifier
	core    *Core

	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	warned  bool // "no notification service" logged once per run
	kicks   chan struct{}
	nPasses atomic.Int64 // passes made, for tests
}

func (r *reminders) passes() int64 { return r.nPasses.Load() }

func (r *reminders) start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.desktop == nil || r.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan struct{})
	go r.loop(ctx, r.done)
}

func (r *reminders) stop() {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.cancel = nil
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

func (r *reminders) kick() {
	select {
	case r.kicks <- struct{}{}:
	default:
	}
}

func (r *reminders) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		r.once(ctx)
		r.nPasses.Add(1)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.kicks:
		}
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
