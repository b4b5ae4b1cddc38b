package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// npiRegistry serves registry-shaped answers (API 2.1) kept in
// backend/npi/testdata by NPI, as the NPPES registry does; slow answers
// after the app's 2-second limit. It counts the requests.
func npiRegistry(t *testing.T, answers map[string]string, slow string) (string, *atomic.Int32) {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "backend", "npi", "testdata")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		q := r.URL.Query()
		if q.Get("version") != "2.1" {
			http.Error(w, "version", http.StatusBadRequest)
			return
		}
		if q.Get("number") == slow {
			select {
			case <-time.After(4 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		file, ok := answers[q.Get("number")]
		if !ok {
			file = "none.json"
		}
		body, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/", &hits
}

// TestNPIRegistryCheck: the Insurance form's NPI, checked by the Go backend
// against a registry on loopback (the page never calls it), shows what the
// registry holds and what does not match in plain words; one click fills
// the empty license fields and keeps what was typed; a slow registry only
// brings a quiet note.
func TestNPIRegistryCheck(t *testing.T) {
	dataDir := t.TempDir()
	seedAs(t, dataDir, "Ana Lima", "lcsw")
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, seed.GeneralData("Ana Lima", "lcsw")); err != nil || res.Version != 1 {
			t.Fatalf("seed the general form: %+v %v", res.Problems, err)
		}
	})
	url, hits := npiRegistry(t, map[string]string{"1234567893": "individual.json", "1245319599": "organization.json", "1982736450": "deactivated.json"}, "1457398760")
	dev := startDev(t, dataDir, "ONRAMP_NPI_URL="+url)
	b := newBrowser(t)
	openForm(t, b, dev.URL, "insurance-form")
	// The page itself never reaches the registry: only the backend does.
	origin := strings.TrimSuffix(url, "/api/")

	// An organization's NPI in the individual field.
	typeInto(t, b, "npi", "1245319599")
	waitJS(t, b, "the organization finding", `!!document.querySelector('#npi-check-npi [data-finding="organization"]')`)
	if got := eval[string](t, b, `document.querySelector('#npi-check-npi').textContent`); !strings.Contains(got, "RIVERSIDE MENTAL HEALTH LLC") {
		t.Errorf("the check shows %q", got)
	}
	checkScreen(t, b, "insurance-form-npi-check")

	// A deactivated NPI.
	typeInto(t, b, "npi", "1982736450")
	waitJS(t, b, "the deactivated finding", `!!document.querySelector('#npi-check-npi [data-finding="deactivated"]')`)

	// The provider's own: the record, no finding, and the fill button. A
	// license number typed by hand stays as typed.
	typeInto(t, b, "licenses.0.number", "X-1")
	typeInto(t, b, "npi", "1234567893")
	waitJS(t, b, "the record", `(document.querySelector('#npi-check-npi .npi-record')?.textContent ?? '').includes('Ana M Lima, LCSW')`)
	if n := eval[int](t, b, `document.querySelectorAll('#npi-check-npi [data-finding]').length`); n != 0 {
		t.Errorf("%d findings for a matching NPI: %s", n, eval[string](t, b, `document.querySelector('#npi-check-npi').textContent`))
	}
	b.do(t, "open what the registry lists", chromedp.Click(chromedp.CSS("#npi-check-npi-more summary")))
	more := eval[string](t, b, `document.querySelector('#npi-check-npi-more').innerText`)
	for _, want := range []string{"100 MAIN ST", "PO BOX 12", "OR license L1234", "WA license LW60001"} {
		if !strings.Contains(more, want) {
			t.Errorf("what the registry lists lacks %q: %q", want, more)
		}
	}
	screenshot(t, b, "e2e-npi-record.png")
	if live := eval[string](t, b, `document.querySelector('#npi-check-npi').getAttribute('aria-live')`); live != "polite" {
		t.Errorf("the check is announced %q, want polite", live)
	}
	b.do(t, "fill from the registry", chromedp.Click(chromedp.CSS("#npi-check-npi-fill")))
	waitJS(t, b, "what was filled", `!!document.querySelector('#npi-check-npi-filled')`)
	if got := eval[string](t, b, `document.querySelector('#npi-check-npi-filled').textContent`); !strings.Contains(got, "OR license L1234") || !strings.Contains(got, "WA license LW60001") {
		t.Errorf("the panel says %q", got)
	}
	// A picker (the state) keeps its value in data-value; a text field in value.
	got := eval[[]string](t, b, `[0, 1, 2].map((i) => ['state', 'number', 'type'].map((f) => {
		const e = document.querySelector('#f-licenses-' + i + '-' + f);
		return e ? (e.dataset.value ?? e.value) : '';
	}).join(' '))`)
	if got[0] != " X-1 " || got[1] != "OR L1234 LCSW" || got[2] != "WA LW60001 LCSW" {
		t.Errorf("licenses after the fill: %q (the typed X-1 must stay; the registry's go into new ones)", got)
	}

	// A registry slower than 2 seconds: a quiet note, and the form goes on.
	typeInto(t, b, "npi", "1457398760")
	waitJS(t, b, "the quiet note", `(document.querySelector('#npi-check-npi')?.textContent ?? '').includes('could not be checked just now')`)
	typeInto(t, b, "caqhId", "12345678")
	waitJS(t, b, "the form still saving", `(document.querySelector('#save-state')?.textContent ?? '').includes('Saved')`)

	if hits.Load() < 4 {
		t.Errorf("the registry was asked %d times", hits.Load())
	}
	if eval[bool](t, b, js(`performance.getEntriesByType('resource').some((e) => e.name.startsWith(%q))`, origin)) {
		t.Error("the page called the registry itself")
	}
	leave(t, b)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}
