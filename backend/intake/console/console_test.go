package console

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"onramp/backend/dbtest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
)

// Every test here runs on SQLite, then on PostgreSQL.
func TestMain(m *testing.M) { os.Exit(dbtest.RunEngines(m)) }

var ctx = context.Background()

const pw = "Copper-Lantern-73-moss"

type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newConsole(t *testing.T) (*browser, *server.DB) {
	t.Helper()
	db, err := server.Open(ctx, dbtest.NewDB(t), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddStaff(ctx, "ann@network.example", server.RoleSupport, pw); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewServer(db, server.WithConsole(New(db, slog.Default()).Handler())).Handler())
	t.Cleanup(func() { srv.Close(); db.Close() })
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: srv.URL, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}, db
}

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

func csrfIn(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

func (b *browser) login(email, password string) (*http.Response, string) {
	b.t.Helper()
	_, page := b.do("GET", "/console/login", nil)
	return b.do("POST", "/console/login", url.Values{"csrf": {csrfIn(b.t, page)}, "email": {email}, "password": {password}})
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.base + "/console/")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Sign in and out: the login page and its token; every failure answered
// alike; a new session ID at login (a cookie planted before is worthless);
// the cookie's attributes; logout with its token only; the headers on
// every page.
func TestLoginLogout(t *testing.T) {
	b, _ := newConsole(t)
	checkHeaders := func(resp *http.Response) {
		t.Helper()
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s %s: headers %v", resp.Request.Method, resp.Request.URL.Path, h)
		}
	}
	resp, _ := b.do("GET", "/console/", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/login" {
		t.Fatalf("signed out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	checkHeaders(resp)
	resp, page := b.do("GET", "/console/login", nil)
	checkHeaders(resp)
	if resp.StatusCode != 200 || !strings.Contains(page, `<label for="password">Password</label>`) {
		t.Fatalf("login page: %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := b.do("POST", "/console/login", url.Values{"email": {"ann@network.example"}, "password": {pw}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without its token: %d", resp.StatusCode)
	}

	message := regexp.MustCompile(`<p class="error" role="alert" id="login-error">([^<]*)</p>`)
	_, wrong := b.login("ann@network.example", "Wrong-Lantern-73-moss")
	_, unknown := b.login("nobody@network.example", pw)
	if m1, m2 := message.FindStringSubmatch(wrong), message.FindStringSubmatch(unknown); m1 == nil || m2 == nil || m1[1] != m2[1] {
		t.Errorf("a wrong password and an unknown account answered differently: %q / %q", m1, m2)
	}

	// A session ID planted before login is worthless after it.
	u, _ := url.Parse(b.base + "/console/")
	planted := strings.Repeat("ab", 32)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/console/"}})
	resp, _ = b.login("ann@network.example", pw)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/" {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	var set *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			set = c
		}
	}
	if set == nil || set.Value == planted || !set.HttpOnly || set.SameSite != http.SameSiteStrictMode || set.Secure {
		t.Fatalf("session cookie %+v (plain HTTP here: not Secure)", set)
	}
	resp, page = b.do("GET", "/console/", nil)
	checkHeaders(resp)
	if resp.StatusCode != 200 || !strings.Contains(page, "ann@network.example · support") {
		t.Fatalf("home: %d\n%s", resp.StatusCode, page)
	}

	if resp, _ := b.do("POST", "/console/logout", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout without its token: %d", resp.StatusCode)
	}
	if resp, _ := b.do("POST", "/console/logout", url.Values{"csrf": {strings.Repeat("0", 64)}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with another token: %d", resp.StatusCode)
	}
	resp, _ = b.do("POST", "/console/logout", url.Values{"csrf": {csrfIn(t, page)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: set.Value, Path: "/console/"}})
	if resp, _ := b.do("GET", "/console/", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the session after logout: %d", resp.StatusCode)
	}
	resp, _ = b.do("GET", "/console/no-such-page", nil)
	checkHeaders(resp)
	if resp.StatusCode != 404 {
		t.Errorf("unknown page: %d", resp.StatusCode)
	}
}

// Over TLS (here, a load balancer saying so), the cookies are Secure.
func TestCookiesSecureUnderTLS(t *testing.T) {
	b, _ := newConsole(t)
	req, _ := http.NewRequest("GET", b.base+"/console/login", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("cookie %+v", c)
		}
	}
}

