package webinar

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cue is one caption: the lines shown from Start to End, in seconds.
type Cue struct {
	Start, End float64
	Lines      []string
}

// Text is the cue's lines joined into one.
func (c Cue) Text() string { return strings.Join(c.Lines, " ") }

// Section is the cues spoken over one slide, under the slide's title. In a
// WebVTT file the title is a comment before the slide's first cue
// ("NOTE Slide 2: Your credentialing window"), which players ignore; cues
// before any such comment form a section with no title.
type Section struct {
	Title string
	Cues  []Cue
}

var (
	slideNoteRE = regexp.MustCompile(`^NOTE Slide \d+: (.+)$`)
	timingRE    = regexp.MustCompile(`^(\S+)[ \t]+-->[ \t]+(\S+)`)
	tagRE       = regexp.MustCompile(`<[^>]*>`)
)

// ParseVTT reads a WebVTT captions file: its header, then cues in order of
// time, none overlapping the one before (a captions file for one voice).
// Cue markup (<v>, <i>, …) is dropped and character references unescaped.
func ParseVTT(data []byte) ([]Section, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	if !utf8.ValidString(text) {
		return nil, fmt.Errorf("captions: not UTF-8 text")
	}
	blocks := strings.Split(text, "\n\n")
	head := strings.SplitN(blocks[0], "\n", 2)[0]
	if head != "WEBVTT" && !strings.HasPrefix(head, "WEBVTT ") && !strings.HasPrefix(head, "WEBVTT\t") {
		return nil, fmt.Errorf("captions: no WEBVTT header")
	}
	var sections []Section
	last := 0.0
	for _, b := range blocks[1:] {
		lines := strings.Split(strings.Trim(b, "\n"), "\n")
		if lines[0] == "" {
			continue
		}
		if lines[0] == "NOTE" || strings.HasPrefix(lines[0], "NOTE ") || strings.HasPrefix(lines[0], "NOTE\t") {
			if m := slideNoteRE.FindStringSubmatch(lines[0]); m != nil && len(lines) == 1 && strings.TrimSpace(m[1]) != "" {
				sections = append(sections, Section{Title: strings.TrimSpace(m[1])})
			}
			continue
		}
		if lines[0] == "STYLE" || lines[0] == "REGION" {
			continue
		}
		if !strings.Contains(lines[0], "-->") { // a cue identifier
			lines = lines[1:]
		}
		if len(lines) == 0 {
			return nil, fmt.Errorf("captions: a cue identifier with no timing")
		}
		c, err := parseCue(lines)
		if err != nil {
			return nil, err
		}
		if c.Start < last {
			return nil, fmt.Errorf("captions: the cue at %s starts before the one before it ends", Timestamp(c.Start))
		}
		last = c.End
		if len(sections) == 0 {
			sections = append(sections, Section{})
		}
		s := &sections[len(sections)-1]
		s.Cues = append(s.Cues, c)
	}
	return sections, nil
}

func parseCue(lines []string) (Cue, error) {
	m := timingRE.FindStringSubmatch(lines[0])
	if m == nil {
		return Cue{}, fmt.Errorf("captions: %q is not a cue timing", lines[0])
	}
	start, err1 := parseTimestamp(m[1])
	end, err2 := parseTimestamp(m[2])
	if err1 != nil || err2 != nil {
		return Cue{}, fmt.Errorf("captions: %q is not a cue timing", lines[0])
	}
	if !(end > start) {
		return Cue{}, fmt.Errorf("captions: the cue at %s ends before it starts", m[1])
	}
	c := Cue{Start: start, End: end}
	for _, l := range lines[1:] {
		if strings.Contains(l, "-->") {
			return Cue{}, fmt.Errorf("captions: the cue at %s has no blank line after it", m[1])
		}
		if l = strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(l, ""))); l != "" {
			c.Lines = append(c.Lines, l)
		}
	}
	return c, nil
}

// parseTimestamp reads [hh:]mm:ss.ttt.
func parseTimestamp(s string) (float64, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("bad timestamp")
	}
	secs := parts[len(parts)-1]
	if len(secs) != 6 || secs[2] != '.' {
		return 0, fmt.Errorf("bad timestamp")
	}
	var total float64
	for i, p := range parts[:len(parts)-1] {
		if len(p) < 2 || (i == len(parts)-2 && len(p) != 2) {
			return 0, fmt.Errorf("bad timestamp")
		}
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil || (i == len(parts)-2 && n > 59) {
			return 0, fmt.Errorf("bad timestamp")
		}
		total = total*60 + float64(n)
	}
	whole, err1 := strconv.ParseUint(secs[:2], 10, 8)
	ms, err2 := strconv.ParseUint(secs[3:], 10, 16)
	if err1 != nil || err2 != nil || whole > 59 {
		return 0, fmt.Errorf("bad timestamp")
	}
	return total*60 + float64(whole) + float64(ms)/1000, nil
}

// Timestamp writes seconds as a WebVTT timestamp, hh:mm:ss.ttt.
func Timestamp(sec float64) string {
	ms := int64(math.Round(math.Max(0, sec) * 1000))
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
}

// WriteVTT writes sections as a WebVTT captions file, each section's title
// as the comment ParseVTT reads back, after the comment note (if any).
func WriteVTT(w io.Writer, note string, sections []Section) error {
	var b strings.Builder
	b.WriteString("WEBVTT\n")
	if note != "" {
		fmt.Fprintf(&b, "\nNOTE\n%s\n", strings.ReplaceAll(note, "-->", "->"))
	}
	for i, s := range sections {
		if s.Title != "" {
			fmt.Fprintf(&b, "\nNOTE Slide %d: %s\n", i+1, strings.ReplaceAll(s.Title, "-->", "->"))
		}
		for _, c := range s.Cues {
			fmt.Fprintf(&b, "\n%s --> %s\n", Timestamp(c.Start), Timestamp(c.End))
			for _, l := range c.Lines {
				b.WriteString(escapeCueText(l) + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var cueEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeCueText(s string) string { return cueEscaper.Replace(s) }
