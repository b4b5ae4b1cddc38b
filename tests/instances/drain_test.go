package instances

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"onramp/backend/clocktest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/outbox"
	"onramp/backend/retry"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

// startTwo starts two instances at the same moment on a new database: both
// migrate it, under PostgreSQL's advisory lock, so it is migrated once.
func (c *cluster) startTwo(extra ...string) (*instance, *instance) {
	c.t.Helper()
	var a, b *instance
	var wg sync.WaitGroup
	wg.Go(func() { a = c.start(extra...) })
	wg.Go(func() { b = c.start(extra...) })
	wg.Wait()
	if a == nil || b == nil {
		c.t.FailNow()
	}
	for _, in := range []*instance{a, b} {
		if status, body := in.get("/readyz", ""); status != 200 {
			c.t.Fatalf("an instance is not ready: %d %s", status, body)
		}
	}
	return a, b
}

// sqlDB opens the cluster's database for the test to count rows.
func (c *cluster) sqlDB() *sql.DB {
	c.t.Helper()
	db, err := sql.Open("pgx", c.db)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { db.Close() })
	return db
}

func (c *cluster) count(db *sql.DB, query string) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, query).Scan(&n)
	return n, err
}

// enrolled is an app's client enrolled through url, and its token.
func (c *cluster) enrolled(url, email string) (*intake.Client, string) {
	c.t.Helper()
	code := strings.TrimSpace(c.command("invite", "--email", email))
	client, err := intake.NewClient(url, "", 10*time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	tok, err := client.Enroll(ctx, code, "laptop-"+email, "Provider "+email, email)
	if err != nil {
		c.t.Fatal(err)
	}
	return client.WithToken(tok), tok
}

func upload(version int) json.RawMessage {
	d := forms.NewData()
	d.Fields["note"] = fmt.Sprint("version ", version)
	payload, _ := json.Marshal(intake.SubmissionUpload{Form: "general", Version: version, SchemaVersion: 1, Hash: d.Hash(),
		SubmittedAt: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), Data: d.Encode()})
	return payload
}

// 1,000 queued submissions drained through two instances behind a
// misbehaving balancer (20% of submissions meet a 503, a lost answer or a
// stall), while one instance is killed with SIGKILL and started again and
// then PostgreSQL itself is restarted (meanwhile both instances answer 503
// and then reconnect by themselves): every submission is stored exactly
// once.
func TestTwoInstancesDrainThroughCrashes(t *testing.T) {
	c := newCluster(t)
	a, b := c.startTwo()
	lb := newBalancer(a.url, b.url)
	srv := httptest.NewServer(lb)
	defer srv.Close()
	client, token := c.enrolled(srv.URL, "zoe@example.org")
	client = client.WithTimeout(appTimeout)
	rnd := rand.New(rand.NewPCG(7, 8))
	var faults [4]int
	lb.faults = func() int { // called under the balancer's lock
		f := 0
		if rnd.Float64() < 0.2 {
			f = []int{1, 1, 1, 1, 2, 2, 2, 2, 3}[rnd.IntN(9)]
		}
		faults[f]++
		return f
	}

	st := storetest.New(t)
	const n = 1000
	for i := 1; i <= n; i++ {
		if _, err := st.Enqueue(ctx, store.OutboxItem{Kind: "submission", IdempotencyKey: fmt.Sprintf("submission/general/%d", i), Payload: upload(i), CreatedAt: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	clk := clocktest.New(time.Unix(1_000_000, 0))
	d := outbox.New(st, map[string]outbox.Sender{
		"submission": outbox.SenderFunc(func(ctx context.Context, it store.OutboxItem) error {
			return client.Submit(ctx, it.IdempotencyKey, it.Payload)
		}),
	}, clk.Now, retry.Policy{Base: time.Second, Max: time.Minute, MaxAttempts: 1000})

	// The trouble, while the drain runs: at 300 stored, instance a dies
	// and a new one takes its place; at 600, PostgreSQL restarts.
	db := c.sqlDB()
	chaosDone := make(chan struct{})
	var during []string // what the instances answered while PostgreSQL was down
	go func() {
		defer close(chaosDone)
		wait := func(stored int) bool {
			for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if got, err := c.count(db, `SELECT COUNT(*) FROM submissions`); err == nil && got >= stored {
					return true
				}
			}
			t.Errorf("never reached %d stored submissions", stored)
			return false
		}
		if !wait(300) {
			return
		}
		a.kill()
		time.Sleep(200 * time.Millisecond) // the balancer meets the dead instance meanwhile
		a2 := c.start()
		lb.replace(a.url, a2.url)
		if !wait(600) {
			return
		}
		if err := c.pg.Stop("immediate"); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
			return
		}
		for _, in := range []*instance{a2, b} {
			status, body := in.get("/v1/status", token)
			during = append(during, fmt.Sprintf("%d %s", status, body))
		}
		time.Sleep(time.Second)
		if err := c.pg.Start(); err != nil {
			t.Errorf("start PostgreSQL again: %v", err)
		}
	}()

	total := outbox.Result{}
	for round := 0; round < 400; round++ {
		res, err := d.Drain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total.Delivered += res.Delivered
		total.Retrying += res.Retrying
		total.Failed += res.Failed
		clk.Add(2 * time.Minute) // every backoff has passed
		items, _ := st.Outbox(ctx)
		if allDelivered(items) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	<-chaosDone
	items, _ := st.Outbox(ctx)
	if !allDelivered(items) {
		t.Fatalf("not all delivered: %+v; balancer %s", total, lb)
	}
	stored, err := c.count(db, `SELECT COUNT(*) FROM submissions`)
	if err != nil {
		t.Fatal(err)
	}
	versions, _ := c.count(db, `SELECT COUNT(DISTINCT version) FROM submissions`)
	if stored != n || versions != n {
		t.Fatalf("the database holds %d submissions (%d versions), want exactly %d", stored, versions, n)
	}
	if len(during) != 2 {
		t.Fatalf("PostgreSQL's restart was not reached: %v", during)
	}
	for _, answer := range during {
		if !strings.HasPrefix(answer, "503 ") || !strings.Contains(answer, `"unavailable"`) {
			t.Errorf("while PostgreSQL was down an instance answered %s, want 503 unavailable", answer)
		}
	}
	if total.Failed != 0 || faults[1] == 0 || faults[2] == 0 || faults[3] == 0 {
		t.Errorf("faults not all exercised, or items failed: %+v, faults %v", total, faults)
	}
	t.Logf("%d stored exactly once: %d retries; faults (none, 503, lost answer, stall) %v; balancer %s", n, total.Retrying, faults, lb)
}

func allDelivered(items []store.OutboxItem) bool {
	for _, it := range items {
		if it.State != store.OutboxDelivered {
			return false
		}
	}
	return len(items) > 0
}
