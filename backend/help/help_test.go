package help

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

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

func TestLoadRendersAndEscapes(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Claims and payouts\nsummary: When you are paid.\n---\n## Claims\n\nPayers **pay** claims. <script>alert(1)</script>\n")},
		"b.md": {Data: []byte("---\ntitle: Scheduling\nsummary: Insurance visits.\n---\nSchedule cash-pay clients any time; claims later.\n")},
	}
	lib, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := lib.Article("a")
	if !strings.Contains(a.HTML, "<h2>Claims</h2>") || !strings.Contains(a.HTML, "<strong>pay</strong>") {
		t.Errorf("html = %s", a.HTML)
	}
	if strings.Contains(a.HTML, "<script>") {
		t.Error("raw HTML passed through")
	}
	if _, err := lib.Article("zzz"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing article: %v", err)
	}
}

func TestLoadRejectsMissingFrontMatter(t *testing.T) {
	_, err := Load(fstest.MapFS{"x.md": {Data: []byte("# no front matter\n")}})
	if err == nil {
		t.Fatal("accepted an article without front matter")
	}
}

func TestSearch(t *testing.T) {
	fsys := fstest.MapFS{
		"claims.md":   {Data: []byte("---\ntitle: Claims and payouts\nsummary: When you are paid.\n---\nThe network files claims for you.\n")},
		"schedule.md": {Data: []byte("---\ntitle: Scheduling visits\nsummary: Insurance visits.\n---\nCash-pay clients any time; insurance claims after your effective date.\n")},
	}
	lib, _ := Load(fsys)
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
