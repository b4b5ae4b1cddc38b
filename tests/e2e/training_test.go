package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"onramp/backend/onboarding"
	"onramp/backend/store"
	"onramp/backend/webinar"
	"onramp/tests/seed"
)

// clipEnv points the app at the 6-second test clip instead of the webinar.
func clipEnv(t *testing.T) string {
	dir, err := filepath.Abs("testdata/webinar")
	if err != nil {
		t.Fatal(err)
	}
	return "ONRAMP_WEBINAR_DIR=" + dir
}

func openTraining(t *testing.T, b *browser, url string) {
	t.Helper()
	b.do(t, "open the app", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-stage="understanding-insurance"]`)))
	b.do(t, "open the webinar", chromedp.Click(chromedp.CSS(`[data-open="webinar"]`)), chromedp.WaitVisible(chromedp.CSS("#webinar-title")))
	waitJS(t, b, "the video loaded", `(() => { const v = document.querySelector('video'); return !!v && v.readyState >= 1 && !document.querySelector('#video-toggle').disabled; })()`)
}

func percentWatched(t *testing.T, b *browser) int {
	t.Helper()
	return eval[int](t, b, `Number(document.querySelector('#watched-percent').dataset.percent)`)
}

// answer picks a choice for every question: the right one, except for the
// first `wrong` questions.
func answerQuiz(t *testing.T, b *browser, wrong int) {
	t.Helper()
	key := webinar.AnswerKey()
	for i, q := range webinar.Questions() {
		choice := key[q.ID]
		if i < wrong {
			for _, c := range q.Choices {
				if c.ID != key[q.ID] {
					choice = c.ID
					break
				}
			}
		}
		b.do(t, "answer "+q.ID, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="q-%s"][value="%s"]`, q.ID, choice))))
	}
	b.do(t, "submit the quiz", chromedp.Click(chromedp.CSS("#quiz-submit")))
	waitJS(t, b, "the result", `!!document.querySelector('#quiz-result')`)
}

