// Package retry is the one home of how Onramp retries a send: the
// schedules (the app's outbox, the intake server's guidance mailer), the
// backoff between tries, the window after which a claimed but unfinished
// send counts as abandoned, and which failures are worth retrying at all.
package retry

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Policy is a retry schedule.
type Policy struct {
	Base        time.Duration // the first retry comes after about this long
	Max         time.Duration // no wait is longer than this
	MaxAttempts int           // after this many tries the item fails for good
	// Stale is how long a send may stay claimed ("sending"): past it the
	// sender is taken to have died mid-send and the item is due again (its
	// idempotency key makes the resend harmless). Zero never abandons one.
	Stale time.Duration
}

// The schedules. They differ on purpose: the app retries quickly (a
// provider is waiting to see "delivered", and a laptop is online in short
// spells), the server slowly (a relay that refuses guidance email is
// usually down for a while, and the provider is not watching).
var (
	// Outbox is the app's: ~2 s, doubling to at most 10 minutes, 12 tries
	// (about an hour of trying while online), abandoned after 2 minutes.
	Outbox = Policy{Base: 2 * time.Second, Max: 10 * time.Minute, MaxAttempts: 12, Stale: 2 * time.Minute}
	// GuidanceMail is the intake server's guidance email: ~30 s, doubling
	// to at most 30 minutes, 20 tries (about 8 hours), abandoned after 5
	// minutes (a send is bounded to 2).
	GuidanceMail = Policy{Base: 30 * time.Second, Max: 30 * time.Minute, MaxAttempts: 20, Stale: 5 * time.Minute}
)

// Backoff is the wait after a failed try, attempts being the tries made so
// far (1 after the first): Base doubled per earlier try, capped at Max,
// with jitter between half and all of it, so that many items failing
// together do not retry together.
func (p Policy) Backoff(attempts int) time.Duration {
	d := p.Base << min(max(attempts-1, 0), 30)
	if d <= 0 || d > p.Max {
		d = p.Max
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// GiveUp reports whether an item that failed on its attempts-th try has
// had all its tries.
func (p Policy) GiveUp(attempts int) bool { return attempts >= p.MaxAttempts }

// ShouldRetry says whether a failure is worth another try, and its reason
// in words. An error that says it is temporary (Temporary() true: a 4xx
// SMTP answer, a 503 or a dropped connection from the intake server) or a
// timeout is; anything else (a refusal, a bad packet, a 5xx SMTP answer)
// never is: retrying cannot help, so it is failed with its reason.
func ShouldRetry(err error) (bool, string) {
	if err == nil {
		return false, ""
	}
	var t interface{ Temporary() bool }
	if errors.As(err, &t) {
		return t.Temporary(), err.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true, err.Error()
	}
	return false, err.Error()
}
