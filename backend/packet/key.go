package packet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ErrBadKey means a signing key could not be used.
var ErrBadKey = errors.New("not an Onramp signing key")

const pemType = "PRIVATE KEY"

// GenerateKey makes a new installation signing key.
func GenerateKey() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating a signing key: %w", err)
	}
	return priv, nil
}

// KeyFingerprint names a signing key: the SHA-256 of its 32-byte public key,
// in lowercase hex. ShortFingerprint shortens it for people.
func KeyFingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:])
}

// NormalizeKeyFingerprint accepts a key fingerprint as people copy it —
// upper or lower case, grouped with spaces — and returns it as
// KeyFingerprint writes it, or false when it is not a full fingerprint.
func NormalizeKeyFingerprint(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	return s, validHash(s)
}

// MarshalPrivateKey writes a key file: PKCS#8 in a PEM "PRIVATE KEY" block.
func MarshalPrivateKey(k ed25519.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		// Only reached for a key of the wrong length, which is a programming error.
		panic(fmt.Sprintf("packet: marshalling an Ed25519 key: %v", err))
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})
}

// ParsePrivateKey reads a key file written by MarshalPrivateKey.
func ParsePrivateKey(raw []byte) (ed25519.PrivateKey, error) {
	block, rest := pem.Decode(raw)
	if block == nil {
		return nil, fmt.Errorf("%w: the file is not PEM text (a key file starts with -----BEGIN %s-----)", ErrBadKey, pemType)
	}
	if block.Type != pemType {
		return nil, fmt.Errorf("%w: the file holds a %q, not a %q", ErrBadKey, block.Type, pemType)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, fmt.Errorf("%w: the file has more after the key", ErrBadKey)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: the key cannot be read: %w", ErrBadKey, err)
	}
	k, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: the file holds a %T, not an Ed25519 key", ErrBadKey, parsed)
	}
	return k, nil
}
