package seal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// keyFileHeader starts a private key file, so a file of another kind is
// refused instead of read as a key.
const keyFileHeader = "onramp-network-key-v1"

// WriteKeyFile makes a new key pair and writes its private key to path,
// readable by its owner only (0600). An existing file is never
// overwritten: a new key in its place would leave every value sealed to
// the old one unreadable.
func WriteKeyFile(path string) (PublicKey, error) {
	pub, priv, err := GenerateKey()
	if err != nil {
		return PublicKey{}, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return PublicKey{}, fmt.Errorf("%s already exists: a new key there would make every value sealed to the old one unreadable; choose another file", path)
	}
	if err != nil {
		return PublicKey{}, fmt.Errorf("write the network key: %w", err)
	}
	text := fmt.Sprintf("# The network's private encryption key: it opens every sealed CAQH login, SSN and date of birth.\n"+
		"# Keep it readable by its owner only; never copy it to a shared place.\n%s %s\n",
		keyFileHeader, base64.StdEncoding.EncodeToString(priv[:]))
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return PublicKey{}, fmt.Errorf("write the network key: %w", err)
	}
	return pub, nil
}

// ReadKeyFile reads a private key file written by WriteKeyFile. A file
// other users can read is refused: the key may already be exposed, and
// using it as it is would hide that.
func ReadKeyFile(path string) (PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return PrivateKey{}, fmt.Errorf("the network key file: %w", err)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return PrivateKey{}, fmt.Errorf("the network key file %s can be read by other users (mode %04o): make it private with chmod 600 %s, and ask whether the key was exposed", path, perm, path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return PrivateKey{}, fmt.Errorf("the network key file: %w", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), keyFileHeader+" ")
		if !ok {
			continue
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		if err != nil || len(key) != 32 {
			break
		}
		return PrivateKey(key), nil
	}
	return PrivateKey{}, fmt.Errorf("%s is not a network key file (make one with onramp-intake network-key)", path)
}
