package e2e

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// TestSettingsSwitchesToTheIntakeServer: the app starts with no intake
// server (working offline). Settings, from the top bar, refuses plain http://
// to another computer beside the field; the real local intake server's
// address is tested and saved, and the running app syncs with it at once.
// Escape returns to the dashboard.
func TestSettingsSwitchesToTheIntakeServer(t *testing.T) {
	dataDir := t.TempDir()
	seedAs(t, dataDir, "Amara Okafor", "lcsw")
	var code, email string
	seed.With(t, dataDir, func(ctx context.Context, _ *onboarding.Service, st *store.Store) {
		a, _, _ := st.Account(ctx)
		code, email = a.InvitationCode, a.Email
	})
	db, intakeURL := serveIntake(t)
	if err := db.AddInvitation(context.Background(), code, email); err != nil {
		t.Fatal(err)
	}

	dev := startDev(t, dataDir)
	b := newBrowser(t)
	b.do(t, "open", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS(`[data-step="portal"]`)))
	waitJS(t, b, "working offline", `document.querySelector('#sync-status').textContent.includes('Working offline')`)

	b.do(t, "open Settings", chromedp.Click(chromedp.CSS("#open-settings")), chromedp.WaitVisible(chromedp.CSS("#field-intakeURL")))
	if src := eval[string](t, b, `document.querySelector('#settings-source').textContent`); !strings.Contains(src, "way Onramp was started") {
		t.Errorf("the screen does not say where the values come from: %q", src)
	}
	for _, id := range []string{"intakeURL", "smtpHost", "smtpPort", "smtpUsername", "smtpPassword", "mailFrom", "supportEmail", "credentialingEmail"} {
		if !eval[bool](t, b, js(`!!document.querySelector('label[for="field-%s"]')`, id)) {
			t.Errorf("field %s has no label", id)
		}
	}

	setField(t, b, "intakeURL", "http://intake.network.example")
	b.do(t, "save", chromedp.Click(chromedp.CSS("#settings-save")))
	waitJS(t, b, "the insecure address refused beside its field",
		`(document.querySelector('#field-intakeURL-error')?.textContent ?? '').includes('https://')`)
	if !eval[bool](t, b, `document.activeElement?.id === 'field-intakeURL'`) {
		t.Error("the refused field did not get the focus")
	}
	if !strings.Contains(eval[string](t, b, `document.querySelector('#settings-status').textContent`), "Not saved") {
		t.Error("no word that nothing was saved")
	}
	screenshot(t, b, "e2e-settings-refused.png")

	setField(t, b, "intakeURL", intakeURL)
	if eval[bool](t, b, `!!document.querySelector('#field-intakeURL-error')`) {
		t.Error("the error stayed after the field changed")
	}
	b.do(t, "test the connection", chromedp.Click(chromedp.CSS("#settings-test")))
	waitJS(t, b, "the intake server answers the test",
		`document.querySelector('#settings-test-results [data-check="intake"]')?.dataset.status === 'ok'`)
	if got := eval[string](t, b, `document.querySelector('#settings-test-results [data-check="mail"]').textContent`); !strings.Contains(got, "No relay of your own is set") {
		t.Errorf("mail relay result: %q", got)
	}
	if ps, _ := db.Providers(context.Background()); len(ps) != 0 {
		t.Fatal("testing the connection enrolled the app")
	}

	b.do(t, "save", chromedp.Click(chromedp.CSS("#settings-save")))
	waitJS(t, b, "saved", `document.querySelector('#settings-status').textContent.includes('Saved')`)
	waitJS(t, b, "a sync reaches the intake server", `/Synced/.test(document.querySelector('#sync-status').textContent)`)
	if ps, _ := db.Providers(context.Background()); len(ps) != 1 || ps[0].Email != email {
		t.Fatalf("the intake server has %+v", ps)
	}
	if src := eval[string](t, b, `document.querySelector('#settings-source').textContent`); !strings.Contains(src, "Saved on this computer") {
		t.Errorf("after saving the screen says %q", src)
	}

	// A relay that wants a password: it is stored, shown only as "stored",
	// never written in plaintext, and used when the field is left empty.
	inbox := &mailtest.Inbox{}
	sink, err := mail.NewSink("127.0.0.1:0", inbox.Save)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	host, port, _ := net.SplitHostPort(sink.Addr())
	const relayPassword = "Relay-Pa55-e2e-7719"
	setField(t, b, "smtpHost", host)
	setField(t, b, "smtpPort", port)
	setField(t, b, "smtpUsername", "clinic")
	setField(t, b, "smtpPassword", relayPassword)
	b.do(t, "save the relay", chromedp.Click(chromedp.CSS("#settings-save")))
	waitJS(t, b, "the password shown as stored",
		`!!document.querySelector('#smtp-password-stored') && document.querySelector('#field-smtpPassword').value === '' && document.querySelector('#settings-status').textContent.includes('Saved')`)
	b.do(t, "test with the stored password", chromedp.Click(chromedp.CSS("#settings-test")))
	waitJS(t, b, "the relay accepts the stored password",
		`(document.querySelector('#settings-test-results [data-check="mail"]')?.textContent ?? '').includes('accepted the user name and password')`)
	assertNoPlaintext(t, dataDir, relayPassword)
	screenshot(t, b, "e2e-settings-saved.png")

	// "Use the defaults" asks first, then forgets what was saved here.
	b.do(t, "ask to use the defaults", chromedp.Click(chromedp.CSS("#settings-reset")), chromedp.WaitVisible(chromedp.CSS("#settings-reset-confirm")))
	b.do(t, "confirm", chromedp.Click(chromedp.CSS("#settings-reset-confirm")))
	waitJS(t, b, "the defaults back", js(`document.querySelector('#settings-status').textContent.includes('Back to the settings') && `+
		`!document.querySelector('#smtp-password-stored') && document.querySelector('#field-smtpHost').value !== %q && `+
		`document.querySelector('#settings-source').textContent.includes('come from the way Onramp was started')`, host))

	// Leaving with unsaved changes asks once; the second Escape leaves.
	setField(t, b, "supportEmail", "new-support@example.org")
	b.do(t, "Escape with a change", chromedp.KeyEvent("\x1b"))
	waitJS(t, b, "the unsaved-changes warning", `document.querySelector('#settings-status').textContent.includes('not saved') && !!document.querySelector('#settings-save')`)
	b.do(t, "Escape again returns to the dashboard", chromedp.KeyEvent("\x1b"), chromedp.WaitVisible(chromedp.CSS(`[data-step="portal"]`)))
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
	leave(t, b)
}
