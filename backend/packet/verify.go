package packet

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"onramp/backend/strictjson"
	"strings"
)

// verify checks the members read against the manifest, the signature and
// data.json, and returns the packet when nothing is wrong.
func (o *opening) verify(opt Options) *Packet {
	m, manifestJSON := o.manifest()
	signer := o.signature(m, manifestJSON, opt)
	d, dataOK := o.data(m)
	o.members(m, d, dataOK)
	if len(o.list) > 0 {
		return nil
	}
	return &Packet{
		Manifest:          *m,
		Data:              d,
		DataJSON:          o.content[DataFile],
		PDF:               o.content[PDFFile],
		Files:             o.content,
		SignerFingerprint: signer,
		Fingerprint:       m.ContentFingerprint,
		verified:          true,
	}
}

// missing reports a member missing, unless it was found and reported already.
func (o *opening) missing(name, why string) {
	if !o.reported(name) {
		o.add(CodeMissingFile, name, "%q is missing%s", name, why)
	}
}

func (o *opening) manifest() (*Manifest, []byte) {
	raw, ok := o.content[ManifestFile]
	if !ok {
		o.missing(ManifestFile, ": without it nothing in the packet can be checked")
		return nil, nil
	}
	m, err := decodeManifest(raw)
	if err != nil {
		o.add(CodeBadManifest, ManifestFile, "manifest.json cannot be used: %v", err)
		return nil, raw
	}
	return &m, raw
}

// decodeManifest reads manifest.json strictly.
func decodeManifest(raw []byte) (Manifest, error) {
	if err := manifestShape.check(raw); err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := strictjson.Decode(raw, &m); errors.Is(err, strictjson.ErrTrailing) {
		return Manifest{}, errors.New("it has more after the JSON")
	} else if err != nil {
		return Manifest{}, err
	}
	switch {
	case m.Format != ManifestFormat:
		return Manifest{}, fmt.Errorf("its format is %q, not %q", m.Format, ManifestFormat)
	case m.Version != ManifestVersion:
		return Manifest{}, fmt.Errorf("its version %d is not supported (this tool reads version %d)", m.Version, ManifestVersion)
	case m.PacketID == "":
		return Manifest{}, errors.New("it has no packet ID")
	case !validHash(m.ContentFingerprint):
		return Manifest{}, errors.New("its content fingerprint is not a SHA-256 in lowercase hex")
	case len(m.Files) > MaxFiles:
		return Manifest{}, fmt.Errorf("it lists %d files; a packet has at most %d", len(m.Files), MaxFiles)
	}
	pub, err := m.PublicKey()
	if err != nil {
		return Manifest{}, err
	}
	if m.Signer.Fingerprint != KeyFingerprint(pub) {
		return Manifest{}, errors.New("the signer's fingerprint does not match the signer's public key")
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		lower := strings.ToLower(f.Path)
		switch {
		case pathProblem(f.Path) != "":
			return Manifest{}, fmt.Errorf("it lists %q, which %s", f.Path, pathProblem(f.Path))
		case f.Path == ManifestFile || f.Path == SignatureFile:
			return Manifest{}, fmt.Errorf("it lists %s, which it cannot hash", f.Path)
		case seen[lower]:
			return Manifest{}, fmt.Errorf("it lists %q twice", f.Path)
		case !validHash(f.SHA256):
			return Manifest{}, fmt.Errorf("the SHA-256 of %q is not 64 lowercase hex digits", f.Path)
		case f.Size < 0:
			return Manifest{}, fmt.Errorf("the size of %q is negative", f.Path)
		}
		seen[lower] = true
	}
	return m, nil
}

// PublicKey decodes the signer's public key.
func (m Manifest) PublicKey() (ed25519.PublicKey, error) {
	pub, err := base64.StdEncoding.Strict().DecodeString(m.Signer.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return nil, errors.New("the signer's public key is not an Ed25519 key in base64")
	}
	return ed25519.PublicKey(pub), nil
}

