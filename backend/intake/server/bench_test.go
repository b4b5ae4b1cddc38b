package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"onramp/backend/dbtest"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkStatus200Clients: 200 concurrent providers each pull the status
// feed 25 times over loopback. Reports p50/p99 latency and requests per
// second. Run with -benchtime=1x.
func BenchmarkStatus200Clients(b *testing.B) {
	db, err := Open(ctx, dbtest.NewDB(b), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(NewServer(db).Handler())
	defer srv.Close()
	e := &env{t: b, db: db, srv: srv}
	const clients, each = 200, 25
	tokens := make([]string, clients)
	for i := range tokens {
		tokens[i] = e.enroll(fmt.Sprintf("p%d@example.org", i), fmt.Sprint("inst", i))
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	hc := &http.Client{Transport: tr}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		lat := make([]time.Duration, 0, clients*each)
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := time.Now()
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func(tok string) {
				defer wg.Done()
				for k := 0; k < each; k++ {
					req, _ := http.NewRequest("GET", srv.URL+"/v1/status", nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					t0 := time.Now()
					resp, err := hc.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					lat = append(lat, time.Since(t0))
					mu.Unlock()
				}
			}(tokens[c])
		}
		wg.Wait()
		elapsed := time.Since(start)
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	}
}
