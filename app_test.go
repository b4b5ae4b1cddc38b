package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
	"onramp/backend/help"
	"onramp/backend/lifecycle"
	"onramp/backend/testenv"
	"onramp/backend/validate"
	"onramp/backend/webinar"
)

func newTestApp(t *testing.T) *App {
	t.Helper()
	lib, err := help.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	video, err := webinar.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	a := NewApp(lifecycle.Config{DataDir: t.TempDir(), Now: time.Now, Video: video}, lib)
	a.startup(context.Background())
	t.Cleanup(func() { a.shutdown(context.Background()) })
	code, _ := validate.NewInvitationCode(nil)
	res, err := a.SetUp(map[string]string{
		forms.SetupLegalName: "José Núñez", forms.SetupEmail: "jose@example.org", forms.SetupLicenseType: "lcsw",
		forms.SetupContractStart: time.Now().Format("2006-01-02"), forms.SetupInvitationCode: code,
	})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("set up: %v %+v", err, res.Problems)
	}
	return a
}

// The quiz's answers never leave Go: not in what the bound methods return
// (before, during and after attempts), and not in the frontend bundle.
func TestAnswerKeyNeverReachesTheFrontend(t *testing.T) {
	a := newTestApp(t)
	if _, err := a.Quiz(); err == nil || !strings.Contains(err.Error(), "quiz-locked") {
		t.Fatalf("quiz before the webinar: %v", err)
	}
	video, _ := webinar.Bundled()
	d := video.DurationSeconds
	if _, err := a.ReportPlayback(video.Version, []webinar.Segment{{Start: 0, End: d, WallSeconds: d}}, d); err != nil {
		t.Fatal(err)
	}
	qs, err := a.Quiz()
	if err != nil {
		t.Fatal(err)
	}
	key := webinar.AnswerKey()
	var responses []any
	responses = append(responses, qs)
	wrong := map[string]string{}
	for _, q := range qs {
		for _, c := range q.Choices {
			if c.ID != key[q.ID] {
				wrong[q.ID] = c.ID
				break
			}
		}
	}
	failed, err := a.SubmitQuiz(wrong)
	if err != nil {
		t.Fatal(err)
	}
	passed, err := a.SubmitQuiz(key)
	if err != nil || !passed.Result.Passed {
		t.Fatalf("pass: %+v %v", passed.Result, err)
	}
	tr, _ := a.Training()
	responses = append(responses, failed, passed, tr)

	for _, r := range responses {
		raw, _ := json.Marshal(r)
		text := string(raw)
		if strings.Contains(strings.ToLower(text), `"answer`) || strings.Contains(text, `"correctChoice`) {
			t.Errorf("a response names an answer field: %.200s", text)
		}
	}
	// A failed attempt lists every missed question, and none of the right
	// choices' texts.
	raw, _ := json.Marshal(failed)
	for _, q := range qs {
		for _, c := range q.Choices {
			if c.ID == key[q.ID] && strings.Contains(string(raw), c.Text) {
				t.Errorf("the failed attempt reveals the answer to %s", q.ID)
			}
		}
	}

	// The bundle the window loads has no question, choice or key in it: the
	// quiz comes from Go at run time.
	bundle := bundleText(t)
	for _, q := range qs {
		if strings.Contains(bundle, q.Prompt[:min(30, len(q.Prompt))]) {
			t.Errorf("question %s is in the frontend bundle", q.ID)
		}
		for _, c := range q.Choices {
			if len(c.Text) > 25 && strings.Contains(bundle, c.Text) {
				t.Errorf("a choice of %s is in the frontend bundle", q.ID)
			}
		}
		if strings.Contains(bundle, q.ID) {
			t.Errorf("question ID %s is in the frontend bundle", q.ID)
		}
	}
}

func bundleText(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	n := 0
	assets, err := frontendAssets()
	if err != nil {
		testenv.Missing(t, "the built frontend (`make frontend`, which needs Node and npm): %v", err)
	}
	err = fs.WalkDir(assets, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets, path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".js") {
			n++
		}
		b.Write(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("the frontend is not built (run `make frontend`): no bundle to check")
	}
	return b.String()
}

func TestUIErrorsAreStableJSON(t *testing.T) {
	a := newTestApp(t)
	_, err := a.SetChecked("general-form", true)
	var p uiProblem
	if err == nil || json.Unmarshal([]byte(err.Error()), &p) != nil || p.Code != "not-checklist" || p.Message == "" {
		t.Errorf("ticking a form: %v", err)
	}
	// A checklist item that isn't possible yet says why, in plain words.
	_, err = a.SetChecked("directory-profile", true)
	if err == nil || json.Unmarshal([]byte(err.Error()), &p) != nil || p.Code != "item-locked" || p.Message == "" || strings.Contains(p.Message, "Something went wrong") {
		t.Errorf("ticking the directory profile on day one: %v", err)
	}
	_, err = a.HelpArticle("no-such-article")
	if err == nil || json.Unmarshal([]byte(err.Error()), &p) != nil || p.Code != "help-not-found" {
		t.Errorf("missing article: %v", err)
	}
	_, err = a.ReportPlayback("old-version", nil, 0)
	if err == nil || json.Unmarshal([]byte(err.Error()), &p) != nil || p.Code != "stale-video" {
		t.Errorf("stale video: %v", err)
	}
}

func TestFileURLEscapes(t *testing.T) {
	if got := fileURL("/home/zoë/My Packets/a#1.onramp"); got != "file:///home/zo%C3%AB/My%20Packets/a%231.onramp" {
		t.Errorf("fileURL = %q", got)
	}
}
