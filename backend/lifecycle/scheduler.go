package lifecycle

import (
	"context"
	"sync"
	"time"

	"onramp/backend/onboarding/syncing"
)

// scheduler syncs in the background: at start, every interval, and soon
// after a kick. After each sync that ran it records the report and tells
// the frontend ("sync").
type scheduler struct {
	every  time.Duration
	run    func(context.Context) (syncing.SyncReport, bool)
	notify func(event string, data any)
	kicks  chan struct{}

	mu     sync.Mutex
	report syncing.SyncReport
	cancel context.CancelFunc
	done   chan struct{}
}

func newScheduler(every time.Duration, run func(context.Context) (syncing.SyncReport, bool), notify func(string, any)) *scheduler {
	return &scheduler{every: every, run: run, notify: notify, kicks: make(chan struct{}, 1)}
}

// start runs the loop until stop; a second start does nothing.
func (s *scheduler) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go s.loop(ctx, s.done)
}

// stop ends the loop, waiting for a sync under way (it sees its context
// cancelled).
func (s *scheduler) stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.cancel = nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

func (s *scheduler) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		if rep, ran := s.run(ctx); ran && ctx.Err() == nil {
			s.record(rep)
			s.notify("sync", rep)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kicks:
		}
	}
}

// kick asks for a sync soon; kicks while one waits are merged.
func (s *scheduler) kick() {
	select {
	case s.kicks <- struct{}{}:
	default:
	}
}

func (s *scheduler) record(rep syncing.SyncReport) {
	s.mu.Lock()
	s.report = rep
	s.mu.Unlock()
}

func (s *scheduler) last() syncing.SyncReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.report
}
