// Package outbox sends what the app queued (submissions, help requests,
// emails) when it can: due items are claimed, handed to the sender for
// their kind, and marked delivered, retried later with backoff and jitter,
// or failed with the reason when retrying cannot help.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"onramp/backend/store"
)

// Sender delivers one kind of item. An error with Temporary() true is
// retried; any other error fails the item.
type Sender interface {
	Send(ctx context.Context, item store.OutboxItem) error
}

// SenderFunc adapts a function.
type SenderFunc func(ctx context.Context, item store.OutboxItem) error

func (f SenderFunc) Send(ctx context.Context, it store.OutboxItem) error { return f(ctx, it) }

// Policy is the retry schedule.
type Policy struct {
	Base        time.Duration // first retry after about this long
	Max         time.Duration // never wait longer than this
	MaxAttempts int           // then the item fails for good
}

// DefaultPolicy retries after ~2 s, doubling to at most 10 minutes, 12 tries.
var DefaultPolicy = Policy{Base: 2 * time.Second, Max: 10 * time.Minute, MaxAttempts: 12}

// Dispatcher drains the outbox.
type Dispatcher struct {
	store   *store.Store
	senders map[string]Sender
	now     func() time.Time
	policy  Policy
	mu      sync.Mutex // one drain at a time
	rnd     *rand.Rand
}

// New builds a dispatcher with a sender per kind.
func New(st *store.Store, senders map[string]Sender, now func() time.Time, policy Policy) *Dispatcher {
	return &Dispatcher{store: st, senders: senders, now: now, policy: policy, rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))}
}

// Result counts what a drain did.
type Result struct {
	Delivered, Retrying, Failed int
}

// Drain sends every due item, in batches, until none is due. Items left
// "sending" by a crash are released first: their idempotency keys make the
// resend harmless.
func (d *Dispatcher) Drain(ctx context.Context) (Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var res Result
	if _, err := d.store.ReleaseStale(ctx, d.now().Add(-2*time.Minute), d.now()); err != nil {
		return res, err
	}
	for {
		items, err := d.store.ClaimDue(ctx, d.now(), 64, d.kinds()...)
		if err != nil || len(items) == 0 {
			return res, err
		}
		// Deliveries of a batch are recorded in one commit. A crash before it
		// resends them; their idempotency keys make that harmless.
		var delivered []int64
		for _, it := range items {
			if err := ctx.Err(); err != nil {
				// Leave the rest for the next drain.
				d.store.MarkRetry(context.Background(), it.ID, "interrupted", d.now(), d.now())
				continue
			}
			if d.send(ctx, it, &res) {
				delivered = append(delivered, it.ID)
			}
		}
		if err := d.store.MarkDeliveredMany(ctx, delivered, d.now()); err != nil {
			return res, err
		}
	}
}

// send delivers one item and records a retry or failure; it reports
// whether the item was delivered (recorded by the caller).
func (d *Dispatcher) send(ctx context.Context, it store.OutboxItem, res *Result) bool {
	sender, ok := d.senders[it.Kind]
	var err error
	if !ok {
		err = fmt.Errorf("nothing can send %q items", it.Kind)
	} else {
		err = sender.Send(ctx, it)
	}
	now := d.now()
	switch retry, reason := shouldRetry(err); {
	case err == nil:
		res.Delivered++
		return true
	case retry && it.Attempts < d.policy.MaxAttempts:
		d.store.MarkRetry(ctx, it.ID, reason, now.Add(d.Backoff(it.Attempts)), now)
		res.Retrying++
	default:
		if retry {
			reason = fmt.Sprintf("gave up after %d tries: %s", it.Attempts, reason)
		}
		d.store.MarkFailed(ctx, it.ID, reason, now)
		res.Failed++
	}
	return false
}

// kinds are the kinds this dispatcher can send; it claims only those.
func (d *Dispatcher) kinds() []string {
	out := make([]string, 0, len(d.senders))
	for k := range d.senders {
		out = append(out, k)
	}
	return out
}

// Backoff is the wait before retry number attempt+1: exponential, capped,
// with jitter between half and all of it, so many clients don't retry in
// step.
func (d *Dispatcher) Backoff(attempt int) time.Duration {
	wait := float64(d.policy.Base) * math.Pow(2, float64(max(attempt-1, 0)))
	wait = math.Min(wait, float64(d.policy.Max))
	return time.Duration(wait * (0.5 + 0.5*d.rnd.Float64()))
}

// shouldRetry never retries a permanent failure.
func shouldRetry(err error) (bool, string) {
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
