package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/console"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding"
	"onramp/backend/retry"
	"onramp/backend/seal"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// The support console in Debian's Chromium: a real intake server (API and
// console on one port, as serve runs them) over a SQLite file, with the
// network key, staff accounts, and its mail loop relaying to an SMTP sink
// on loopback.

const staffPassword = "Copper-Lantern-73-moss"

type consoleServer struct {
	URL   string
	db    *server.DB
	inbox *mailtest.Inbox
	pub   seal.PublicKey
}

func startConsole(t *testing.T) *consoleServer {
	t.Helper()
	ctx := context.Background()
	keyFile := filepath.Join(t.TempDir(), "network.key")
	pub, err := seal.WriteKeyFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := seal.ReadKeyFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for email, role := range map[string]string{"ann@network.example": server.RoleSupport, "cal@network.example": server.RoleCredentialing,
		"root@network.example": server.RoleAdmin} {
		if _, err := db.AddStaff(ctx, email, role, staffPassword); err != nil {
			t.Fatal(err)
		}
	}
	inbox := &mailtest.Inbox{}
	sink, err := mail.NewSink("127.0.0.1:0", inbox.Save)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	host, port, _ := net.SplitHostPort(sink.Addr())
	p, _ := strconv.Atoi(port)
	mailer := server.NewMailer(db, mail.Relay{Host: host, Port: p}, mail.Address{Name: "Network onboarding", Email: "onboarding@network.example"}, retry.GuidanceMail)
	mailCtx, stopMail := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { mailer.Run(mailCtx, 200*time.Millisecond); close(done) }()
	t.Cleanup(func() { stopMail(); <-done })

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := server.NewServer(db, server.WithLogger(logger),
		server.WithConsole(console.New(db, logger, console.WithNetworkKey(priv)).Handler())).WithPortal(portalURL).WithNetworkKey(pub)
	ln, err := net.Listen("tcp", freeAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api.Handler()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &consoleServer{URL: "http://" + ln.Addr().String(), db: db, inbox: inbox, pub: pub}
}

// signIn signs in at the console as email (signing out whoever was).
func (c *consoleServer) signIn(t *testing.T, b *browser, email string) {
	t.Helper()
	b.do(t, "the sign-in page", chromedp.Navigate(c.URL+"/console/login"), chromedp.WaitVisible(chromedp.CSS("#email")))
	checkAxe(t, b, "sign-in")
	b.do(t, "sign in as "+email, chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), staffPassword),
		chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.CSS(".signout")))
	if who := eval[string](t, b, `document.querySelector('.who').textContent`); !strings.HasPrefix(who, email) {
		t.Fatalf("signed in as %q", who)
	}
}

func (c *consoleServer) signOut(t *testing.T, b *browser) {
	t.Helper()
	b.do(t, "sign out", chromedp.Click(chromedp.CSS(".signout button")), chromedp.WaitVisible(chromedp.CSS("#email")))
}

