package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// EnvDataDir overrides the data folder when --data-dir is not given.
const EnvDataDir = "ONRAMP_DATA_DIR"

// ResolveDataDir picks the data folder: the --data-dir flag, else
// $ONRAMP_DATA_DIR, else "Onramp" in the OS's per-user config folder.
func ResolveDataDir(flagValue string, getenv func(string) string) (string, error) {
	dir := flagValue
	if dir == "" {
		dir = getenv(EnvDataDir)
	}
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find your settings folder: %w", err)
		}
		dir = filepath.Join(base, "Onramp")
	}
	return filepath.Abs(dir)
}

// EnsureDataDir creates the folder if needed and makes it private (0700).
func EnsureDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data folder %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data folder %s: %w", dir, err)
	}
	if !info.IsDir() {
		return errors.New("data folder " + dir + " is not a folder")
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make data folder private: %w", err)
	}
	return nil
}
