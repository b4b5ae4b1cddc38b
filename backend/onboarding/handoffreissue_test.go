package onboarding

import (
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/secret/secrettest"
	"onramp/backend/store/storetest"
)

// A provider moves to a new computer: support reissues the invitation; the
// old computer is refused (its token, then its code) in plain words, the
// new one enrolls with the new code as the same provider, and its packet
// signing key replaces the old computer's.
func TestHandoffReissue(t *testing.T) {
	old, st := trainingService(t)
	_, pub, _ := networkKeyFile(t)
	db, srv := sealedIntake(t, st, t.TempDir(), &pub)
	if r, err := old.Forms.SubmitForm(ctx, forms.FormGeneral, generalData()); err != nil || r.Version != 1 {
		t.Fatal(err, r.Problems)
	}
	// The form, and the start-date and app-version reports (h3).
	if rep := old.Sync.Sync(ctx, srv.URL); rep.Delivered < 1 || rep.Failed > 0 || rep.Error != "" {
		t.Fatalf("the old computer's sync: %+v", rep)
	}
	oldKey, _ := old.Packets.SigningKeyFingerprint(ctx)
	if k, _ := db.PacketKey(ctx, 1); k != oldKey || k == "" {
		t.Fatalf("packet key before: %q, the old computer's %q", k, oldKey)
	}

	code, err := db.Reissue(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := db.PacketKey(ctx, 1); k != "" {
		t.Errorf("packet key kept: %q", k)
	}
	if rep := old.Sync.Sync(ctx, srv.URL); !strings.Contains(rep.Error, "didn't recognize this computer") {
		t.Errorf("the old computer's token: %+v", rep)
	}
	if rep := old.Sync.Sync(ctx, srv.URL); rep.Enrolled || !strings.Contains(rep.Error, "invitation code is not known") {
		t.Errorf("the old computer's code: %+v", rep)
	}

	fresh := New(storetest.New(t), fixedNow, bundledVideo(t), secrettest.Box(t), outmail.Config{})
	values := validValues(t)
	values[forms.SetupInvitationCode] = code
	if problems, err := fresh.Progress.SetUp(ctx, values); err != nil || problems != nil {
		t.Fatal(err, problems)
	}
	if rep := fresh.Sync.Sync(ctx, srv.URL); !rep.Enrolled || rep.Error != "" {
		t.Fatalf("the new computer's sync: %+v", rep)
	}
	newKey, _ := fresh.Packets.SigningKeyFingerprint(ctx)
	if k, _ := db.PacketKey(ctx, 1); k != newKey || k == oldKey {
		t.Errorf("packet key after: %q, the new computer's %q", k, newKey)
	}
	ps, err := db.Providers(ctx)
	if err != nil || len(ps) != 1 || len(ps[0].Forms) != 1 {
		t.Fatalf("providers after the move: %+v %v", ps, err)
	}
}
