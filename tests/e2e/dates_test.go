package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// TestCredentialingPastDay45OffersSupport: the network returned the first
// Insurance version and received the second 50 days ago, and its review
// guidance never went out. The dashboard counts the window from the second
// version's receipt, says it is past, and its "Contact support" opens the
// Help drawer at the support form filled in with the version and dates;
// the Insurance form lists each version with the network's word on it.
func TestCredentialingPastDay45OffersSupport(t *testing.T) {
	dataDir := t.TempDir()
	seedAs(t, dataDir, "Zoë Łukasiewicz", "psych-np")
	now := time.Now()
	v1At, v2At := now.AddDate(0, 0, -60), now.AddDate(0, 0, -50)
	seed.With(t, dataDir, func(ctx context.Context, svc *onboarding.Service, st *store.Store) {
		if res, err := svc.Forms.SubmitForm(ctx, forms.FormGeneral, seed.GeneralData("Zoë Łukasiewicz", "psych-np")); err != nil || res.Version != 1 {
			t.Fatalf("submit general: %v %+v", err, res.Problems)
		}
		for i, at := range []time.Time{v1At, v2At} {
			d := forms.NewData()
			d.Fields["npi"] = "1234567893"
			d.Fields["caqhId"] = []string{"12345678", "12345679"}[i]
			if _, err := st.Submit(ctx, store.Submission{Form: forms.FormCredentialing, SchemaVersion: 1, Data: d.Encode(), Hash: d.Hash(), SubmittedAt: at},
				store.MilestoneCredentialingSubmitted, func(int) []store.OutboxItem { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		// What the status feed said (the server's own tests cover it saying so).
		for _, v := range []store.NetworkVersion{
			{Form: forms.FormGeneral, Version: 1, ReceivedAt: v1At, ReceivedExact: true, Review: "received"},
			{Form: forms.FormCredentialing, Version: 1, ReceivedAt: v1At, ReceivedExact: true, Review: "returned", Reason: "The malpractice policy has expired."},
			{Form: forms.FormCredentialing, Version: 2, ReceivedAt: v2At, ReceivedExact: true, Review: "received"},
		} {
			if err := st.SetNetworkVersion(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
	})
	dev := startDev(t, dataDir, "ONRAMP_INTAKE_URL=http://"+freeAddr(t)) // offline: the seeded feed stays
	b := newBrowser(t)
	b.do(t, "open", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#credentialing")))

	waitJS(t, b, "the window past", `document.querySelector('[data-window]')?.dataset.window === 'past'`)
	received := v2At.Format("Jan 2, 2006")
	if text := eval[string](t, b, `document.querySelector('#credentialing').textContent`); !strings.Contains(text, "received your Insurance form on "+received) ||
		!strings.Contains(text, "ended 5 days ago") {
		t.Errorf("the credentialing card: %q", text)
	}
	if g := eval[string](t, b, `document.querySelector('#next-step')?.dataset.guidance ?? ''`); g != "overdue" {
		t.Errorf("the review guidance, never sent, is %q", g)
	}
	screenshot(t, b, "e2e-dashboard-past-45.png")

	b.do(t, "contact support", chromedp.Click(chromedp.CSS("#window-support")), chromedp.WaitVisible(chromedp.CSS("#ask-subject")))
	checkScreen(t, b, "help-contact")
	waitJS(t, b, "the support form filled in and focused", `document.activeElement?.id === 'ask-subject' && document.querySelector('#ask-subject').value !== ''`)
	if subject := eval[string](t, b, `document.querySelector('#ask-subject').value`); subject != "Credentialing past 45 days" {
		t.Errorf("subject %q", subject)
	}
	if msg := eval[string](t, b, `document.querySelector('#ask-message').value`); !strings.Contains(msg, "(version 2) on "+v2At.Format("Monday, January 2, 2006")) ||
		!strings.Contains(msg, "no effective date") {
		t.Errorf("message %q", msg)
	}
	screenshot(t, b, "e2e-help-prefilled.png")
	b.do(t, "close help", chromedp.Click(chromedp.CSS(`[aria-label="Close help"]`)))

	b.do(t, "open the Insurance form", chromedp.Click(chromedp.CSS(`[data-open="insurance-form"]`)), chromedp.WaitVisible(chromedp.CSS(".version-list")))
	if text := eval[string](t, b, `document.querySelector('[data-version="1"]').textContent`); !strings.Contains(text, "Returned for changes: The malpractice policy has expired.") {
		t.Errorf("version 1 says %q", text)
	}
	if text := eval[string](t, b, `document.querySelector('[data-version="2"][aria-current="step"]')?.textContent ?? ''`); !strings.Contains(text, "waiting for review") {
		t.Errorf("version 2 (awaiting review) says %q", text)
	}
	screenshot(t, b, "e2e-form-versions.png")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}
