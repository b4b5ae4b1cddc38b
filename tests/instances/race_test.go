package instances

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

// 100 identical requests (one Idempotency-Key, one body) raced across both
// instances make one write; every other answer is the stored one or a
// retryable 409 or 503, never a second write or a 500.
func TestTwoInstancesRaceOneWrite(t *testing.T) {
	c := newCluster(t)
	a, b := c.startTwo()
	_, token := c.enrolled(a.url, "zoe@example.org")
	body := upload(1)
	type answer struct {
		status int
		body   string
	}
	answers := make([]answer, 100)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range answers {
		target := a.url
		if i%2 == 1 {
			target = b.url
		}
		wg.Go(func() {
			// Each its own connection, open before the start, so that all
			// arrive together.
			client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}
			if resp, err := client.Get(target + "/healthz"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			req, _ := http.NewRequest(http.MethodPost, target+"/v1/submissions", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Idempotency-Key", "submission/general/1")
			<-start
			resp, err := client.Do(req)
			if err != nil {
				answers[i] = answer{0, err.Error()}
				return
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			answers[i] = answer{resp.StatusCode, string(raw)}
		})
	}
	close(start)
	wg.Wait()

	db := c.sqlDB()
	if n, err := c.count(db, `SELECT COUNT(*) FROM submissions`); err != nil || n != 1 {
		t.Fatalf("%d submissions stored (%v), want exactly 1", n, err)
	}
	counts := map[int]int{}
	var stored string
	for _, a := range answers {
		counts[a.status]++
		switch a.status {
		case 201:
			if stored == "" {
				stored = a.body
			} else if a.body != stored {
				t.Errorf("two different answers to one write:\n%s\n%s", stored, a.body)
			}
		case 409, 503:
		default:
			t.Errorf("answered %d: %s", a.status, a.body)
		}
	}
	if counts[201] == 0 {
		t.Fatalf("no request was answered as written: %v", counts)
	}
	// The race really was one: the two instances were answering at the
	// same moment (their request log lines' intervals overlap).
	overlaps := 0
	for _, x := range a.requests("POST /v1/submissions") {
		for _, y := range b.requests("POST /v1/submissions") {
			if x.start.Before(y.end) && y.start.Before(x.end) {
				overlaps++
			}
		}
	}
	if overlaps == 0 {
		t.Errorf("the instances never answered at the same moment: the requests did not race")
	}
	retried := a.metric("onramp_intake_conflicts_retried_total") + b.metric("onramp_intake_conflicts_retried_total")
	t.Logf("answers by status: %v; overlapping pairs of requests on the two instances: %d; transactions run again after a conflict: %v",
		counts, overlaps, retried)
}
