package server

import (
	"sync"
	"time"
)

// RateLimit is a token bucket: Burst messages at once, then one per Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// rateLimiter keeps one bucket per provider, in memory: a restart gives
// every provider a full bucket again, which is fine for a limit meant to
// stop a runaway or stolen token from flooding the relay, not to bill.
type rateLimiter struct {
	limit RateLimit
	now   func() time.Time

	mu      sync.Mutex
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(limit RateLimit, now func() time.Time) *rateLimiter {
	return &rateLimiter{limit: limit, now: now, buckets: map[int64]*bucket{}}
}

// take spends one of provider's tokens, or says there is none left.
func (l *rateLimiter) take(provider int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[provider]
	if !ok {
		b = &bucket{tokens: float64(l.limit.Burst), at: now}
		l.buckets[provider] = b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(float64(l.limit.Burst), b.tokens+float64(elapsed)/float64(l.limit.Every))
		b.at = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
