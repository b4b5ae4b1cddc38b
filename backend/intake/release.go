package intake

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Releases: the network publishes each new version of the app as a
// manifest signed with its release key (Ed25519), and the file itself. The
// signature covers the manifest's exact bytes, so the app checks it before
// it reads a word of the manifest, and the manifest's size and SHA-256
// before it offers the file.

// The platforms a release is built for.
const (
	PlatformDeb         = "linux-deb"
	PlatformDebWebKit41 = "linux-deb-webkit41"
	PlatformRPM         = "linux-rpm"
	PlatformRPMWebKit41 = "linux-rpm-webkit41"
	PlatformWindows     = "windows"
)

// Platforms lists every platform a release may be for.
func Platforms() []string {
	return []string{PlatformDeb, PlatformDebWebKit41, PlatformRPM, PlatformRPMWebKit41, PlatformWindows}
}

// ReleaseManifest is what the release key signs.
type ReleaseManifest struct {
	Version  string `json:"version"`
	Platform string `json:"platform"`
	FileName string `json:"fileName"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"` // hex
	Notes    string `json:"notes"`
}

// SignedRelease is GET /v1/releases/latest's answer: the manifest's bytes
// as signed, the signature over them, and where the file is (ID), which
// needs no signature: the file is checked against the manifest.
type SignedRelease struct {
	ID        int64  `json:"id"`
	Manifest  []byte `json:"manifest"`  // JSON of a ReleaseManifest, base64 on the wire
	Signature []byte `json:"signature"` // Ed25519 over Manifest, base64 on the wire
}

// ErrBadSignature means a release not signed with the release key the app
// trusts.
var ErrBadSignature = errors.New("the update is not signed with Onramp's release key")

// Open checks the signature with key and only then reads the manifest.
func (r SignedRelease) Open(key ed25519.PublicKey) (ReleaseManifest, error) {
	var m ReleaseManifest
	if len(key) != ed25519.PublicKeySize || !ed25519.Verify(key, r.Manifest, r.Signature) {
		return m, ErrBadSignature
	}
	if err := json.Unmarshal(r.Manifest, &m); err != nil {
		return m, fmt.Errorf("read the signed release manifest: %w", err)
	}
	return m, nil
}

// CompareVersions compares two versions of dotted numbers ("1.2.10"), each
// with an optional pre-release suffix ("0.0.0-dev", older than "0.0.0"):
// -1 when a is older than b, 0 when equal, 1 when newer. ok is false when
// either is not such a version.
func CompareVersions(a, b string) (cmp int, ok bool) {
	a, preA, _ := strings.Cut(a, "-")
	b, preB, _ := strings.Cut(b, "-")
	pa, oka := versionParts(a)
	pb, okb := versionParts(b)
	if !oka || !okb {
		return 0, false
	}
	if c, _ := compareParts(pa, pb); c != 0 || preA == preB {
		return c, true
	}
	switch {
	case preA == "":
		return 1, true // a release is newer than its pre-release
	case preB == "":
		return -1, true
	}
	return strings.Compare(preA, preB), true
}

func compareParts(pa, pb []int) (int, bool) {
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, true
}

func versionParts(v string) ([]int, bool) {
	fields := strings.Split(v, ".")
	if v == "" || len(fields) > 4 {
		return nil, false
	}
	parts := make([]int, len(fields))
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || f != strconv.Itoa(n) {
			return nil, false
		}
		parts[i] = n
	}
	return parts, true
}

// LatestRelease asks for the newest release for platform; ok is false when
// the network published none.
func (c *Client) LatestRelease(ctx context.Context, platform string) (rel SignedRelease, ok bool, err error) {
	err = c.do(ctx, http.MethodGet, "/v1/releases/latest?platform="+platform, "", nil, &rel)
	var ce *ClientError
	if errors.As(err, &ce) && ce.Code == "no-release" {
		return rel, false, nil
	}
	return rel, err == nil, err
}

// DownloadRelease asks for release id's file from byte offset on, so that
// a download cut off carries on from what it has. from is where the body
// starts: offset, or 0 when the server sent the whole file again (the
// caller then drops what it had). The caller closes body.
func (c *Client) DownloadRelease(ctx context.Context, id, offset int64) (body io.ReadCloser, from int64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/releases/%d/file", c.base, id), nil)
	if err != nil {
		return nil, 0, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if offset > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", offset))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, &ClientError{Message: "The intake server can't be reached: " + err.Error(), Temp: true}
	}
	switch {
	case resp.StatusCode == http.StatusPartialContent && offset > 0:
		return resp.Body, offset, nil
	case resp.StatusCode == http.StatusOK:
		return resp.Body, 0, nil
	}
	resp.Body.Close()
	return nil, 0, &ClientError{Status: resp.StatusCode, Message: "The intake server answered " + resp.Status + " for the update's file.",
		Temp: resp.StatusCode >= 500 || resp.StatusCode == http.StatusUnauthorized}
}
