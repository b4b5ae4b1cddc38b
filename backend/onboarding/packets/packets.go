// Package packets is the support packet on the provider's side: the
// installation's signing key, the preview and export of the packet made
// from the submitted forms, its upload and email to the network, and
// support's "Open packet…".
package packets

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"onramp/backend/attach"
	"onramp/backend/forms"
	"onramp/backend/onboarding/outmail"
	"onramp/backend/packet"
	"onramp/backend/secret"
	"onramp/backend/store"
	"onramp/backend/version"
)

// Service makes, exports, sends and opens support packets.
type Service struct {
	store   *store.Store
	now     func() time.Time
	secrets *secret.Box
	mail    *outmail.Settings
	files   func() (attach.Dir, error)
	dir     string // the private folder of packets waiting to be sent

	keyMu    sync.Mutex // making the signing key
	packetMu sync.Mutex
	prepared *preparedPacket // the packet last previewed
}

// New builds the service. secrets seals the signing key, mail composes the
// packet email, files is the folder of uploaded documents and dir the
// private folder where exported packets wait to be sent.
func New(st *store.Store, now func() time.Time, secrets *secret.Box, m *outmail.Settings, files func() (attach.Dir, error), dir string) *Service {
	return &Service{store: st, now: now, secrets: secrets, mail: m, files: files, dir: dir}
}

// ErrNoPacketYet means there is nothing to put in a packet yet.
var ErrNoPacketYet = errors.New("submit the Insurance form first: the packet is made from the submitted forms")

// ErrPreviewGone means the previewed packet is no longer the one to export
// (a form was resubmitted since, or the app restarted).
var ErrPreviewGone = errors.New("the forms changed since the preview: preview the packet again")

// SigningKeySecret is where the installation's packet signing key is kept,
// sealed; its mask is the key's fingerprint.
const SigningKeySecret = "packet/signing-key"

// signingKey returns the installation's Ed25519 key, made on first use and
// stored encrypted like the other secrets (its mask is its fingerprint).
func (s *Service) signingKey(ctx context.Context) (ed25519.PrivateKey, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	sealed, _, ok, err := s.store.Secret(ctx, SigningKeySecret)
	if err != nil {
		return nil, err
	}
	if ok {
		seed, err := s.secrets.Open(sealed, SigningKeySecret)
		if err != nil {
			return nil, fmt.Errorf("read the packet signing key: %w", err)
		}
		if len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("the stored packet signing key is damaged")
		}
		return ed25519.NewKeyFromSeed(seed), nil
	}
	key, err := packet.GenerateKey()
	if err != nil {
		return nil, err
	}
	sealed, err = s.secrets.Seal(key.Seed(), SigningKeySecret)
	if err != nil {
		return nil, err
	}
	fp := packet.KeyFingerprint(key.Public().(ed25519.PublicKey))
	if err := s.store.SetSecret(ctx, SigningKeySecret, sealed, fp, s.now()); err != nil {
		return nil, err
	}
	return key, nil
}

// SigningKeyFingerprint is this installation's packet signing key
// fingerprint (support compares it with the one a packet was signed with).
func (s *Service) SigningKeyFingerprint(ctx context.Context) (string, error) {
	key, err := s.signingKey(ctx)
	if err != nil {
		return "", err
	}
	return packet.KeyFingerprint(key.Public().(ed25519.PublicKey)), nil
}

// preparedPacket is a packet made for preview, kept so that the export
// writes exactly what was previewed.
type preparedPacket struct {
	data   packet.Data
	files  map[string][]byte
	hashes string // the submissions it was made from
}

// PacketPreview is the packet about to be exported, page by page.
type PacketPreview struct {
	PacketID       string   `json:"packetId"`
	ProviderName   string   `json:"providerName"`
	Fingerprint    string   `json:"fingerprint"`
	KeyFingerprint string   `json:"keyFingerprint"`
	Pages          []string `json:"pages"` // SVG
	Attachments    int      `json:"attachments"`
}

