package onboarding

import (
	"net"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/intake/server"
	"onramp/backend/mail"
	"onramp/backend/mail/mailtest"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/retry"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store/storetest"
)

// movingIntake is a real intake server with the network key, its mail
// submission service and an upstream SMTP sink, on loopback.
type movingIntake struct {
	db       *server.DB
	srv      *httptest.Server
	mailer   *server.Mailer
	upstream *mailtest.Inbox
}

func newMovingIntake(t *testing.T, invitation, email string) *movingIntake {
	t.Helper()
	_, pub, _ := networkKeyFile(t)
	db, err := server.Open(ctx, filepath.Join(t.TempDir(), "intake.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.AddInvitation(ctx, invitation, email); err != nil {
		t.Fatal(err)
	}
	sub := server.NewMailSubmission(db, server.MailSubmissionConfig{From: "onboarding@network.example", FromName: "Network onboarding",
		Support: "support@network.example", Credentialing: "credentialing@network.example"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go sub.Serve(ln)
	t.Cleanup(func() { sub.Close() })
	api := server.NewServer(db, server.WithMailRoute(sub.Route(ln.Addr().String(), "")))
	api.WithNetworkKey(pub)
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	upstream, relay := inboxRelay(t)
	return &movingIntake{db: db, srv: srv, upstream: upstream,
		mailer: server.NewMailer(db, *relay, mail.Address{Name: "Network onboarding", Email: "onboarding@network.example"}, retry.GuidanceMail)}
}

// versions is the network's versions of the provider's forms, in the order
// received: "general:1,credentialing:1,…".
func (m *movingIntake) versions(t *testing.T) string {
	t.Helper()
	subs, err := m.db.Submissions(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range subs {
		out = append(out, s.Form+":"+strconv.Itoa(s.Version))
	}
	return strings.Join(out, ",")
}

// latest is the feed's latest version and review of each form, as support's
// `providers` lists them.
func (m *movingIntake) latest(t *testing.T) map[string]intake.FormStatus {
	t.Helper()
	ps, err := m.db.Providers(ctx)
	if err != nil || len(ps) != 1 {
		t.Fatalf("providers: %+v %v", ps, err)
	}
	out := map[string]intake.FormStatus{}
	for _, f := range ps[0].Forms {
		out[f.Form] = f
	}
	return out
}

// The provider moves computers. The old one submitted both forms (the
// Insurance form twice); support reissues the invitation; the new computer,
// set up afresh with the new code and another email address, submits both
// forms with other content while offline, then syncs: its versions arrive
// as the network's next ones (General 2, Insurance 3), not as conflicting
// "version 1"s, with their receipts (to the new address, through the
// network's mail service), their packet and its versions all saying the
// same numbers. The feed and `providers` show them as the latest; reviews
// and the 45-day window's start follow them; a later version is numbered
// after them directly; retries duplicate nothing.
func TestHandoffNewComputer(t *testing.T) {
	old, st := trainingService(t)
	acct, _, _ := st.Account(ctx)
	in := newMovingIntake(t, acct.InvitationCode, acct.Email)

	submitBothForms(t, old, "219-09-8765", "Kettle-Plum-7731-caqh")
	resubmitInsurance(t, old, "PL-OLD-2")
	if rep := old.Sync.Sync(ctx, in.srv.URL); !rep.Enrolled || rep.Failed > 0 || rep.Error != "" {
		t.Fatalf("the old computer's sync: %+v", rep)
	}
	if got := in.versions(t); got != "general:1,credentialing:1,credentialing:2" {
		t.Fatalf("the network after the old computer: %s", got)
	}
	if err := in.db.Review(ctx, 1, forms.FormGeneral, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := in.db.Review(ctx, 1, forms.FormCredentialing, false, "The liability policy expired"); err != nil {
		t.Fatal(err)
	}

	code, err := in.db.Reissue(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	freshStore := storetest.New(t)
	fresh := New(freshStore, fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	values := validValues(t)
	values[forms.SetupInvitationCode] = code
	const newEmail = "zoe@newclinic.test" // not the invitation's address
	values[forms.SetupEmail] = newEmail
	if problems, err := fresh.Progress.SetUp(ctx, values); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	// Offline since set-up: numbered from 1, as the app can know nothing yet.
	submitBoth(t, fresh, both{ssn: "219-09-8765", password: "Kettle-Plum-7731-caqh",
		fields: map[string]string{"policyNumber": "PL-NEW-1", "carrier": "New Carrier Mutual"}})
	if rep := fresh.Sync.Sync(ctx, ""); rep.Error != "" {
		t.Fatalf("offline sync: %+v", rep)
	}

	rep := fresh.Sync.Sync(ctx, in.srv.URL)
	if !rep.Enrolled || rep.Failed > 0 || rep.Error != "" {
		t.Fatalf("the new computer's sync: %+v", rep)
	}
	if got := in.versions(t); got != "general:1,credentialing:1,credentialing:2,general:2,credentialing:3" {
		t.Fatalf("the network after the new computer: %s", got)
	}
	subs, _ := in.db.Submissions(ctx, 1)
	if s := subs[len(subs)-1]; !strings.Contains(s.Data, "PL-NEW-1") {
		t.Errorf("Insurance version 3 is not the new computer's: %.200s", s.Data)
	}
	latest := in.latest(t)
	if g, c := latest[forms.FormGeneral], latest[forms.FormCredentialing]; g.LatestVersion != 2 || g.Review != "received" ||
		c.LatestVersion != 3 || c.Review != "received" {
		t.Errorf("providers: general %+v, insurance %+v", g, c)
	}
	for _, c := range []struct {
		form    string
		version int
	}{{forms.FormGeneral, 2}, {forms.FormCredentialing, 3}} {
		v, err := fresh.Forms.Form(ctx, c.form)
		if err != nil || len(v.Versions) != 1 || v.Versions[0].Version != c.version || v.Versions[0].Review != "received" ||
			!v.Versions[0].AwaitingReview || v.Versions[0].Reason != "" {
			t.Errorf("%s on the new computer: %+v %v", c.form, v.Versions, err)
		}
	}

	// The packet names the versions the network knows.
	_, packets := storedPackets(t, in.db)
	found := false
	for _, p := range packets {
		found = found || formVersions(p) == "general:2,credentialing:3"
	}
	if !found || len(packets) != 3 {
		var got []string
		for _, p := range packets {
			got = append(got, formVersions(p))
		}
		t.Errorf("packets on the network: %v, want the old computer's two and one of general 2 and insurance 3", got)
	}

	// Receipts went to the new address through the network's service, once
	// each, naming the raised versions.
	if _, err := in.mailer.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"Subject: Received: your General Onboarding form (version 2)": 0, "Subject: Received: your Insurance form (version 3)": 0}
	for _, m := range in.upstream.Messages() {
		if !strings.Contains(m, newEmail) {
			continue
		}
		matched := false
		for subject := range want {
			if strings.Contains(m, subject) {
				want[subject]++
				matched = true
			}
		}
		if !matched && strings.Contains(m, "Subject: Received:") {
			t.Errorf("a receipt with another version reached the new address:\n%.400s", m)
		}
	}
	for subject, n := range want {
		if n != 1 {
			t.Errorf("%q arrived %d times at %s, want once", subject, n, newEmail)
		}
	}

	// Support reviews the new versions: the new computer's journey follows
	// them, and the 45-day window counts from Insurance version 3's receipt.
	if err := in.db.Review(ctx, 1, forms.FormGeneral, true, ""); err != nil {
		t.Fatal(err)
	}
	if rep := fresh.Sync.Sync(ctx, in.srv.URL); rep.Failed > 0 || rep.Error != "" {
		t.Fatalf("sync after the review: %+v", rep)
	}
	s, err := fresh.Progress.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	received, _ := time.Parse(time.RFC3339Nano, subs[len(subs)-1].ReceivedAt)
	if s.CredentialingVersion != 3 || !s.CredentialingReceived.Equal(received) || s.GeneralReviewed.IsZero() || s.CredentialingReturned != "" {
		t.Errorf("the new computer's journey: version %d received %v (the network's %v), general reviewed %v, returned %q",
			s.CredentialingVersion, s.CredentialingReceived, received, s.GeneralReviewed, s.CredentialingReturned)
	}

	// A version submitted now is numbered after the network's directly.
	if v := resubmitInsurance(t, fresh, "PL-NEW-2"); v != 4 {
		t.Errorf("the next Insurance version is %d, want 4", v)
	}
	if rep := fresh.Sync.Sync(ctx, in.srv.URL); rep.Failed > 0 || rep.Error != "" || rep.Delivered < 1 {
		t.Fatalf("sync of version 4: %+v", rep)
	}
	// Every acknowledgement lost: the app sends it all again; the network
	// takes nothing twice.
	before := in.versions(t)
	if _, err := freshStore.DB().ExecContext(ctx, `UPDATE outbox SET state = 'queued', attempts = 0 WHERE kind IN ('submission', 'packet')`); err != nil {
		t.Fatal(err)
	}
	if rep := fresh.Sync.Sync(ctx, in.srv.URL); rep.Failed > 0 || rep.Error != "" || rep.Delivered < 3 {
		t.Fatalf("the resend: %+v", rep)
	}
	if after := in.versions(t); after != before || after != "general:1,credentialing:1,credentialing:2,general:2,credentialing:3,credentialing:4" {
		t.Errorf("the resend changed the network's versions: %s, then %s", before, after)
	}
	if c := in.latest(t)[forms.FormCredentialing]; c.LatestVersion != 4 {
		t.Errorf("insurance latest: %+v", c)
	}
}
