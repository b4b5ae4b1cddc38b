package console

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake/server"
)

const (
	benchProviders = 10_000
	benchRequests  = 300 // per page measured
)

// BenchmarkConsolePages measures the console's server time (the handler,
// from request to the last byte of the page, without the network) over
// 10,000 providers and 50,000 submissions: the provider list (its first
// and a late page, two queues, a name and an NPI search) and provider
// pages. It reports the median and p95 of benchRequests requests each.
func BenchmarkConsolePages(b *testing.B) {
	dsn := dbtest.NewDB(b)
	db, err := server.Open(ctx, dsn, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	seedConsole(b, dsn)
	if _, err := db.AddStaff(ctx, "ann@network.example", server.RoleSupport, pw); err != nil {
		b.Fatal(err)
	}
	session, _, err := db.StaffLogin(ctx, "ann@network.example", pw, "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	h := New(db, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, page := range []struct {
		name string
		path func() string
	}{
		{"list", func() string { return "/console/" }},
		{"list-page-100", func() string { return "/console/?page=100" }},
		{"awaiting-review", func() string { return "/console/?queue=awaiting-review" }},
		{"expiring", func() string { return "/console/?queue=expiring" }},
		{"past-day-45", func() string { return "/console/?queue=past-day-45" }},
		{"open-tickets", func() string { return "/console/?queue=open-tickets" }},
		{"search-name", func() string { return fmt.Sprintf("/console/?q=provider+%d", 1+rnd.IntN(benchProviders)) }},
		{"search-npi", func() string { return "/console/?q=" + npiOf(1+rnd.IntN(benchProviders)) }},
		{"provider", func() string { return "/console/providers/" + strconv.Itoa(1+rnd.IntN(benchProviders)) }},
	} {
		b.Run(dbtest.Engine()+"/"+page.name, func(b *testing.B) {
			for range b.N {
				times := make([]time.Duration, 0, benchRequests)
				for range benchRequests {
					req := httptest.NewRequest("GET", page.path(), nil)
					req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
					w := httptest.NewRecorder()
					t0 := time.Now()
					h.ServeHTTP(w, req)
					times = append(times, time.Since(t0))
					if w.Code != 200 {
						b.Fatalf("%s: %d", req.URL, w.Code)
					}
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			}
		})
	}
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

func npiOf(i int) string { return fmt.Sprintf("1%09d", i) }

// seedConsole writes the providers straight into the database (through the
// API it would take minutes): each enrolled from an invitation, with two
// General Onboarding and three Insurance form versions of realistic size
// in a mix of review states; some with an effective date, a help request
// or a pending request.
func seedConsole(b testing.TB, dsn string) {
	b.Helper()
	driver := "sqlite3"
	if server.IsPostgres(dsn) {
		driver = "pgx"
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	stamp := now.Format(time.RFC3339Nano)
	general := forms.NewData()
	for k, v := range map[string]string{"legalName": "Provider", "directoryName": "Provider", "credentials": "LCSW", "licenseType": "lcsw",
		"practiceName": "Riverside Mental Health", "phone": "(415) 555-2671", "email": "provider@example.org", "acceptingNewClients": "yes",
		"cashPayRate": "180", "statesLicensed": "CA", "specialties": "anxiety,depression", "populations": "adults", "modalities": "cbt",
		"languages": "en,es", "bio": "I help adults with anxiety and depression find steadier ground with practical, skills-based therapy."} {
		general.Fields[k] = v
	}
	general.Groups["locations"] = []map[string]string{{"kind": "telehealth", "state": "CA"}}
	for i := 1; i <= benchProviders; i++ {
		token := sha256.Sum256([]byte(strconv.Itoa(i)))
		name := fmt.Sprintf("Provider %d", i)
		exec := func(q string, args ...any) {
			if _, err := tx.Exec(q, args...); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
		exec(`INSERT INTO providers (id, email, name, installation, token_hash, created_at, npi) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			i, fmt.Sprintf("p%d@example.org", i), name, fmt.Sprintf("i-%d", i), hex.EncodeToString(token[:]), stamp, npiOf(i))
		exec(`INSERT INTO invitations (code, email, created_at, provider) VALUES ($1, $2, $3, $4)`, fmt.Sprintf("CODE-%d", i), fmt.Sprintf("p%d@example.org", i), stamp, i)
		for v := 1; v <= 2; v++ {
			general.Fields["practiceName"] = fmt.Sprintf("Practice %d/%d", i, v)
			review := []string{"received", "reviewed", "returned"}[(i+v)%3]
			exec(`INSERT INTO submissions (provider, form, version, schema_version, hash, data, submitted_at, received_at, review, installation, earliest_expiry, latest)
				VALUES ($1, 'general', $2, 1, $3, $4, $5, $5, $6, $7, '', $8)`, i, v, general.Hash(), string(general.Encode()), stamp, review, fmt.Sprintf("i-%d", i), flag(v == 2))
		}
		// Insurance forms received over the last 90 days: some past day 45.
		received := now.AddDate(0, 0, -(i % 90)).Format(time.RFC3339Nano)
		for v := 1; v <= 3; v++ {
			expires := now.AddDate(0, 0, 30+(i*7+v)%900).Format(time.DateOnly)
			d := forms.NewData()
			for k, val := range map[string]string{"caqhId": "12345678", "npi": npiOf(i), "carrier": "CPH & Associates", "policyNumber": "PL-99812",
				"perClaim": "1000000", "aggregate": "3000000", "policyExpires": expires, "attestName": name, "attestTrue": "yes"} {
				d.Fields[k] = val
			}
			d.Groups["licenses"] = []map[string]string{{"state": "CA", "number": fmt.Sprintf("LCSW%d", i), "type": "LCSW", "issued": "2018-06-01", "expires": expires}}
			d.Groups["education"] = []map[string]string{{"degree": "MSW", "institution": "UCSF", "start": "2014-09-01", "end": "2016-06-01"}}
			d.Groups["work"] = []map[string]string{{"employer": "Bay Clinic", "role": "Therapist", "start": "2019-01-01", "current": "yes"}}
			review := []string{"received", "reviewed", "returned"}[(i+v)%3]
			exec(`INSERT INTO submissions (provider, form, version, schema_version, hash, data, submitted_at, received_at, review, installation, earliest_expiry, latest)
				VALUES ($1, 'credentialing', $2, 2, $3, $4, $5, $5, $6, $7, $8, $9)`, i, v, d.Hash(), string(d.Encode()), received, review, fmt.Sprintf("i-%d", i), expires, flag(v == 3))
		}
		if i%3 == 0 {
			exec(`INSERT INTO effective_dates (provider, date) VALUES ($1, $2)`, i, now.AddDate(0, 1, 0).Format(time.DateOnly))
		}
		if i%20 == 0 {
			exec(`INSERT INTO tickets (provider, subject, message, created_at) VALUES ($1, 'Claims', 'How do I bill?', $2)`, i, stamp)
			exec(`INSERT INTO requests (provider, ref, kind, target, reason, created_at) VALUES ($1, 'r1', 'add-payer', 'Aetna', 'Clients ask', $2)`, i, stamp)
		}
	}
	if driver == "pgx" {
		for _, table := range []string{"providers", "submissions", "tickets", "requests"} {
			if _, err := tx.Exec(fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))`, table, table)); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// As autovacuum (PostgreSQL) or a maintenance run (SQLite) would leave
	// a database in use: statistics for the planner, PostgreSQL's
	// visibility map for index-only scans.
	maintain := `ANALYZE`
	if driver == "pgx" {
		maintain = `VACUUM ANALYZE`
	}
	if _, err := conn.Exec(maintain); err != nil {
		b.Fatal(err)
	}
}
