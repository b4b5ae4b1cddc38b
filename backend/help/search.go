package help

import (
	"sort"
	"strings"
	"unicode"
)

// Result is one search hit with a snippet of text around the first match.
type Result struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Snippet string `json:"snippet"`
}

// Search finds the articles containing every word of the query, best first:
// matches in the title weigh most, then the summary, then the body.
func (l *Library) Search(query string) []Result {
	terms := strings.FieldsFunc(strings.ToLower(query), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(terms) == 0 {
		return []Result{}
	}
	type scored struct {
		a     *Article
		score int
	}
	var hits []scored
	for _, id := range l.order {
		a := l.byID[id]
		score := 0
		for _, term := range terms {
			n := strings.Count(a.text, term)
			if n == 0 {
				score = 0
				break
			}
			score += n + 10*strings.Count(strings.ToLower(a.Title), term) + 4*strings.Count(strings.ToLower(a.Summary), term)
		}
		if score > 0 {
			hits = append(hits, scored{a, score})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	out := make([]Result, 0, len(hits))
	for _, h := range hits {
		out = append(out, Result{ID: h.a.ID, Title: h.a.Title, Snippet: snippet(h.a, terms[0])})
	}
	return out
}

// snippet returns about 160 characters of plain text around the first match.
func snippet(a *Article, term string) string {
	body := a.text[len(strings.ToLower(a.Title))+1:]
	text := []rune(strings.Join(strings.Fields(body), " "))
	lower := strings.ToLower(string(text))
	at := strings.Index(lower, term)
	if at < 0 {
		return a.Summary
	}
	pos := len([]rune(lower[:at]))
	start := max(0, pos-60)
	end := min(len(text), pos+100)
	s := string(text[start:end])
	if start > 0 {
		s = "…" + s
	}
	if end < len(text) {
		s += "…"
	}
	return s
}
