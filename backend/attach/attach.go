// Package attach keeps uploaded documents (licenses, face sheets,
// certificates, CV, diploma, headshot): checked by content, size-limited,
// stored once under their SHA-256 in a private folder.
package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for the content check
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// MaxBytes is the largest file accepted.
const MaxBytes = 10 << 20

// Types accepted, by MIME type.
const (
	PDF  = "application/pdf"
	PNG  = "image/png"
	JPEG = "image/jpeg"
)

// Problem is why a file was refused, in plain words, with a stable code.
type Problem struct {
	Code    string
	Message string
}

func (p *Problem) Error() string { return p.Message }

// Info describes a stored file.
type Info struct {
	Hash string `json:"hash"` // SHA-256, hex
	Name string `json:"name"` // the name it was chosen with
	Size int64  `json:"size"`
	Type string `json:"type"` // MIME type found by content
}

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidHash reports whether s looks like a stored file's name.
func ValidHash(s string) bool { return hashRE.MatchString(s) }

// Dir is the folder files live in.
type Dir struct{ path string }

// Open makes (if needed) and returns the private attachments folder.
func Open(path string) (Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return Dir{}, fmt.Errorf("create attachments folder: %w", err)
	}
	return Dir{path: path}, os.Chmod(path, 0o700)
}

// Path is where a stored file is.
func (d Dir) Path(hash string) string { return filepath.Join(d.path, hash) }

// Save reads at most MaxBytes from r, checks the content is a PDF, PNG or
// JPEG (only images when imagesOnly), and stores it under its SHA-256. A
// refused file leaves nothing behind and returns a *Problem.
func (d Dir) Save(name string, r io.Reader, imagesOnly bool) (Info, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Info{}, fmt.Errorf("read %s: %w", name, err)
	}
	info, err := Check(name, data, imagesOnly)
	if err != nil {
		return Info{}, err
	}
	path := d.Path(info.Hash)
	if _, err := os.Stat(path); err == nil {
		return info, nil // the same content is stored already
	}
	tmp, err := os.CreateTemp(d.path, ".upload-*")
	if err != nil {
		return Info{}, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return Info{}, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return Info{}, err
	}
	if err := tmp.Close(); err != nil {
		return Info{}, err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return Info{}, err
	}
	return info, os.Rename(tmp.Name(), path)
}

// Read returns a stored file's bytes.
func (d Dir) Read(hash string) ([]byte, error) {
	if !ValidHash(hash) {
		return nil, errors.New("not a stored file")
	}
	return os.ReadFile(d.Path(hash))
}

// Check sniffs and limits content without storing it.
func Check(name string, data []byte, imagesOnly bool) (Info, error) {
	switch {
	case len(data) == 0:
		return Info{}, &Problem{"empty", "This file is empty. Choose the file again, or export it again from where it came from."}
	case len(data) > MaxBytes:
		return Info{}, &Problem{"too-large", "This file is over 10 MB. Scan at a lower resolution or compress the PDF, then try again."}
	}
	typ, what := sniff(data)
	if typ == "" || (imagesOnly && typ == PDF) {
		want := "a PDF, PNG or JPEG"
		if imagesOnly {
			want = "a PNG or JPEG photo"
		}
		msg := fmt.Sprintf("This file isn't %s", want)
		if what != "" {
			msg += " (it looks like " + what + ")"
		}
		return Info{}, &Problem{"wrong-type", msg + ", whatever its name says. Choose another file."}
	}
	sum := sha256.Sum256(data)
	return Info{Hash: hex.EncodeToString(sum[:]), Name: filepath.Base(name), Size: int64(len(data)), Type: typ}, nil
}

// sniff decides the type by content: PDFs by their header and end marker,
// images by decoding their header. It also names common impostors.
func sniff(data []byte) (typ, what string) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		tail := data[max(0, len(data)-2048):]
		if bytes.Contains(tail, []byte("%%EOF")) {
			return PDF, ""
		}
		return "", "an incomplete PDF"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")), bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width == 0 || cfg.Height == 0 {
			return "", "a damaged image"
		}
		if format == "png" {
			return PNG, ""
		}
		return JPEG, ""
	case bytes.HasPrefix(data, []byte("MZ")):
		return "", "a Windows program"
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		return "", "a program"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "", "a ZIP archive or Office document"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "", "a GIF image"
	}
	return "", ""
}
