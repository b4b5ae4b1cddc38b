package intake_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"onramp/backend/intake"
	"onramp/backend/webinar"
)

// Words that read as a payer's status but that the network can never set.
// "pending" was in the quiz and the webinar: a provider looked for it on
// the dashboard and never saw it.
var notAStatus = regexp.MustCompile(`(?i)\b(pending|awaiting|in progress|processing|on hold|rejected|accepted|not started)\b`)

// A status named in the text, in straight or curly double quotes.
var quoted = regexp.MustCompile(`["“]([^"”\n]{1,40})["”]`)

// sentences splits text where a sentence, a list item, a slide's bullet or
// its title ends.
func sentences(text string) []string {
	return regexp.MustCompile(`[.!?]\s+|\n|[|;]`).Split(text, -1)
}

// payerWords returns what is wrong with how text names payer statuses,
// and how many statuses it named.
func payerWords(text string) (problems []string, named int) {
	for _, s := range sentences(text) {
		lower := strings.ToLower(s)
		if !strings.Contains(lower, "payer") && !strings.Contains(lower, "status") {
			continue
		}
		if w := notAStatus.FindString(s); w != "" {
			problems = append(problems, fmt.Sprintf("%q calls a payer status %q", strings.TrimSpace(s), w))
		}
		for _, m := range quoted.FindAllStringSubmatch(s, -1) {
			if slices.Contains(intake.PayerLabels(), m[1]) || slices.Contains(intake.PayerStates(), m[1]) {
				named++
				continue
			}
			if strings.Contains(lower, "status") || strings.Contains(lower, "reads") {
				problems = append(problems, fmt.Sprintf("%q names %q as a payer status", strings.TrimSpace(s), m[1]))
			}
		}
	}
	return problems, named
}

// checkPayerWords fails t for each problem of source's text and returns
// how many statuses it named.
func checkPayerWords(t *testing.T, source, text string) int {
	t.Helper()
	problems, named := payerWords(text)
	for _, p := range problems {
		t.Errorf("%s: %s; the network's statuses are %s", source, p, strings.Join(intake.PayerLabels(), ", "))
	}
	return named
}

// The quiz, the help articles and the webinar's narration name a payer's
// status only with the words the dashboard shows for the statuses the
// server can set.
func TestContentNamesOnlyPayerStatusesTheServerSets(t *testing.T) {
	named := 0
	for _, q := range webinar.Questions() {
		text := q.Prompt
		for _, c := range q.Choices {
			text += "\n" + c.Text
		}
		named += checkPayerWords(t, "quiz "+q.ID, text)
	}

	articles, err := filepath.Glob("../help/articles/*.md")
	if err != nil || len(articles) == 0 {
		t.Fatalf("help articles: %v %v", articles, err)
	}
	for _, path := range articles {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		named += checkPayerWords(t, filepath.Base(path), string(b))
		if filepath.Base(path) == "credentialing-timeline.md" {
			for _, label := range intake.PayerLabels() {
				if !strings.Contains(string(b), `"`+label+`"`) {
					t.Errorf("credentialing-timeline.md does not explain the status %q", label)
				}
			}
		}
	}

	// The webinar's script: its slides and narration (and so its captions).
	script, err := os.ReadFile("../../backend/webinar/slides.tsv")
	if err != nil {
		t.Fatal(err)
	}
	named += checkPayerWords(t, "webinar script", string(script))

	if named == 0 {
		t.Error("no payer status named anywhere: the check found nothing to check")
	}
}

// The check itself catches the words that were wrong, and passes the
// words that are right.
func TestPayerWordsCheck(t *testing.T) {
	for text, wantProblem := range map[string]bool{
		`a payer whose status on your dashboard is still "pending".`:             true,
		`If that payer is still pending, offer the client a cash pay visit.`:     true,
		`its status reads "Credentialed".`:                                       true,
		`a payer whose status on your dashboard still reads "In review".`:        false,
		`Credentialing happens "payer by payer", so you may be approved by one.`: false,
	} {
		if problems, _ := payerWords(text); (len(problems) > 0) != wantProblem {
			t.Errorf("%q: problems %v, want some: %v", text, problems, wantProblem)
		}
	}
}
