// Package updates offers the provider a newer version of Onramp: at most
// once a day, when the sync reaches the network, it asks for the newest
// release for this platform, checks the manifest's signature with the
// release key built into the app, downloads the file into the data folder
// (resuming a download cut off), and checks its size and SHA-256 against
// the signed manifest. Only a file that passed every check is offered to
// the system's installer; a bad one is deleted and the reason kept for the
// provider.
package updates

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"onramp/backend/intake"
	"onramp/backend/version"
)

// CheckEvery is how often the app asks the network for a new release.
const CheckEvery = 24 * time.Hour

// downloadTimeout bounds the download each sync does: the sync waits for
// it (one sync at a time), so a slow line must not hold "Sync now" for
// long. What arrived stays in download.part and the next sync carries on
// from there: 12 MB takes one sync at 100 KB/s, several on a slower line.
const downloadTimeout = 2 * time.Minute

// CurrentVersion is the running app's version (wails.json's
// productVersion).
func CurrentVersion() string { return version.String() }

// Why a release is refused.
var (
	ErrNotNewer      = errors.New("the release is not newer than this app")
	ErrOtherPlatform = errors.New("the release is for another platform")
	ErrBadFile       = errors.New("the downloaded file does not match the signed release")
)

// Offer is what the provider sees of an update.
type Offer struct {
	Version string `json:"version"`
	Notes   string `json:"notes"`
	// Ready: downloaded and checked; the provider may open it.
	Ready bool `json:"ready"`
	// Problem is why the last download was refused and deleted, in plain
	// words ("" when none was).
	Problem string `json:"problem,omitempty"`
}

// Service checks for, downloads and verifies updates in dir.
type Service struct {
	dir      string
	now      func() time.Time
	key      ed25519.PublicKey
	platform string
	version  string
}

// New builds the service: dir is the data folder's updates folder, key the
// release public key (BuiltInKey in the app), platform the release
// platform this app installs from (ThisPlatform) and version its own.
func New(dir string, now func() time.Time, key ed25519.PublicKey, platform, version string) *Service {
	return &Service{dir: dir, now: now, key: key, platform: platform, version: version}
}

// state is what the service keeps between runs, in dir/state.json.
type state struct {
	CheckedAt time.Time             `json:"checkedAt"`
	Release   *intake.SignedRelease `json:"release,omitempty"` // the one on offer, as signed
	Ready     bool                  `json:"ready"`
	Problem   string                `json:"problem,omitempty"`
	// ProblemVersion is the version Problem is about.
	ProblemVersion string `json:"problemVersion,omitempty"`
}

// Check runs with each sync that reached the network: once a day it asks
// for the newest release, and while one is on offer and not yet
// downloaded it carries on downloading it. The error is for the log; what
// the provider should know is in Offer.
func (s *Service) Check(ctx context.Context, client *intake.Client) error {
	st, err := s.load()
	if err != nil {
		return err
	}
	if s.now().Sub(st.CheckedAt) >= CheckEvery || s.now().Before(st.CheckedAt) {
		st.CheckedAt = s.now()
		rel, ok, err := client.LatestRelease(ctx, s.platform)
		if err != nil {
			// Asked is asked: a server in trouble (or one without
			// releases) hears from this app again tomorrow, not every sync.
			return errors.Join(fmt.Errorf("ask for the latest release: %w", err), s.save(st))
		}
		var refused error
		if ok {
			_, refused = s.accept(rel)
		}
		switch {
		case ok && refused == nil && (st.Release == nil || st.Release.ID != rel.ID || string(st.Release.Manifest) != string(rel.Manifest)):
			if err := s.clear(); err != nil {
				return err
			}
			st = state{CheckedAt: st.CheckedAt, Release: &rel}
		case !ok || refused != nil:
			// Nothing newer is published (any more): nothing is offered,
			// and an earlier refused download is no longer news.
			if err := s.clear(); err != nil {
				return err
			}
			st = state{CheckedAt: st.CheckedAt}
		}
		if err := s.save(st); err != nil {
			return err
		}
		if refused != nil && !errors.Is(refused, ErrNotNewer) {
			return refused
		}
	}
	if st.Release == nil || st.Ready {
		return nil
	}
	return s.download(ctx, client.WithTimeout(downloadTimeout), st)
}

// accept checks a release before anything of it is used: the signature
// with the built-in key first, then its platform and version.
func (s *Service) accept(rel intake.SignedRelease) (intake.ReleaseManifest, error) {
	m, err := rel.Open(s.key)
	if err != nil {
		return m, err
	}
	if m.Platform != s.platform {
		return m, fmt.Errorf("%w: %s, not %s", ErrOtherPlatform, m.Platform, s.platform)
	}
	c, ok := intake.CompareVersions(m.Version, s.version)
	if !ok || c <= 0 {
		return m, fmt.Errorf("%w: %s, this app is %s", ErrNotNewer, m.Version, s.version)
	}
	if m.Size <= 0 || len(m.SHA256) != 2*sha256.Size {
		return m, fmt.Errorf("%w: the manifest has no size or SHA-256", ErrBadFile)
	}
	return m, nil
}

func (s *Service) partPath() string { return filepath.Join(s.dir, "download.part") }

