// Package seal seals the provider's most sensitive answers (the CAQH login,
// the SSN, the date of birth) to the network's X25519 public key, as
// anonymous sealed boxes (golang.org/x/crypto/nacl/box SealAnonymous): the
// app can seal but never open, and only the holder of the network's
// private key file can read them. Each box is bound to the name of the
// field it holds, so a box moved to another field does not open under that
// name.
//
// nacl/box rather than age: it is already in the module graph (x/crypto)
// and adds a few kilobytes to an app binary at its size budget; the values
// are a few bytes each, where age's streaming format buys nothing.
package seal

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
)

// PublicKey is the network's X25519 public key.
type PublicKey [32]byte

// PrivateKey is the network's X25519 private key.
type PrivateKey [32]byte

// ErrBadKey means a public key that is not base64 of 32 bytes.
var ErrBadKey = errors.New("not a network encryption key (base64 of 32 bytes)")

// ErrOpen means a box did not open: another key sealed it, it was sealed
// for another field, or it was damaged.
var ErrOpen = errors.New("the sealed value does not open with this key for this field (another key sealed it, it belongs to another field, or it is damaged)")

// maxSealed bounds a box as it travels (base64): a sealed field is at
// most a few hundred bytes.
const maxSealed = 4096

// GenerateKey makes a new key pair.
func GenerateKey() (PublicKey, PrivateKey, error) {
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return PublicKey{}, PrivateKey{}, fmt.Errorf("make the network key: %w", err)
	}
	return *pub, *priv, nil
}

// Public derives the public key of k.
func (k PrivateKey) Public() PublicKey {
	pub, err := curve25519.X25519(k[:], curve25519.Basepoint)
	if err != nil { // only for a low-order point, which Basepoint is not
		panic("seal: " + err.Error())
	}
	return PublicKey(pub)
}

// String is the key as the enrollment answer carries it: standard padded
// base64 of its 32 bytes.
func (k PublicKey) String() string { return base64.StdEncoding.EncodeToString(k[:]) }

// Fingerprint is the SHA-256 of the key's 32 bytes, in hex: what a
// submission's SealedTo names and support compares.
func (k PublicKey) Fingerprint() string {
	sum := sha256.Sum256(k[:])
	return hex.EncodeToString(sum[:])
}

// ParsePublicKey reads a key written by String.
func ParsePublicKey(s string) (PublicKey, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) != 32 {
		return PublicKey{}, ErrBadKey
	}
	return PublicKey(raw), nil
}

// bound is what is actually sealed: the field's name, a NUL, the value.
func bound(name string, value []byte) []byte {
	return append(append([]byte(name), 0), value...)
}

// Seal seals value for the field name to the key, and returns the box in
// standard base64.
func Seal(to PublicKey, name string, value []byte) (string, error) {
	pub := [32]byte(to)
	out, err := box.SealAnonymous(nil, bound(name, value), &pub, rand.Reader)
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", name, err)
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

// WellFormed reports whether sealed can be a box this package made (it
// cannot say which key or field without the private key).
func WellFormed(sealed string) bool {
	if len(sealed) > maxSealed {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	return err == nil && len(raw) >= box.AnonymousOverhead+1
}

// Open opens a box made by Seal for the field name with the private key.
func Open(with PrivateKey, name, sealed string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, ErrOpen
	}
	priv := [32]byte(with)
	pub := [32]byte(with.Public())
	msg, ok := box.OpenAnonymous(nil, raw, &pub, &priv)
	if !ok {
		return nil, ErrOpen
	}
	value, found := bytes.CutPrefix(msg, append([]byte(name), 0))
	if !found {
		return nil, ErrOpen
	}
	return value, nil
}
