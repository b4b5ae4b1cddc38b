package npi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkLookup: an NPI looked up against a registry on loopback that
// answers at once with a real-sized record (uncached: a new NPI each
// time), and from the day's cache.
func BenchmarkLookup(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "individual.json"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Answer for whichever NPI was asked, as the registry would.
		n := r.URL.Query().Get("number")
		w.Write([]byte(fmt.Sprintf(`{"result_count":1,"results":[{"enumeration_type":"NPI-1","number":%q,%s`, n, body[len(`{"result_count":1,"results":[{"created_epoch":"1183507200000","enumeration_type":"NPI-1","last_updated_epoch":"1700000000000","number":"1234567893",`):])))
	}))
	defer srv.Close()
	b.Run("uncached", func(b *testing.B) {
		npis := validNPIs(b.N) // each asked once: never from the cache
		r := New(srv.URL)
		b.ResetTimer()
		for i := range b.N {
			if _, err := r.Lookup(ctx, npis[i]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/lookup")
	})
	b.Run("cached", func(b *testing.B) {
		r := New(srv.URL)
		if _, err := r.Lookup(ctx, "1234567893"); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		b.ResetTimer()
		for range b.N {
			if _, err := r.Lookup(ctx, "1234567893"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Nanoseconds())/1000/float64(b.N), "µs/lookup")
	})
}

// validNPIs makes n NPIs that pass the check digit (Luhn over 80840 and the
// first nine digits).
func validNPIs(n int) []string {
	out := make([]string, 0, n)
	for base := 100000000; len(out) < n; base++ {
		digits := fmt.Sprintf("80840%09d", base)
		sum := 0
		for i := len(digits) - 1; i >= 0; i-- {
			d := int(digits[i] - '0')
			if (len(digits)-1-i)%2 == 0 {
				d *= 2
				if d > 9 {
					d -= 9
				}
			}
			sum += d
		}
		out = append(out, fmt.Sprintf("%09d%d", base, (10-sum%10)%10))
	}
	return out
}
