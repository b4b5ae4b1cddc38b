package helpmd

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"onramp/backend/help"
)

// The app embeds backend/help/articles.json; it must be what the Markdown
// renders to today.
func TestBundledArticlesAreUpToDate(t *testing.T) {
	want, err := RenderAll(os.DirFS("../articles"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../articles.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	got, err := help.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("backend/help/articles.json.gz is stale: run `go generate ./backend/help`")
	}
}

func TestLoadRendersAndEscapes(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Claims and payouts\nsummary: When you are paid.\n---\n## Claims\n\nPayers **pay** claims. <script>alert(1)</script>\n")},
		"b.md": {Data: []byte("---\ntitle: Scheduling\nsummary: Insurance visits.\n---\nSchedule cash-pay clients any time; claims later.\n")},
	}
	rs, err := RenderAll(fsys)
	if err != nil {
		t.Fatal(err)
	}
	lib := help.New(rs)
	a, _ := lib.Article("a")
	if !strings.Contains(a.HTML, "<h2>Claims</h2>") || !strings.Contains(a.HTML, "<strong>pay</strong>") {
		t.Errorf("html = %s", a.HTML)
	}
	if strings.Contains(a.HTML, "<script>") {
		t.Error("raw HTML passed through")
	}
	if _, err := lib.Article("zzz"); !errors.Is(err, help.ErrNotFound) {
		t.Errorf("missing article: %v", err)
	}
}

func TestLoadRejectsMissingFrontMatter(t *testing.T) {
	_, err := RenderAll(fstest.MapFS{"x.md": {Data: []byte("# no front matter\n")}})
	if err == nil {
		t.Fatal("accepted an article without front matter")
	}
}
