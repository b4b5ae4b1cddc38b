// Package help is the offline help: Markdown articles bundled into the
// binary, rendered to HTML, and searchable.
package help

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
)

//go:embed articles/*.md
var bundled embed.FS

// Article is one rendered help article.
type Article struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	HTML    string `json:"html"`
	text    string // plain text for search, lower-cased
}

// Summary is an article's entry in the index.
type Summary struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
}

// Library holds every article, rendered once at load.
type Library struct {
	byID  map[string]*Article
	order []string
}

// ErrNotFound means no article has that ID.
var ErrNotFound = errors.New("no help article with that name")

// Bundled loads the articles compiled into the binary.
func Bundled() (*Library, error) {
	sub, err := fs.Sub(bundled, "articles")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// Load reads every *.md file of fsys.
func Load(fsys fs.FS) (*Library, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	lib := &Library{byID: map[string]*Article{}}
	md := goldmark.New()
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		a, err := parse(strings.TrimSuffix(path.Base(name), ".md"), raw, md)
		if err != nil {
			return nil, fmt.Errorf("help article %s: %w", name, err)
		}
		lib.byID[a.ID] = a
		lib.order = append(lib.order, a.ID)
	}
	sort.Slice(lib.order, func(i, j int) bool { return lib.byID[lib.order[i]].Title < lib.byID[lib.order[j]].Title })
	return lib, nil
}

func parse(id string, raw []byte, md goldmark.Markdown) (*Article, error) {
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(raw, []byte("---\n"))
	if !ok {
		return nil, errors.New("missing front matter")
	}
	front, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return nil, errors.New("unterminated front matter")
	}
	a := &Article{ID: id}
	for _, line := range strings.Split(string(front), "\n") {
		key, value, _ := strings.Cut(line, ":")
		switch strings.TrimSpace(key) {
		case "title":
			a.Title = strings.TrimSpace(value)
		case "summary":
			a.Summary = strings.TrimSpace(value)
		}
	}
	if a.Title == "" {
		return nil, errors.New("no title")
	}
	var html bytes.Buffer
	if err := md.Convert(body, &html); err != nil {
		return nil, err
	}
	a.HTML = html.String()
	a.text = strings.ToLower(a.Title + "\n" + a.Summary + "\n" + plain(string(body)))
	return a, nil
}

// plain strips the Markdown punctuation that would get in the way of search.
func plain(md string) string {
	r := strings.NewReplacer("**", "", "__", "", "`", "", "#", "", "](help:", " ", "[", "", "]", "", ")", " ")
	return r.Replace(md)
}

// Index lists every article, by title.
func (l *Library) Index() []Summary {
	out := make([]Summary, 0, len(l.order))
	for _, id := range l.order {
		a := l.byID[id]
		out = append(out, Summary{ID: a.ID, Title: a.Title, Summary: a.Summary})
	}
	return out
}

// Article returns one article.
func (l *Library) Article(id string) (Article, error) {
	a, ok := l.byID[id]
	if !ok {
		return Article{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return *a, nil
}

// Has reports whether an article exists.
func (l *Library) Has(id string) bool {
	_, ok := l.byID[id]
	return ok
}
