package store_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// RaiseVersions: the versions of a form submitted before the network's
// floor was known are raised above it, in order, once; what the rewrite
// renumbers is queued again, what it drops is gone, and Submit numbers
// after the floor. A floor never falls, a version's number never goes
// down, and its content stays immutable.
func TestRaiseVersions(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		local  int            // general versions submitted before
		floors map[string]int // the enrollment's
		sent   map[string]bool
		shifts map[string]int
		after  string // general's versions after
		next   int    // the next general version
	}{
		{"nothing on the network", 2, nil, nil, nil, "1,2", 3},
		{"another computer's two", 2, map[string]int{"general": 2}, nil, map[string]int{"general": 2}, "3,4", 5},
		{"another computer's, nothing here yet", 0, map[string]int{"general": 3}, nil, nil, "", 4},
		{"only the other form", 1, map[string]int{"credentialing": 5}, nil, nil, "1", 2},
		// An app that sent a version before it knew of floors: its numbers
		// are the network's already; only new versions follow the floor.
		{"a version already sent", 2, map[string]int{"general": 2}, map[string]bool{"general": true}, nil, "1,2", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := storetest.New(t)
			for i := range c.local {
				_, err := s.Submit(ctx, store.Submission{Form: "general", SchemaVersion: 1, Data: []byte(fmt.Sprintf(`{"v":%d}`, i)),
					Hash: fmt.Sprintf("h%d", i), SubmittedAt: at}, "", func(v int) []store.OutboxItem {
					return []store.OutboxItem{{Kind: "submission", IdempotencyKey: fmt.Sprintf("submission/general/%d", v), Payload: []byte(`{}`)},
						{Kind: "packet", IdempotencyKey: fmt.Sprintf("packet/general/%d", v), Payload: []byte(`{}`)}}
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			shifts, err := s.RaiseVersions(ctx, c.floors, c.sent, at, func(it store.OutboxItem, shifts map[string]int) (store.OutboxItem, bool, bool, error) {
				var v int
				fmt.Sscanf(it.IdempotencyKey[strings.LastIndex(it.IdempotencyKey, "/")+1:], "%d", &v)
				if it.Kind == "packet" {
					return it, false, true, nil
				}
				it.IdempotencyKey = fmt.Sprintf("submission/general/%d", v+shifts["general"])
				return it, true, false, nil
			})
			if err != nil || !maps.Equal(shifts, c.shifts) {
				t.Fatalf("shifts %v %v, want %v", shifts, err, c.shifts)
			}
			subs, _ := s.Submissions(ctx, "general")
			var got []string
			for i, sub := range subs {
				got = append(got, fmt.Sprint(sub.Version))
				if string(sub.Data) != fmt.Sprintf(`{"v":%d}`, i) {
					t.Errorf("version %d holds %s", sub.Version, sub.Data)
				}
			}
			if strings.Join(got, ",") != c.after {
				t.Errorf("versions %v, want %s", got, c.after)
			}
			items, _ := s.Outbox(ctx)
			var keys []string
			for _, it := range items {
				if it.Kind == "packet" {
					if c.shifts != nil {
						t.Errorf("dropped item kept: %s", it.IdempotencyKey)
					}
					continue
				}
				keys = append(keys, it.IdempotencyKey[strings.LastIndex(it.IdempotencyKey, "/")+1:])
			}
			if strings.Join(keys, ",") != c.after {
				t.Errorf("queued uploads name %v, want %s", keys, c.after)
			}
			if v, err := s.Submit(ctx, store.Submission{Form: "general", SchemaVersion: 1, Data: []byte(`{"v":"next"}`), Hash: "hn", SubmittedAt: at}, "", nil); err != nil || v != c.next {
				t.Errorf("next version %d %v, want %d", v, err, c.next)
			}
			// The same floor again (a sync cut short re-enrolls), or a lower
			// one, changes nothing.
			if f := c.floors["general"]; f > 0 {
				for _, again := range []int{f, f - 1} {
					if shifts, err := s.RaiseVersions(ctx, map[string]int{"general": again}, c.sent, at, nil); err != nil || shifts != nil {
						t.Errorf("floor %d again: %v %v", again, shifts, err)
					}
				}
			}
			if f, _ := s.VersionFloor(ctx, "general"); f != c.floors["general"] {
				t.Errorf("floor %d, want %d", f, c.floors["general"])
			}
			for _, stmt := range []string{`UPDATE submissions SET data = 'tampered'`, `UPDATE submissions SET version = version - 1`, `UPDATE submissions SET hash = 'x'`} {
				if _, err := s.DB().Exec(stmt); err == nil {
					t.Errorf("%s was allowed", stmt)
				}
			}
		})
	}
}
