// Package secret encrypts what must never sit on disk in plaintext (the CAQH
// password, the SSN, later the SMTP and sync credentials) with AES-256-GCM.
// The key lives in the OS keyring, or where none is running in a 0600 key
// file in the data folder.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the AES-256 key length.
const KeySize = 32

const prefix = "v1:"

// ErrCorrupt means a sealed value could not be opened: wrong key, damaged or
// tampered with.
var ErrCorrupt = errors.New("a stored secret could not be decrypted")

// Box seals and opens secrets with one key.
type Box struct{ aead cipher.AEAD }

// NewBox makes a Box from a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext; label (e.g. "credentialing/ssn") is bound to the
// ciphertext, so a sealed value moved to another name does not open.
func (b *Box) Seal(plaintext []byte, label string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := b.aead.Seal(nonce, nonce, plaintext, []byte(label))
	return prefix + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts a value made by Seal with the same label.
func (b *Box) Open(sealed, label string) ([]byte, error) {
	raw, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return nil, ErrCorrupt
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(data) < b.aead.NonceSize() {
		return nil, ErrCorrupt
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, data[:n], data[n:], []byte(label))
	if err != nil {
		return nil, ErrCorrupt
	}
	return plain, nil
}
