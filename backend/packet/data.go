// Package packet makes and reads the support packet: the credentialing
// packet PDF, the submitted forms as versioned JSON, the attachments, and a
// manifest of their SHA-256 hashes signed with the installation's Ed25519
// key. One reader (Open) checks every packet, wherever it is read.
package packet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"onramp/backend/forms"
	"onramp/backend/strictjson"
)

// Formats and versions written into data.json and manifest.json. data.json
// version 2 added appVersion; version 1 is still read (a reader refuses
// unknown fields, so a new field needs a new version: an older reader then
// says the version is not supported rather than naming a field).
const (
	DataFormat      = "onramp-packet-data"
	DataVersion     = 2
	ManifestFormat  = "onramp-packet"
	ManifestVersion = 1
)

// Data is data.json: the provider and the submitted forms, as exported.
// Secret fields never appear: the CAQH password is left out, the SSN is
// reduced to its last four digits (SSNLast4).
type Data struct {
	Format      string       `json:"format"`
	Version     int          `json:"version"`
	PacketID    string       `json:"packetId"`
	CreatedAt   time.Time    `json:"createdAt"`
	AppVersion  string       `json:"appVersion,omitempty"` // the Onramp that made it; version 2 on
	Provider    Provider     `json:"provider"`
	Forms       []Form       `json:"forms"`
	Attachments []Attachment `json:"attachments"`
}

// Provider is who the packet is about.
type Provider struct {
	LegalName    string `json:"legalName"`
	Credentials  string `json:"credentials"`
	LicenseType  string `json:"licenseType"` // forms.LicenseType value
	NPI          string `json:"npi"`
	Email        string `json:"email"`
	PracticeName string `json:"practiceName,omitempty"`
	SSNLast4     string `json:"ssnLast4,omitempty"`
}

// Form is one submitted version of a long form.
type Form struct {
	ID            string     `json:"id"` // forms.FormGeneral, forms.FormCredentialing
	SchemaVersion int        `json:"schemaVersion"`
	Version       int        `json:"version"` // submission number
	SubmittedAt   time.Time  `json:"submittedAt"`
	SHA256        string     `json:"sha256"` // of the submitted data as stored
	Data          forms.Data `json:"data"`
}

// Attachment is one uploaded document, stored in the archive at Path.
type Attachment struct {
	Form   string `json:"form"`
	Field  string `json:"field"`
	Name   string `json:"name"` // as the provider chose it
	Type   string `json:"type"` // MIME type found by content
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Path   string `json:"path"` // "attachments/<sha256 prefix>-<safe name>"
}

// maxAppVersion bounds appVersion as the intake server bounds the app's
// version report.
const maxAppVersion = 64

// ErrBadData means data.json could not be read.
var ErrBadData = errors.New("the packet data is not valid")

// MaxDataBytes bounds data.json: the two forms at forms.MaxDataBytes each,
// the attachment list and the provider fit with room to spare (the largest
// valid packet's is about 2.2 MiB). Decoding it is most of what opening a
// packet costs, so the bound is kept close.
const MaxDataBytes = 3 << 20

// Encode writes data.json (indented, stable field order).
func (d Data) Encode() []byte {
	raw, _ := json.MarshalIndent(d, "", "  ")
	return append(raw, '\n')
}

// Fingerprint is the packet's content fingerprint: the SHA-256 of data.json.
func Fingerprint(dataJSON []byte) string {
	sum := sha256.Sum256(dataJSON)
	return hex.EncodeToString(sum[:])
}

// ShortFingerprint groups the first 16 bytes of a hex fingerprint for
// people to read and compare: "3f2a 9c01 …".
func ShortFingerprint(hexfp string) string {
	if len(hexfp) > 32 {
		hexfp = hexfp[:32]
	}
	var b bytes.Buffer
	for i := 0; i < len(hexfp); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		end := min(i+4, len(hexfp))
		b.WriteString(hexfp[i:end])
	}
	return b.String()
}

