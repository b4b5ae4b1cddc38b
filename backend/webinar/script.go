package webinar

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Slide is one slide of the webinar's script (slides.tsv): what it shows and
// what the narrator says over it. tools/make-webinar.sh makes the video and
// its captions from the script; the captions test holds them to it.
type Slide struct {
	Title     string
	Bullets   []string
	Narration string
}

// ReadScript reads a script: one slide a line, its title, its bullets
// (separated by ";") and its narration separated by tabs. Blank lines and
// lines starting with "#" are skipped.
func ReadScript(r io.Reader) ([]Slide, error) {
	var slides []Slide
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 || strings.TrimSpace(f[0]) == "" || strings.TrimSpace(f[2]) == "" {
			return nil, fmt.Errorf("script line %d: want a title, bullets and a narration separated by tabs", n)
		}
		s := Slide{Title: f[0], Narration: f[2]}
		if f[1] != "" {
			s.Bullets = strings.Split(f[1], ";")
		}
		slides = append(slides, s)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(slides) == 0 {
		return nil, fmt.Errorf("script: no slides")
	}
	return slides, nil
}

// Sentences splits narration into its sentences: each ends at ".", "?" or
// "!" (and any closing quote after it) followed by a space, or at the end.
func Sentences(text string) []string {
	words := strings.Fields(text)
	var out []string
	start := 0
	for i, w := range words {
		if EndsSentence(w) || i == len(words)-1 {
			out = append(out, strings.Join(words[start:i+1], " "))
			start = i + 1
		}
	}
	return out
}

// EndsSentence says whether text ends a sentence: its last letter-like
// character is followed by ".", "?" or "!", then perhaps closing quotes.
func EndsSentence(text string) bool {
	t := strings.TrimRightFunc(text, func(r rune) bool {
		return r == '"' || r == '\'' || r == '”' || r == '’' || r == ')' || unicode.IsSpace(r)
	})
	return strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!")
}
