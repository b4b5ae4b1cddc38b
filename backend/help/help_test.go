package help

import (
	"strings"
	"testing"

	"onramp/backend/journey"
)

func TestEveryActionItemHasABundledArticle(t *testing.T) {
	lib, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range journey.HelpArticleIDs() {
		a, err := lib.Article(id)
		if err != nil {
			t.Errorf("action item help %q: %v", id, err)
			continue
		}
		if a.Title == "" || a.Summary == "" || !strings.Contains(a.HTML, "<p>") {
			t.Errorf("article %s incomplete: %+v", id, a.Summary)
		}
	}
}

func TestBundledLinksResolve(t *testing.T) {
	lib, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range lib.Index() {
		a, _ := lib.Article(s.ID)
		for _, part := range strings.Split(a.HTML, `href="`)[1:] {
			target, _, _ := strings.Cut(part, `"`)
			id, ok := strings.CutPrefix(target, "help:")
			if !ok {
				t.Errorf("%s links outside the help: %s", s.ID, target)
				continue
			}
			if !lib.Has(id) {
				t.Errorf("%s links to missing article %s", s.ID, id)
			}
		}
	}
}

func TestSearch(t *testing.T) {
	lib := New([]Rendered{
		{ID: "claims", Title: "Claims and payouts", Summary: "When you are paid.", Text: "The network files claims for you."},
		{ID: "schedule", Title: "Scheduling visits", Summary: "Insurance visits.", Text: "Cash-pay clients any time; insurance claims after your effective date."},
	})
	got := lib.Search("Claims")
	if len(got) != 2 || got[0].ID != "claims" {
		t.Fatalf("search claims = %+v", got)
	}
	if !strings.Contains(strings.ToLower(got[1].Snippet), "claims") {
		t.Errorf("snippet %q lacks the term", got[1].Snippet)
	}
	if got := lib.Search("cash-pay effective"); len(got) != 1 || got[0].ID != "schedule" {
		t.Errorf("all terms must match: %+v", got)
	}
	if got := lib.Search("  "); len(got) != 0 {
		t.Errorf("empty query: %+v", got)
	}
	if got := lib.Search("zebra"); len(got) != 0 {
		t.Errorf("no match: %+v", got)
	}
}
