package main

import (
	"strings"
	"unicode/utf8"
)

// A cue shows at most MaxLines lines of at most MaxLine characters, the
// usual limit for captions read at speaking pace.
const (
	MaxLine  = 42
	MaxLines = 2
)

// split turns a sentence into cues, each as its lines: the whole sentence if
// it fits, else its clauses (split after commas, semicolons and colons)
// packed into as few cues as fit, and a clause too long for one cue split
// between words into the fewest cues of about equal length.
func split(sentence string) [][]string {
	if lines := wrap(sentence); lines != nil {
		return [][]string{lines}
	}
	var cues [][]string
	chunk := ""
	for _, clause := range clauses(sentence) {
		if chunk != "" {
			if lines := wrap(chunk + " " + clause); lines != nil {
				chunk += " " + clause
				continue
			}
			cues = append(cues, wrap(chunk))
			chunk = ""
		}
		if wrap(clause) != nil {
			chunk = clause
			continue
		}
		cues = append(cues, byWords(clause)...)
	}
	if chunk != "" {
		cues = append(cues, wrap(chunk))
	}
	return cues
}

// clauses splits text after each word ending in ",", ";" or ":".
func clauses(text string) []string {
	var out []string
	start := 0
	words := strings.Fields(text)
	for i, w := range words {
		if strings.HasSuffix(w, ",") || strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":") || i == len(words)-1 {
			out = append(out, strings.Join(words[start:i+1], " "))
			start = i + 1
		}
	}
	return out
}

// byWords splits text between words into the fewest cues that fit, each
// about the same length.
func byWords(text string) [][]string {
	words := strings.Fields(text)
	for n := 2; n <= len(words); n++ {
		target := float64(runes(text)) / float64(n)
		var cues [][]string
		start, ok := 0, true
		for k := 1; k <= n && ok; k++ {
			end := len(words)
			if k < n {
				// Close this cue at the last word within the first k shares of the text.
				end = start + 1
				for end < len(words)-(n-k) && float64(runes(strings.Join(words[:end+1], " "))) <= target*float64(k) {
					end++
				}
				// and not on a small word, which leads into the next.
				for end > start+1 && smallWords[strings.ToLower(words[end-1])] {
					end--
				}
			}
			lines := wrap(strings.Join(words[start:end], " "))
			ok = lines != nil
			cues = append(cues, lines)
			start = end
		}
		if ok {
			return cues
		}
	}
	// A single word longer than a cue: shown as it is.
	out := make([][]string, len(words))
	for i, w := range words {
		out[i] = []string{w}
	}
	return out
}

// wrap lays text out on one line if it fits, else on two lines that fit,
// broken where reading pauses: after a comma if one allows it, not inside a
// quotation or after a small word ("a", "the", "of"…) if avoidable, and as
// even as the words allow. nil if it needs more than two lines.
func wrap(text string) []string {
	if runes(text) <= MaxLine {
		return []string{text}
	}
	words := strings.Fields(text)
	var best []string
	bestCost := 0
	for i := 1; i < len(words); i++ {
		a, b := strings.Join(words[:i], " "), strings.Join(words[i:], " ")
		long := max(runes(a), runes(b))
		if long > MaxLine {
			continue
		}
		cost := long
		switch {
		case strings.ContainsAny(a[len(a)-1:], ",;:"):
			cost -= 20
		case strings.Count(a, "“") > strings.Count(a, "”"): // inside a quotation
			cost += 15
		case smallWords[strings.ToLower(words[i-1])]:
			cost += 10
		}
		if best == nil || cost < bestCost {
			best, bestCost = []string{a, b}, cost
		}
	}
	return best
}

// smallWords read badly at the end of a line, parted from what they lead to.
var smallWords = map[string]bool{
	"a": true, "an": true, "the": true, "to": true, "of": true, "for": true, "in": true, "on": true, "at": true,
	"by": true, "and": true, "or": true, "if": true, "that": true, "your": true, "you": true, "with": true, "from": true,
}

func runes(s string) int { return utf8.RuneCountInString(s) }
