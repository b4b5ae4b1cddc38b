package retry

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// Each wait doubles up to the cap and is jittered within [half, all] of it.
func TestBackoffDoublesCapsAndJitters(t *testing.T) {
	p := Policy{Base: time.Second, Max: time.Minute, MaxAttempts: 10}
	for attempts := 0; attempts <= 40; attempts++ {
		full := time.Second << min(max(attempts-1, 0), 30)
		if full > time.Minute || full <= 0 {
			full = time.Minute
		}
		seen := map[time.Duration]bool{}
		for range 200 {
			w := p.Backoff(attempts)
			if w < full/2 || w > full {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempts, w, full/2, full)
			}
			seen[w] = true
		}
		if len(seen) < 10 {
			t.Errorf("attempt %d: only %d distinct waits in 200: no jitter", attempts, len(seen))
		}
	}
}

func TestGiveUp(t *testing.T) {
	p := Policy{MaxAttempts: 3}
	for attempts, want := range []bool{false, false, false, true, true} {
		if got := p.GiveUp(attempts); got != want {
			t.Errorf("GiveUp(%d) = %v", attempts, got)
		}
	}
}

type tempErr struct{ temp bool }

func (e tempErr) Error() string   { return fmt.Sprintf("temporary=%v", e.temp) }
func (e tempErr) Temporary() bool { return e.temp }

// A permanent failure is never retried; a temporary one or a timeout is.
func TestShouldRetry(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("refused"), false},
		{tempErr{true}, true},
		{tempErr{false}, false},
		{fmt.Errorf("send: %w", tempErr{true}), true},
		{fmt.Errorf("upload: %w", context.DeadlineExceeded), true},
		{context.Canceled, true},
	} {
		if got, reason := ShouldRetry(tt.err); got != tt.want || (tt.err != nil && reason == "") {
			t.Errorf("ShouldRetry(%v) = %v %q", tt.err, got, reason)
		}
	}
}