func TestWebinarPlayedToTheEndThenQuiz(t *testing.T) {
	dataDir := t.TempDir()
	today := time.Now()
	contract := today.AddDate(0, 0, 10)
	seed.Account(t, dataDir, contract)
	dev := startDev(t, dataDir, clipEnv(t))
	b := newBrowser(t)

	b.do(t, "open the app", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS(`[data-item="quiz"]`)))
	if s := itemStatus(t, b, "quiz"); s != "locked" {
		t.Fatalf("quiz is %s before the webinar", s)
	}
	openTraining(t, b, dev.URL)
	if !eval[bool](t, b, `!!document.querySelector('#quiz-locked')`) {
		t.Fatal("quiz open before watching")
	}
	checkScreen(t, b, "training-before")

	// Play the whole clip with the Play button.
	b.do(t, "press play", chromedp.Click(chromedp.CSS("#video-toggle")))
	waitJS(t, b, "the clip to end", `document.querySelector('video').ended`)
	waitJS(t, b, "the webinar counted", `Number(document.querySelector('#watched-percent').dataset.percent) >= 90`)
	b.do(t, "the quiz opens", chromedp.WaitVisible(chromedp.CSS("#quiz-form")))
	waitJS(t, b, "the whole clip counted", `Number(document.querySelector('#watched-percent').dataset.percent) >= 99`)
	checkScreen(t, b, "training-played")
	checkScreen(t, b, "quiz-before")

	// The form never holds the answer key.
	if html := eval[string](t, b, `document.querySelector('#quiz').outerHTML`); strings.Contains(strings.ToLower(html), "correct") {
		t.Error("the quiz markup mentions correct answers")
	}

	// Fail: 7 of 10.
	answerQuiz(t, b, 3)
	checkScreen(t, b, "quiz-failed")
	res := eval[string](t, b, `document.querySelector('#quiz-result h3').textContent`)
	if !strings.Contains(res, "Not passed yet: 70%") {
		t.Errorf("failed attempt shows %q", res)
	}
	if n := eval[int](t, b, `document.querySelectorAll('#quiz-result [data-missed]').length`); n != 3 {
		t.Errorf("%d missed questions shown, want 3", n)
	}
	b.do(t, "reread a missed topic", chromedp.Click(chromedp.CSS(`#quiz-result [data-missed] button`)))
	waitJS(t, b, "the help article", `document.querySelector('#article-title')?.textContent.length > 0`)
	b.do(t, "close help", chromedp.Click(chromedp.CSS(`button[aria-label="Close help"]`)))

	// Retake and pass.
	b.do(t, "retake", chromedp.Click(chromedp.CSS("#quiz-retake")), chromedp.WaitVisible(chromedp.CSS("#quiz-form")))
	answerQuiz(t, b, 0)
	if res := eval[string](t, b, `document.querySelector('#quiz-result h3').textContent`); !strings.Contains(res, "You passed: 100%") {
		t.Errorf("passing attempt shows %q", res)
	}
	if n := eval[int](t, b, `document.querySelectorAll('.attempts tbody tr').length`); n != 2 {
		t.Errorf("%d attempts listed, want 2", n)
	}
	live := eval[string](t, b, `document.querySelector('#training-live').textContent`)
	if !strings.Contains(live, "effective date") || strings.Contains(live, "insurance training") {
		t.Errorf("live date section: %q", live)
	}
	screenshot(t, b, "e2e-training-passed.png")
	checkScreen(t, b, "quiz-passed")

	// The dashboard shows step 4 done.
	b.do(t, "back to the dashboard", chromedp.Click(chromedp.CSS(".training .back")), chromedp.WaitVisible(chromedp.CSS(`[data-stage="understanding-insurance"]`)))
	for id, want := range map[string]string{"webinar": "done", "quiz": "done"} {
		if got := itemStatus(t, b, id); got != want {
			t.Errorf("%s is %s, want %s", id, got, want)
		}
	}
	if s := eval[string](t, b, `document.querySelector('[data-step="training"]').dataset.status`); s != "done" {
		t.Errorf("step 4 is %s", s)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}

	// The network sets the effective date (as sync will); restart: all still
	// there, and the live date is the latest of the three dates.
	leave(t, b)
	dev.Stop()
	effective := today.AddDate(0, 0, 5)
	seed.With(t, dataDir, func(ctx context.Context, _ *onboarding.Service, st *store.Store) {
		if err := st.SetMilestone(ctx, store.MilestoneEffectiveDate, time.Date(effective.Year(), effective.Month(), effective.Day(), 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	})
	dev = startDev(t, dataDir, clipEnv(t))
	b.do(t, "reopen", chromedp.Navigate(dev.URL), chromedp.WaitVisible(chromedp.CSS("#profile-live")))
	wantLive := "Live " + contract.Format("Monday, January 2, 2006")
	if got := eval[string](t, b, `document.querySelector('#profile-live .big').textContent`); got != wantLive {
		t.Errorf("dashboard live date %q, want %q", got, wantLive)
	}
	if got := itemStatus(t, b, "quiz"); got != "done" {
		t.Errorf("after restart the quiz is %s", got)
	}
	openTraining(t, b, dev.URL)
	if p := percentWatched(t, b); p < 95 {
		t.Errorf("after restart %d%% watched", p)
	}
	if n := eval[int](t, b, `document.querySelectorAll('.attempts tbody tr').length`); n != 2 {
		t.Errorf("after restart %d attempts", n)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}

func TestResumeThenSeekToTheEndIsNotWatching(t *testing.T) {
	dataDir := t.TempDir()
	seed.Account(t, dataDir, time.Now().AddDate(0, 0, 10))
	dev := startDev(t, dataDir, clipEnv(t))
	b := newBrowser(t)
	openTraining(t, b, dev.URL)

	// Play a little, pause, leave: coming back resumes where it stopped.
	b.do(t, "press play", chromedp.Click(chromedp.CSS("#video-toggle")))
	waitJS(t, b, "playback", `document.querySelector('video').currentTime > 1.5`)
	b.do(t, "pause", chromedp.Click(chromedp.CSS("#video-toggle")))
	stoppedAt := eval[float64](t, b, `document.querySelector('video').currentTime`)
	time.Sleep(500 * time.Millisecond) // the report sent on pause
	b.do(t, "leave the player", chromedp.Click(chromedp.CSS(".training .back")), chromedp.WaitVisible(chromedp.CSS(`[data-open="webinar"]`)))
	b.do(t, "come back", chromedp.Click(chromedp.CSS(`[data-open="webinar"]`)), chromedp.WaitVisible(chromedp.CSS("#webinar-title")))
	waitJS(t, b, "resumed at the stop", fmt.Sprintf(`Math.abs(document.querySelector('video').currentTime - %f) < 0.6`, stoppedAt))
	if label := eval[string](t, b, `document.querySelector('#video-toggle').textContent`); !strings.Contains(label, "Resume from 0:0") {
		t.Errorf("play button says %q", label)
	}

	// Resume, then drag to the end, as with the seek bar.
	b.do(t, "resume", chromedp.Click(chromedp.CSS("#video-toggle")))
	waitJS(t, b, "playing again", `!document.querySelector('video').paused`)
	eval[bool](t, b, `(() => { const v = document.querySelector('video'); v.currentTime = v.duration - 0.5; return true; })()`)
	waitJS(t, b, "the clip to end", `document.querySelector('video').ended`)
	time.Sleep(time.Second) // the report sent on "ended"
	b.do(t, "leave the player", chromedp.Click(chromedp.CSS(".training .back")), chromedp.WaitVisible(chromedp.CSS(`[data-open="webinar"]`)))
	b.do(t, "come back", chromedp.Click(chromedp.CSS(`[data-open="webinar"]`)), chromedp.WaitVisible(chromedp.CSS("#watched-percent")))
	p := percentWatched(t, b)
	if p >= 60 {
		t.Errorf("seeking to the end counted %d%%", p)
	}
	if !eval[bool](t, b, `!!document.querySelector('#quiz-locked')`) {
		t.Error("the quiz opened after seeking to the end")
	}
	t.Logf("played %.1f s, resumed, jumped to the end: %d%% counted", stoppedAt, p)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}

// A provider who can't hear the webinar can follow it: captions are on from
// the start, and the transcript under the video opens with the keyboard,
// lists the narration under each slide's title and goes to a sentence.
func TestWebinarCaptionsAndTranscript(t *testing.T) {
	dataDir := t.TempDir()
	seed.Account(t, dataDir, time.Now().AddDate(0, 0, 10))
	dev := startDev(t, dataDir, clipEnv(t))
	b := newBrowser(t)
	openTraining(t, b, dev.URL)

	const first = "Welcome to the insurance program training."
	waitJS(t, b, "the captions loaded and showing", `(() => {
		const t = document.querySelector('video').textTracks[0];
		return !!t && t.mode === 'showing' && !!t.cues && t.cues.length > 0;
	})()`)
	track := eval[map[string]any](t, b, `(() => {
		const el = document.querySelector('video track'), t = el.track;
		return { kind: t.kind, lang: t.language, label: t.label, def: el.default, cues: t.cues.length, text: t.cues[0].text, end: t.cues[t.cues.length - 1].endTime };
	})()`)
	if track["kind"] != "captions" || track["lang"] != "en" || track["label"] != "English" || track["def"] != true || track["text"] != first {
		t.Errorf("captions track: %v", track)
	}
	if end, _ := track["end"].(float64); end <= 0 || end > 6.1 {
		t.Errorf("the last caption ends at %v s, outside the 6-second clip", track["end"])
	}
	// The same route as the video serves the captions, as WebVTT.
	if ct := eval[string](t, b, `fetch('/webinar/captions.vtt').then((r) => r.headers.get('content-type'))`); !strings.HasPrefix(ct, "text/vtt") {
		t.Errorf("captions served as %q", ct)
	}

	// Tab from the Play button to the transcript, open it with Enter.
	for i := 0; !eval[bool](t, b, `document.activeElement?.matches('#transcript summary') ?? false`); i++ {
		if i == 10 {
			t.Fatalf("Tab never reached the transcript; focus is on %s", eval[string](t, b, `document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing'`))
		}
		b.do(t, "Tab", chromedp.KeyEvent("\t"))
	}
	b.do(t, "open the transcript with Enter", chromedp.KeyEvent("\r"))
	waitJS(t, b, "the transcript open", `document.querySelector('#transcript').open`)
	if h := eval[string](t, b, `document.querySelector('#transcript h3').textContent`); h != "Insurance Program Training" {
		t.Errorf("the transcript's first heading is %q", h)
	}
	b.do(t, "the first sentence shows", chromedp.WaitVisible(chromedp.CSS("#transcript button.sentence")))
	if s := eval[string](t, b, `document.querySelector('#transcript button.sentence').textContent`); s != first {
		t.Errorf("the transcript's first sentence is %q", s)
	}

	// Enter on a sentence goes to it in the video.
	eval[bool](t, b, `(() => { document.querySelector('video').currentTime = 4.5; return true; })()`)
	waitJS(t, b, "the video at 4.5 s", `Math.abs(document.querySelector('video').currentTime - 4.5) < 0.1`)
	b.do(t, "Tab to the sentence", chromedp.KeyEvent("\t"))
	if !eval[bool](t, b, `document.activeElement?.matches('#transcript button.sentence') ?? false`) {
		t.Fatalf("Tab from the summary went to %s", eval[string](t, b, `document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing'`))
	}
	b.do(t, "go to the sentence with Enter", chromedp.KeyEvent("\r"))
	waitJS(t, b, "the video at the sentence", `document.querySelector('video').currentTime < 0.1`)
	waitJS(t, b, "the sentence marked", `document.querySelector('#transcript button.sentence').getAttribute('aria-current') === 'true'`)
	screenshot(t, b, "e2e-training-transcript.png")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", strings.Join(errs, "\n"))
	}
}
