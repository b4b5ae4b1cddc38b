package packet

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
)

var testCreated = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// testContents is a small packet: one form, a small attachment and one
// over 64 KiB of incompressible bytes.
func testContents(t testing.TB) Contents {
	t.Helper()
	form := forms.Data{
		Fields: map[string]string{"legalName": "Zoë Łukasiewicz", "credentials": "LCSW"},
		Groups: map[string][]map[string]string{},
	}
	small := []byte("\x89PNG\r\n\x1a\n not really a picture")
	big := make([]byte, 100<<10)
	r := mrand.New(mrand.NewChaCha8([32]byte{1}))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	d := Data{
		Format: DataFormat, Version: DataVersion, PacketID: "pk-test-1", CreatedAt: testCreated,
		Provider: Provider{LegalName: "Zoë Łukasiewicz", Credentials: "LCSW", LicenseType: "lcsw", NPI: "1234567893", Email: "zoe@example.org"},
		Forms:    []Form{{ID: forms.FormGeneral, SchemaVersion: 1, Version: 2, SubmittedAt: testCreated.Add(-time.Hour), SHA256: form.Hash(), Data: form}},
	}
	files := map[string][]byte{}
	for i, b := range [][]byte{small, big} {
		name := []string{"license.png", "malpractice scan.pdf"}[i]
		sha := sha256Hex(b)
		a := Attachment{Form: forms.FormCredentialing, Field: "licenseCopy", Name: name, Type: "image/png", Size: int64(len(b)), SHA256: sha, Path: AttachmentPath(sha, name)}
		d.Attachments = append(d.Attachments, a)
		files[a.Path] = b
	}
	return Contents{DataJSON: d.Encode(), PDF: []byte("%PDF-1.4 test"), Attachments: files}
}

func testKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testArchive writes testContents signed by key.
func testArchive(t testing.TB, key ed25519.PrivateKey) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, testContents(t), key); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteThenOpen(t *testing.T) {
	key := testKey(t)
	in := testContents(t)
	archive := testArchive(t, key)

	p, problems := Open(bytes.NewReader(archive), int64(len(archive)), Options{})
	if len(problems) > 0 {
		t.Fatalf("a fresh packet has problems: %v", problems)
	}
	pub := key.Public().(ed25519.PublicKey)
	if p.SignerFingerprint != KeyFingerprint(pub) || p.Fingerprint != Fingerprint(in.DataJSON) {
		t.Errorf("fingerprints: signer %s content %s", p.SignerFingerprint, p.Fingerprint)
	}
	if !bytes.Equal(p.DataJSON, in.DataJSON) || !bytes.Equal(p.PDF, in.PDF) || p.Data.Provider.LegalName != "Zoë Łukasiewicz" {
		t.Error("data.json or the PDF did not come back as written")
	}
	for path, b := range in.Attachments {
		if !bytes.Equal(p.Files[path], b) {
			t.Errorf("%s did not come back as written", path)
		}
	}
	if len(p.Files) != 4+len(in.Attachments) || len(p.Manifest.Files) != 2+len(in.Attachments) {
		t.Errorf("%d files, %d in the manifest", len(p.Files), len(p.Manifest.Files))
	}
	for i := 1; i < len(p.Manifest.Files); i++ {
		if p.Manifest.Files[i-1].Path >= p.Manifest.Files[i].Path {
			t.Errorf("manifest files out of order: %v", p.Manifest.Files)
		}
	}
	trusted := Options{Trusted: []string{strings.ToUpper(ShortFingerprint(p.SignerFingerprint[:32]) + p.SignerFingerprint[32:])}}
	if _, problems := Open(bytes.NewReader(archive), int64(len(archive)), trusted); len(problems) > 0 {
		t.Errorf("trusted signer, as people copy it, refused: %v", problems)
	}

	if again := testArchive(t, key); !bytes.Equal(archive, again) {
		t.Error("equal input gave different archives")
	}
}

func TestArchiveLayout(t *testing.T) {
	archive := testArchive(t, testKey(t))
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		want := zip.Store
		if strings.HasSuffix(f.Name, ".json") || f.Name == SignatureFile {
			want = zip.Deflate
		}
		if f.Method != want {
			t.Errorf("%s: method %d, want %d", f.Name, f.Method, want)
		}
		if !f.Modified.Equal(testCreated) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, testCreated)
		}
		if f.Mode() != 0o644 {
			t.Errorf("%s: mode %v", f.Name, f.Mode())
		}
	}
	got := strings.Join(names, " ")
	if !strings.HasPrefix(got, "manifest.json manifest.sig data.json packet.pdf attachments/") || len(names) != 6 {
		t.Errorf("members: %s", got)
	}
}

