package webinar

import "strings"

// TranscriptSection is one slide's part of the transcript: its title and
// what is said over it, sentence by sentence.
type TranscriptSection struct {
	Title     string               `json:"title"`
	Sentences []TranscriptSentence `json:"sentences"`
}

// TranscriptSentence is one sentence of the narration and when it is said,
// in seconds from the start of the video.
type TranscriptSentence struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Text  string  `json:"text"`
}

// Transcript is the captions as text to read: each section's cues joined
// into sentences (a cue that ends a sentence ends one; so does a section).
// It is made from the captions, so the two always say the same.
func Transcript(sections []Section) []TranscriptSection {
	out := make([]TranscriptSection, 0, len(sections))
	for _, s := range sections {
		ts := TranscriptSection{Title: s.Title, Sentences: []TranscriptSentence{}}
		var words []string
		var cur TranscriptSentence
		flush := func() {
			if len(words) > 0 {
				cur.Text = strings.Join(words, " ")
				ts.Sentences = append(ts.Sentences, cur)
			}
			words = nil
		}
		for _, c := range s.Cues {
			text := c.Text()
			if text == "" {
				continue
			}
			if len(words) == 0 {
				cur = TranscriptSentence{Start: c.Start}
			}
			words = append(words, text)
			cur.End = c.End
			if EndsSentence(text) {
				flush()
			}
		}
		flush()
		if len(ts.Sentences) > 0 {
			out = append(out, ts)
		}
	}
	return out
}
