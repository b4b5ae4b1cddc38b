package e2e

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/retry"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// TestOfflineSubmitThenSyncAndPortal: forms submitted offline wait in the
// outbox as "queued"; when the intake server appears they are delivered;
// the server's guidance email goes out and the dashboard says so; support
// returns then reviews the forms and sets a payer's status with the
// onramp-intake command, and each step shows it; the next sync unlocks the
// portal password, which the provider then creates, and the portal's
// address and user name arrive with the status feed (the server runs with
// a portal address, as `serve --portal-url` does); onboarding is complete
// (the training was done before, and the app reported it) and the dashboard
// and the training screen say the network's team sent the confirmation
// email once the network's mailer sent it (the app sends none of its own).
func TestOfflineSubmitThenSyncAndPortal(t *testing.T) {
	dataDir := t.TempDir()
	intakeDB := filepath.Join(t.TempDir(), "intake.db")
	seedAs(t, dataDir, "Zoë Łukasiewicz", "psych-np")
	var code, email string
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, st *store.Store) {
		if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, seed.GeneralData("Zoë Łukasiewicz", "psych-np")); err != nil || res.Version != 1 {
			t.Fatalf("submit general: %v %+v", err, res.Problems)
		}
		// The insurance form, queued the way the app queues it (its full
		// validation is covered by the forms tests).
		cred := forms.NewData()
		cred.Fields["npi"] = "1234567893"
		now := time.Now()
		_, err := st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 1, Data: cred.Encode(), Hash: cred.Hash(), SubmittedAt: now},
			store.MilestoneCredentialingSubmitted, func(v int) []store.OutboxItem {
				payload, _ := json.Marshal(intake.SubmissionUpload{Form: forms.FormCredentialing, Version: v, SchemaVersion: 1, Hash: cred.Hash(), SubmittedAt: now, Data: cred.Encode()})
				return []store.OutboxItem{{Kind: formfill.KindSubmission, IdempotencyKey: "submission/credentialing/1", Payload: payload}}
			})
		if err != nil {
			t.Fatal(err)
		}
		a, _, _ := st.Account(ctx)
		code, email = a.InvitationCode, a.Email
		for _, m := range []string{store.MilestoneWebinarWatched, store.MilestoneQuizPassed} {
			if err := st.SetMilestone(ctx, m, now); err != nil {
				t.Fatal(err)
			}
		}
	})
	db, err := server.Open(context.Background(), intakeDB, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.AddInvitation(context.Background(), code, email); err != nil {
		t.Fatal(err)
	}

	// A real SMTP server on loopback receives the app's email.
	inbox := &mailtest.Inbox{}
	sink, err := mail.NewSink("127.0.0.1:0", inbox.Save)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	addr := freeAddr(t) // nothing listens there yet: the app is offline
	dev := startDev(t, dataDir, "ONRAMP_INTAKE_URL=http://"+addr, "ONRAMP_SYNC_EVERY=1s", "ONRAMP_SMTP_URL=smtp://onramp:onramp@"+sink.Addr())
	b := newBrowser(t)
	b.do(t, "open", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#sync-status")))
	// The two forms and three reports for the network: the start date (from
	// set-up), the app's version and the training done before.
	waitJS(t, b, "offline with the forms waiting", `document.querySelector('#sync-status').textContent.includes('Offline · 5 waiting')`)
	// Nothing has reached the network: the next-step card has no date and
	// nothing is overdue (issue 11: dates count from the network's receipt).
	waitJS(t, b, "the guidance waiting for the network", `document.querySelector('#next-step')?.dataset.guidance === 'waiting'`)
	if text := eval[string](t, b, `document.querySelector('#next-step').textContent + document.querySelector('#credentialing').textContent`); !strings.Contains(text, "No date yet") ||
		!strings.Contains(text, "Starts when the network receives your form") || strings.Contains(text, "Contact support") {
		t.Errorf("the dashboard while nothing reached the network: %q", text)
	}
	screenshot(t, b, "e2e-dashboard-waiting.png")
	// A screen reader hears the state, not the minutes: a polite status.
	if got := eval[string](t, b, `document.querySelector('#sync-announce[role="status"]')?.textContent ?? ''`); !strings.Contains(got, "Working offline") {
		t.Errorf("the sync announcement while offline: %q", got)
	}
	b.do(t, "open the outbox", chromedp.Click(chromedp.CSS("#sync-status")), chromedp.WaitVisible(chromedp.CSS("#outbox-panel")))
	states := eval[[]string](t, b, `[...document.querySelectorAll('#outbox-panel li')].map(li => li.dataset.outboxState + ' ' + li.querySelector('strong').textContent)`)
	for _, want := range []string{"queued Insurance form, version 1", "queued General Onboarding form, version 1", "delivered Receipt email: your General Onboarding form (version 1)"} {
		if !slices.Contains(states, want) {
			t.Errorf("outbox lacks %q: %v", want, states)
		}
	}
	screenshot(t, b, "e2e-outbox-offline.png")

	// The server comes up (with the portal's address, as serve
	// --portal-url runs it): the app notices by itself.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: intakeAPI(db)}
	go srv.Serve(ln)
	defer srv.Close()
	waitJS(t, b, "everything delivered", `[...document.querySelectorAll('#outbox-panel li')].every(li => li.dataset.outboxState === 'delivered')`)
	if subs, _ := db.Submissions(context.Background(), 1); len(subs) != 2 {
		t.Fatalf("server holds %d submissions, want 2", len(subs))
	}
	// The reports Onramp sent by itself fold into one line once delivered;
	// the forms and the receipt stay in view.
	if folded := eval[string](t, b, `document.querySelector('#outbox-background summary')?.textContent ?? ''`); folded != "3 updates Onramp sent the network by itself" {
		t.Errorf("the delivered reports' line says %q", folded)
	}
	if top := eval[[]string](t, b, `[...document.querySelectorAll('#outbox-panel > ul li strong')].map(e => e.textContent)`); len(top) < 3 || slices.ContainsFunc(top, func(w string) bool { return strings.HasPrefix(w, "For the network") }) {
		t.Errorf("the outbox's top list: %v", top)
	}
	if h := eval[float64](t, b, `document.querySelector('#outbox-panel').getBoundingClientRect().height`); h > 420 {
		t.Errorf("the outbox is %.0f px tall, more than its 420 px bound", h)
	}
	screenshot(t, b, "e2e-outbox-delivered.png")
	waitJS(t, b, "the sync announced", `document.querySelector('#sync-announce').textContent === 'Synced with the network.'`)
	// Escape closes it and gives the keyboard back to the sync status.
	b.do(t, "close the outbox with Escape", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotPresent(chromedp.CSS("#outbox-panel")))
	if id := eval[string](t, b, `document.activeElement?.id ?? ''`); id != "sync-status" {
		t.Errorf("after Escape the focus is on %q, want the sync status", id)
	}
	// The network's guidance on the review is due; once the server's mailer
	// sent it, the next sync makes the dashboard say so.
	waitJS(t, b, "the review guidance due", `document.querySelector('#next-step')?.dataset.guidance === 'due'`)
	guidance := &mailtest.Inbox{}
	guidanceSink, err := mail.NewSink("127.0.0.1:0", guidance.Save)
	if err != nil {
		t.Fatal(err)
	}
	defer guidanceSink.Close()
	host, port, _ := net.SplitHostPort(guidanceSink.Addr())
	portNum, _ := strconv.Atoi(port)
	mailer := server.NewMailer(db, mail.Relay{Host: host, Port: portNum}, mail.Address{Name: "Onboarding", Email: "onboarding@network.localhost"}, retry.GuidanceMail)
	if res, err := mailer.SendDue(context.Background()); err != nil || res.Sent != 2 {
		t.Fatalf("the server's guidance email: %+v %v", res, err)
	}
	b.do(t, "sync now", chromedp.Click(chromedp.CSS("#sync-now")))
	waitJS(t, b, "the guidance shown as sent", `document.querySelector('#next-step')?.dataset.guidance === 'sent'`)
	if text := eval[string](t, b, `document.querySelector('#next-step').textContent`); !strings.Contains(text, "Sent "+time.Now().Format("Monday, January 2, 2006")) ||
		strings.Contains(text, "due") || strings.Contains(text, "Contact support") {
		t.Errorf("the next-step card once the guidance was sent: %q", text)
	}
	if text := eval[string](t, b, `document.querySelector('[data-step="general"]').textContent`); !strings.Contains(text, "Waiting for the network's review") {
		t.Errorf("the General form's step before its review: %q", text)
	}
	screenshot(t, b, "e2e-dashboard-received.png")

	// Support reviews both forms with the command-line tool.
	cli := buildIntakeCLI(t)
	// First support returns the General form with a reason: the dashboard
	// shows it with the way to fix it.
	if out, err := exec.Command(cli, "review", "--db", intakeDB, "--provider", "1", "--form", "general",
		"--return", "Add the ZIP code of your office.").CombinedOutput(); err != nil {
		t.Fatalf("return: %v %s", err, out)
	}
	b.do(t, "sync now", chromedp.Click(chromedp.CSS("#sync-now")))
	waitJS(t, b, "the returned form shown", `(document.querySelector('[data-returned="general"]')?.textContent ?? '').includes('Add the ZIP code of your office.')`)
	checkScreen(t, b, "dashboard-returned")
	if text := eval[string](t, b, `document.querySelector('[data-step="general"] .step-review')?.textContent ?? ''`); text != "Returned by the network: Add the ZIP code of your office." {
		t.Errorf("the returned General form's step says %q", text)
	}
	for _, form := range []string{"general", "credentialing"} {
		out, err := exec.Command(cli, "review", "--db", intakeDB, "--provider", "1", "--form", form).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "reviewed") {
			t.Fatalf("onramp-intake review %s: %v %s", form, err, out)
		}
	}
	if out, err := exec.Command(cli, "payer", "--db", intakeDB, "--provider", "1", "--payer", "Aetna", "--status", intake.PayerInReview).CombinedOutput(); err != nil {
		t.Fatalf("payer: %v %s", err, out)
	}
	b.do(t, "sync now", chromedp.Click(chromedp.CSS("#sync-now")))
	waitJS(t, b, "the portal unlocked", `document.querySelector('[data-item="portal-password"]')?.dataset.status === 'available'`)
	if eval[bool](t, b, `!!document.querySelector('[data-returned]')`) {
		t.Error("the returned notice stayed after the review")
	}
	today := time.Now().Format("Jan 2, 2006")
	for _, step := range []string{"general", "credentialing"} {
		if text := eval[string](t, b, js(`document.querySelector('[data-step=%q] .step-review')?.textContent ?? ''`, step)); text != "Reviewed by the network "+today {
			t.Errorf("the reviewed %s step says %q", step, text)
		}
	}
	if badge := eval[string](t, b, `document.querySelector('[data-item="general-form"] .badge').textContent`); badge != "Reviewed" {
		t.Errorf("the General form's badge says %q", badge)
	}
	if row := eval[string](t, b, `document.querySelector('#credentialing tbody tr')?.textContent ?? ''`); row != "AetnaIn review" {
		t.Errorf("the payer row says %q, want the status's words", row)
	}
	screenshot(t, b, "e2e-dashboard-reviewed.png")

	b.do(t, "open the portal step", chromedp.Click(chromedp.CSS(`[data-open="portal-password"]`)), chromedp.WaitVisible(chromedp.CSS("#portal-password")))
	checkScreen(t, b, "portal-password")
	b.do(t, "weak password", chromedp.SendKeys(chromedp.CSS("#portal-password"), "short"), chromedp.SendKeys(chromedp.CSS("#portal-confirm"), "short"),
		chromedp.Click(chromedp.CSS("#portal-submit")))
	waitJS(t, b, "the weak password refused", `(document.querySelector('#portal-problem')?.textContent ?? '').includes('12 characters')`)
	eval[bool](t, b, `(() => { for (const id of ['#portal-password', '#portal-confirm']) { const e = document.querySelector(id); e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true })); } return true; })()`)
	b.do(t, "strong password", chromedp.SendKeys(chromedp.CSS("#portal-password"), "Blue-Kettle-42-rain"), chromedp.SendKeys(chromedp.CSS("#portal-confirm"), "Blue-Kettle-42-rain"),
		chromedp.Click(chromedp.CSS("#portal-submit")))
	b.do(t, "created", chromedp.WaitVisible(chromedp.CSS("#portal-created")))
	// The portal's address and user name come with the status feed: the
	// sync after the password brings them.
	waitJS(t, b, "the portal access", `!!document.querySelector('#portal-access #portal-username')`)
	if url := eval[string](t, b, `document.querySelector('#portal-url').textContent`); url != portalURL {
		t.Errorf("the portal's address shows as %q, want %q", url, portalURL)
	}
	if user := eval[string](t, b, `document.querySelector('#portal-username').textContent`); user != email {
		t.Errorf("the portal user name shows as %q, want %q", user, email)
	}
	screenshot(t, b, "e2e-portal-created.png")
	if ok, _ := db.CheckPortalPassword(context.Background(), 1, "Blue-Kettle-42-rain"); !ok {
		t.Error("the server does not hold the portal password")
	}
	b.do(t, "back", chromedp.Click(chromedp.CSS(".setup-card .back")), chromedp.WaitVisible(chromedp.CSS(`[data-step="portal"]`)))
	if s := eval[string](t, b, `document.querySelector('[data-step="portal"]').dataset.status`); s != "done" {
		t.Errorf("step 3 is %s", s)
	}
	if card := eval[string](t, b, `document.querySelector('#portal-card')?.textContent ?? ''`); !strings.Contains(card, portalURL) || !strings.Contains(card, email) {
		t.Errorf("the dashboard's portal card says %q", card)
	}
	// Every step is done: the network queued its confirmation email with
	// the portal password (and no training email: the training was done).
	// Until its mailer sent it the dashboard says the network's team will
	// send it; once sent, the next sync makes it say when.
	waitJS(t, b, "the confirmation email pending", `document.querySelector('#completion-email')?.dataset.email === 'pending'`)
	if text := eval[string](t, b, `document.querySelector('#completion-email').textContent`); !strings.Contains(text, "The network's team will email you a confirmation") {
		t.Errorf("the dashboard before the network's email: %q", text)
	}
	screenshot(t, b, "e2e-complete-pending.png")
	if res, err := mailer.SendDue(context.Background()); err != nil || res.Sent != 3 {
		t.Fatalf("the server's returned-form, portal and completion email: %+v %v", res, err)
	}
	waitJS(t, b, "the confirmation email sent", `document.querySelector('#completion-email')?.dataset.email === 'sent'`)
	if text := eval[string](t, b, `document.querySelector('#completion-email').textContent`); !strings.Contains(text, "The network's team sent your confirmation email on "+time.Now().Format("Monday, January 2, 2006")) ||
		strings.Contains(text, "queued") {
		t.Errorf("the dashboard says %q", text)
	}
	screenshot(t, b, "e2e-after-sync.png")
	checkScreen(t, b, "dashboard-complete")
	b.do(t, "open the training", chromedp.Click(chromedp.CSS(`[data-open="webinar"]`)), chromedp.WaitVisible(chromedp.CSS("#onboarding-complete")))
	waitJS(t, b, "the training screen's note", `document.querySelector('#completion-email')?.dataset.email === 'sent'`)
	if text := eval[string](t, b, `document.querySelector('#onboarding-complete').textContent`); !strings.Contains(text, "sent your confirmation email on") || strings.Contains(text, "queued") {
		t.Errorf("the training screen says %q", text)
	}
	screenshot(t, b, "e2e-training-complete.png")
	got := inbox.Messages()
	if len(got) != 1 || !strings.Contains(got[0], "Subject: Received: your General Onboarding form (version 1)") ||
		!strings.Contains(got[0], "=?utf-8?") {
		t.Errorf("the app's relay got %d messages: %.400s", len(got), got)
	}
	complete := 0
	for _, m := range guidance.Messages() {
		if strings.Contains(m, "Subject: Your onboarding is complete") && strings.Contains(m, "onboarding@network.localhost") {
			complete++
		}
	}
	if complete != 1 {
		t.Errorf("the network's relay got %d completion emails, want 1", complete)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}

func buildIntakeCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "onramp-intake")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/onramp-intake")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build onramp-intake: %v %s", err, out)
	}
	return bin
}