func TestWriteRefusesMismatchedContents(t *testing.T) {
	key := testKey(t)
	good := testContents(t)
	paths := sortedAttachments(good.Attachments)
	tests := []struct {
		name   string
		change func(c *Contents)
		want   string
	}{
		{"attachment not given", func(c *Contents) { delete(c.Attachments, paths[0]) }, "is not given"},
		{"wrong size", func(c *Contents) { c.Attachments[paths[0]] = append(c.Attachments[paths[0]], 0) }, "bytes, but data.json says"},
		{"wrong bytes", func(c *Contents) {
			c.Attachments[paths[1]] = bytes.Clone(c.Attachments[paths[1]])
			c.Attachments[paths[1]][0]++
		}, "does not match its SHA-256"},
		{"unlisted file", func(c *Contents) { c.Attachments["attachments/extra.txt"] = []byte("x") }, `"attachments/extra.txt" is given`},
		{"no PDF", func(c *Contents) { c.PDF = nil }, "PDF is empty"},
		{"bad data.json", func(c *Contents) { c.DataJSON = []byte(`{"format":"other"}`) }, "packet data is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testContents(t)
			tt.change(&c)
			err := Write(io.Discard, c, key)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
	if err := Write(io.Discard, good, key[:10]); !errors.Is(err, ErrBadKey) {
		t.Errorf("short key: %v", err)
	}
}

func TestWriteStoresJSONThatWouldLookLikeABomb(t *testing.T) {
	c := testContents(t)
	d, _ := DecodeData(c.DataJSON)
	d.Provider.PracticeName = strings.Repeat("a", 1<<20)
	c.DataJSON = d.Encode()
	var buf bytes.Buffer
	if err := Write(&buf, c, testKey(t)); err != nil {
		t.Fatal(err)
	}
	if _, problems := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{}); len(problems) > 0 {
		t.Errorf("a packet Write made is refused: %v", problems)
	}
}

func TestKeyFile(t *testing.T) {
	key := testKey(t)
	raw := MarshalPrivateKey(key)
	if !bytes.HasPrefix(raw, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Errorf("key file starts %q", raw[:30])
	}
	back, err := ParsePrivateKey(raw)
	if err != nil || !back.Equal(key) {
		t.Fatalf("round trip: %v", err)
	}
	if fp := KeyFingerprint(key.Public().(ed25519.PublicKey)); !validHash(fp) {
		t.Errorf("fingerprint %q", fp)
	}

	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	bad := map[string][]byte{
		"not PEM":        []byte("hello"),
		"a certificate":  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}),
		"damaged":        pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: []byte{1, 2, 3}}),
		"an ECDSA key":   pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: ecDER}),
		"two keys glued": append(bytes.Clone(raw), raw...),
	}
	for name, b := range bad {
		if _, err := ParsePrivateKey(b); !errors.Is(err, ErrBadKey) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// member is one entry of a test archive.
type member struct {
	name string
	data []byte          // unpacked, or packed when raw is set
	mode fs.FileMode     // 0 for a plain file
	raw  *zip.FileHeader // when set, written as is with CreateRaw
}

// unpack lists an archive's members in order.
func unpack(t testing.TB, archive []byte) []member {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	var out []member
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, member{name: f.Name, data: b})
	}
	return out
}

// pack builds an archive, hostile or not, from members.
func pack(t testing.TB, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		var w io.Writer
		var err error
		if m.raw != nil {
			w, err = zw.CreateRaw(m.raw)
		} else {
			fh := &zip.FileHeader{Name: m.name, Method: zip.Deflate}
			if m.mode != 0 {
				fh.SetMode(m.mode)
			}
			w, err = zw.CreateHeader(fh)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func replaced(ms []member, name string, data []byte) []member {
	out := make([]member, 0, len(ms))
	for _, m := range ms {
		if m.name == name {
			m.data = data
		}
		out = append(out, m)
	}
	return out
}

func without(ms []member, name string) []member {
	var out []member
	for _, m := range ms {
		if m.name != name {
			out = append(out, m)
		}
	}
	return out
}

func find(ms []member, name string) []byte {
	for _, m := range ms {
		if m.name == name {
			return m.data
		}
	}
	return nil
}