// DecodeData reads data.json strictly and checks what the renderer relies on.
func DecodeData(raw []byte) (Data, error) {
	if len(raw) > MaxDataBytes {
		return Data{}, fmt.Errorf("%w: %d bytes is over the limit", ErrBadData, len(raw))
	}
	var d Data
	if err := strictjson.Decode(raw, &d); err != nil {
		return Data{}, fmt.Errorf("%w: %w", ErrBadData, err)
	}
	if d.Format != DataFormat {
		return Data{}, fmt.Errorf("%w: format is %q, not %q", ErrBadData, d.Format, DataFormat)
	}
	if d.Version < 1 || d.Version > DataVersion {
		return Data{}, fmt.Errorf("%w: version %d is not supported (this tool reads versions 1 to %d)", ErrBadData, d.Version, DataVersion)
	}
	if d.Version == 1 && d.AppVersion != "" {
		return Data{}, fmt.Errorf("%w: appVersion is not part of version 1", ErrBadData)
	}
	if len(d.AppVersion) > maxAppVersion || strings.ContainsFunc(d.AppVersion, unicode.IsSpace) {
		return Data{}, fmt.Errorf("%w: appVersion must be at most %d characters, without spaces", ErrBadData, maxAppVersion)
	}
	if d.PacketID == "" || d.Provider.LegalName == "" {
		return Data{}, fmt.Errorf("%w: the packet ID and the provider's legal name are required", ErrBadData)
	}
	seen := map[string]bool{}
	for i, f := range d.Forms {
		if _, ok := forms.SchemaByID(f.ID); !ok {
			return Data{}, fmt.Errorf("%w: form %d has unknown ID %q", ErrBadData, i+1, f.ID)
		}
		if seen[f.ID] {
			return Data{}, fmt.Errorf("%w: form %q appears twice", ErrBadData, f.ID)
		}
		seen[f.ID] = true
		if n := len(f.Data.Encode()); n > forms.MaxDataBytes {
			return Data{}, fmt.Errorf("%w: form %q: %d bytes is over the limit", ErrBadData, f.ID, n)
		}
		checked, err := f.Data.Checked()
		if err != nil {
			return Data{}, fmt.Errorf("%w: form %q: %w", ErrBadData, f.ID, err)
		}
		d.Forms[i].Data = checked
	}
	paths := map[string]bool{}
	for i, a := range d.Attachments {
		if !validHash(a.SHA256) {
			return Data{}, fmt.Errorf("%w: attachment %d has no valid SHA-256", ErrBadData, i+1)
		}
		if a.Path != AttachmentPath(a.SHA256, a.Name) {
			return Data{}, fmt.Errorf("%w: attachment %d path %q should be %q", ErrBadData, i+1, a.Path, AttachmentPath(a.SHA256, a.Name))
		}
		if paths[a.Path] {
			return Data{}, fmt.Errorf("%w: attachment %q appears twice", ErrBadData, a.Path)
		}
		paths[a.Path] = true
	}
	return d, nil
}

// Form returns the packet's submitted version of a form, if it has one.
func (d Data) Form(id string) (Form, bool) {
	for _, f := range d.Forms {
		if f.ID == id {
			return f, true
		}
	}
	return Form{}, false
}

func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && s == lowerHex(s)
}

func lowerHex(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// AttachmentPath is where an attachment is stored in the archive: a hash
// prefix (so equal names never collide) and the name reduced to safe
// characters.
func AttachmentPath(sha, name string) string {
	safe := make([]rune, 0, len(name))
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			safe = append(safe, r)
		default:
			safe = append(safe, '_')
		}
	}
	s := string(safe)
	for len(s) > 0 && s[0] == '.' {
		s = s[1:]
	}
	if len(s) > 80 {
		s = s[len(s)-80:]
	}
	if s == "" {
		s = "file"
	}
	p := sha
	if len(p) > 12 {
		p = p[:12]
	}
	return "attachments/" + p + "-" + s
}
