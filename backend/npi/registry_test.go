package npi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"onramp/backend/forms"
)

var ctx = context.Background()

// registry serves registry-shaped answers from testdata by NPI, as the
// NPPES API does (status 200 even for its Errors), and counts requests.
func registry(t *testing.T, answers map[string]string, delay time.Duration) (*Registry, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Query().Get("version") != "2.1" {
			http.Error(w, "version", http.StatusBadRequest)
			return
		}
		time.Sleep(delay)
		file, ok := answers[r.URL.Query().Get("number")]
		if !ok {
			file = "none.json"
		}
		body, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	r := New(srv.URL + "/api/")
	return r, &hits
}

func TestLookup(t *testing.T) {
	r, hits := registry(t, map[string]string{"1234567893": "individual.json", "1245319599": "organization.json", "1982736450": "deactivated.json"}, 0)
	rec, err := r.Lookup(ctx, " 1234567893 ")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Name() != "Ana M Lima" || rec.Credential != "LCSW" || !rec.Active || rec.Organization || len(rec.Taxonomies) != 2 ||
		rec.Taxonomies[1].State != "WA" || rec.Taxonomies[1].License != "LW60001" || !rec.Taxonomies[0].Primary {
		t.Errorf("record %+v", rec)
	}
	if rec.Location == nil || rec.Location.City != "Portland" || rec.Location.ZIP != "97204-1234" || rec.Mailing == nil || rec.Mailing.Line1 != "PO BOX 12" {
		t.Errorf("addresses %+v %+v", rec.Location, rec.Mailing)
	}
	org, err := r.Lookup(ctx, "1245319599")
	if err != nil || !org.Organization || org.Name() != "RIVERSIDE MENTAL HEALTH LLC" {
		t.Errorf("organization %+v %v", org, err)
	}
	old, err := r.Lookup(ctx, "1982736450")
	if err != nil || old.Active || old.Deactivated != "2019-05-01" {
		t.Errorf("deactivated %+v %v", old, err)
	}
	if _, err := r.Lookup(ctx, "1457398760"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown NPI: %v", err)
	}
	if _, err := r.Lookup(ctx, "1234567890"); err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("an NPI failing its check digit was looked up: %v", err)
	}
	n := hits.Load()
	// A day's cache, for records and for "no such NPI".
	r.Lookup(ctx, "1234567893")
	r.Lookup(ctx, "1457398760")
	if hits.Load() != n {
		t.Errorf("cached answers asked again: %d requests, want %d", hits.Load(), n)
	}
	r.Now = func() time.Time { return time.Now().Add(CacheFor + time.Minute) }
	r.Lookup(ctx, "1234567893")
	if hits.Load() != n+1 {
		t.Errorf("a day-old answer was not asked again")
	}
}

// The registry's other shapes: the NPI as a JSON number; Errors with
// status 200; an unreadable answer; a server error; slowness past the
// limit; no server at all. None is cached.
func TestLookupWhenTheRegistryFails(t *testing.T) {
	r, _ := registry(t, map[string]string{"1234567893": "number-as-number.json", "1245319599": "errors.json"}, 0)
	if rec, err := r.Lookup(ctx, "1234567893"); err != nil || rec.NPI != "1234567893" || rec.Name() != "Ana Lima" {
		t.Errorf("number as a number: %+v %v", rec, err)
	}
	if _, err := r.Lookup(ctx, "1245319599"); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "requires 10 digits") {
		t.Errorf("Errors with 200: %v", err)
	}

	slow, hits := registry(t, map[string]string{"1234567893": "individual.json"}, 300*time.Millisecond)
	slow.Timeout = 100 * time.Millisecond
	start := time.Now()
	_, err := slow.Lookup(ctx, "1234567893")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "did not answer within") || time.Since(start) > 250*time.Millisecond {
		t.Errorf("slow: %v after %s", err, time.Since(start))
	}
	slow.Timeout = 2 * time.Second
	if _, err := slow.Lookup(ctx, "1234567893"); err != nil || hits.Load() != 2 {
		t.Errorf("a timeout was cached: %v, %d requests", err, hits.Load())
	}

	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("number") == "1234567893" {
			w.Write([]byte("<html>maintenance</html>"))
			return
		}
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer broken.Close()
	b := New(broken.URL)
	if _, err := b.Lookup(ctx, "1234567893"); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "could not be read") {
		t.Errorf("HTML: %v", err)
	}
	if _, err := b.Lookup(ctx, "1245319599"); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "503") {
		t.Errorf("503: %v", err)
	}
	broken.Close()
	if _, err := b.Lookup(ctx, "1245319599"); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "could not be reached") {
		t.Errorf("offline: %v", err)
	}
}

