package webinar

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// The bundled captions are the script's narration, word for word, slide by
// slide, timed inside the video, in order, and short enough to read.
func TestBundledCaptionsFollowTheScript(t *testing.T) {
	v := mustBundled(t)
	if v.Captions == "" {
		t.Fatal("the bundled webinar has no captions")
	}
	raw, err := fs.ReadFile(v.fsys, v.Captions)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("WEBVTT\n")) {
		t.Errorf("captions start %q, want the WEBVTT header", raw[:min(len(raw), 10)])
	}
	sections, err := ParseVTT(raw)
	if err != nil {
		t.Fatal(err)
	}
	slides := script(t)
	if len(sections) != len(slides) {
		t.Fatalf("%d captioned slides, the script has %d", len(sections), len(slides))
	}
	last := 0.0
	for i, s := range sections {
		if s.Title != slides[i].Title {
			t.Errorf("slide %d is titled %q in the captions, %q in the script", i+1, s.Title, slides[i].Title)
		}
		var said []string
		for _, c := range s.Cues {
			at := Timestamp(c.Start)
			switch {
			case c.Start < last:
				t.Errorf("the cue at %s starts before the one before it ends", at)
			case !(c.End > c.Start):
				t.Errorf("the cue at %s ends before it starts", at)
			case c.End > v.DurationSeconds:
				t.Errorf("the cue at %s ends at %.3f s, after the video (%.3f s)", at, c.End, v.DurationSeconds)
			case len(c.Lines) == 0 || len(c.Lines) > 2:
				t.Errorf("the cue at %s has %d lines", at, len(c.Lines))
			}
			for _, l := range c.Lines {
				if n := utf8.RuneCountInString(l); n > 42 {
					t.Errorf("the cue at %s has a line of %d characters: %q", at, n, l)
				}
			}
			last = c.End
			said = append(said, c.Text())
		}
		if got, want := strings.Join(said, " "), strings.Join(strings.Fields(slides[i].Narration), " "); got != want {
			t.Errorf("slide %d's captions say\n%q\nits narration is\n%q", i+1, got, want)
		}
	}
	// The transcript is the same words.
	for i, ts := range v.Transcript() {
		var text []string
		for _, s := range ts.Sentences {
			text = append(text, s.Text)
		}
		if got := strings.Join(text, " "); got != strings.Join(strings.Fields(slides[i].Narration), " ") || ts.Title != slides[i].Title {
			t.Errorf("transcript section %d: %q %q", i+1, ts.Title, got)
		}
		if n := len(ts.Sentences); n != len(Sentences(slides[i].Narration)) {
			t.Errorf("transcript section %d has %d sentences", i+1, n)
		}
	}
}

func script(t *testing.T) []Slide {
	t.Helper()
	f, err := os.Open("slides.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	slides, err := ReadScript(f)
	if err != nil {
		t.Fatal(err)
	}
	return slides
}

func TestServesCaptions(t *testing.T) {
	srv := httptest.NewServer(mustBundled(t).Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + CaptionsPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/vtt") || !bytes.HasPrefix(body, []byte("WEBVTT")) {
		t.Errorf("GET %s: %d %q %.20q", CaptionsPath, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	// A video without captions has none to serve.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "clip.webm"), []byte("\x1a\x45\xdf\xa3 tiny"), 0o600)
	os.WriteFile(filepath.Join(dir, "webinar.json"), []byte(`{"version":"2027.1","file":"clip.webm","durationSeconds":12.5}`), 0o600)
	v, err := FromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v.CaptionsURL() != "" || v.Transcript() == nil || len(v.Transcript()) != 0 {
		t.Errorf("no captions, yet %q %v", v.CaptionsURL(), v.Transcript())
	}
	rec := httptest.NewRecorder()
	v.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, CaptionsPath, nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("captions of a video without: %d", rec.Code)
	}
}

// A folder whose captions are missing, broken or run past the video is not
// a valid video folder.
func TestFolderCaptionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		name, file, vtt string
		ok              bool
		title           string
	}{
		{name: "missing", file: "clip.vtt"},
		{name: "outside", file: "../clip.vtt", vtt: "WEBVTT\n"},
		{name: "not WebVTT", file: "clip.vtt", vtt: "1\n00:00.000 --> 00:01.000\nHello\n"},
		{name: "past the end", file: "clip.vtt", vtt: "WEBVTT\n\n00:00:10.000 --> 00:00:14.000\nHello\n"},
		{name: "good", file: "clip.vtt", vtt: "WEBVTT\n\nNOTE Slide 1: Hi\n\n00:00:01.000 --> 00:00:02.500\nHello there.\n", ok: true, title: "Hi"},
		{name: "good, no titles", file: "clip.vtt", vtt: "WEBVTT\n\n00:01.000 --> 00:02.500\nHello there.\n", ok: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "clip.webm"), []byte("\x1a\x45\xdf\xa3 tiny"), 0o600)
			os.WriteFile(filepath.Join(dir, "webinar.json"), []byte(`{"version":"2027.1","file":"clip.webm","captions":"`+tc.file+`","durationSeconds":3}`), 0o600)
			if tc.vtt != "" {
				os.WriteFile(filepath.Join(dir, "clip.vtt"), []byte(tc.vtt), 0o600)
			}
			v, err := FromDir(dir)
			if !tc.ok {
				if err == nil {
					t.Error("accepted")
				}
				return
			}
			want := []TranscriptSection{{Title: tc.title, Sentences: []TranscriptSentence{{Start: 1, End: 2.5, Text: "Hello there."}}}}
			if err != nil || !reflect.DeepEqual(v.Transcript(), want) || v.CaptionsURL() != CaptionsPath {
				t.Errorf("%v: %+v", err, v.Transcript())
			}
		})
	}
}

