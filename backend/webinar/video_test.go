package webinar

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestBundledVideo(t *testing.T) {
	v, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if v.Version == "" || v.DurationSeconds < 120 || v.DurationSeconds > 600 {
		t.Errorf("bundled video = %+v: want a few minutes with a version", v)
	}
	srv := httptest.NewServer(v.Handler())
	defer srv.Close()

	resp, err := http.Get(srv.URL + URLPath)
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "video/webm" || len(whole) < 100_000 {
		t.Fatalf("GET: %d %s %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(whole))
	}
	// WebM starts with the EBML magic number.
	if string(whole[:4]) != "\x1a\x45\xdf\xa3" {
		t.Error("not a WebM file")
	}

	req, _ := http.NewRequest(http.MethodGet, srv.URL+URLPath, nil)
	req.Header.Set("Range", "bytes=1000-1999")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || string(part) != string(whole[1000:2000]) {
		t.Errorf("range request: %d, %d bytes", resp.StatusCode, len(part))
	}

	resp, _ = http.Get(srv.URL + "/webinar/../etc/passwd")
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %d", resp.StatusCode)
	}
}

func TestCurrentPrefersAValidFolder(t *testing.T) {
	dir := t.TempDir()
	if v, err := Current(dir); err != nil || v.Version != mustBundled(t).Version {
		t.Fatalf("empty folder: %+v %v", v, err)
	}
	os.WriteFile(filepath.Join(dir, "clip.webm"), []byte("\x1a\x45\xdf\xa3 tiny"), 0o600)
	os.WriteFile(filepath.Join(dir, "webinar.json"), []byte(`{"version":"2027.1","title":"New","file":"clip.webm","durationSeconds":12.5}`), 0o600)
	v, err := Current(dir)
	if err != nil || v.Version != "2027.1" || v.DurationSeconds != 12.5 {
		t.Fatalf("newer video: %+v %v", v, err)
	}
	os.WriteFile(filepath.Join(dir, "webinar.json"), []byte(`{"version":"x","file":"../../secret.webm","durationSeconds":1}`), 0o600)
	if _, err := Current(dir); err == nil {
		t.Error("accepted a video outside its folder")
	}
}

func mustBundled(t *testing.T) Video {
	v, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
