package seal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpens(t *testing.T) {
	pub, priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	_, other, _ := GenerateKey()
	if priv.Public() != pub {
		t.Fatal("the public key derived from the private key differs from the one made with it")
	}
	box, err := Seal(pub, "credentialing/ssn", []byte("219-09-8765"))
	if err != nil {
		t.Fatal(err)
	}
	if !WellFormed(box) || strings.Contains(box, "219") {
		t.Fatalf("box %q", box)
	}
	tests := []struct {
		name  string
		key   PrivateKey
		field string
		box   string
		want  string // "" when it must not open
	}{
		{"right key and field", priv, "credentialing/ssn", box, "219-09-8765"},
		{"another key", other, "credentialing/ssn", box, ""},
		{"moved to another field", priv, "credentialing/caqhPassword", box, ""},
		{"a field whose name starts the same", priv, "credentialing/ss", box, ""},
		{"damaged", priv, "credentialing/ssn", box[:len(box)-8] + "AAAAAAA=", ""},
		{"not base64", priv, "credentialing/ssn", "%%%", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Open(tt.key, tt.field, tt.box)
			if tt.want == "" {
				if !errors.Is(err, ErrOpen) || got != nil {
					t.Fatalf("opened: %q %v", got, err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %q %v", got, err)
			}
		})
	}
	again, _ := Seal(pub, "credentialing/ssn", []byte("219-09-8765"))
	if again == box {
		t.Error("two seals of one value are equal: the box is not anonymous")
	}
}

func TestPublicKeyEncoding(t *testing.T) {
	pub, _, _ := GenerateKey()
	back, err := ParsePublicKey(pub.String())
	if err != nil || back != pub {
		t.Fatalf("round trip: %v", err)
	}
	if fp := pub.Fingerprint(); len(fp) != 64 || fp == pub.String() {
		t.Errorf("fingerprint %q", fp)
	}
	for _, bad := range []string{"", "abc", pub.String()[:40], strings.Repeat("A", 44) + "AAAA"} {
		if _, err := ParsePublicKey(bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	for _, bad := range []string{"", "%%", "AAAA", strings.Repeat("A", maxSealed+4)} {
		if WellFormed(bad) {
			t.Errorf("%.20q is well formed", bad)
		}
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "network.key")
	pub, err := WriteKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o", info.Mode().Perm())
	}
	priv, err := ReadKeyFile(path)
	if err != nil || priv.Public() != pub {
		t.Fatalf("read back: %v", err)
	}
	before, _ := os.ReadFile(path)
	if _, err := WriteKeyFile(path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("overwrote: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the refused write changed the key file")
	}

	os.Chmod(path, 0o640)
	if _, err := ReadKeyFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a group-readable key was read: %v", err)
	}
	other := filepath.Join(dir, "other")
	os.WriteFile(other, []byte("hello\n"), 0o600)
	if _, err := ReadKeyFile(other); err == nil || !strings.Contains(err.Error(), "not a network key file") {
		t.Errorf("a file of another kind: %v", err)
	}
	if _, err := ReadKeyFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file was read")
	}
}