func TestCompare(t *testing.T) {
	r, _ := registry(t, map[string]string{"1234567893": "individual.json", "1245319599": "organization.json", "1982736450": "deactivated.json"}, 0)
	ana, _ := r.Lookup(ctx, "1234567893")
	org, _ := r.Lookup(ctx, "1245319599")
	old, _ := r.Lookup(ctx, "1982736450")
	codes := func(fs []Finding) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Code)
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		rec     Record
		name    string
		license forms.LicenseType
		want    string
	}{
		{ana, "Ana Lima", forms.LicenseLCSW, ""},
		{ana, "ANA  LIMA-SOUZA", forms.LicenseLCSW, ""},
		{ana, "Aná Lima", forms.LicenseLCSW, ""},
		{Record{NPI: "x", First: "Zoe", Last: "Lukasiewicz", Active: true}, "Zoë Łukasiewicz", "", ""},
		{ana, "Ann Lime", forms.LicenseLCSW, "name"},
		{ana, "Ana Lima", forms.LicensePsychiatrist, "taxonomy"},
		{ana, "", "", ""},
		{org, "Ana Lima", forms.LicenseLCSW, "organization"},
		{old, "Old Record", forms.LicenseLPC, "deactivated"},
	} {
		if got := codes(Compare(tt.rec, tt.name, tt.license)); got != tt.want {
			t.Errorf("%s / %q / %s: %q, want %q", tt.rec.NPI, tt.name, tt.license, got, tt.want)
		}
	}
	f := Compare(ana, "Ana Lima", forms.LicensePsychiatrist)
	if !strings.Contains(f[0].Message, "Social Worker, Clinical") {
		t.Errorf("the taxonomy finding: %q", f[0].Message)
	}
}

// CheckField, per field: the individual's NPI compared with the legal
// name and license; a group NPI expected to be an organization's; no
// record and no registry said in plain words, never as an error.
func TestCheckField(t *testing.T) {
	r, _ := registry(t, map[string]string{"1234567893": "individual.json", "1245319599": "organization.json"}, 0)
	who := Who{LegalName: "Ana Lima", License: forms.LicenseLCSW}
	if c := r.CheckField(ctx, "npi", "1234567893", who); c.Record == nil || len(c.Findings) != 0 || c.Note != "" {
		t.Errorf("a matching NPI: %+v", c)
	}
	if c := r.CheckField(ctx, "groupNpi", "1245319599", who); c.Record == nil || len(c.Findings) != 0 {
		t.Errorf("a group NPI: %+v", c)
	}
	if c := r.CheckField(ctx, "groupNpi", "1234567893", who); len(c.Findings) != 1 || c.Findings[0].Code != "individual" {
		t.Errorf("a person's NPI as the group's: %+v", c)
	}
	if c := r.CheckField(ctx, "npi", "1245319599", who); len(c.Findings) != 1 || c.Findings[0].Code != "organization" {
		t.Errorf("an organization's NPI as the individual's: %+v", c)
	}
	if c := r.CheckField(ctx, "npi", "1457398760", who); c.Record != nil || len(c.Findings) != 1 || c.Findings[0].Code != "not-found" {
		t.Errorf("no record: %+v", c)
	}
	offline := New("http://127.0.0.1:1/api/")
	if c := offline.CheckField(ctx, "npi", "1234567893", who); c.Record != nil || !strings.HasPrefix(c.Note, "The NPI Registry could not be checked just now") {
		t.Errorf("offline: %+v", c)
	}
	if c := r.CheckField(ctx, "npi", "12345", who); c.Record != nil || c.Note != "" || len(c.Findings) != 0 {
		t.Errorf("not an NPI yet: %+v", c)
	}
}

// The table of base letters is what Unicode's canonical decomposition
// says, for every rune it covers.
func TestBaseLettersAreNFD(t *testing.T) {
	check := func(lo rune, n int) {
		for r := lo; r < lo+rune(n); r++ {
			d := []rune(norm.NFD.String(string(r)))
			var want rune
			if base := unicode.ToLower(d[0]); len(d) > 1 && base < 128 && unicode.IsLetter(base) {
				want = base
			}
			if got := baseLetter(r); got != want {
				t.Errorf("%U %c: base %q, want %q", r, r, got, want)
			}
		}
	}
	check(latinLo, len(latinBase))
	check(latinExtLo, len(latinExt))
	for _, c := range []struct{ in, want string }{{"Nguyễn Văn An", "nguyen van an"}, {"Zoë Łukasiewicz", "zoe lukasiewicz"}, {"José Núñez-Pérez", "jose nunez perez"}} {
		got := words(c.in)
		for _, w := range strings.Fields(c.want) {
			if !got[w] {
				t.Errorf("words(%q) = %v, want %q", c.in, got, c.want)
			}
		}
	}
}
