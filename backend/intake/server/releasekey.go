package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// releaseKeyHeader starts a release key file's key line, so a file of
// another kind (the network's encryption key) is refused.
const releaseKeyHeader = "onramp-release-key-v1"

// WriteReleaseKey makes a new release signing key and writes its private
// half to path, readable by its owner only (0600); it returns the public
// key the app is built with. An existing file is never overwritten: apps
// built with its public key would refuse every release signed by another.
func WriteReleaseKey(path string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s already exists: apps built with its public key would refuse updates signed by a new one; choose another file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("write the release key: %w", err)
	}
	text := fmt.Sprintf("# Onramp's release signing key: every app built with its public key installs what it signs.\n"+
		"# Keep it readable by its owner only, off the intake server; never copy it to a shared place.\n%s %s\n",
		releaseKeyHeader, base64.StdEncoding.EncodeToString(priv.Seed()))
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write the release key: %w", err)
	}
	return pub, nil
}

// ReadReleaseKey reads a key file WriteReleaseKey wrote. A file other users
// can read is refused: the key may already be exposed.
func ReadReleaseKey(path string) (ed25519.PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("the release key file: %w", err)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("the release key file %s can be read by other users (mode %04o): make it private with chmod 600 %s, and ask whether the key was exposed", path, perm, path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the release key file: %w", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), releaseKeyHeader+" ")
		if !ok {
			continue
		}
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		if err != nil || len(seed) != ed25519.SeedSize {
			break
		}
		return ed25519.NewKeyFromSeed(seed), nil
	}
	return nil, fmt.Errorf("%s is not a release key file (make one with onramp-intake release-key)", path)
}
