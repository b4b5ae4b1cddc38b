package window

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/tests/seed"
)

// TestWindowOpensPacket: in the real window (WebKitGTK), support's "Open
// packet…" verifies a packet exported from the seeded forms and shows it,
// its pages drawn as SVG. The open dialog is answered through
// $ONRAMP_DIALOG_DIR.
func TestWindowOpensPacket(t *testing.T) {
	bin := binary(t)
	shots := screenshotDir(t)
	dir, saveDir := t.TempDir(), t.TempDir()
	seed.AccountAs(t, dir, "Zoë Łukasiewicz-Núñez", "psych-np", time.Now().AddDate(0, 0, 20))
	root, _ := filepath.Abs("../..")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(root, "docs", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	seed.BothForms(t, dir, "Zoë Łukasiewicz-Núñez", map[string]seed.File{
		"headshot": {Name: "headshot.jpg", Data: read("headshot.jpg")}, "licenseDoc": {Name: "license.pdf", Data: read("license.pdf")},
		"liabilityDoc": {Name: "liability.pdf", Data: read("liability.pdf")}, "deaDoc": {Name: "dea.pdf", Data: read("license.pdf")},
		"boardDoc": {Name: "board.pdf", Data: read("liability.pdf")},
	})
	seed.With(t, dir, func(ctx context.Context, svc *onboarding.Service, _ *store.Store) {
		prev, err := svc.Packets.PreviewPacket(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Packets.ExportPacket(ctx, prev.PacketID, filepath.Join(saveDir, "packet.onramp"), nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Setenv("ONRAMP_DIALOG_DIR", saveDir)
	launchWindow(t, bin, dir, 20*time.Second)
	shot := filepath.Join(shots, "window-packet.png")
	waitForText(t, shot, 20*time.Second, "items done") // the dashboard is up (its stages are below the fold)

	// "Open packet…" in the top bar.
	deadline := time.Now().Add(15 * time.Second)
	for clicked := false; !clicked; {
		screenshot(t, shot)
		for _, scale := range []int{1, 2} {
			for _, w := range words(t, shot, scale) {
				if strings.HasPrefix(w.text, "packet") && w.y < 60 {
					xdotool(t, "mousemove", strconv.Itoa(w.x+w.w/2), strconv.Itoa(w.y+w.h/2), "click", "1")
					clicked = true
					break
				}
			}
			if clicked {
				break
			}
		}
		if !clicked && time.Now().After(deadline) {
			t.Fatalf("no Open packet button on screen; read: %s", ocr(t, shot))
		}
	}
	text := waitForText(t, shot, 20*time.Second, "Verified", "Open the PDF")
	for _, want := range []string{"Psychiatric Nurse Practitioner", "1234567893", "headshot.jpg"} {
		if !strings.Contains(text, want) {
			t.Errorf("the support view lacks %q; read: %s", want, text)
		}
	}
	// Scroll to the first page of the packet: its SVG text is drawn.
	xdotool(t, "mousemove", "600", "600", "click", "--repeat", "8", "--delay", "30", "5")
	waitForText(t, shot, 15*time.Second, "Credentialing packet")
	notBlank(t, shot)
	t.Logf("screenshot: %s", shot)
}
