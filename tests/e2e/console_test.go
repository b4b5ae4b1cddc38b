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
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/console"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/retry"
	"onramp/backend/seal"
	"onramp/backend/testenv"
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

// axeViolations runs axe-core (from the frontend's node_modules; DevTools
// evaluation is not bound by the console's Content-Security-Policy).
func axeViolations(t *testing.T, b *browser) []string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "frontend", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		testenv.Missing(t, "axe-core in frontend/node_modules (npm ci in frontend): %v", err)
	}
	if !eval[bool](t, b, `typeof window.axe === 'object'`) {
		eval[bool](t, b, string(src)+";true")
	}
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