// PreviewPacket makes the packet from the latest submitted forms and
// returns its pages for the provider to look at before exporting it.
func (s *Service) PreviewPacket(ctx context.Context) (PacketPreview, error) {
	p, err := s.packetData(ctx)
	if err != nil {
		return PacketPreview{}, err
	}
	key, err := s.signingKey(ctx)
	if err != nil {
		return PacketPreview{}, err
	}
	dataJSON := p.data.Encode()
	doc := packet.NewDoc(p.data, dataJSON, key.Public().(ed25519.PublicKey), p.files)
	pages, err := packet.RenderPages(doc)
	if err != nil {
		return PacketPreview{}, err
	}
	s.packetMu.Lock()
	s.prepared = &p
	s.packetMu.Unlock()
	return PacketPreview{PacketID: p.data.PacketID, ProviderName: p.data.Provider.LegalName, Fingerprint: doc.Fingerprint, KeyFingerprint: doc.KeyFingerprint, Pages: pages, Attachments: len(p.data.Attachments)}, nil
}

// ExportPacket writes the previewed packet to path (atomically: a packet
// is never left half-written). progress hears each stage.
func (s *Service) ExportPacket(ctx context.Context, packetID, path string, progress func(stage string)) (packet.Made, error) {
	s.packetMu.Lock()
	p := s.prepared
	s.packetMu.Unlock()
	if p == nil || p.data.PacketID != packetID {
		return packet.Made{}, ErrPreviewGone
	}
	if current, err := s.packetData(ctx); err != nil {
		return packet.Made{}, err
	} else if current.hashes != p.hashes {
		return packet.Made{}, ErrPreviewGone
	}
	key, err := s.signingKey(ctx)
	if err != nil {
		return packet.Made{}, err
	}
	if !strings.HasSuffix(strings.ToLower(path), ".onramp") {
		path += ".onramp"
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".onramp-packet-*")
	if err != nil {
		return packet.Made{}, fmt.Errorf("cannot write in %s: %w", filepath.Dir(path), err)
	}
	defer os.Remove(tmp.Name())
	made, err := packet.Make(tmp, p.data, p.files, key, progress)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return packet.Made{}, err
	}
	if progress != nil {
		progress("check")
	}
	// Read it back through the one reader before calling it done.
	if _, problems := packet.OpenFile(tmp.Name(), packet.Options{}); len(problems) > 0 {
		return packet.Made{}, fmt.Errorf("the packet written does not verify: %s", problems[0].Message)
	}
	// The network gets it too: a private copy, and its upload and email
	// queued, before the file is handed over.
	archive, err := os.ReadFile(tmp.Name())
	if err != nil {
		return packet.Made{}, err
	}
	if err := s.queuePacket(ctx, p.data, made, archive); err != nil {
		return packet.Made{}, fmt.Errorf("queue the packet for the network: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return packet.Made{}, err
	}
	return made, nil
}

// snapshot says which submitted versions a packet is made from, under
// which ID and date. The zero snapshot is a new packet of the latest
// versions, made now (the export).
type snapshot struct {
	packetID  string
	createdAt time.Time
	versions  map[string]int // form ID → submitted version; absent: the latest
}

// packetData gathers the latest submitted forms, the provider and the
// attachments into a new packet's data. Secret and sealed fields are left
// out (packet.WithoutSealed); the SSN travels only as its last four digits.
// Each form holds only what it shows for the provider's license type now:
// a DEA registration or its certificate submitted before they became an
// LCSW is not packed.
func (s *Service) packetData(ctx context.Context) (preparedPacket, error) {
	return s.snapshotData(ctx, snapshot{})
}

