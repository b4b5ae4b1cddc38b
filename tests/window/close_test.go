package window

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/backend/testenv"
	"onramp/tests/seed"
)

// TestClosingTheWindowKeepsTheLastKeystrokes: text typed into a form and
// the window closed at once, well inside the 400 ms autosave pause, is in
// the draft when the app is opened again.
func TestClosingTheWindowKeepsTheLastKeystrokes(t *testing.T) {
	bin := binary(t)
	shots := screenshotDir(t)
	dir := t.TempDir()
	seedAccount(t, dir)
	seed.With(t, dir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		if err := svc.Progress.SetPlace(ctx, "form:general#practiceName"); err != nil {
			t.Fatal(err)
		}
	})
	// Build the helper before the window opens, so closing is immediate.
	helper := filepath.Join(t.TempDir(), "close-window")
	if out, err := exec.Command(testenv.Path(t, "gcc"), "-o", helper, "testdata/close-window.c", "-lX11").CombinedOutput(); err != nil {
		t.Fatalf("build close-window: %v\n%s", err, out)
	}
	a, _ := launchWindow(t, bin, dir, 20*time.Second)
	shot := filepath.Join(shots, "window-form-before-close.png")
	waitForText(t, shot, 20*time.Second, "Practice name", "Practice phone")
	time.Sleep(500 * time.Millisecond) // the form has put the focus in the practice name

	const typed = "Riverside Clinic 42"
	xdotool(t, "type", "--delay", "5", typed)
	started := time.Now()
	ids := windows()
	if len(ids) != 1 {
		t.Fatalf("%d windows", len(ids))
	}
	if out, err := exec.Command(helper, ids[0]).CombinedOutput(); err != nil {
		t.Fatalf("close-window: %v\n%s", err, out)
	}
	t.Logf("window closed %s after the last keystroke", time.Since(started).Round(time.Millisecond))
	done := make(chan error, 1)
	go func() { done <- a.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the app exited with %v; output:\n%s", err, a.out)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the app did not exit after its window was closed; output:\n%s", a.out)
	}
	seed.With(t, dir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		v, err := svc.Forms.Form(ctx, forms.FormGeneral)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Data.Fields["practiceName"]; got != typed {
			t.Errorf("the draft's practice name is %q after closing, want %q", got, typed)
		}
	})
}