func TestParseVTT(t *testing.T) {
	const good = "\uFEFFWEBVTT - the training\r\nKind: captions\r\n\r\nNOTE\r\nmade by hand\r\n\r\n" +
		"NOTE Slide 1: Welcome\r\n\r\n" +
		"intro\r\n00:00.500 --> 00:02.000 line:90%\r\n<v Narrator>Hello &amp; <i>welcome</i>,</v>\r\nto the training.\r\n\r\n" +
		"00:00:02.000 --> 00:00:03.250\r\nGlad you’re here.\r\n\r\n" +
		"NOTE Slide 2: Next\r\n\r\n" +
		"01:00:00.000 --> 01:00:01.000\r\nBye!\r\n"
	got, err := ParseVTT([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []Section{
		{Title: "Welcome", Cues: []Cue{
			{Start: 0.5, End: 2, Lines: []string{"Hello & welcome,", "to the training."}},
			{Start: 2, End: 3.25, Lines: []string{"Glad you’re here."}},
		}},
		{Title: "Next", Cues: []Cue{{Start: 3600, End: 3601, Lines: []string{"Bye!"}}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseVTT:\n got %+v\nwant %+v", got, want)
	}
	tr := Transcript(got)
	if len(tr) != 2 || len(tr[0].Sentences) != 2 || tr[0].Sentences[0] != (TranscriptSentence{Start: 0.5, End: 2, Text: "Hello & welcome, to the training."}) {
		t.Errorf("Transcript: %+v", tr)
	}

	for name, bad := range map[string]string{
		"no header":        "00:00.000 --> 00:01.000\nHi\n",
		"header run on":    "WEBVTTX\n\n00:00.000 --> 00:01.000\nHi\n",
		"bad timestamp":    "WEBVTT\n\n00:00.0 --> 00:01.000\nHi\n",
		"minutes over 59":  "WEBVTT\n\n00:60:00.000 --> 01:00:01.000\nHi\n",
		"ends before":      "WEBVTT\n\n00:02.000 --> 00:01.000\nHi\n",
		"overlaps":         "WEBVTT\n\n00:00.000 --> 00:02.000\nHi\n\n00:01.000 --> 00:03.000\nThere\n",
		"out of order":     "WEBVTT\n\n00:05.000 --> 00:06.000\nHi\n\n00:01.000 --> 00:03.000\nThere\n",
		"no blank line":    "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n00:01.000 --> 00:02.000\nThere\n",
		"identifier alone": "WEBVTT\n\nintro\n",
		"not UTF-8":        "WEBVTT\n\n00:00.000 --> 00:01.000\n\xff\n",
	} {
		if _, err := ParseVTT([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Whatever ParseVTT accepts, WriteVTT writes back to the same captions.
func FuzzParseVTT(f *testing.F) {
	f.Add([]byte("WEBVTT\n\nNOTE Slide 1: A\n\n00:00.500 --> 00:02.000\nHello &amp; <b>you</b>\nthere.\n"))
	f.Add([]byte("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000 align:start\nA < B\n\n00:00:01.000 --> 00:00:02.000\n"))
	f.Add([]byte("WEBVTT\n\nNOTE Slide 0:  ")) // a title of spaces is no title
	if raw, err := os.ReadFile("media/insurance-training.vtt"); err == nil {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sections, err := ParseVTT(data)
		if err != nil {
			return
		}
		for i := range sections {
			sections[i].Title = strings.ReplaceAll(sections[i].Title, "-->", "->")
		}
		var b bytes.Buffer
		if err := WriteVTT(&b, "a note", sections); err != nil {
			t.Fatal(err)
		}
		again, err := ParseVTT(b.Bytes())
		if err != nil {
			t.Fatalf("WriteVTT wrote what ParseVTT refuses: %v\n%s", err, b.Bytes())
		}
		if !reflect.DeepEqual(again, sections) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", again, sections)
		}
	})
}
