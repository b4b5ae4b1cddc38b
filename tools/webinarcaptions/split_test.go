package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"onramp/backend/webinar"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		sentence string
		want     [][]string
	}{
		{"Welcome to the insurance program training.", [][]string{{"Welcome to the insurance program training."}}},
		// Two lines, broken after the comma rather than evenly.
		{"Until your effective start date, you are out of network.",
			[][]string{{"Until your effective start date,", "you are out of network."}}},
		// Too long for one cue: clauses packed into as few cues as fit.
		{"In the next few minutes you will learn when you can see insurance clients, how claims and payouts work, and when your directory profile goes live.",
			[][]string{
				{"In the next few minutes you will learn", "when you can see insurance clients,"},
				{"how claims and payouts work,", "and when your directory profile goes live."},
			}},
		// No commas: split between words into about even cues, not after a
		// small word.
		{"Being approved by one payer does not cover the others and a claim for any other payer would not be paid in any case at all.",
			[][]string{
				{"Being approved by one payer", "does not cover the others"},
				{"and a claim for any other payer", "would not be paid in any case at all."},
			}},
	} {
		if got := split(tc.sentence); !slices.EqualFunc(got, tc.want, slices.Equal) {
			t.Errorf("split(%q)\n got %q\nwant %q", tc.sentence, got, tc.want)
		}
	}
}

// Every sentence of the script splits into cues that fit and, joined, say
// exactly the sentence.
func TestSplitScript(t *testing.T) {
	f, err := os.Open("../../backend/webinar/slides.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	slides, err := webinar.ReadScript(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slides {
		for _, sentence := range webinar.Sentences(s.Narration) {
			var words []string
			for _, cue := range split(sentence) {
				if len(cue) == 0 || len(cue) > MaxLines {
					t.Errorf("%q: a cue of %d lines", sentence, len(cue))
				}
				for _, l := range cue {
					if runes(l) > MaxLine {
						t.Errorf("%q: line %q is %d characters", sentence, l, runes(l))
					}
				}
				words = append(words, strings.Join(cue, " "))
			}
			if got := strings.Join(words, " "); got != sentence {
				t.Errorf("cues say %q, the sentence %q", got, sentence)
			}
		}
	}
}

// A sentence's time is shared by the length of its cues, each boundary
// rounded to the millisecond once.
func TestTimeCues(t *testing.T) {
	cues := timeCues([][]string{{"aaaa"}, {"bbbb"}, {"cccc", "ddd"}}, 10.0004, 14.0004)
	want := [][2]float64{{10, 11}, {11, 12}, {12, 14.000}}
	for i, w := range want {
		if cues[i].Start != w[0] || cues[i].End != w[1] {
			t.Errorf("cue %d: %v–%v, want %v–%v", i, cues[i].Start, cues[i].End, w[0], w[1])
		}
	}
}
