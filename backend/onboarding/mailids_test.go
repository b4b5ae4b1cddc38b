package onboarding

import (
	"net/mail"
	"strings"
	"testing"

	ourmail "onramp/backend/mail"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/store"
)

// Every Message-ID is unique per provider and message: two providers'
// emails queued under the same key in each app do not share one, and an
// email sent again keeps its own. (The key is a fixed one, as the
// onboarding-complete email's was before the network took it over.)
func TestMessageIDsAreUniquePerProvider(t *testing.T) {
	inbox, relay := inboxRelay(t)
	cfg := outmail.Config{Relay: relay, From: ourmail.Address{Name: "Onramp", Email: "onramp@localhost"}, Support: "support@network.example"}
	var ids []string
	for range 2 {
		svc, st := trainingService(t)
		svc.Mail.Use(cfg)
		for _, m := range []string{store.MilestoneGeneralSubmitted, store.MilestoneGeneralReviewed, store.MilestoneCredentialingSubmitted,
			store.MilestoneCredentialingReviewed, store.MilestonePortalCreated, store.MilestoneWebinarWatched, store.MilestoneQuizPassed} {
			if err := st.SetMilestone(ctx, m, fixedNow()); err != nil {
				t.Fatal(err)
			}
		}
		it := svc.Mail.Item(outmail.KindReceipt, "email/same-key-in-every-app", []ourmail.Address{{Email: "zoe@example.org"}}, "Note", "Hello.\n")
		if _, err := st.Enqueue(ctx, it); err != nil {
			t.Fatal(err)
		}
		if rep := svc.Sync.Sync(ctx, ""); rep.EmailsSent != 1 {
			t.Fatalf("sync: %+v", rep)
		}
		id, err := svc.Sync.MessageID(ctx, it.IdempotencyKey)
		if err != nil {
			t.Fatal(err)
		}
		// Sent again (a lost acknowledgement): the same Message-ID.
		if again, _ := svc.Sync.MessageID(ctx, it.IdempotencyKey); again != id {
			t.Errorf("the Message-ID changed between sends: %s, %s", id, again)
		}
		ids = append(ids, id)
	}
	got := inbox.Messages()
	if len(got) != 2 {
		t.Fatalf("%d emails", len(got))
	}
	var headers []string
	for _, raw := range got {
		m, err := mail.ReadMessage(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		headers = append(headers, strings.Trim(m.Header.Get("Message-Id"), "<>"))
	}
	if headers[0] == headers[1] {
		t.Errorf("two providers' emails share the Message-ID %s", headers[0])
	}
	for i := range ids {
		if headers[i] != ids[i] {
			t.Errorf("email %d has Message-ID %s, want %s", i, headers[i], ids[i])
		}
	}
}

// A help request's email to support has the provider as its Reply-To, so
// that support's "Reply" reaches the provider, not the app's address.
func TestHelpEmailRepliesGoToTheProvider(t *testing.T) {
	inbox, relay := inboxRelay(t)
	svc, _ := trainingService(t)
	svc.Mail.Use(outmail.Config{Relay: relay, From: ourmail.Address{Name: "Onramp", Email: "onramp@localhost"}, Support: "support@network.example"})
	if p, err := svc.Sync.AskForHelp(ctx, "My DEA certificate", "Which page do you need?"); err != nil || p != nil {
		t.Fatal(err, p)
	}
	if rep := svc.Sync.Sync(ctx, ""); rep.EmailsSent != 1 {
		t.Fatalf("sync: %+v", rep)
	}
	m, err := mail.ReadMessage(strings.NewReader(inbox.Messages()[0]))
	if err != nil {
		t.Fatal(err)
	}
	replyTo, err := m.Header.AddressList("Reply-To")
	if err != nil || len(replyTo) != 1 || replyTo[0].Address != "zoe@example.org" {
		t.Errorf("Reply-To %v (%v)", replyTo, err)
	}
	if to, _ := m.Header.AddressList("To"); len(to) != 1 || to[0].Address != "support@network.example" {
		t.Errorf("To %v", to)
	}
}
