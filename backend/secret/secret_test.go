package secret

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func box(t *testing.T) *Box {
	b, err := NewBox(bytes.Repeat([]byte{7}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	b := box(t)
	sealed, err := b.Seal([]byte("123-45-6789"), "credentialing/ssn")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "6789") {
		t.Fatal("sealed value shows the plaintext")
	}
	again, _ := b.Seal([]byte("123-45-6789"), "credentialing/ssn")
	if again == sealed {
		t.Error("two seals of the same value are equal (nonce reused?)")
	}
	plain, err := b.Open(sealed, "credentialing/ssn")
	if err != nil || string(plain) != "123-45-6789" {
		t.Fatalf("open: %q %v", plain, err)
	}
	if _, err := b.Open(sealed, "credentialing/caqhPassword"); !errors.Is(err, ErrCorrupt) {
		t.Error("opened under another label")
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := b.Open(tampered, "credentialing/ssn"); !errors.Is(err, ErrCorrupt) {
		t.Error("opened a tampered value")
	}
	other, _ := NewBox(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed, "credentialing/ssn"); !errors.Is(err, ErrCorrupt) {
		t.Error("opened with another key")
	}
	if _, err := NewBox([]byte("short")); err == nil {
		t.Error("accepted a short key")
	}
}

type memKeyring map[string]string

func (m memKeyring) Get(s, u string) (string, error) {
	v, ok := m[s+"/"+u]
	if !ok {
		return "", errors.New("not found")
	}
	return v, nil
}
func (m memKeyring) Set(s, u, p string) error { m[s+"/"+u] = p; return nil }

type noKeyring struct{}

func (noKeyring) Get(string, string) (string, error) { return "", errors.New("no D-Bus session") }
func (noKeyring) Set(string, string, string) error   { return errors.New("no D-Bus session") }

func TestKeyInKeyring(t *testing.T) {
	dir := t.TempDir()
	kr := memKeyring{}
	k1, src, err := LoadKey(dir, kr)
	if err != nil || !src.InKeyring || src.Notice != "" || len(k1) != KeySize {
		t.Fatalf("first load: %v %+v", err, src)
	}
	k2, _, _ := LoadKey(dir, kr)
	if !bytes.Equal(k1, k2) {
		t.Error("key changed between loads")
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); err == nil {
		t.Error("a key file was written although the keyring works")
	}
}

func TestKeyFileFallback(t *testing.T) {
	dir := t.TempDir()
	k1, src, err := LoadKey(dir, noKeyring{})
	if err != nil || src.InKeyring || !strings.Contains(src.Notice, "No system keyring") {
		t.Fatalf("fallback: %v %+v", err, src)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	// Later loads keep using the file, even once a keyring appears.
	k2, _, _ := LoadKey(dir, memKeyring{})
	if !bytes.Equal(k1, k2) {
		t.Error("key changed when a keyring appeared")
	}
	os.WriteFile(filepath.Join(dir, KeyFileName), []byte("garbage"), 0o600)
	if _, _, err := LoadKey(dir, noKeyring{}); err == nil {
		t.Error("accepted a damaged key file")
	}
}

func FuzzOpen(f *testing.F) {
	f.Add("v1:AAAA", "x")
	b, err := NewBox(bytes.Repeat([]byte{1}, KeySize)) // once: a box holds no state between calls
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sealed, label string) {
		b.Open(sealed, label) // must not panic
	})
}