// signature checks manifest.sig over the exact bytes of manifest.json, and
// the signer against opt.Trusted. It returns the signer's fingerprint.
func (o *opening) signature(m *Manifest, manifestJSON []byte, opt Options) string {
	raw, ok := o.content[SignatureFile]
	if !ok {
		o.missing(SignatureFile, ": without it no one can tell who made the packet or whether it was changed")
	}
	if m == nil {
		return ""
	}
	pub, _ := m.PublicKey() // decodeManifest checked it
	if ok {
		sig, err := base64.StdEncoding.Strict().DecodeString(strings.TrimSpace(string(raw)))
		switch {
		case err != nil || len(sig) != ed25519.SignatureSize:
			o.add(CodeBadSignature, SignatureFile, "manifest.sig is not an Ed25519 signature in base64")
		case !ed25519.Verify(pub, manifestJSON, sig):
			o.add(CodeBadSignature, SignatureFile,
				"the signature does not match manifest.json: the packet was changed after it was signed, or the signature is not from key %s",
				ShortFingerprint(m.Signer.Fingerprint))
		}
	}
	if len(opt.Trusted) > 0 && !trusted(m.Signer.Fingerprint, opt.Trusted) {
		o.add(CodeUntrustedKey, SignatureFile, "the packet is signed by key %s, which is not one of the trusted keys", ShortFingerprint(m.Signer.Fingerprint))
	}
	return m.Signer.Fingerprint
}

func trusted(fp string, list []string) bool {
	for _, t := range list {
		if n, ok := NormalizeKeyFingerprint(t); ok && n == fp {
			return true
		}
	}
	return false
}

func (o *opening) data(m *Manifest) (Data, bool) {
	raw, ok := o.content[DataFile]
	if !ok {
		return Data{}, false // reported as missing by members
	}
	if err := dataShape.check(raw); err != nil {
		o.add(CodeBadData, DataFile, "data.json cannot be read: %v", err)
		return Data{}, false
	}
	d, err := DecodeData(raw)
	if err != nil {
		o.add(CodeBadData, DataFile, "data.json cannot be read: %v", err)
		return Data{}, false
	}
	if len(d.Attachments) > maxAttachments {
		// Each attachment is checked against the archive and the manifest:
		// more than a packet can hold would only be work.
		o.add(CodeBadData, DataFile, "data.json lists %d attachments; a packet holds at most %d", len(d.Attachments), maxAttachments)
		return Data{}, false
	}
	if m == nil {
		return d, true
	}
	if d.PacketID != m.PacketID {
		o.add(CodeBadData, DataFile, "data.json is for packet %q, but the manifest is for packet %q", d.PacketID, m.PacketID)
	}
	if !d.CreatedAt.Equal(m.CreatedAt) {
		o.add(CodeBadData, DataFile, "data.json was created %s, but the manifest says %s", d.CreatedAt.Format("2006-01-02 15:04:05Z07:00"), m.CreatedAt.Format("2006-01-02 15:04:05Z07:00"))
	}
	if o.sha256(DataFile) != m.ContentFingerprint { // Fingerprint(raw), hashed once for members too
		o.add(CodeBadData, DataFile, "data.json does not match the content fingerprint in the manifest")
	}
	return d, true
}

// members checks that the archive holds exactly the packet's files: those
// the manifest lists, which are data.json, packet.pdf and the attachments
// data.json lists, each with the size and SHA-256 the manifest and
// data.json give.
func (o *opening) members(m *Manifest, d Data, dataOK bool) {
	expected := []ManifestEntry{{Path: DataFile}, {Path: PDFFile}}
	if m != nil {
		expected = m.Files
		o.listed(m, d, dataOK)
	} else if dataOK {
		for _, a := range d.Attachments {
			expected = append(expected, ManifestEntry{Path: a.Path})
		}
	}
	want := map[string]bool{ManifestFile: true, SignatureFile: true}
	for _, f := range expected {
		want[f.Path] = true
	}
	for _, name := range o.order {
		if !want[name] && (m != nil || dataOK) {
			o.add(CodeExtraFile, name, "%q is in the archive but not listed in the manifest", name)
		}
	}
	for _, f := range expected {
		b, ok := o.content[f.Path]
		switch {
		case !ok:
			o.missing(f.Path, "")
		case m == nil:
		case int64(len(b)) != f.Size:
			o.add(CodeSizeMismatch, f.Path, "%q is %d bytes, but the manifest says %d", f.Path, len(b), f.Size)
		case o.sha256(f.Path) != f.SHA256:
			o.add(CodeHashMismatch, f.Path, "%q was changed: its SHA-256 does not match the manifest", f.Path)
		}
	}
	if dataOK {
		o.attachments(d)
	}
}

