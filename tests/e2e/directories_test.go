package e2e

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/onboarding"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// TestInsuranceAndDirectories: Insurance & Directories is locked with its
// reason until the portal password is created; then it lists the network's
// payers and programs with the provider's status in each. The provider asks
// to be credentialed with Aetna and to enroll in the Employee Assistance
// Program, each with a reason: both show as pending, reach the server with
// the next sync, and support approves one and declines the other with the
// onramp-intake command; after the next sync the screen shows Aetna's
// application submitted and support's reason for the decline. A request
// the network refuses on arrival shows as not accepted, with what to do,
// and is not offered for a retry.
func TestInsuranceAndDirectories(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	intakeDB := filepath.Join(t.TempDir(), "intake.db")
	db, err := server.Open(ctx, intakeDB, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	addr := freeAddr(t)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: intakeAPI(db)}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + addr

	// Both forms submitted, synced and reviewed: the portal is open but
	// its password not yet created.
	seedAs(t, dataDir, "Ana Lima", "lcsw")
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, st *store.Store) {
		if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, seed.GeneralData("Ana Lima", "lcsw")); err != nil || res.Version != 1 {
			t.Fatalf("submit general: %v %+v", err, res.Problems)
		}
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
	})
	reviewedByTheNetwork(t, dataDir, db, url)

	dev := startDev(t, dataDir, "ONRAMP_INTAKE_URL="+url, "ONRAMP_SYNC_EVERY=1s")
	b := newBrowser(t)
	b.do(t, "open", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#open-directories")))
	b.do(t, "open Insurance & Directories", chromedp.Click(chromedp.CSS("#open-directories")), chromedp.WaitVisible(chromedp.CSS("#directories-locked")))
	if text := eval[string](t, b, `document.querySelector('#directories-locked').textContent`); !strings.Contains(text, "opens once your portal password is created") {
		t.Errorf("the locked screen says %q", text)
	}
	screenshot(t, b, "e2e-directories-locked.png")

	// The portal password, as a provider creates it.
	b.do(t, "back", chromedp.Click(chromedp.CSS(".directories .back")), chromedp.WaitVisible(chromedp.CSS(`[data-open="portal-password"]`)))
	b.do(t, "open the portal step", chromedp.Click(chromedp.CSS(`[data-open="portal-password"]`)), chromedp.WaitVisible(chromedp.CSS("#portal-password")))
	b.do(t, "password", chromedp.SendKeys(chromedp.CSS("#portal-password"), "Blue-Kettle-42-rain"), chromedp.SendKeys(chromedp.CSS("#portal-confirm"), "Blue-Kettle-42-rain"),
		chromedp.Click(chromedp.CSS("#portal-submit")), chromedp.WaitVisible(chromedp.CSS("#portal-created")))
	waitJS(t, b, "the portal's address from the network", js(`(document.querySelector('#portal-access #portal-url')?.textContent ?? '') === %q`, portalURL))

	b.do(t, "open Insurance & Directories", chromedp.Click(chromedp.CSS("#open-directories")), chromedp.WaitVisible(chromedp.CSS(`[data-offering="Aetna"]`)))
	rows := eval[[]string](t, b, `[...document.querySelectorAll('#payers-table tbody tr, #programs-table tbody tr')].map(r => r.dataset.offering + ': ' + r.cells[1].textContent)`)
	if len(rows) != 7 || rows[0] != "Aetna: Not credentialed" || rows[6] != "Employee Assistance Program: Not enrolled" {
		t.Errorf("the network's list: %q", rows)
	}
	ask := func(offering, action, reason string) {
		t.Helper()
		b.do(t, "ask: "+action+" "+offering, chromedp.Click(chromedp.CSS(js(`[data-offering=%q] [data-action=%q]`, offering, action))),
			chromedp.WaitVisible(chromedp.CSS("#request-reason")))
		if focused := eval[string](t, b, `document.activeElement?.id ?? ''`); focused != "request-reason" {
			t.Errorf("after choosing %s the focus is on %q, not the reason", action, focused)
		}
		b.do(t, "reason", chromedp.SendKeys(chromedp.CSS("#request-reason"), reason), chromedp.Click(chromedp.CSS("#request-send")),
			chromedp.WaitVisible(chromedp.CSS("#request-sent")))
		waitJS(t, b, offering+" pending", js(`!!document.querySelector('[data-offering=%q] .badge.pending')`, offering))
	}
	ask("Aetna", intake.RequestAddPayer, "Many of my clients have Aetna plans.")
	ask("Employee Assistance Program", intake.RequestEnrollProgram, "I offer short-term counselling.")
	if n := eval[int](t, b, `document.querySelectorAll('#requests li[data-state="pending"]').length`); n != 2 {
		t.Errorf("%d requests shown pending, want 2", n)
	}
	screenshot(t, b, "e2e-directories-pending.png")

	// The background sync takes them to the server; support acts.
	deadline := time.Now().Add(20 * time.Second)
	var rs []server.ProviderRequest
	for time.Now().Before(deadline) {
		if rs, _ = db.Requests(ctx, 1); len(rs) == 2 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(rs) != 2 || rs[0].Target != "Aetna" || rs[0].Reason != "Many of my clients have Aetna plans." {
		t.Fatalf("the server holds %+v", rs)
	}
	if n := eval[int](t, b, `document.querySelectorAll('#requests li[data-state="pending"]').length`); n != 2 {
		t.Errorf("delivered but not answered: %d requests shown pending, want 2", n)
	}
	cli := buildIntakeCLI(t)
	for _, args := range [][]string{
		{"request", "--db", intakeDB, "--id", "1", "--approve"},
		{"request", "--db", intakeDB, "--id", "2", "--decline", "The program is full until March; ask again then."},
	} {
		if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
			t.Fatalf("onramp-intake %v: %v %s", args, err, out)
		}
	}
	waitJS(t, b, "the answers shown", `document.querySelectorAll('#requests li[data-state="pending"]').length === 0`)
	if row := eval[string](t, b, `document.querySelector('[data-offering="Aetna"]').textContent`); !strings.Contains(row, "Application submitted") || !strings.Contains(row, "Unenroll from Aetna") {
		t.Errorf("Aetna's row after approval: %q", row)
	}
	if text := eval[string](t, b, `document.querySelector('#requests li[data-state="declined"]')?.textContent ?? ''`); !strings.Contains(text, "Support said: The program is full until March; ask again then.") {
		t.Errorf("the declined request: %q", text)
	}
	if text := eval[string](t, b, `document.querySelector('#requests li[data-state="approved"]')?.textContent ?? ''`); !strings.Contains(text, "Be credentialed with Aetna") || !strings.Contains(text, "Approved") {
		t.Errorf("the approved request: %q", text)
	}
	screenshot(t, b, "e2e-directories-answered.png")

	// A request the network refuses on arrival: while the app is offline
	// the provider asks to be credentialed with Cigna, and support
	// meanwhile credentials them there, so the server refuses the request
	// when it arrives. The screen says so in the network's words with what
	// to do instead, and the outbox holds it delivered: no Retry that would
	// be refused again (before, it stayed failed with a Retry that failed).
	srv.Close()
	waitJS(t, b, "offline", `document.querySelector('#sync-status').textContent.includes('Offline')`)
	ask("Cigna", intake.RequestAddPayer, "My practice is in their area.")
	if err := db.SetPayer(ctx, 1, "Cigna", intake.PayerApproved); err != nil {
		t.Fatal(err)
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	back := &http.Server{Handler: intakeAPI(db)}
	go back.Serve(ln)
	defer back.Close()
	waitJS(t, b, "the refusal shown", `!!document.querySelector('#requests li[data-state="refused"]')`)
	refused := eval[string](t, b, `document.querySelector('#requests li[data-state="refused"]').textContent`)
	for _, want := range []string{"Be credentialed with Cigna", "Not accepted by the network", "The network said: You are already credentialed with Cigna",
		"Nothing more happens with this request", "contact support about it"} {
		if !strings.Contains(refused, want) {
			t.Errorf("the refused request lacks %q: %q", want, refused)
		}
	}
	waitJS(t, b, "Cigna approved", `(document.querySelector('[data-offering="Cigna"]')?.textContent ?? '').includes('Approved')`)
	screenshot(t, b, "e2e-directories-refused.png")
	b.do(t, "open the outbox", chromedp.Click(chromedp.CSS("#sync-status")), chromedp.WaitVisible(chromedp.CSS("#outbox-panel")))
	if state := eval[string](t, b, `[...document.querySelectorAll('#outbox-panel li')].find(li => li.querySelector('strong').textContent === 'Request: Be credentialed with Cigna')?.dataset.outboxState ?? ''`); state != "delivered" {
		t.Errorf("the refused request in the outbox is %q, want delivered", state)
	}
	if n := eval[int](t, b, `[...document.querySelectorAll('#outbox-panel button')].filter(e => e.textContent === 'Retry').length`); n != 0 {
		t.Errorf("the outbox offers %d retries", n)
	}
	screenshot(t, b, "e2e-directories-refused-outbox.png")
	b.do(t, "close the outbox", chromedp.Click(chromedp.CSS(`#outbox-panel [aria-label="Close the outbox"]`)), chromedp.WaitNotPresent(chromedp.CSS("#outbox-panel")))
	b.do(t, "contact support about it", chromedp.Click(chromedp.CSS(`#requests li[data-state="refused"] button.link`)), chromedp.WaitVisible(chromedp.CSS("#ask-subject")))
	if subject := eval[string](t, b, `document.querySelector('#ask-subject').value`); subject != "Request not accepted: Be credentialed with Cigna" {
		t.Errorf("the support form's subject: %q", subject)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}
