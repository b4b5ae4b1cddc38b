package webinar

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// The whole folder, so that tools/webinarcaptions (which uses this package)
// builds before the captions it makes exist.
//
//go:embed media
var bundled embed.FS

// Video is one version of the training video. A newer version from the
// network replaces the bundled one; progress is kept per version.
type Video struct {
	Version         string  `json:"version"`
	Title           string  `json:"title"`
	File            string  `json:"file"`
	DurationSeconds float64 `json:"durationSeconds"`
	// Captions names the video's WebVTT captions in the same folder; a
	// video may have none.
	Captions string `json:"captions,omitempty"`

	fsys       fs.FS
	transcript []TranscriptSection
}

// URLPath is where the app serves the current video, and CaptionsPath its
// captions (through the Wails asset server's handler).
const (
	URLPath      = "/webinar/video.webm"
	CaptionsPath = "/webinar/captions.vtt"
)

// Bundled is the video compiled into the app.
func Bundled() (Video, error) {
	sub, err := fs.Sub(bundled, "media")
	if err != nil {
		return Video{}, err
	}
	return load(sub)
}

// FromDir loads a video folder: webinar.json beside the file it names. The
// app uses one under its data folder when the network sends a newer version,
// and tests use one to point the app at a short clip.
func FromDir(dir string) (Video, error) {
	return load(os.DirFS(dir))
}

// Current is the video to show: the one in dir if it holds a valid video
// folder, else the bundled one.
func Current(dir string) (Video, error) {
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "webinar.json")); err == nil {
			v, err := FromDir(dir)
			if err != nil {
				return Video{}, fmt.Errorf("webinar in %s: %w", dir, err)
			}
			return v, nil
		}
	}
	return Bundled()
}

func load(fsys fs.FS) (Video, error) {
	raw, err := fs.ReadFile(fsys, "webinar.json")
	if err != nil {
		return Video{}, err
	}
	var v Video
	if err := json.Unmarshal(raw, &v); err != nil {
		return Video{}, fmt.Errorf("webinar.json: %w", err)
	}
	switch {
	case v.Version == "":
		return Video{}, errors.New("webinar.json: no version")
	case !(v.DurationSeconds > 0):
		return Video{}, errors.New("webinar.json: no duration")
	case v.File == "" || path.Base(v.File) != v.File || !strings.HasSuffix(v.File, ".webm"):
		return Video{}, errors.New("webinar.json: file must be a .webm in the same folder")
	}
	if _, err := fs.Stat(fsys, v.File); err != nil {
		return Video{}, fmt.Errorf("webinar video: %w", err)
	}
	if v.Captions != "" {
		sections, err := loadCaptions(fsys, v)
		if err != nil {
			return Video{}, err
		}
		v.transcript = Transcript(sections)
	}
	v.fsys = fsys
	return v, nil
}

// loadCaptions reads and checks the video's captions: a folder whose
// captions don't parse, or run past the video, is not a valid video folder.
func loadCaptions(fsys fs.FS, v Video) ([]Section, error) {
	if path.Base(v.Captions) != v.Captions || !strings.HasSuffix(v.Captions, ".vtt") {
		return nil, errors.New("webinar.json: captions must be a .vtt in the same folder")
	}
	raw, err := fs.ReadFile(fsys, v.Captions)
	if err != nil {
		return nil, fmt.Errorf("webinar captions: %w", err)
	}
	sections, err := ParseVTT(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.Captions, err)
	}
	for _, s := range sections {
		if n := len(s.Cues); n > 0 && s.Cues[n-1].End > v.DurationSeconds+0.5 {
			return nil, fmt.Errorf("%s: a caption at %s is past the end of the video", v.Captions, Timestamp(s.Cues[n-1].Start))
		}
	}
	return sections, nil
}

// CaptionsURL is where the app serves the video's captions; "" if it has
// none.
func (v Video) CaptionsURL() string {
	if v.Captions == "" {
		return ""
	}
	return CaptionsPath
}

// Transcript is the video's narration to read, made from its captions;
// empty if it has none.
func (v Video) Transcript() []TranscriptSection {
	if v.transcript == nil {
		return []TranscriptSection{}
	}
	return v.transcript
}

// Handler serves the video at URLPath with Range support (the player seeks
// by asking for byte ranges) and its captions at CaptionsPath; every other
// path is 404.
func (v Video) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file, contentType := v.File, "video/webm"
		if r.URL.Path == CaptionsPath && v.Captions != "" {
			file, contentType = v.Captions, "text/vtt; charset=utf-8"
		} else if r.URL.Path != URLPath {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.NotFound(w, r)
			return
		}
		f, err := v.fsys.Open(file)
		if err != nil {
			http.Error(w, "video unavailable", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		rs, ok := f.(io.ReadSeeker)
		if !ok {
			data, err := io.ReadAll(f)
			if err != nil {
				http.Error(w, "video unavailable", http.StatusInternalServerError)
				return
			}
			rs = bytes.NewReader(data)
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-store")
		http.ServeContent(w, r, file, time.Time{}, rs)
	})
}
