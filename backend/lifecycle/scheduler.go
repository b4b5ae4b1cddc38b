package lifecycle

import (
	"context"
	"sync"
	"time"

	"onramp/backend/onboarding/syncing"
)

// scheduler syncs in the background on a loop: at start, every interval,
// and soon after a kick. After each sync that ran it records the report
// and tells the frontend ("sync").
type scheduler struct {
	*loop
	run    func(context.Context) (syncing.SyncReport, bool)
	notify func(event string, data any)

	mu     sync.Mutex
	report syncing.SyncReport
}

func newScheduler(every time.Duration, run func(context.Context) (syncing.SyncReport, bool), notify func(string, any)) *scheduler {
	s := &scheduler{run: run, notify: notify}
	s.loop = newLoop(every, s.once)
	return s
}

// once syncs, and records and tells of a sync that ran to its end.
func (s *scheduler) once(ctx context.Context) {
	if rep, ran := s.run(ctx); ran && ctx.Err() == nil {
		s.record(rep)
		s.notify("sync", rep)
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
