package instances

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake/server"
	"onramp/backend/testenv"
)

// The load a network's intake service carries: 200 apps at once, over
// 10,000 enrolled providers, pulling the status feed and sending
// submissions (4 to 1), for 10 seconds. Against one instance on SQLite and
// against two on PostgreSQL (the apps spread over both, as a load balancer
// would; PostgreSQL durable: fsync and synchronous commits). Reports
// requests per second and p50/p99 latency. Run with -benchtime=1x (make
// bench).
func BenchmarkLoad(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "onramp-intake")
	if out, err := exec.Command("go", "build", "-o", bin, "onramp/cmd/onramp-intake").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	b.Run("sqlite-1", func(b *testing.B) {
		db := filepath.Join(b.TempDir(), "intake.db")
		runLoad(b, &cluster{t: b, db: db, bin: bin}, 1)
	})
	b.Run("postgres-2", func(b *testing.B) {
		pg, err := dbtest.StartPostgres(dbtest.Options{Durable: true})
		if err != nil {
			testenv.Missing(b, "PostgreSQL: %v", err)
		}
		defer pg.Close()
		db, err := pg.NewDatabase(ctx)
		if err != nil {
			b.Fatal(err)
		}
		runLoad(b, &cluster{t: b, pg: pg, db: db, bin: bin}, 2)
	})
}

const (
	loadProviders = 10_000
	loadClients   = 200
	loadFor       = 10 * time.Second
	loadWrites    = 20 // percent of requests that are submissions
)

func runLoad(b *testing.B, c *cluster, instances int) {
	if out, err := exec.Command(c.bin, "migrate", "--db", c.db).CombinedOutput(); err != nil {
		b.Fatalf("migrate: %v\n%s", err, out)
	}
	tokens := seedProviders(b, c.db)
	var urls []string
	var running []*instance
	for range instances {
		in := c.start()
		running = append(running, in)
		urls = append(urls, in.url)
	}
	for n := 0; n < b.N; n++ {
		lat, failed, elapsed := drive(urls, tokens, "/v1/status", loadWrites)
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
		if len(failed) > 0 {
			b.Errorf("requests failed: %v", failed)
			for _, in := range running {
				b.Log(in.log.matching(`"level":"WARN"`, `"level":"ERROR"`, 5))
			}
		}
		// The same load on /healthz, which touches no database: what HTTP
		// and the request log alone cost on this machine.
		lat, _, elapsed = drive(urls, tokens, "/healthz", 0)
		slices.Sort(lat)
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "healthz-req/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "healthz-p99-ms")
	}
}

// seedProviders writes 10,000 enrolled providers, each with a submitted
// General Onboarding form, straight into the database (enrolling them
// through the API would take longer than the measurement), and returns
// their tokens.
func seedProviders(b *testing.B, dbURL string) []string {
	driver := "sqlite3"
	if server.IsPostgres(dbURL) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	d := forms.NewData()
	d.Fields["note"] = "seeded"
	data, hash := d.Encode(), d.Hash()
	tokens := make([]string, loadProviders)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("%064x", i+1)
		sum := sha256.Sum256([]byte(tokens[i]))
		if _, err := tx.Exec(`INSERT INTO providers (id, email, name, installation, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			i+1, fmt.Sprintf("p%d@example.org", i+1), fmt.Sprintf("Provider %d", i+1), fmt.Sprintf("i-%d", i+1), hex.EncodeToString(sum[:]), now); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO submissions (provider, form, version, schema_version, hash, data, submitted_at, received_at, installation)
			VALUES ($1, 'general', 1, 1, $2, $3, $4, $4, $5)`, i+1, hash, string(data), now, fmt.Sprintf("i-%d", i+1)); err != nil {
			b.Fatal(err)
		}
	}
	if driver == "pgx" {
		if _, err := tx.Exec(`SELECT setval(pg_get_serial_sequence('providers', 'id'), $1)`, loadProviders); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return tokens
}

// drive runs the 200 clients for loadFor, each request a GET of read or
// (writes percent of them) a submission, and returns every request's
// latency, what failed, and the time taken.
func drive(urls, tokens []string, read string, writes int) ([]time.Duration, map[string]int, time.Duration) {
	tr := &http.Transport{MaxIdleConnsPerHost: loadClients, MaxConnsPerHost: loadClients}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	failed := map[string]int{}
	start := time.Now()
	deadline := start.Add(loadFor)
	var wg sync.WaitGroup
	for c := range loadClients {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(c), 1))
			// Each client is the app of its own 50 providers, so that
			// their versions count up without colliding.
			mine := tokens[c*len(tokens)/loadClients : (c+1)*len(tokens)/loadClients]
			versions := make([]int, len(mine))
			var own []time.Duration
			bad := map[string]int{}
			for i := 0; time.Now().Before(deadline); i++ {
				p := rnd.IntN(len(mine))
				url := urls[i%len(urls)]
				var req *http.Request
				if rnd.IntN(100) < writes {
					versions[p]++
					req, _ = http.NewRequest(http.MethodPost, url+"/v1/submissions", bytes.NewReader(upload(versions[p]+1)))
					req.Header.Set("Idempotency-Key", fmt.Sprintf("load/%d/%d", p, versions[p]))
				} else {
					req, _ = http.NewRequest(http.MethodGet, url+read, nil)
				}
				req.Header.Set("Authorization", "Bearer "+mine[p])
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					bad[err.Error()]++
					continue
				}
				answer, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				own = append(own, time.Since(t0))
				if resp.StatusCode >= 300 {
					bad[fmt.Sprintf("%s %d %.80s", req.Method, resp.StatusCode, answer)]++
				}
			}
			mu.Lock()
			lat = append(lat, own...)
			for k, v := range bad {
				failed[k] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return lat, failed, time.Since(start)
}