// snapshotData is packetData for the versions snap names.
func (s *Service) snapshotData(ctx context.Context, snap snapshot) (preparedPacket, error) {
	a, ok, err := s.store.Account(ctx)
	if err != nil {
		return preparedPacket{}, err
	}
	if !ok {
		return preparedPacket{}, ErrNoPacketYet
	}
	if snap.packetID == "" {
		snap.packetID = newPacketID()
	}
	if snap.createdAt.IsZero() {
		snap.createdAt = s.now()
	}
	d := packet.Data{Format: packet.DataFormat, Version: packet.DataVersion, PacketID: snap.packetID, CreatedAt: snap.createdAt.UTC().Truncate(time.Second),
		AppVersion: version.String(), Provider: packet.Provider{LegalName: a.LegalName, Email: a.Email, LicenseType: a.LicenseType}}
	files := map[string][]byte{}
	var hashes []string
	dir, err := s.files()
	if err != nil {
		return preparedPacket{}, err
	}
	for _, id := range []string{forms.FormGeneral, forms.FormCredentialing} {
		subs, err := s.store.Submissions(ctx, id)
		if err != nil {
			return preparedPacket{}, err
		}
		sub, ok := pick(subs, snap.versions[id])
		if !ok {
			if id == forms.FormCredentialing {
				return preparedPacket{}, ErrNoPacketYet
			}
			continue
		}
		data, err := forms.DecodeData(sub.Data)
		if err != nil {
			return preparedPacket{}, err
		}
		// The version is read with the schema it was submitted in (a version
		// 1 Insurance form keeps its one license upload), and only what that
		// schema shows for the provider's license type goes in.
		schema, _ := forms.SchemaAt(id, sub.SchemaVersion)
		data = forms.Shown(schema, data, forms.Context{Values: map[string]string{
			"$licenseType": d.Provider.LicenseType, "$legalName": a.LegalName}})
		ssnMask := data.Fields["ssn"] // as submitted: "•••-••-" and the last four
		data = packet.WithoutSealed(schema, data)
		// Each file the form refers to, top-level or in a repeating item
		// (each license's own copy); its Field is the path it is at.
		for _, r := range forms.Files(schema, data) {
			rec, ok, err := s.store.Attachment(ctx, r.Hash)
			if err != nil {
				return preparedPacket{}, err
			}
			if !ok {
				forms.SetFile(data, r.Path, "")
				continue
			}
			if _, done := files[r.Hash]; done {
				continue // the same file attached to two fields is packed once
			}
			b, err := dir.Read(r.Hash)
			if err != nil {
				return preparedPacket{}, fmt.Errorf("read the attached %q: %w", rec.Name, err)
			}
			files[r.Hash] = b
			d.Attachments = append(d.Attachments, packet.Attachment{Form: id, Field: r.Path, Name: rec.Name, Type: rec.Type,
				Size: int64(len(b)), SHA256: r.Hash, Path: packet.AttachmentPath(r.Hash, rec.Name)})
		}
		switch id {
		case forms.FormGeneral:
			d.Provider.Credentials = data.Fields["credentials"]
			d.Provider.PracticeName = data.Fields["practiceName"]
			if lt := data.Fields["licenseType"]; lt != "" {
				d.Provider.LicenseType = lt
			}
		case forms.FormCredentialing:
			d.Provider.NPI = data.Fields["npi"]
			if ssnMask == "" { // a version from before masks were submitted
				if _, ssnMask, _, err = s.store.Secret(ctx, forms.SecretName(id, "ssn")); err != nil {
					return preparedPacket{}, err
				}
			}
			d.Provider.SSNLast4 = last4Digits(ssnMask)
		}
		d.Forms = append(d.Forms, packet.Form{ID: id, SchemaVersion: sub.SchemaVersion, Version: sub.Version,
			SubmittedAt: sub.SubmittedAt.UTC(), SHA256: sub.Hash, Data: data})
		hashes = append(hashes, sub.Hash)
	}
	return preparedPacket{data: d, files: files, hashes: strings.Join(hashes, ",")}, nil
}