// The provider list, signed in: what a provider typed is shown as text,
// never markup; an unknown queue is a plain 404.
func TestProviderListPage(t *testing.T) {
	b, db := newConsole(t)
	hostile := `<script>alert(1)</script>"><img src=x onerror=alert(2)>`
	code, err := db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	enroll := fmt.Sprintf(`{"invitationCode":%q,"installation":"i-1","name":%q}`, code, hostile)
	resp, err := http.Post(b.base+"/v1/enroll", "application/json", strings.NewReader(enroll))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("enroll: %v %v", resp, err)
	}
	resp.Body.Close()
	b.login("ann@network.example", pw)
	resp, page := b.do("GET", "/console/?q=zoe", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "1–1 of 1") || !strings.Contains(page, "zoe@example.org") {
		t.Fatalf("list: %d\n%s", resp.StatusCode, page)
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the provider's name is not inert:\n%s", page)
	}
	if resp, _ := b.do("GET", "/console/?queue=nonsense", nil); resp.StatusCode != 404 {
		t.Errorf("unknown queue: %d", resp.StatusCode)
	}
	if resp, _ := b.do("GET", "/console/?sort=nonsense", nil); resp.StatusCode != 404 {
		t.Errorf("unknown order: %d", resp.StatusCode)
	}
	if _, page := b.do("GET", "/console/?q=zoe&sort=enrolled", nil); !strings.Contains(page, `href="/console/?q=zoe&amp;sort=enrolled" aria-current="true">Newest enrolled</a>`) {
		t.Errorf("the order links:\n%s", page)
	}
	if _, page := b.do("GET", "/console/?queue=returned", nil); !strings.Contains(page, "No provider in this queue.") {
		t.Errorf("empty queue:\n%s", page)
	}
}

