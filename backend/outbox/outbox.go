// Package outbox sends what the app queued (submissions, help requests,
// emails) when it can: due items are claimed, handed to the sender for
// their kind, and marked delivered, retried later with backoff and jitter,
// or failed with the reason when retrying cannot help.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"onramp/backend/retry"
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

// Dispatcher drains the outbox.
type Dispatcher struct {
	store   *store.Store
	senders map[string]Sender
	now     func() time.Time
	policy  retry.Policy
	mu      sync.Mutex // one drain at a time
}

// New builds a dispatcher with a sender per kind, retrying on policy's
// schedule (retry.Outbox in the app).
func New(st *store.Store, senders map[string]Sender, now func() time.Time, policy retry.Policy) *Dispatcher {
	return &Dispatcher{store: st, senders: senders, now: now, policy: policy}
}

// Reasons the outbox gives itself, in the words the sync panel shows.
const (
	reasonInterrupted = "Sending was cut short. Onramp tries again by itself."
	reasonNoSender    = "This version of Onramp can't send this kind of item. Update Onramp, then choose Retry."
)

// Result counts what a drain did.
type Result struct {
	Delivered, Retrying, Failed int
}

// Drain sends every due item, in batches, until none is due. Items left
// "sending" longer than the policy's Stale window (a crash mid-send) are
// released first: their idempotency keys make the resend harmless. An
// error recording an outcome stops the drain and is returned: the item
// stays claimed and is released once stale, so nothing is lost or sent
// twice without its key.
func (d *Dispatcher) Drain(ctx context.Context) (Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var res Result
	if d.policy.Stale > 0 {
		if _, err := d.store.ReleaseStale(ctx, d.now().Add(-d.policy.Stale), d.now()); err != nil {
			return res, fmt.Errorf("release abandoned sends: %w", err)
		}
	}
	for {
		items, err := d.store.ClaimDue(ctx, d.now(), 64, d.kinds()...)
		if err != nil || len(items) == 0 {
			return res, err
		}
		// Deliveries of a batch are recorded in one commit. A crash before it
		// resends them; their idempotency keys make that harmless.
		var delivered []int64
		var errs []error
		for _, it := range items {
			if err := ctx.Err(); err != nil {
				// Leave the rest for the next drain, due at once.
				if err := d.store.MarkRetry(context.WithoutCancel(ctx), it.ID, reasonInterrupted, d.now(), d.now()); err != nil {
					errs = append(errs, fmt.Errorf("put back item %d: %w", it.ID, err))
				}
				continue
			}
			ok, err := d.send(ctx, it, &res)
			if ok {
				delivered = append(delivered, it.ID)
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
		if err := d.store.MarkDeliveredMany(context.WithoutCancel(ctx), delivered, d.now()); err != nil {
			errs = append(errs, fmt.Errorf("record %d deliveries: %w", len(delivered), err))
		}
		if err := errors.Join(errs...); err != nil {
			return res, err
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
}

// send delivers one item and records a retry or failure; it reports
// whether the item was delivered (recorded by the caller), and an error
// when the outcome could not be recorded.
func (d *Dispatcher) send(ctx context.Context, it store.OutboxItem, res *Result) (delivered bool, _ error) {
	sender, ok := d.senders[it.Kind]
	var err error
	if !ok {
		log.Printf("outbox: nothing can send %q items (item %d)", it.Kind, it.ID)
		err = errors.New(reasonNoSender)
	} else {
		err = sender.Send(ctx, it)
	}
	now := d.now()
	// The outcome is recorded even if ctx ended meanwhile: losing it would
	// resend a failed item, or retry one that must not be.
	rec := context.WithoutCancel(ctx)
	switch again, reason := retry.ShouldRetry(err); {
	case err == nil:
		res.Delivered++
		return true, nil
	case again && !d.policy.GiveUp(it.Attempts):
		if err := d.store.MarkRetry(rec, it.ID, reason, now.Add(d.Backoff(it.Attempts)), now); err != nil {
			return false, fmt.Errorf("record a retry of item %d: %w", it.ID, err)
		}
		res.Retrying++
	default:
		if again {
			reason = fmt.Sprintf("gave up after %d tries: %s", it.Attempts, reason)
		}
		if err := d.store.MarkFailed(rec, it.ID, reason, now); err != nil {
			return false, fmt.Errorf("record the failure of item %d: %w", it.ID, err)
		}
		res.Failed++
	}
	return false, nil
}

// kinds are the kinds this dispatcher can send; it claims only those.
func (d *Dispatcher) kinds() []string {
	out := make([]string, 0, len(d.senders))
	for k := range d.senders {
		out = append(out, k)
	}
	return out
}

// Backoff is the wait after attempts failed tries, by the policy.
func (d *Dispatcher) Backoff(attempts int) time.Duration { return d.policy.Backoff(attempts) }
