// Command webinarcaptions writes the training webinar's WebVTT captions from
// its script (backend/webinar/slides.tsv) and the video's per-slide segments,
// for tools/make-webinar.sh:
//
//	webinarcaptions -script slides.tsv -o captions.vtt seg0.webm seg1.webm …
//
// Each slide's captions fall within its segment (ffprobe's duration of each
// segment before it gives its start). Each sentence's time is how long
// espeak-ng takes to say it alone, scaled to how long it takes to say the
// whole narration (the audio in the video; the two differ by milliseconds);
// a sentence split into several cues shares its time by their length.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"onramp/backend/webinar"
)

func main() {
	script := flag.String("script", "backend/webinar/slides.tsv", "the webinar's script")
	out := flag.String("o", "", "the captions file to write")
	voice := flag.String("voice", "en-us", "espeak-ng's voice, as the narration used")
	speed := flag.Int("speed", 140, "espeak-ng's speed in words a minute, as the narration used")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		log.Fatal("usage: webinarcaptions -script slides.tsv -o captions.vtt segment.webm…")
	}
	f, err := os.Open(*script)
	if err != nil {
		log.Fatal(err)
	}
	slides, err := webinar.ReadScript(f)
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	if len(slides) != flag.NArg() {
		log.Fatalf("%d slides but %d segments", len(slides), flag.NArg())
	}
	tmp, err := os.MkdirTemp("", "webinarcaptions")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	sp := speaker{voice: *voice, speed: *speed, dir: tmp}

	var sections []webinar.Section
	offset := 0.0
	for i, s := range slides {
		segment, err := duration(flag.Arg(i))
		if err != nil {
			log.Fatal(err)
		}
		cues, err := slideCues(sp, s.Narration, offset)
		if err != nil {
			log.Fatal(err)
		}
		if end := cues[len(cues)-1].End; end > offset+segment {
			log.Fatalf("slide %d: the narration (to %.3f s) runs past its segment (to %.3f s)", i+1, end, offset+segment)
		}
		sections = append(sections, webinar.Section{Title: s.Title, Cues: cues})
		offset += segment
	}
	w, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	note := "Made by tools/make-webinar.sh from backend/webinar/slides.tsv; edit the script, not this file."
	if err := webinar.WriteVTT(w, note, sections); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
}

// slideCues times one slide's narration from offset: each sentence by how
// long it takes to say, scaled to the whole narration's time.
func slideCues(sp speaker, narration string, offset float64) ([]webinar.Cue, error) {
	whole, err := sp.say(narration)
	if err != nil {
		return nil, err
	}
	sentences := webinar.Sentences(narration)
	times := make([]float64, len(sentences))
	sum := 0.0
	for i, s := range sentences {
		if times[i], err = sp.say(s); err != nil {
			return nil, err
		}
		sum += times[i]
	}
	var cues []webinar.Cue
	at := offset
	for i, s := range sentences {
		next := at + times[i]*whole/sum
		cues = append(cues, timeCues(split(s), at, next)...)
		at = next
	}
	return cues, nil
}

// timeCues spreads [start, end) over the cues (each a cue's lines) by the
// length of their text; boundaries are rounded to the millisecond once, so
// one cue ends exactly where the next starts.
func timeCues(cues [][]string, start, end float64) []webinar.Cue {
	total := 0
	for _, c := range cues {
		total += runes(strings.Join(c, " "))
	}
	out := make([]webinar.Cue, len(cues))
	at, done := ms(start), 0
	for i, c := range cues {
		done += runes(strings.Join(c, " "))
		next := ms(start + (end-start)*float64(done)/float64(total))
		out[i] = webinar.Cue{Start: at, End: next, Lines: c}
		at = next
	}
	return out
}

func ms(sec float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(sec, 'f', 3, 64), 64)
	return v
}

// speaker measures how long espeak-ng takes to say a text.
type speaker struct {
	voice string
	speed int
	dir   string
}

func (sp speaker) say(text string) (float64, error) {
	wav := filepath.Join(sp.dir, "say.wav")
	if out, err := exec.Command("espeak-ng", "-v", sp.voice, "-s", strconv.Itoa(sp.speed), "-w", wav, text).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("espeak-ng: %v %s", err, out)
	}
	return duration(wav)
}

// duration is a media file's length in seconds, as ffprobe reads it.
func duration(path string) (float64, error) {
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", path).Output()
	if err != nil {
		return 0, fmt.Errorf("ffprobe %s: %w", path, err)
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || !(d > 0) {
		return 0, fmt.Errorf("ffprobe %s: no duration in %q", path, out)
	}
	return d, nil
}
