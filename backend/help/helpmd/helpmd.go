// Package helpmd renders the help articles' Markdown (front matter with
// title and summary, then the body) to HTML with goldmark, raw HTML
// escaped. It runs when the app is built (go generate ./backend/help) and in
// tests, never in the app.
package helpmd

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"

	"onramp/backend/forms"
	"onramp/backend/help"
	"onramp/backend/webinar"
)

// Facts are the rules articles state, written {{name}} in the Markdown and
// filled in from the code that enforces them, so an article never restates
// a number that could drift from the rule.
func Facts() map[string]string {
	return map[string]string{
		"watchedPercent": strconv.Itoa(webinar.WatchedPercent),
		"passMark":       strconv.Itoa(webinar.PassMark),
		"minPerClaim":    forms.Dollars(forms.MinPerClaim),
		"minAggregate":   forms.Dollars(forms.MinAggregate),
	}
}

var factRE = regexp.MustCompile(`\{\{\s*([A-Za-z]+)\s*\}\}`)

// fillFacts replaces each {{name}} with its fact; an unknown name is an
// error, so a typo never reaches a provider.
func fillFacts(raw []byte) ([]byte, error) {
	facts := Facts()
	var missing []string
	out := factRE.ReplaceAllFunc(raw, func(m []byte) []byte {
		name := string(factRE.FindSubmatch(m)[1])
		v, ok := facts[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return []byte(v)
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("unknown facts %v (known: watchedPercent, passMark, minPerClaim, minAggregate)", missing)
	}
	return out, nil
}

// RenderAll renders every *.md file of fsys, by file name.
func RenderAll(fsys fs.FS) ([]help.Rendered, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	md := goldmark.New()
	out := make([]help.Rendered, 0, len(names))
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		r, err := render(strings.TrimSuffix(path.Base(name), ".md"), raw, md)
		if err != nil {
			return nil, fmt.Errorf("help article %s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func render(id string, raw []byte, md goldmark.Markdown) (help.Rendered, error) {
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	raw, err := fillFacts(raw)
	if err != nil {
		return help.Rendered{}, err
	}
	rest, ok := bytes.CutPrefix(raw, []byte("---\n"))
	if !ok {
		return help.Rendered{}, errors.New("missing front matter")
	}
	front, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return help.Rendered{}, errors.New("unterminated front matter")
	}
	r := help.Rendered{ID: id}
	for _, line := range strings.Split(string(front), "\n") {
		key, value, _ := strings.Cut(line, ":")
		switch strings.TrimSpace(key) {
		case "title":
			r.Title = strings.TrimSpace(value)
		case "summary":
			r.Summary = strings.TrimSpace(value)
		}
	}
	if r.Title == "" {
		return help.Rendered{}, errors.New("no title")
	}
	var html bytes.Buffer
	if err := md.Convert(body, &html); err != nil {
		return help.Rendered{}, err
	}
	r.HTML = html.String()
	r.Text = plain(string(body))
	return r, nil
}

// plain strips the Markdown punctuation that would get in the way of search.
func plain(md string) string {
	r := strings.NewReplacer("**", "", "__", "", "`", "", "#", "", "](help:", " ", "[", "", "]", "", ")", " ")
	return r.Replace(md)
}