// filePath is where a verified file is kept: the manifest's name, with
// nothing of a path in it.
func (s *Service) filePath(m intake.ReleaseManifest) string {
	name := filepath.Base(strings.ReplaceAll(m.FileName, `\`, "/"))
	if name == "." || name == "/" || name == "" || strings.HasPrefix(name, ".") {
		name = "onramp-update"
	}
	return filepath.Join(s.dir, name)
}

// download fetches the offered file into download.part from where it
// stopped, then checks it whole; a good file takes its own name, a bad
// one is deleted and the offer withdrawn until the next day's check.
func (s *Service) download(ctx context.Context, client *intake.Client, st state) error {
	m, err := s.accept(*st.Release)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("make the updates folder: %w", err)
	}
	f, err := os.OpenFile(s.partPath(), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open the update's download: %w", err)
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if have < m.Size {
		body, from, err := client.DownloadRelease(ctx, st.Release.ID, have)
		if err != nil {
			return fmt.Errorf("download version %s: %w", m.Version, err)
		}
		defer body.Close()
		if from != have {
			if err := f.Truncate(from); err != nil {
				return err
			}
			if _, err := f.Seek(from, io.SeekStart); err != nil {
				return err
			}
		}
		// One byte past the signed size is enough to know the file is wrong.
		if _, err := io.Copy(f, io.LimitReader(body, m.Size-from+1)); err != nil {
			return fmt.Errorf("download version %s (it carries on at the next sync): %w", m.Version, err)
		}
		if err := f.Sync(); err != nil {
			return err
		}
	}
	f.Close()
	if err := verify(s.partPath(), m); err != nil {
		os.Remove(s.partPath())
		st.Problem, st.ProblemVersion = problemWords(m.Version, err), m.Version
		st.Release, st.Ready = nil, false
		return errors.Join(err, s.save(st))
	}
	if err := os.Rename(s.partPath(), s.filePath(m)); err != nil {
		return fmt.Errorf("keep the downloaded update: %w", err)
	}
	st.Ready, st.Problem, st.ProblemVersion = true, "", ""
	return s.save(st)
}

// verify checks a file's size and SHA-256 against the signed manifest.
func verify(path string, m intake.ReleaseManifest) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open the downloaded update: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	switch {
	case err != nil:
		return fmt.Errorf("read the downloaded update: %w", err)
	case n != m.Size:
		return fmt.Errorf("%w: %d bytes, the release has %d", ErrBadFile, n, m.Size)
	case hex.EncodeToString(h.Sum(nil)) != strings.ToLower(m.SHA256):
		return fmt.Errorf("%w: its SHA-256 differs", ErrBadFile)
	}
	return nil
}

func problemWords(version string, err error) string {
	if errors.Is(err, ErrBadFile) {
		return fmt.Sprintf("The download of version %s was damaged or changed on the way: it is not the file the network signed. Onramp deleted it without opening it, and tries again tomorrow.", version)
	}
	return fmt.Sprintf("The download of version %s could not be checked, so Onramp deleted it without opening it, and tries again tomorrow.", version)
}

// Offer is the update on offer, if any, or the last refused download's
// reason.
func (s *Service) Offer() (Offer, bool, error) {
	st, err := s.load()
	if err != nil {
		return Offer{}, false, err
	}
	if st.Release != nil {
		m, err := s.accept(*st.Release)
		if err == nil {
			return Offer{Version: m.Version, Notes: m.Notes, Ready: st.Ready, Problem: st.Problem}, true, nil
		}
	}
	if st.Problem != "" {
		return Offer{Version: st.ProblemVersion, Problem: st.Problem}, true, nil
	}
	return Offer{}, false, nil
}

// Verified checks the downloaded file again (signature, platform,
// version, size and SHA-256) right before it is opened, and returns its
// path. A file that fails is deleted.
func (s *Service) Verified() (string, error) {
	st, err := s.load()
	if err != nil {
		return "", err
	}
	if st.Release == nil || !st.Ready {
		return "", errors.New("no update has been downloaded and checked")
	}
	m, err := s.accept(*st.Release)
	if err != nil {
		return "", err
	}
	path := s.filePath(m)
	if err := verify(path, m); err != nil {
		os.Remove(path)
		st.Problem, st.ProblemVersion = problemWords(m.Version, err), m.Version
		st.Release, st.Ready = nil, false
		return "", errors.Join(err, s.save(st))
	}
	return path, nil
}

// clear deletes every downloaded file: a new release replaces them.
func (s *Service) clear() error {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != "state.json" {
			if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("delete an old update: %w", err)
			}
		}
	}
	return nil
}

func (s *Service) load() (state, error) {
	var st state
	raw, err := os.ReadFile(filepath.Join(s.dir, "state.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	} else if err != nil {
		return st, fmt.Errorf("read the update state: %w", err)
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		// A damaged state file costs one more check, nothing else.
		return state{}, nil
	}
	return st, nil
}

func (s *Service) save(st state) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("make the updates folder: %w", err)
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, "state.json.tmp")
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return fmt.Errorf("save the update state: %w", err)
	}
	return os.Rename(tmp, filepath.Join(s.dir, "state.json"))
}
