package lifecycle

import (
	"context"
	"sync"
	"time"
)

// loop runs a pass in the background: at start, every interval, and soon
// after a kick (kicks while one waits are merged), until stop. The sync
// scheduler and the reminders each run on one.
type loop struct {
	every time.Duration
	pass  func(context.Context)
	kicks chan struct{}

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

func newLoop(every time.Duration, pass func(context.Context)) *loop {
	return &loop{every: every, pass: pass, kicks: make(chan struct{}, 1)}
}

// start runs the loop until stop; a second start does nothing.
func (l *loop) start() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel, l.done = cancel, make(chan struct{})
	go l.run(ctx, l.done)
}

// stop ends the loop, waiting for a pass under way (it sees its context
// cancelled).
func (l *loop) stop() {
	l.mu.Lock()
	cancel, done := l.cancel, l.done
	l.cancel = nil
	l.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// kick asks for a pass soon.
func (l *loop) kick() {
	select {
	case l.kicks <- struct{}{}:
	default:
	}
}

func (l *loop) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(l.every)
	defer t.Stop()
	for {
		l.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.kicks:
		}
	}
}
