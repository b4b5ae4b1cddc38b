package syncing

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/attach"
	"onramp/backend/clocktest"
	"onramp/backend/forms"
	"onramp/backend/intake"
	"onramp/backend/journey"
	"onramp/backend/onboarding/directories"
	"onramp/backend/onboarding/formfill"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/onboarding/progress"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store"
	"onramp/backend/store/storetest"
	"onramp/backend/webinar"
)

// feedApp is the services a status feed reaches, over a real store file.
type feedApp struct {
	clock    *clocktest.Clock
	store    *store.Store
	sync     *Service
	progress *progress.Service
	forms    *formfill.Service
}

func newFeedApp(t *testing.T, now time.Time) feedApp {
	t.Helper()
	clk := clocktest.New(now)
	st := storetest.New(t)
	m := outmail.New(outmail.Config{}, clk.Now)
	p := progress.New(st, clk.Now, m)
	dir := t.TempDir()
	files := func() (attach.Dir, error) { return attach.Open(filepath.Join(dir, "attachments")) }
	err := st.CreateAccount(context.Background(), store.Account{LegalName: "Dana Reyes", Email: "dana@example.test", LicenseType: "LCSW",
		ContractStart: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), InvitationCode: "ABCD-EFGH", CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return feedApp{clock: clk, store: st, sync: New(st, clk.Now, secrettest.Box(t), p, nil, m, directories.New(st, clk.Now), webinar.Video{}, nil), progress: p,
		forms: formfill.New(st, clk.Now, secrettest.Box(t), p, m, files)}
}

// submit stores the next version of form at the app's time now, as
// submitting does (the forms' validation has its own tests).
func (a feedApp) submit(t *testing.T, form string) {
	t.Helper()
	d := forms.NewData()
	d.Fields["note"] = a.clock.Now().String()
	milestone := map[string]string{forms.FormGeneral: store.MilestoneGeneralSubmitted, forms.FormCredentialing: store.MilestoneCredentialingSubmitted}[form]
	_, err := a.store.Submit(context.Background(), store.Submission{Form: form, SchemaVersion: 1, Data: d.Encode(), Hash: d.Hash(), SubmittedAt: a.clock.Now()},
		milestone, func(int) []store.OutboxItem { return nil })
	if err != nil {
		t.Fatal(err)
	}
}

func noon(date string) time.Time {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

func rfc(date string) string { return noon(date).Format(time.RFC3339) }

// The dashboard's dates follow what the feed says the network received,
// step by step through a return and a resubmission; the forms show each
// version's review and which one waits for review.
func TestStatusFeedDrivesHonestDates(t *testing.T) {
	ctx := context.Background()
	app := newFeedApp(t, noon("2026-11-16")) // Monday
	app.submit(t, forms.FormGeneral)
	app.submit(t, forms.FormCredentialing)
	generalReceived := intake.FormStatus{Form: forms.FormGeneral, LatestVersion: 1, Review: "received", ReceivedAt: rfc("2026-11-16"),
		Versions: []intake.FormVersion{{Version: 1, ReceivedAt: rfc("2026-11-16"), Review: "received"}}}
	insurance := func(versions ...intake.FormVersion) intake.FormStatus {
		last := versions[len(versions)-1]
		return intake.FormStatus{Form: forms.FormCredentialing, LatestVersion: last.Version, Review: last.Review, Reason: last.Reason,
			ReceivedAt: last.ReceivedAt, Versions: versions}
	}
	v1 := intake.FormVersion{Version: 1, ReceivedAt: rfc("2026-11-18"), Review: "received"}
	v1Returned := intake.FormVersion{Version: 1, ReceivedAt: rfc("2026-11-18"), Review: "returned", Reason: "The malpractice policy has expired."}
	v2 := intake.FormVersion{Version: 2, ReceivedAt: rfc("2026-12-02"), Review: "received"}

	steps := []struct {
		name     string
		today    string
		resubmit bool // submit Insurance version 2 first
		feed     intake.Status
		guidance func(*journey.Guidance) bool
		window   string
		expected string
		versions []string // the Insurance form's versions' review
		awaiting int      // the version awaiting review, 0 for none
		returned int      // the dashboard's returned cards
	}{
		{name: "Wednesday, the network has nothing yet: waiting, nothing overdue", today: "2026-11-18",
			feed: intake.Status{},
			guidance: func(g *journey.Guidance) bool {
				return g.Step == intake.GuidanceReview && g.Waiting != "" && !g.Overdue
			},
			window: journey.WindowWaiting, versions: []string{formfill.ReviewNotReceived}},
		{name: "the Insurance form received Wednesday: the window and the guidance count from then", today: "2026-11-19",
			feed: intake.Status{Forms: []intake.FormStatus{generalReceived, insurance(v1)}},
			guidance: func(g *journey.Guidance) bool {
				return g.DueBy == "2026-11-19" && g.DoneOn == "2026-11-18" && !g.Overdue
			},
			window: journey.WindowOpen, expected: "2027-01-02", versions: []string{formfill.ReviewReceived}, awaiting: 1},
		{name: "Friday, not sent: overdue with the context filled in", today: "2026-11-20",
			feed:     intake.Status{Forms: []intake.FormStatus{generalReceived, insurance(v1)}},
			guidance: func(g *journey.Guidance) bool { return g.Overdue && g.Support != nil },
			window:   journey.WindowOpen, expected: "2027-01-02", versions: []string{formfill.ReviewReceived}, awaiting: 1},
		{name: "the guidance sent: sent on, never overdue", today: "2026-11-30",
			feed: intake.Status{Forms: []intake.FormStatus{generalReceived, insurance(v1)},
				Guidance: []intake.GuidanceSent{{Step: intake.GuidanceReview, SentAt: rfc("2026-11-19")}}},
			guidance: func(g *journey.Guidance) bool { return g.SentOn == "2026-11-19" && !g.Overdue },
			window:   journey.WindowOpen, expected: "2027-01-02", versions: []string{formfill.ReviewReceived}, awaiting: 1},
		{name: "returned: the window is void, the form says why", today: "2026-11-30",
			feed:     intake.Status{Forms: []intake.FormStatus{generalReceived, insurance(v1Returned)}},
			guidance: func(g *journey.Guidance) bool { return !g.Overdue },
			window:   journey.WindowReturned, versions: []string{formfill.ReviewReturned}, returned: 1},
		{name: "resubmitted, not received yet: waiting", today: "2026-12-01", resubmit: true,
			feed:     intake.Status{Forms: []intake.FormStatus{generalReceived, insurance(v1Returned)}},
			guidance: func(g *journey.Guidance) bool { return !g.Overdue },
			window:   journey.WindowWaiting, versions: []string{formfill.ReviewReturned, formfill.ReviewNotReceived}},
		{name: "the resubmission received: the window restarts from it", today: "2026-12-03",
			feed:     intake.Status{Forms: []intake.FormStatus{generalReceived, insurance(v1Returned, v2)}},
			guidance: func(g *journey.Guidance) bool { return !g.Overdue },
			window:   journey.WindowOpen, expected: "2027-01-16", versions: []string{formfill.ReviewReturned, formfill.ReviewReceived}, awaiting: 2},
	}
	for _, step := range steps {
		for app.clock.Now().Before(noon(step.today)) {
			app.clock.Add(24 * time.Hour)
		}
		if step.resubmit {
			app.submit(t, forms.FormCredentialing)
		}
		if err := app.sync.applyStatus(ctx, step.feed); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		d, err := app.progress.Dashboard(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if d.NextStep == nil || !step.guidance(d.NextStep) {
			t.Errorf("%s: next step %+v", step.name, d.NextStep)
		}
		if w := d.Credentialing; w == nil || w.State != step.window || w.ExpectedBy != step.expected {
			t.Errorf("%s: window %+v, want %s expected %q", step.name, w, step.window, step.expected)
		}
		if len(d.Returned) != step.returned {
			t.Errorf("%s: returned %+v", step.name, d.Returned)
		}
		v, err := app.forms.Form(ctx, forms.FormCredentialing)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		awaiting := 0
		for i, ver := range v.Versions {
			if i >= len(step.versions) || ver.Review != step.versions[i] {
				t.Errorf("%s: version %d review %q, want %v", step.name, ver.Version, ver.Review, step.versions)
			}
			if ver.Review == formfill.ReviewReturned && ver.Reason == "" {
				t.Errorf("%s: version %d returned without its reason", step.name, ver.Version)
			}
			if ver.AwaitingReview {
				awaiting = ver.Version
			}
		}
		if len(v.Versions) != len(step.versions) || awaiting != step.awaiting {
			t.Errorf("%s: %d versions, awaiting review %d; want %d, %d", step.name, len(v.Versions), awaiting, len(step.versions), step.awaiting)
		}
	}
}

// A feed without receipt times (a server older than them) still says the
// network has the version: the first sync that saw it stands for the
// receipt, and a later sync does not move it.
func TestStatusFeedWithoutReceiptTimes(t *testing.T) {
	ctx := context.Background()
	app := newFeedApp(t, noon("2026-11-16"))
	app.submit(t, forms.FormGeneral)
	feed := intake.Status{Forms: []intake.FormStatus{{Form: forms.FormGeneral, LatestVersion: 1, Review: "received"}}}
	app.clock.Add(24 * time.Hour) // Tuesday: first seen
	if err := app.sync.applyStatus(ctx, feed); err != nil {
		t.Fatal(err)
	}
	app.clock.Add(24 * time.Hour)
	if err := app.sync.applyStatus(ctx, feed); err != nil {
		t.Fatal(err)
	}
	d, err := app.progress.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g := d.NextStep; g == nil || g.DoneOn != "2026-11-17" || g.DueBy != "2026-11-18" || g.Overdue {
		t.Errorf("next step = %+v", g)
	}
}

// The portal's address and user name reach the dashboard once the feed
// gives them, and the password's creation takes the network's time.
func TestStatusFeedPortalAccess(t *testing.T) {
	ctx := context.Background()
	app := newFeedApp(t, noon("2026-11-16"))
	app.store.SetMilestone(ctx, store.MilestonePortalCreated, noon("2026-11-20"))
	feed := intake.Status{PortalCreated: true, PortalCreatedAt: rfc("2026-11-19"),
		Portal: &intake.PortalAccess{URL: "https://portal.network.test/login", Username: "dana.reyes"}}
	if err := app.sync.applyStatus(ctx, feed); err != nil {
		t.Fatal(err)
	}
	m, err := app.store.Milestones(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := m[store.MilestonePortalCreated]; !got.Equal(noon("2026-11-19")) {
		t.Errorf("portal created %s, want the network's 2026-11-19", got)
	}
	access, err := app.progress.PortalAccess(ctx)
	if err != nil || access == nil || access.URL != "https://portal.network.test/login" || access.Username != "dana.reyes" {
		t.Errorf("portal access = %+v %v", access, err)
	}
}