// last4Digits is the last four characters of an SSN mask when they are
// digits, else "".
func last4Digits(mask string) string {
	if len(mask) < 4 {
		return ""
	}
	last := mask[len(mask)-4:]
	for _, c := range last {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return last
}

// pick is the submitted version wanted (0: the latest) among subs.
func pick(subs []store.Submission, version int) (store.Submission, bool) {
	if version == 0 && len(subs) > 0 {
		return subs[len(subs)-1], true
	}
	for _, sub := range subs {
		if sub.Version == version {
			return sub, true
		}
	}
	return store.Submission{}, false
}

// newPacketID is "PKT-" and eight characters people can read aloud.
func newPacketID() string {
	const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	b := make([]byte, 8)
	rand.Read(b)
	var id bytes.Buffer
	id.WriteString("PKT-")
	for i, c := range b {
		if i == 4 {
			id.WriteByte('-')
		}
		id.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return id.String()
}

// PacketView is an opened packet, for support's read-only view.
type PacketView struct {
	Path           string              `json:"path"`
	Verified       bool                `json:"verified"`
	Problems       []packet.Problem    `json:"problems"`
	PacketID       string              `json:"packetId,omitempty"`
	Fingerprint    string              `json:"fingerprint,omitempty"`
	KeyFingerprint string              `json:"keyFingerprint,omitempty"`
	SignedHere     bool                `json:"signedHere"` // by this installation's key
	CreatedAt      string              `json:"createdAt,omitempty"`
	Provider       *packet.Provider    `json:"provider,omitempty"`
	LicenseLabel   string              `json:"licenseLabel,omitempty"`
	Forms          []PacketFormEntry   `json:"forms"`
	Attachments    []packet.Attachment `json:"attachments"`
	Pages          []string            `json:"pages"` // SVG, drawn from the verified data
}

// PacketFormEntry is one form a packet holds.
type PacketFormEntry struct {
	Title       string `json:"title"`
	Version     int    `json:"version"`
	SubmittedAt string `json:"submittedAt"`
}

// OpenPacket verifies a packet file with the one reader and, when it is
// sound, returns what it holds and its pages. A packet that fails is
// described by its problems only: nothing from it is shown as if true.
func (s *Service) OpenPacket(ctx context.Context, path string) (PacketView, error) {
	v := PacketView{Path: path, Problems: []packet.Problem{}, Forms: []PacketFormEntry{}, Attachments: []packet.Attachment{}, Pages: []string{}}
	p, problems := packet.OpenFile(path, packet.Options{})
	if len(problems) > 0 {
		v.Problems = problems
		return v, nil
	}
	v.Verified = true
	d := p.Data
	v.PacketID, v.Fingerprint, v.KeyFingerprint = d.PacketID, p.Fingerprint, p.SignerFingerprint
	v.CreatedAt = d.CreatedAt.UTC().Format(time.RFC3339)
	v.Provider = &d.Provider
	v.LicenseLabel = forms.LicenseLabel(d.Provider.LicenseType)
	v.Attachments = d.Attachments
	if mine, err := s.SigningKeyFingerprint(ctx); err == nil {
		v.SignedHere = mine == p.SignerFingerprint
	}
	for _, f := range d.Forms {
		schema, _ := forms.SchemaByID(f.ID)
		v.Forms = append(v.Forms, PacketFormEntry{Title: schema.Title, Version: f.Version, SubmittedAt: f.SubmittedAt.UTC().Format(time.RFC3339)})
	}
	files := map[string][]byte{}
	for _, a := range d.Attachments {
		files[a.SHA256] = p.Files[a.Path]
	}
	pub, _ := p.Manifest.PublicKey()
	pages, err := packet.RenderPages(packet.Doc{Data: d, Fingerprint: p.Fingerprint, KeyFingerprint: p.SignerFingerprint, PublicKey: pub, Files: files})
	if err != nil {
		return v, err
	}
	v.Pages = pages
	return v, nil
}

// PacketPDF writes a verified packet's PDF to a private temporary file for
// the system's viewer and returns its path.
func (s *Service) PacketPDF(path string) (string, error) {
	p, problems := packet.OpenFile(path, packet.Options{})
	if len(problems) > 0 {
		return "", fmt.Errorf("the packet does not verify: %s", problems[0].Message)
	}
	dir, err := os.MkdirTemp("", "onramp-packet-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, p.Data.PacketID+".pdf")
	return out, os.WriteFile(out, p.PDF, 0o600)
}
