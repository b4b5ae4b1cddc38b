package lifecycle

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"onramp/backend/store"
)

// Recovery tells the provider, in plain words, why their data could not be
// opened and where it was kept.
type Recovery struct {
	Problem string `json:"problem"` // "damaged" or "newer"
	Message string `json:"message"`
	MovedTo string `json:"movedTo"`
}

// OpenData opens the database in dir. A damaged database, or one from a
// newer Onramp, is never overwritten: it is moved aside with a timestamp and
// a Recovery says so; the store is then nil until the provider chooses a
// fresh start (OpenFresh).
func OpenData(ctx context.Context, dir string, now time.Time) (*store.Store, *Recovery, error) {
	if err := store.EnsureDataDir(dir); err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, store.FileName)
	s, err := store.Open(ctx, path)
	if err == nil {
		return s, nil, nil
	}
	var r Recovery
	switch {
	case errors.Is(err, store.ErrCorrupt):
		r.Problem = "damaged"
		r.Message = "Onramp couldn't read your saved data: the file is damaged. It has not been changed or deleted."
	case errors.Is(err, store.ErrTooNew):
		r.Problem = "newer"
		r.Message = "Your saved data was written by a newer version of Onramp than this one. It has not been changed or deleted; install the newer version to keep using it."
	default:
		return nil, nil, err
	}
	moved, merr := store.MoveAside(path, now)
	if merr != nil {
		return nil, nil, errors.Join(err, merr)
	}
	r.MovedTo = moved
	return nil, &r, nil
}

// OpenFresh starts a new, empty database in dir after a recovery.
func OpenFresh(ctx context.Context, dir string) (*store.Store, error) {
	return store.Open(ctx, filepath.Join(dir, store.FileName))
}
