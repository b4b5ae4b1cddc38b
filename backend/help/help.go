// Package help is the offline help: Markdown articles rendered to HTML when
// the app is built (go generate; see helpmd) and bundled into the binary as
// articles.json, so no Markdown renderer ships in the app. Searchable.
package help

//go:generate go run ../../tools/helpgen

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

//go:embed articles.json.gz
var bundled []byte

// Article is one rendered help article.
type Article struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	HTML    string `json:"html"`
	text    string // plain text for search, lower-cased
}

// Rendered is an article as the build renders it: what articles.json holds.
type Rendered struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	HTML    string `json:"html"`
	Text    string `json:"text"` // plain text for search
}

// Summary is an article's entry in the index.
type Summary struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
}

// Library holds every article.
type Library struct {
	byID  map[string]*Article
	order []string
}

// ErrNotFound means no article has that ID.
var ErrNotFound = errors.New("no help article with that name")

// Bundled loads the articles compiled into the binary.
func Bundled() (*Library, error) {
	rs, err := Decode(bundled)
	if err != nil {
		return nil, fmt.Errorf("bundled help: %w", err)
	}
	return New(rs), nil
}

// Decode reads articles.json.gz.
func Decode(gz []byte) ([]Rendered, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	var rs []Rendered
	err = json.NewDecoder(zr).Decode(&rs)
	return rs, err
}

// New makes a library of rendered articles, indexed by title.
func New(rs []Rendered) *Library {
	lib := &Library{byID: map[string]*Article{}}
	for _, r := range rs {
		lib.byID[r.ID] = &Article{ID: r.ID, Title: r.Title, Summary: r.Summary, HTML: r.HTML,
			text: strings.ToLower(r.Title + "\n" + r.Summary + "\n" + r.Text)}
		lib.order = append(lib.order, r.ID)
	}
	sort.Slice(lib.order, func(i, j int) bool { return lib.byID[lib.order[i]].Title < lib.byID[lib.order[j]].Title })
	return lib
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
