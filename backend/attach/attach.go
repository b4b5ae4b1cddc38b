// Package attach keeps uploaded documents (licenses, face sheets,
// certificates, CV, diploma, headshot): checked by content, size-limited,
// stored once under their SHA-256 in a private folder. Images are decoded
// whole when attached (backend/picture), so one the packet could not print
// is refused here, next to its field, and never at export. Only the
// original is stored: the packet draws its own rendition from it.
package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"onramp/backend/picture"
)

// MaxBytes is the largest file accepted.
const MaxBytes = 10 << 20

// Types accepted, by MIME type.
const (
	PDF  = "application/pdf"
	PNG  = picture.PNG
	JPEG = picture.JPEG
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

// Check sniffs and limits content without storing it. An image must
// decode whole and fit the decoding limits.
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
	if typ != PDF {
		if p := imageProblem(picture.Check(data)); p != nil {
			return Info{}, p
		}
	}
	sum := sha256.Sum256(data)
	return Info{Hash: hex.EncodeToString(sum[:]), Name: filepath.Base(name), Size: int64(len(data)), Type: typ}, nil
}

// imageProblem says in plain words why an image cannot be used.
func imageProblem(err error) *Problem {
	var big *picture.TooLargeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &big):
		return &Problem{"image-too-large", fmt.Sprintf("This image is %d × %d pixels, too large to print. Save a smaller copy, at most 4000 pixels on its longer side, and attach that.", big.Width, big.Height)}
	}
	return &Problem{"unreadable-image", "Onramp can't read this image: it may be damaged, cut short, or saved in a form Onramp can't print. Open it in a photo app, save it again as JPEG or PNG, and attach that copy."}
}

// sniff decides the type by content: PDFs by their header and end marker,
// images by their signature (Check then decodes them). It also names
// common impostors.
func sniff(data []byte) (typ, what string) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		tail := data[max(0, len(data)-2048):]
		if bytes.Contains(tail, []byte("%%EOF")) {
			return PDF, ""
		}
		return "", "an incomplete PDF"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, ""
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
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
