package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"onramp/backend/intake"
)

// Releases of the app: support records each with `onramp-intake release
// add`, which signs its manifest with the release key; the app asks for
// the newest for its platform and downloads the file, resuming with HTTP
// Range requests. The server keeps the signature as made: it holds no
// release key and can't change a manifest without the app noticing.

// releaseMigration keeps each release's signed manifest and its file.
var releaseMigration = `
-- Releases of the app (issue 12): the manifest as signed with the release
-- key (its exact bytes: the app checks the signature over them), the
-- signature, and the file the manifest describes. One per platform and
-- version.
CREATE TABLE releases (
	id        INTEGER PRIMARY KEY,
	version   TEXT NOT NULL,
	platform  TEXT NOT NULL,
	manifest  BLOB NOT NULL,
	signature BLOB NOT NULL,
	file      BLOB NOT NULL,
	added_at  TEXT NOT NULL,
	UNIQUE (platform, version)
);`

// NewRelease is one release for support to add.
type NewRelease struct {
	Version, Platform, FileName, Notes string
	File                               []byte
}

// Release is a recorded release as support lists it.
type Release struct {
	ID       int64                  `json:"id"`
	Manifest intake.ReleaseManifest `json:"manifest"`
	AddedAt  string                 `json:"addedAt"`
}

// AddRelease signs the release's manifest with key and records it with its
// file. A version that is not newer than the platform's newest is refused:
// the app would never take it.
func (d *DB) AddRelease(ctx context.Context, key ed25519.PrivateKey, r NewRelease) (Release, error) {
	if !slices.Contains(intake.Platforms(), r.Platform) {
		return Release{}, fmt.Errorf("unknown platform %q", r.Platform)
	}
	if _, ok := intake.CompareVersions(r.Version, r.Version); !ok {
		return Release{}, fmt.Errorf("version %q is not dotted numbers like 1.2.3", r.Version)
	}
	if len(r.File) == 0 {
		return Release{}, errors.New("the release's file is empty")
	}
	sum := sha256.Sum256(r.File)
	m := intake.ReleaseManifest{Version: r.Version, Platform: r.Platform, FileName: filepath.Base(r.FileName),
		Size: int64(len(r.File)), SHA256: hex.EncodeToString(sum[:]), Notes: r.Notes}
	raw, err := json.Marshal(m)
	if err != nil {
		return Release{}, err
	}
	sig := ed25519.Sign(key, raw)
	tx, err := d.db.BeginTx(ctx)
	if err != nil {
		return Release{}, err
	}
	defer tx.Rollback()
	// Two releases added at once: each is compared with the other.
	if err := tx.eng.lockName(ctx, tx, "releases"); err != nil {
		return Release{}, err
	}
	if latest, ok, err := latestRelease(ctx, tx, r.Platform); err != nil {
		return Release{}, err
	} else if c, _ := intake.CompareVersions(r.Version, latest.version); ok && c <= 0 {
		return Release{}, fmt.Errorf("%s already has version %s: a release must be newer", r.Platform, latest.version)
	}
	added := d.stamp()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO releases (version, platform, manifest, signature, file, added_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Version, r.Platform, raw, sig, r.File, added).Scan(&id)
	if err != nil {
		return Release{}, fmt.Errorf("record the release: %w", err)
	}
	return Release{ID: id, Manifest: m, AddedAt: added}, tx.Commit()
}

type releaseRow struct {
	id                  int64
	version             string
	manifest, signature []byte
}

// latestRelease finds the platform's newest version (by number, not by
// when it was added).
func latestRelease(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, platform string) (releaseRow, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, version, manifest, signature FROM releases WHERE platform = ?`, platform)
	if err != nil {
		return releaseRow{}, false, fmt.Errorf("read the releases: %w", err)
	}
	defer rows.Close()
	var best releaseRow
	found := false
	for rows.Next() {
		var r releaseRow
		if err := rows.Scan(&r.id, &r.version, &r.manifest, &r.signature); err != nil {
			return releaseRow{}, false, err
		}
		if c, _ := intake.CompareVersions(r.version, best.version); !found || c > 0 {
			best, found = r, true
		}
	}
	return best, found, rows.Err()
}

// latestReleaseAnswer is GET /v1/releases/latest?platform=P.
func (s *Server) latestReleaseAnswer(ctx context.Context, req request) (int, any, error) {
	platform := req.r.URL.Query().Get("platform")
	if !slices.Contains(intake.Platforms(), platform) {
		return 0, nil, bad("bad-platform", "The platform must be one of the release platforms.")
	}
	r, ok, err := latestRelease(ctx, s.db.db, platform)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, &apiError{http.StatusNotFound, "no-release", "No release has been published for this platform.", nil}
	}
	return http.StatusOK, intake.SignedRelease{ID: r.id, Manifest: r.manifest, Signature: r.signature}, nil
}

// releaseFile is GET /v1/releases/{id}/file: the file, with Range support
// (http.ServeContent) so that a download cut off carries on. The whole
// blob is read per request: an installer is a few MiB, and a download
// resumes rarely.
func (s *Server) releaseFile(w http.ResponseWriter, r *http.Request) {
	if _, err := s.db.authenticate(r.Context(), r.Header.Get("Authorization")); err != nil {
		writeError(w, s.failure(r.Context(), err))
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, &apiError{http.StatusNotFound, "no-release", "There is no such release.", nil})
		return
	}
	var name, added string
	var file []byte
	err = s.db.db.QueryRowContext(r.Context(), `SELECT version || '-' || platform, file, added_at FROM releases WHERE id = ?`, id).Scan(&name, &file, &added)
	if errors.Is(err, sql.ErrNoRows) {
		writeError(w, &apiError{http.StatusNotFound, "no-release", "There is no such release.", nil})
		return
	} else if err != nil {
		writeError(w, s.failure(r.Context(), fmt.Errorf("read release %d: %w", id, err)))
		return
	}
	modified, _ := time.Parse(time.RFC3339Nano, added)
	w.Header().Set("Content-Type", "application/octet-stream")
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Now().Add(uploadTime)) // a slow office line
	http.ServeContent(w, r, name, modified, bytes.NewReader(file))
}

// Releases lists every recorded release, newest first.
func (d *DB) Releases(ctx context.Context) ([]Release, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, manifest, added_at FROM releases ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("read the releases: %w", err)
	}
	defer rows.Close()
	var out []Release
	for rows.Next() {
		var r Release
		var raw []byte
		if err := rows.Scan(&r.ID, &raw, &r.AddedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &r.Manifest); err != nil {
			return nil, fmt.Errorf("release %d: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
