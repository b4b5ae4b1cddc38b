package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"onramp/backend/intake"
)

// The release endpoints: the newest version by number for the platform
// asked, its manifest verifying with the release key, and the file served
// whole or from a byte on (Range), to enrolled apps only.
func TestReleaseEndpoints(t *testing.T) {
	e := newEnv(t)
	token := e.enroll("zoe@example.org", "laptop-1")
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	file := []byte(strings.Repeat("0123456789", 1000))
	for _, r := range []NewRelease{
		{Version: "0.9.0", Platform: intake.PlatformDeb, FileName: "a.deb", Notes: "old", File: []byte("old")},
		{Version: "0.10.0", Platform: intake.PlatformDeb, FileName: "/tmp/dist/onramp_0.10.0_amd64.deb", Notes: "new", File: file},
		{Version: "0.11.0", Platform: intake.PlatformWindows, FileName: "onramp.exe", Notes: "windows", File: []byte("exe")},
	} {
		if _, err := e.db.AddRelease(ctx, key, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []NewRelease{
		{Version: "0.10.0", Platform: intake.PlatformDeb, File: file},    // the same version
		{Version: "0.9.5", Platform: intake.PlatformDeb, File: file},     // older than the newest
		{Version: "1.0.0", Platform: "macos", File: file},                // no such platform
		{Version: "v1", Platform: intake.PlatformDeb, File: file},        // not a version
		{Version: "1.0.0", Platform: intake.PlatformDeb, File: []byte{}}, // no file
	} {
		if _, err := e.db.AddRelease(ctx, key, r); err == nil {
			t.Errorf("release %s for %s (%d bytes) was recorded", r.Version, r.Platform, len(r.File))
		}
	}

	get := func(path, token, rng string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("/v1/releases/latest?platform=linux-deb", token, "")
	var rel intake.SignedRelease
	if resp.StatusCode != 200 || json.Unmarshal(body, &rel) != nil {
		t.Fatalf("latest: %d %s", resp.StatusCode, body)
	}
	m, err := rel.Open(pub)
	if err != nil || m.Version != "0.10.0" || m.FileName != "onramp_0.10.0_amd64.deb" || m.Size != int64(len(file)) {
		t.Fatalf("latest manifest %+v: %v", m, err)
	}
	if _, err := rel.Open(pub[:31]); err == nil {
		t.Error("the manifest opened with a wrong key")
	}
	fileURL := fmt.Sprintf("/v1/releases/%d/file", rel.ID)
	for _, tc := range []struct {
		name, path, token, rng string
		status                 int
		body                   string
	}{
		{"whole file", fileURL, token, "", 200, string(file)},
		{"from byte 9990", fileURL, token, "bytes=9990-", 206, string(file[9990:])},
		{"no token", fileURL, "", "", 401, ""},
		{"no such release", "/v1/releases/999/file", token, "", 404, ""},
		{"latest without a token", "/v1/releases/latest?platform=linux-deb", "", "", 401, ""},
		{"latest for no platform", "/v1/releases/latest?platform=macos", token, "", 400, ""},
		{"latest with none published", "/v1/releases/latest?platform=linux-rpm", token, "", 404, ""},
	} {
		resp, body := get(tc.path, tc.token, tc.rng)
		if resp.StatusCode != tc.status || (tc.body != "" && string(body) != tc.body) {
			t.Errorf("%s: %d (%d bytes), want %d", tc.name, resp.StatusCode, len(body), tc.status)
		}
	}
}
