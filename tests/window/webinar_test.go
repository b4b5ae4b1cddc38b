package window

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"onramp/backend/webinar"
)

// word is one word tesseract read, with its box in screen pixels.
type word struct {
	text       string
	x, y, w, h int
}

// words reads the screenshot as sparse text (which also finds short button
// labels) with each word's position, at scale (2 reads small bold labels
// better); positions are in screen pixels.
func words(t testing.TB, path string, scale int) []word {
	t.Helper()
	src := path
	if scale > 1 {
		src = filepath.Join(t.TempDir(), "scaled.png")
		if out, err := exec.Command("convert", path, "-resize", strconv.Itoa(scale*100)+"%", src).CombinedOutput(); err != nil {
			t.Fatalf("convert: %v %s", err, out)
		}
	}
	out, err := exec.Command("tesseract", src, "-", "--psm", "11", "tsv").Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	var ws []word
	for _, line := range strings.Split(string(out), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) < 12 || strings.TrimSpace(f[11]) == "" {
			continue
		}
		n := func(i int) int { v, _ := strconv.Atoi(f[i]); return v / scale }
		ws = append(ws, word{text: strings.TrimSpace(f[11]), x: n(6), y: n(7), w: n(8), h: n(9)})
	}
	return ws
}

// clickWord clicks the centre of the first word read exactly as text.
func clickWord(t testing.TB, shot, text string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screenshot(t, shot)
		for _, scale := range []int{1, 2} {
			for _, w := range words(t, shot, scale) {
				if w.text == text {
					xdotool(t, "mousemove", strconv.Itoa(w.x+w.w/2), strconv.Itoa(w.y+w.h/2), "click", "1")
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q on screen", text)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func xdotool(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

var watchedRE = regexp.MustCompile(`(\d+)% watched`)

// The real window plays the bundled webinar: a provider scrolls to the
// webinar, opens it, starts it with the keyboard, and sees a frame of the
// video and the watched share rise.
func TestWindowPlaysWebinar(t *testing.T) {
	bin := binary(t)
	shots := screenshotDir(t)
	dir := t.TempDir()
	seedAccount(t, dir)
	launchWindow(t, bin, dir, 20*time.Second)
	shot := filepath.Join(shots, "window-webinar.png")
	waitForText(t, shot, 20*time.Second, "Getting Started")

	// Scroll down to Understanding Insurance with the mouse wheel, open the webinar.
	xdotool(t, "mousemove", "640", "600", "click", "--repeat", "10", "--delay", "30", "5")
	waitForText(t, shot, 10*time.Second, "Understanding Insurance", "Watch the insurance training webinar")
	clickWord(t, shot, "Open")
	text := waitForText(t, shot, 15*time.Second, "Insurance training", "watched", "0:00 / 3:")
	if m := watchedRE.FindStringSubmatch(text); m == nil || m[1] != "0" {
		t.Fatalf("before playing: %q", text)
	}

	// The Play button has the focus: Space starts the video.
	xdotool(t, "key", "space")
	deadline := time.Now().Add(30 * time.Second)
	for {
		text = waitForText(t, shot, 10*time.Second, "watched")
		if m := watchedRE.FindStringSubmatch(text); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= 2 {
				t.Logf("watched share rose to %d%%", n)
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the watched share never rose; screen: %s", text)
		}
		time.Sleep(time.Second)
	}
	// A frame of the video is on screen (its first slide's text, read from
	// the pixels) and the clock has moved.
	if !strings.Contains(text, "When you can see insura") {
		t.Errorf("no video frame on screen; read: %s", text)
	}
	if strings.Contains(text, "0:00 / 3:") {
		t.Errorf("the player's clock did not move; read: %s", text)
	}
	// The captions are on: a line of them is on screen (WebKitGTK leaves a
	// track added after the video off unless the player turns it on).
	captions := captionLines(t)
	deadline = time.Now().Add(20 * time.Second)
	for {
		if i := slices.IndexFunc(captions, func(c string) bool { return strings.Contains(letters(text), c) }); i >= 0 {
			t.Logf("caption on screen: %q", captions[i])
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no caption on screen; read: %s", text)
		}
		time.Sleep(500 * time.Millisecond)
		screenshot(t, shot)
		text = ocr(t, shot)
	}
	notBlank(t, shot)
	t.Logf("screenshot: %s", shot)
}

// captionLines are the bundled captions' lines that are not also on a
// slide, as letters only (Tesseract reads a caption's "." as "," as often as
// not).
func captionLines(t testing.TB) []string {
	raw, err := os.ReadFile("../../backend/webinar/media/insurance-training.vtt")
	if err != nil {
		t.Fatal(err)
	}
	sections, err := webinar.ParseVTT(raw)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../backend/webinar/slides.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	slides, err := webinar.ReadScript(f)
	if err != nil {
		t.Fatal(err)
	}
	var onSlides []string
	for _, s := range slides {
		onSlides = append(onSlides, letters(s.Title))
		for _, b := range s.Bullets {
			onSlides = append(onSlides, letters(b))
		}
	}
	var lines []string
	for _, s := range sections {
		for _, c := range s.Cues {
			for _, l := range c.Lines {
				l := letters(l)
				if len(l) >= 20 && !slices.ContainsFunc(onSlides, func(s string) bool { return strings.Contains(s, l) }) {
					lines = append(lines, l)
				}
			}
		}
	}
	return lines
}

// letters is text in lower case with every run of other characters one space.
func letters(text string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}
