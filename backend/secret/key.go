package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Keyring is the OS keyring as this package uses it (go-keyring's API).
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
}

const (
	keyringService = "Onramp"
	// KeyFileName is the fallback key file in the data folder.
	KeyFileName = "secret.key"
)

// Source says where the key came from.
type Source struct {
	InKeyring bool   `json:"inKeyring"`
	Notice    string `json:"notice,omitempty"` // plain words for the provider when it is not in the keyring
}

// LoadKey returns the data folder's key: from the keyring if one answers
// (creating it there on first use), else from a 0600 key file in the folder
// (creating it), with a notice saying so. A key file made earlier wins over
// the keyring, so data sealed with it stays readable.
func LoadKey(dataDir string, kr Keyring) ([]byte, Source, error) {
	path := filepath.Join(dataDir, KeyFileName)
	user := "data-key:" + dataDir
	fileNotice := Source{Notice: "No system keyring is available, so the key that protects your passwords and SSN is kept in a private file in Onramp's data folder (" + path + "). Keep that folder private."}

	if key, err := readKeyFile(path); err == nil {
		return key, fileNotice, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, Source{}, err
	}
	if kr != nil {
		if enc, err := kr.Get(keyringService, user); err == nil {
			key, derr := base64.StdEncoding.DecodeString(enc)
			if derr == nil && len(key) == KeySize {
				return key, Source{InKeyring: true}, nil
			}
		}
		key := make([]byte, KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, Source{}, err
		}
		if err := kr.Set(keyringService, user, base64.StdEncoding.EncodeToString(key)); err == nil {
			// Read it back: a keyring that accepts but does not keep is no keyring.
			if enc, err := kr.Get(keyringService, user); err == nil && enc == base64.StdEncoding.EncodeToString(key) {
				return key, Source{InKeyring: true}, nil
			}
		}
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, Source{}, err
	}
	if err := writeKeyFile(path, key); err != nil {
		return nil, Source{}, err
	}
	return key, fileNotice, nil
}

func readKeyFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(string(raw))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("the key file %s is damaged", path)
	}
	return key, nil
}

func writeKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key)); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