// request sends a request with the browser's session cookie, as a
// download or a crafted form would (the console's Content-Security-Policy
// lets no script of the page fetch).
func (c *consoleServer) request(t *testing.T, b *browser, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	got, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{c.URL + "/console/"}})
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, k := range got.Cookies {
		req.AddCookie(&http.Cookie{Name: k.Name, Value: k.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

// open goes to a console page and checks it with axe.
func (c *consoleServer) open(t *testing.T, b *browser, name, path, ready string) {
	t.Helper()
	b.do(t, "open "+name, chromedp.Navigate(c.URL+path), chromedp.WaitVisible(chromedp.CSS(ready)))
	checkAxe(t, b, name)
}

// checkAxe runs axe-core on the page for WCAG 2.0 A and AA and 2.1 AA,
// and fails on any violation.
func checkAxe(t *testing.T, b *browser, page string) {
	t.Helper()
	for _, v := range axeViolations(t, b) {
		t.Errorf("axe on the %s page: %s", page, v)
	}
}

// axeViolations runs axe-core (DevTools evaluation is not bound by the
// console's Content-Security-Policy).
func axeViolations(t *testing.T, b *browser) []string {
	t.Helper()
	loadAxe(t, b)
	return eval[[]string](t, b, `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})
		.then(r => r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`)
}

// The axe check can fail: on a page with an unlabelled field, an image
// without alternative text and grey-on-white text it finds all three.
func TestAxeFindsViolations(t *testing.T) {
	chromiumPath(t)
	b := newBrowser(t)
	b.do(t, "a bad page", chromedp.Navigate(`data:text/html,<!doctype html><html lang="en"><title>x</title><main><input type="text">`+
		`<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`+`<p style="color:%23bbb">faint</p></main></html>`))
	got := strings.Join(axeViolations(t, b), "\n")
	for _, rule := range []string{"label:", "image-alt:", "color-contrast:"} {
		if !strings.Contains(got, rule) {
			t.Errorf("axe did not report %s; it reported:\n%s", rule, got)
		}
	}
	if v := eval[string](t, b, `axe.version`); v != "4.14.1" {
		t.Errorf("axe-core %s, want 4.14.1 (package.json)", v)
	}
}

// hostile is what a provider might type to attack support: a script, an
// attribute breakout with an event handler, and a javascript: URL. Each
// would set window.__pwned if it ran.
const hostile = `<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">javascript:window.__pwned=3//`

// Provider-entered text in every field the console shows (the name, every
// field of both forms and of their repeated items, a ticket, a request)
// renders as text: in the browser's DOM no element came from it, no
// script ran, no link points at javascript:. Every page is checked with
// axe too.
func TestConsoleMarkupInert(t *testing.T) {
	chromiumPath(t)
	ctx := context.Background()
	c := startConsole(t)
	code, err := c.db.Invite(ctx, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	client, _ := intake.NewClient(c.URL, "", 10*time.Second)
	token, err := client.Enroll(ctx, code, "i-1", hostile, "zoe@example.org")
	if err != nil {
		t.Fatal(err)
	}
	client = client.WithToken(token)
	for _, form := range []string{forms.FormGeneral, forms.FormCredentialing} {
		schema, _ := forms.SchemaByID(form)
		for v := 1; v <= 2; v++ {
			d := forms.NewData()
			for _, sec := range schema.Sections {
				item := map[string]string{}
				for _, f := range sec.Fields {
					if f.Sealed {
						continue
					}
					value := hostile + strconv.Itoa(v)
					if len(f.Options) > 0 {
						value = hostile // an option the schema lacks shows as given
					}
					item[f.Name] = value
				}
				if sec.Repeat != nil {
					d.Groups[sec.ID] = []map[string]string{item, item}
				} else {
					for k, v := range item {
						d.Fields[k] = v
					}
				}
			}
			up, _ := json.Marshal(intake.SubmissionUpload{Form: form, Version: v, SchemaVersion: 1, Hash: d.Hash(), SubmittedAt: time.Now(), Data: d.Encode()})
			if err := client.Submit(ctx, fmt.Sprint(form, v), up); err != nil {
				t.Fatalf("submit %s v%d: %v", form, v, err)
			}
		}
	}
	if err := client.Help(ctx, "h1", hostile, hostile); err != nil {
		t.Fatal(err)
	}
	if err := c.db.Review(ctx, 1, forms.FormCredentialing, false, hostile); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	inert := func(page string) {
		t.Helper()
		got := eval[string](t, b, `JSON.stringify({
			pwned: window.__pwned ?? null,
			scripts: document.scripts.length,
			images: document.images.length,
			handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
			jsLinks: [...document.querySelectorAll('[href],[src],[action]')].filter(e => /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action'))).length,
			shown: document.body.textContent.includes('<script>window.__pwned=1</script>'),
		})`)
		if got != `{"pwned":null,"scripts":0,"images":0,"handlers":0,"jsLinks":0,"shown":true}` {
			t.Errorf("the %s page is not inert: %s", page, got)
		}
	}
	c.signIn(t, b, "ann@network.example")
	c.open(t, b, "provider list", "/console/", "table")
	inert("provider list")
	c.open(t, b, "open-tickets queue", "/console/?queue=open-tickets", "table")
	c.open(t, b, "provider", "/console/providers/1", "#tickets")
	inert("provider")
	// Two rows per repeated section, every field a value: the page holds
	// them all.
	if n := eval[int](t, b, `[...document.querySelectorAll('dd')].filter(d => d.textContent.startsWith('<script>')).length`); n < 60 {
		t.Errorf("only %d fields shown", n)
	}
	c.open(t, b, "diff", "/console/providers/1/diff?form=credentialing&from=1&to=2", "table.diff")
	inert("diff")
	screenshot(t, b, "console-diff.png")
	c.open(t, b, "search", "/console/?q="+url.QueryEscape(hostile[:20]), "table")
	inert("search")
	c.signOut(t, b)
	c.signIn(t, b, "root@network.example")
	c.open(t, b, "audit", "/console/audit", "table")
	c.open(t, b, "staff", "/console/staff", "table")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
	c.open(t, b, "not found", "/console/nowhere", "h1")
}

// A support day, in Chromium, against the real app (wails dev) syncing
// with the real intake server. Support signs in, finds the provider who
// submitted from the app, reads both forms, compares two versions of the
// General form, and returns the Insurance form with a reason: the email
// lands in the SMTP sink and the app shows the reason after its next
// sync. The provider asks for help in the app; support answers in the
// console and the answer appears in the app's Help. Credentialing reveals
// the sealed SSN (an audit row appears); support is offered no reveal and
// is refused one. The packet the app sent by itself is verified on its
// page and its attachment opens. Support exports the roster and reissues
// the invitation; the admin reads it all in the audit. axe-core checks
// every page on the way.
func TestSupportDay(t *testing.T) {
	ctx := context.Background()
	c := startConsole(t)
	dataDir := t.TempDir()
	files := testFiles(t)
	headshot, err := os.ReadFile(files["headshot.png"])
	if err != nil {
		t.Fatal(err)
	}
	license, _ := os.ReadFile(files["license.pdf"])
	seedAs(t, dataDir, "Ana Lima", "psych-np")
	seed.BothForms(t, dataDir, "Ana Lima", map[string]seed.File{"headshot": {Name: "headshot.png", Data: headshot},
		"licenseDoc": {Name: "ca-license.pdf", Data: license}, "liabilityDoc": {Name: "face-sheet.pdf", Data: license},
		"deaDoc": {Name: "dea.pdf", Data: license}, "boardDoc": {Name: "board.pdf", Data: license}})
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, st *store.Store) {
		a, _, _ := st.Account(ctx)
		if err := c.db.AddInvitation(ctx, a.InvitationCode, a.Email); err != nil {
			t.Fatal(err)
		}
		if rep := svc.Sync.Sync(ctx, c.URL); rep.Delivered < 2 || rep.Error != "" {
			t.Fatalf("the first sync: %+v", rep)
		}
		// A second version of the General form: another practice name.
		gen := seed.GeneralData("Ana Lima", "psych-np")
		gen.Fields["practiceName"] = "Lima Psychiatry"
		res, err := svc.Forms.AttachFile(ctx, forms.FormGeneral, "headshot", "headshot.png", headshot)
		if err != nil || res.File == nil {
			t.Fatal(err)
		}
		forms.SetFile(gen, "headshot", res.File.Hash)
		if sub, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, gen); err != nil || sub.Version != 2 {
			t.Fatalf("resubmit: %v %+v", err, sub)
		}
		if rep := svc.Sync.Sync(ctx, c.URL); rep.Error != "" {
			t.Fatalf("the second sync: %+v", rep)
		}
	})
	dev := startDev(t, dataDir, "ONRAMP_INTAKE_URL="+c.URL, "ONRAMP_SYNC_EVERY=1s")

	b := newBrowser(t)
	// The app in a second tab, which lives as long as its first Run's
	// context: none with a timeout.
	tabCtx, closeTab := chromedp.NewContext(b.ctx)
	t.Cleanup(closeTab)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatal(err)
	}
	app := &browser{ctx: tabCtx}
	app.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#open-help")))

	// Support finds the provider and reads both forms.
	c.signIn(t, b, "ann@network.example")
	checkAxe(t, b, "provider list")
	b.do(t, "search", chromedp.SendKeys(chromedp.CSS("#q"), "lima"), chromedp.Submit(chromedp.CSS("#q")))
	// The list before the search has the same link: wait for the results'
	// page, or the click can land on a node the navigation took away.
	waitJS(t, b, "the search's results", `new URLSearchParams(location.search).get('q') === 'lima' && document.readyState === 'complete' && !!document.querySelector('tbody a')`)
	b.do(t, "open the provider", chromedp.Click(chromedp.CSS("tbody a")), chromedp.WaitVisible(chromedp.CSS("#tickets")))
	checkAxe(t, b, "provider")
	provider := eval[string](t, b, `location.pathname`)
	shown := eval[[]string](t, b, `[...document.querySelectorAll('section.form h2')].map(h => h.textContent.replace(/\s+/g, ' ').trim())`)
	if len(shown) != 2 || !strings.HasPrefix(shown[0], "General Onboarding") || !strings.Contains(shown[0], "version 2") || !strings.Contains(shown[1], "version 1") {
		t.Errorf("the forms on the page: %q", shown)
	}
	text := eval[string](t, b, `document.querySelector('main').innerText`)
	for _, want := range []string{"Lima Psychiatry", "1234567893", "NP123", "Sent the General Onboarding form version 2", "Social Security number"} {
		if !strings.Contains(text, want) {
			t.Errorf("the provider page lacks %q", want)
		}
	}
	if strings.Contains(text, "219-09-6789") {
		t.Error("the provider page shows the SSN unasked")
	}
	screenshot(t, b, "console-provider.png")

	// The two General form versions compared.
	b.do(t, "compare", chromedp.Click(chromedp.CSS(`form.compare button`)), chromedp.WaitVisible(chromedp.CSS("table.diff")))
	checkAxe(t, b, "diff")
	changes := eval[[]string](t, b, `[...document.querySelectorAll('table.diff tbody tr')].map(r => [...r.cells].map(c => c.textContent).join(' | '))`)
	if len(changes) != 1 || !strings.Contains(changes[0], "Riverside Mental Health | Lima Psychiatry") {
		t.Errorf("the changes: %q", changes)
	}

	// The Insurance form goes back with a reason.
	const reason = "Your malpractice policy's face sheet is missing its second page."
	c.open(t, b, "provider", provider, "#tickets")
	b.do(t, "return the Insurance form", chromedp.SendKeys(chromedp.CSS("#reason-credentialing"), reason),
		chromedp.Click(chromedp.CSS(`form.return:has(#reason-credentialing) button`)), chromedp.WaitVisible(chromedp.CSS(".notice")))
	waitFor(t, "the returned-form email in the sink", func() bool {
		return slices.ContainsFunc(c.inbox.Messages(), func(m string) bool { return strings.Contains(m, "face sheet") })
	})
	waitJS(t, app, "the app shows the reason", js(`(document.querySelector('[data-returned="credentialing"]')?.textContent ?? '').includes(%q)`, reason))

	// The provider asks for help; support answers; the app shows it.
	app.do(t, "open help", chromedp.Click(chromedp.CSS("#open-help")), chromedp.WaitVisible(chromedp.CSS("#ask-subject")))
	app.do(t, "ask", chromedp.SendKeys(chromedp.CSS("#ask-subject"), "Which page?"),
		chromedp.SendKeys(chromedp.CSS("#ask-message"), "Which page of the face sheet do you need?"),
		chromedp.Click(chromedp.CSS("#contact-support button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#ask-queued")))
	waitFor(t, "the ticket on the server", func() bool { ts, _ := c.db.Tickets(ctx, 1); return len(ts) == 1 })
	c.open(t, b, "provider with a ticket", provider, "#reply-1")
	b.do(t, "reply", chromedp.SendKeys(chromedp.CSS("#reply-1"), "The declarations page, with the limits."),
		chromedp.Click(chromedp.CSS(`#ticket-1 form button.primary`)), chromedp.WaitVisible(chromedp.CSS(".notice")))
	waitJS(t, app, "the answer in the app's Help", `(document.querySelector('#help-threads .thread-reply')?.textContent ?? '').includes('The declarations page, with the limits.')`)
	eval[bool](t, app, `document.querySelector('#help-threads').scrollIntoView(), true`)
	screenshot(t, app, "e2e-help-answered.png")
	waitFor(t, "the answer's email in the sink", func() bool {
		return slices.ContainsFunc(c.inbox.Messages(), func(m string) bool { return strings.Contains(m, "Re: Which page?") })
	})

	// The packet the app sent by itself: verified again, its attachment
	// opened (support may; the archive is credentialing's).
	waitFor(t, "the support packet on the server", func() bool { ps, _ := c.db.Packets(ctx, 1); return len(ps) > 0 })
	c.open(t, b, "provider with a packet", provider, "#tickets")
	b.do(t, "open the packet", chromedp.Click(chromedp.CSS(`a[href*="/packets/"]`)))
	waitJS(t, b, "the packet's page", `location.pathname.includes('/packets/') && document.readyState === 'complete' && !!document.querySelector('a[href*="/attachments/"]')`)
	checkAxe(t, b, "packet")
	if text := eval[string](t, b, `document.querySelector('main').innerText`); !strings.Contains(text, "Verified just now") || !strings.Contains(text, "ca-license.pdf") {
		t.Errorf("the packet page: %s", text)
	}
	link := eval[string](t, b, `new URL([...document.querySelectorAll('a[href*="/attachments/"]')].find(a => a.textContent === 'ca-license.pdf').href).pathname`)
	if resp, body := c.request(t, b, "GET", link, nil); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") ||
		!strings.HasPrefix(body, "%PDF-") {
		t.Errorf("an attachment answered %d %v", resp.StatusCode, resp.Header)
	}

	// Support is offered no reveal, and is refused one.
	c.open(t, b, "provider", provider, "#tickets")
	if eval[bool](t, b, `!!document.querySelector('form[action$="/reveal"]')`) {
		t.Error("support is offered a reveal")
	}
	csrf := eval[string](t, b, `document.querySelector('input[name=csrf]').value`)
	if resp, body := c.request(t, b, "POST", provider+"/reveal", url.Values{"csrf": {csrf}, "field": {"ssn"}}); resp.StatusCode != 403 || strings.Contains(body, "219-09-6789") {
		t.Errorf("support's reveal answered %d", resp.StatusCode)
	}
	// The roster, as a payer gets it: the link in the console's header.
	href := eval[string](t, b, `new URL(document.querySelector('nav.sections a[href$=".csv"]').href).pathname`)
	if resp, roster := c.request(t, b, "GET", href+"?all=1", nil); resp.StatusCode != 200 || !strings.Contains(roster, "Ana Lima,1234567893,CA,PMHNP,NP123,") {
		t.Errorf("the roster: %d\n%s", resp.StatusCode, roster)
	}

	// Credentialing reveals the SSN: shown once, in both audits.
	c.signOut(t, b)
	c.signIn(t, b, "cal@network.example")
	c.open(t, b, "provider", provider, "#tickets")
	b.do(t, "reveal the SSN", chromedp.Click(chromedp.CSS(`form[action$="/reveal"]:has(input[value="ssn"]) button`)), chromedp.WaitVisible(chromedp.CSS("output.value")))
	checkAxe(t, b, "revealed")
	if v := eval[string](t, b, `document.querySelector('output.value').textContent`); v != "219-09-6789" {
		t.Errorf("revealed %q", v)
	}
	if rs, _ := c.db.RevealAudit(ctx, 1); len(rs) != 1 || rs[0].Who != "cal@network.example" || rs[0].Field != "ssn" || rs[0].Outcome != "revealed" {
		t.Errorf("the reveal audit: %+v", rs)
	}

	// Support reissues the invitation: a new code, mailed.
	c.signOut(t, b)
	c.signIn(t, b, "ann@network.example")
	c.open(t, b, "provider", provider, "#tickets")
	b.do(t, "reissue", chromedp.Click(chromedp.CSS(`form[action$="/reissue"] button`)), chromedp.WaitVisible(chromedp.CSS("output.value")))
	checkAxe(t, b, "reissued")
	code := eval[string](t, b, `document.querySelector('output.value').textContent`)
	waitFor(t, "the new code's email", func() bool {
		return slices.ContainsFunc(c.inbox.Messages(), func(m string) bool { return strings.Contains(m, code) })
	})

	// The admin reads the day in the audit.
	c.signOut(t, b)
	c.signIn(t, b, "root@network.example")
	c.open(t, b, "audit", "/console/audit?provider=1", "table")
	actions := eval[[]string](t, b, `[...document.querySelectorAll('main section:first-of-type tbody tr')].map(r => r.cells[1].textContent + ' ' + r.cells[2].textContent)`)
	for _, want := range []string{"ann@network.example returned", "ann@network.example ticket-reply", "ann@network.example attachment-open",
		"cal@network.example reveal", "ann@network.example reissue"} {
		if !slices.Contains(actions, want) {
			t.Errorf("the audit lacks %q: %q", want, actions)
		}
	}
	screenshot(t, b, "console-audit.png")
	c.open(t, b, "staff", "/console/staff", "table")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// waitFor polls cond for up to 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