// listed checks the manifest lists the packet's files and nothing else.
func (o *opening) listed(m *Manifest, d Data, dataOK bool) {
	inManifest := make(map[string]bool, len(m.Files))
	for _, f := range m.Files {
		inManifest[f.Path] = true
	}
	lists := func(path string) bool { return inManifest[path] }
	for _, required := range []string{DataFile, PDFFile} {
		if !lists(required) {
			o.add(CodeBadManifest, ManifestFile, "the manifest does not list %s", required)
		}
	}
	if !dataOK {
		return
	}
	part := map[string]bool{DataFile: true, PDFFile: true}
	for _, a := range d.Attachments {
		part[a.Path] = true
		if !lists(a.Path) {
			o.add(CodeBadManifest, ManifestFile, "the manifest does not list the attachment %q that data.json lists", a.Path)
		}
	}
	for _, f := range m.Files {
		if !part[f.Path] {
			o.add(CodeExtraFile, f.Path, "%q is listed in the manifest but is not part of the packet: data.json does not list it", f.Path)
		}
	}
}

// attachments checks each attachment against its entry in data.json.
func (o *opening) attachments(d Data) {
	for _, a := range d.Attachments {
		b, ok := o.content[a.Path]
		switch {
		case !ok:
			o.missing(a.Path, "")
		case o.reported(a.Path):
		case int64(len(b)) != a.Size:
			o.add(CodeSizeMismatch, a.Path, "%q is %d bytes, but data.json says %d", a.Path, len(b), a.Size)
		case o.sha256(a.Path) != a.SHA256:
			o.add(CodeHashMismatch, a.Path, "%q does not match its SHA-256 in data.json", a.Path)
		}
	}
}

// sha256 hashes a member read from the archive once, however many lists
// name it.
func (o *opening) sha256(name string) string {
	if h, ok := o.hashes[name]; ok {
		return h
	}
	if o.hashes == nil {
		o.hashes = map[string]string{}
	}
	h := sha256Hex(o.content[name])
	o.hashes[name] = h
	return h
}

// The shapes of the JSON members. A manifest lists at most MaxFiles files
// of three fields, two levels down. The largest data.json the forms allow,
// every repeating section at its most and every attachment a packet can
// hold, has about 20,000 values seven levels down
// (TestShapesFitTheLargestPacket); the limit leaves three times that.
var (
	manifestShape = jsonShape{maxDepth: 3, maxValues: 8*MaxFiles + 64}
	dataShape     = jsonShape{maxDepth: 8, maxValues: 64 << 10}
)

// jsonShape bounds a JSON member's structure before encoding/json sees it.
// The decoder allocates for every value before any check of ours runs: a
// data.json of 4 MB of "[{},{},…]", 40 KB once deflated, cost 3 s and
// 800 MB. Counting the characters that open or separate values, outside
// strings, bounds the number of values in one linear pass.
type jsonShape struct {
	maxDepth  int // objects and arrays inside one another
	maxValues int // '{', '[', ',' and ':' outside strings: every value but the first follows one
}

// check says what is wrong with raw's shape, or returns nil. It does not
// check the syntax: the decoder does that.
func (s jsonShape) check(raw []byte) error {
	depth, values := 0, 0
	inString, escaped := false, false
	for _, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			values++
			if depth > s.maxDepth {
				return fmt.Errorf("it nests more than %d levels deep", s.maxDepth)
			}
		case c == '}' || c == ']':
			depth--
		case c == ',' || c == ':':
			values++
		}
		if values > s.maxValues {
			return fmt.Errorf("it holds more than %d values, far more than a packet needs", s.maxValues)
		}
	}
	return nil
}