// The provider page lays the latest version of each form out as its
// schema does, every version with the network's word on it, and what the
// provider typed stays text.
func TestProviderPage(t *testing.T) {
	b, db := newConsole(t)
	code, _ := db.Invite(ctx, "zoe@example.org")
	client, _ := intake.NewClient(b.base, "", 10*time.Second)
	token, err := client.Enroll(ctx, code, "i-1", "Zoë Łukasiewicz", "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	client = client.WithToken(token)
	for v, practice := range []string{"First Practice", `<script>alert(1)</script>`} {
		d := forms.NewData()
		d.Fields["practiceName"] = practice
		up, _ := json.Marshal(intake.SubmissionUpload{Form: "general", Version: v + 1, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
		if err := client.Submit(ctx, fmt.Sprint("g", v), up); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Review(ctx, 1, "general", false, "Add your ZIP code"); err != nil {
		t.Fatal(err)
	}
	b.login("ann@network.example", pw)
	resp, page := b.do("GET", "/console/providers/1", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"Zoë Łukasiewicz", "v1", "v2", "returned: Add your ZIP code", "version 2", "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("the provider's text is markup")
	}
	for _, path := range []string{"/console/providers/99", "/console/providers/x"} {
		if resp, _ := b.do("GET", path, nil); resp.StatusCode != 404 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}

// Review and return from the provider page: the same code as the
// command line, audited with who did it; the token and the role checked.
func TestReviewFromConsole(t *testing.T) {
	b, db := newConsole(t)
	if _, err := db.AddStaff(ctx, "root@network.example", server.RoleAdmin, pw); err != nil {
		t.Fatal(err)
	}
	code, _ := db.Invite(ctx, "zoe@example.org")
	client, _ := intake.NewClient(b.base, "", 10*time.Second)
	token, _ := client.Enroll(ctx, code, "i-1", "Zoë", "zoe@example.org")
	client = client.WithToken(token)
	for _, form := range []string{"general", "credentialing"} {
		d := forms.NewData()
		d.Fields["note"] = form
		up, _ := json.Marshal(intake.SubmissionUpload{Form: form, Version: 1, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
		if err := client.Submit(ctx, form, up); err != nil {
			t.Fatal(err)
		}
	}
	b.login("ann@network.example", pw)
	_, page := b.do("GET", "/console/providers/1", nil)
	token1 := csrfIn(t, page)
	post := func(values url.Values) (*http.Response, string) {
		return b.do("POST", "/console/providers/1/review", values)
	}
	if resp, _ := post(url.Values{"form": {"general"}, "decision": {"reviewed"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("without the token: %d", resp.StatusCode)
	}
	if resp, page := post(url.Values{"csrf": {token1}, "form": {"credentialing"}, "decision": {"returned"}, "reason": {"  "}}); resp.StatusCode != 400 || !strings.Contains(page, "Say why") {
		t.Errorf("returned without a reason: %d", resp.StatusCode)
	}
	resp, _ := post(url.Values{"csrf": {token1}, "form": {"general"}, "decision": {"reviewed"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/providers/1?done=reviewed" {
		t.Fatalf("reviewed: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	post(url.Values{"csrf": {token1}, "form": {"credentialing"}, "decision": {"returned"}, "reason": {"Add your CAQH ID"}})
	st, err := client.Status(ctx)
	if err != nil || len(st.Forms) != 2 || st.Forms[0].Review != "returned" || st.Forms[0].Reason != "Add your CAQH ID" || st.Forms[1].Review != "reviewed" {
		t.Errorf("the app sees %+v %v", st.Forms, err)
	}
	entries, _ := db.StaffAudit(ctx, 0, 1)
	if len(entries) != 2 || entries[0].Action != server.AuditReturned || entries[0].Who != "ann@network.example" ||
		entries[0].Detail != "credentialing Add your CAQH ID" || entries[1].Action != server.AuditReviewed {
		t.Errorf("audit %+v", entries)
	}

	// An admin's role does not review.
	b.do("POST", "/console/logout", url.Values{"csrf": {token1}})
	b.login("root@network.example", pw)
	_, page = b.do("GET", "/console/providers/1", nil)
	if resp, _ := post(url.Values{"csrf": {csrfIn(t, page)}, "form": {"general"}, "decision": {"reviewed"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an admin reviewed: %d", resp.StatusCode)
	}
}

// A payer's status and the effective date from the provider page: the
// command line's checks and words for bad input, audited, seen by the app.
func TestPayerAndEffectiveFromConsole(t *testing.T) {
	b, db := newConsole(t)
	code, _ := db.Invite(ctx, "zoe@example.org")
	client, _ := intake.NewClient(b.base, "", 10*time.Second)
	token, _ := client.Enroll(ctx, code, "i-1", "Zoë", "zoe@example.org")
	client = client.WithToken(token)
	b.login("ann@network.example", pw)
	_, page := b.do("GET", "/console/providers/1", nil)
	if !strings.Contains(page, "<option>Aetna</option>") || !strings.Contains(page, "<option>approved</option>") {
		t.Fatalf("the payer form:\n%s", page)
	}
	tok := csrfIn(t, page)
	for _, tt := range []struct {
		path   string
		values url.Values
		status int
		says   string
	}{
		{"/console/providers/1/payer", url.Values{"payer": {"Aetna"}, "status": {"bogus"}}, 400, "Status must be one of"},
		{"/console/providers/1/effective", url.Values{"date": {"tomorrow"}}, 400, "Give the date as YYYY-MM-DD."},
		{"/console/providers/99/effective", url.Values{"date": {"2027-01-15"}}, 404, "There is no such provider."},
		{"/console/providers/1/payer", url.Values{"payer": {"Aetna"}, "status": {"approved"}}, 303, ""},
		{"/console/providers/1/effective", url.Values{"date": {"2027-01-15"}}, 303, ""},
	} {
		tt.values.Set("csrf", tok)
		resp, page := b.do("POST", tt.path, tt.values)
		if resp.StatusCode != tt.status || !strings.Contains(page, tt.says) {
			t.Errorf("%s %v: %d, want %d %q", tt.path, tt.values, resp.StatusCode, tt.status, tt.says)
		}
	}
	st, err := client.Status(ctx)
	if err != nil || st.EffectiveDate != "2027-01-15" || len(st.Payers) != 1 || st.Payers[0].Status != "approved" {
		t.Errorf("the app sees %+v %v", st, err)
	}
	entries, _ := db.StaffAudit(ctx, 0, 1)
	if len(entries) != 2 || entries[0].Action != server.AuditEffective || entries[1].Detail != "Aetna: approved" {
		t.Errorf("audit %+v", entries)
	}
}
