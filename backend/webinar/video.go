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

//go:embed media/webinar.json media/*.webm
var bundled embed.FS

// Video is one version of the training video. A newer version from the
// network replaces the bundled one; progress is kept per version.
type Video struct {
	Version         string  `json:"version"`
	Title           string  `json:"title"`
	File            string  `json:"file"`
	DurationSeconds float64 `json:"durationSeconds"`

	fsys fs.FS
}

// URLPath is where the app serves the current video (through the Wails
// asset server's handler).
const URLPath = "/webinar/video.webm"

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
	v.fsys = fsys
	return v, nil
}

// Handler serves the video at URLPath with Range support (the player seeks
// by asking for byte ranges); every other path is 404.
func (v Video) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != URLPath || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		f, err := v.fsys.Open(v.File)
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
		w.Header().Set("Content-Type", "video/webm")
		w.Header().Set("Cache-Control", "no-store")
		http.ServeContent(w, r, v.File, time.Time{}, rs)
	})
}
