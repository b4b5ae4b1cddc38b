package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"onramp/backend/store"
	"onramp/backend/store/storetest"
)

func TestDraftsSaveAndReload(t *testing.T) {
	s := storetest.New(t)
	if _, err := s.Draft(ctx, "general"); !errors.Is(err, store.ErrNoDraft) {
		t.Fatalf("no draft: %v", err)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	r1, _ := s.SaveDraft(ctx, "general", []byte(`{"fields":{"a":"1"}}`), at)
	r2, _ := s.SaveDraft(ctx, "general", []byte(`{"fields":{"a":"12"}}`), at.Add(time.Second))
	if r1 != 1 || r2 != 2 {
		t.Errorf("revisions %d, %d", r1, r2)
	}
	d, err := s.Draft(ctx, "general")
	if err != nil || string(d.Data) != `{"fields":{"a":"12"}}` || d.Revision != 2 {
		t.Errorf("draft = %+v %v", d, err)
	}
}

func TestSubmissionsAreVersionedAndImmutable(t *testing.T) {
	s := storetest.New(t)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s.SaveDraft(ctx, "general", []byte(`{}`), at)
	v1, err := s.Submit(ctx, store.Submission{Form: "general", SchemaVersion: 1, Data: []byte(`{"v":1}`), Hash: "h1", SubmittedAt: at}, store.MilestoneGeneralSubmitted, nil)
	if err != nil || v1 != 1 {
		t.Fatalf("first submission: %d %v", v1, err)
	}
	if _, err := s.Draft(ctx, "general"); !errors.Is(err, store.ErrNoDraft) {
		t.Error("draft kept after submitting")
	}
	v2, _ := s.Submit(ctx, store.Submission{Form: "general", SchemaVersion: 1, Data: []byte(`{"v":2}`), Hash: "h2", SubmittedAt: at.Add(time.Hour)}, store.MilestoneGeneralSubmitted, func(v int) []store.OutboxItem {
		return []store.OutboxItem{{Kind: "submission", IdempotencyKey: fmt.Sprintf("submission/general/%d", v), Payload: []byte(`{}`)}}
	})
	if v2 != 2 {
		t.Errorf("resubmission is version %d", v2)
	}
	m, _ := s.Milestones(ctx)
	if !m[store.MilestoneGeneralSubmitted].Equal(at) {
		t.Errorf("milestone moved to %s", m[store.MilestoneGeneralSubmitted])
	}
	if _, err := s.DB().Exec(`UPDATE submissions SET data = 'tampered' WHERE version = 1`); err == nil {
		t.Error("a submitted version was changed")
	}
	if _, err := s.DB().Exec(`DELETE FROM submissions`); err == nil {
		t.Error("submitted versions were deleted")
	}
	if items, _ := s.Outbox(ctx); len(items) != 1 || items[0].IdempotencyKey != "submission/general/2" {
		t.Errorf("outbox after submitting: %+v", items)
	}
	subs, _ := s.Submissions(ctx, "general")
	if len(subs) != 2 || string(subs[0].Data) != `{"v":1}` || subs[1].Hash != "h2" {
		t.Errorf("submissions = %+v", subs)
	}
	for form, want := range map[string]int{"general": 2, "credentialing": 0} {
		if v, err := s.LatestVersion(ctx, form); err != nil || v != want {
			t.Errorf("latest version of %s = %d, %v; want %d", form, v, err, want)
		}
	}
}

func TestSettings(t *testing.T) {
	s := storetest.New(t)
	if v, err := s.Setting(ctx, "place"); err != nil || v != "" {
		t.Fatalf("unset: %q %v", v, err)
	}
	s.SetSetting(ctx, "place", "form:general#bio")
	s.SetSetting(ctx, "place", "training")
	if v, _ := s.Setting(ctx, "place"); v != "training" {
		t.Errorf("place = %q", v)
	}
}
