package packet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// The fixed members of a packet archive. Attachments are stored at their
// Attachment.Path, under "attachments/".
const (
	ManifestFile  = "manifest.json"
	SignatureFile = "manifest.sig"
	DataFile      = "data.json"
	PDFFile       = "packet.pdf"
)

// Manifest is manifest.json: what the archive holds, signed as a whole by
// manifest.sig.
type Manifest struct {
	Format             string          `json:"format"`
	Version            int             `json:"version"`
	PacketID           string          `json:"packetId"`
	CreatedAt          time.Time       `json:"createdAt"`
	ContentFingerprint string          `json:"contentFingerprint"` // Fingerprint(data.json)
	Signer             Signer          `json:"signer"`
	Files              []ManifestEntry `json:"files"` // every member but manifest.json and manifest.sig, by path
}

// Signer is the installation key that signed the manifest.
type Signer struct {
	PublicKey   string `json:"publicKey"`   // 32 bytes, standard base64
	Fingerprint string `json:"fingerprint"` // KeyFingerprint
}

// ManifestEntry is one member of the archive as the manifest lists it.
type ManifestEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Contents is what goes into a packet besides the manifest and signature.
type Contents struct {
	DataJSON    []byte
	PDF         []byte
	Attachments map[string][]byte // by archive path (Attachment.Path)
}

// ErrContents means the contents given to Write do not match data.json.
var ErrContents = errors.New("the packet contents do not match data.json")

// Write writes a signed packet archive. Equal input gives equal bytes: the
// members are in a fixed order and dated Data.CreatedAt.
func Write(w io.Writer, in Contents, key ed25519.PrivateKey) error {
	if len(key) != ed25519.PrivateKeySize {
		return fmt.Errorf("%w: the signing key has the wrong length", ErrBadKey)
	}
	d, err := DecodeData(in.DataJSON)
	if err != nil {
		return err
	}
	if len(in.PDF) == 0 {
		return fmt.Errorf("%w: the PDF is empty", ErrContents)
	}
	if err := checkAttachments(d, in.Attachments); err != nil {
		return err
	}
	members := map[string][]byte{DataFile: in.DataJSON, PDFFile: in.PDF}
	var total int64
	for path, b := range in.Attachments {
		members[path] = b
	}
	for _, b := range members {
		total += int64(len(b))
	}
	if total > MaxUnpackedBytes || len(members)+2 > MaxFiles {
		return fmt.Errorf("%w: %d files of %s in all is over the packet limits (%d files, %s)",
			ErrContents, len(members), megabytes(uint64(total)), MaxFiles, megabytes(MaxUnpackedBytes))
	}

	pub := key.Public().(ed25519.PublicKey)
	manifest := newManifest(d, Fingerprint(in.DataJSON), pub, members)
	manifestJSON, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the manifest: %w", err)
	}
	manifestJSON = append(manifestJSON, '\n')
	signature := []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(key, manifestJSON)))

	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.DefaultCompression)
	})
	order := []string{ManifestFile, SignatureFile, DataFile, PDFFile}
	members[ManifestFile], members[SignatureFile] = manifestJSON, signature
	order = append(order, sortedAttachments(in.Attachments)...)
	for _, name := range order {
		if err := addMember(zw, name, members[name], d.CreatedAt); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("writing the packet archive: %w", err)
	}
	return nil
}

// checkAttachments reports every listed attachment not given, or given with
// other bytes, and every given file that is not listed.
func checkAttachments(d Data, given map[string][]byte) error {
	var errs []error
	listed := map[string]bool{}
	for _, a := range d.Attachments {
		listed[a.Path] = true
		b, ok := given[a.Path]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%w: attachment %q (%s) is not given", ErrContents, a.Name, a.Path))
		case int64(len(b)) != a.Size:
			errs = append(errs, fmt.Errorf("%w: attachment %q is %d bytes, but data.json says %d", ErrContents, a.Name, len(b), a.Size))
		case sha256Hex(b) != a.SHA256:
			errs = append(errs, fmt.Errorf("%w: attachment %q does not match its SHA-256 in data.json", ErrContents, a.Name))
		}
	}
	for _, path := range sortedAttachments(given) {
		if !listed[path] {
			errs = append(errs, fmt.Errorf("%w: %q is given, but data.json lists no attachment at that path", ErrContents, path))
		}
	}
	return errors.Join(errs...)
}

func newManifest(d Data, fingerprint string, pub ed25519.PublicKey, members map[string][]byte) Manifest {
	m := Manifest{
		Format:             ManifestFormat,
		Version:            ManifestVersion,
		PacketID:           d.PacketID,
		CreatedAt:          d.CreatedAt,
		ContentFingerprint: fingerprint,
		Signer:             Signer{PublicKey: base64.StdEncoding.EncodeToString(pub), Fingerprint: KeyFingerprint(pub)},
	}
	for path, b := range members {
		m.Files = append(m.Files, ManifestEntry{Path: path, Size: int64(len(b)), SHA256: sha256Hex(b)})
	}
	slices.SortFunc(m.Files, func(a, b ManifestEntry) int { return strings.Compare(a.Path, b.Path) })
	return m
}

func addMember(zw *zip.Writer, name string, data []byte, modified time.Time) error {
	fh := &zip.FileHeader{Name: name, Method: method(name, data)}
	if !modified.IsZero() {
		fh.Modified = modified.UTC()
	}
	fh.SetMode(0o644)
	f, err := zw.CreateHeader(fh)
	if err != nil {
		return fmt.Errorf("writing %s into the packet: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s into the packet: %w", name, err)
	}
	return nil
}

// method deflates the JSON and the signature. The PDF and the attachments
// are stored as they are: they are compressed already, and storing them
// keeps their bytes findable in the archive. JSON that would deflate past
// MaxRatio is stored too, or the reader would take it for a zip bomb.
func method(name string, data []byte) uint16 {
	if name != ManifestFile && name != SignatureFile && name != DataFile {
		return zip.Store
	}
	if len(data) >= ratioFloor && float64(len(data)) > MaxRatio*float64(deflatedSize(data)) {
		return zip.Store
	}
	return zip.Deflate
}

func deflatedSize(data []byte) int {
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.DefaultCompression)
	fw.Write(data)
	fw.Close()
	return out.Len()
}

func sortedAttachments(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
