package packet

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// smallArchive is testArchive without its large attachment, signed with
// key: the fuzzer works on small inputs.
func smallArchive(t testing.TB, key ed25519.PrivateKey) []byte {
	c := testContents(t)
	d, _ := DecodeData(c.DataJSON)
	d.Attachments = slices.DeleteFunc(d.Attachments, func(a Attachment) bool {
		if a.Size > 1<<10 {
			delete(c.Attachments, a.Path)
			return true
		}
		return false
	})
	c.DataJSON = d.Encode()
	var buf bytes.Buffer
	if err := Write(&buf, c, key); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzOpen(f *testing.F) {
	// A fixed key, so that every process (the coordinator and each worker)
	// has the same seeds and a failing seed can be run again.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	ms := unpack(f, smallArchive(f, key))
	valid := pack(f, ms)
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(pack(f, append(slices.Clone(ms), member{name: "../evil", data: []byte("x")})))
	f.Add(pack(f, append(slices.Clone(ms), member{name: DataFile, data: find(ms, DataFile)})))
	f.Add(pack(f, append(slices.Clone(ms), member{name: "l", data: []byte("/"), mode: fs.ModeSymlink | 0o777})))
	f.Add(pack(f, replacedRaw(ms, PDFFile, deflated(make([]byte, 1<<16)), zip.Deflate, 10)))
	f.Add(pack(f, manyFiles(3)))
	// Small cousins of hostileArchives, so the fuzzer starts inside the
	// checks that bound Open's work.
	shared := storedEntry(PDFFile, []byte("%PDF-1.4 shared"))
	again := shared
	again.name, again.data, again.packed, again.shares = "attachments/again", nil, uint64(len(shared.data)), 1
	f.Add(rawZip([]rawEntry{shared, again}))
	f.Add(rawZip([]rawEntry{{name: PDFFile, method: zip.Deflate, data: zeroStream(1 << 16), crc: zeroCRC(1 << 16), size: 1 << 16, packed: 1 << 12}}))
	f.Add(pack(f, replaced(ms, DataFile, []byte(dataHead+`"attachments":[[[[[[[[[]]]]]]]]]}`))))
	f.Add(pack(f, replaced(ms, ManifestFile, []byte(`{"files":[{"path":[[]]}]}`))))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, problems := open(b, Options{})
		if (p == nil) == (len(problems) == 0) {
			t.Fatalf("packet %v with problems %v", p != nil, problems)
		}
		for _, pr := range problems {
			if pr.Code == "" || pr.Message == "" {
				t.Fatalf("problem without a code or message: %+v", pr)
			}
		}
		if p != nil {
			reverify(t, p)
			if again, problems := open(b, Options{Trusted: []string{p.SignerFingerprint}}); again == nil {
				t.Fatalf("accepted once, then refused: %v", problems)
			}
		}
	})
}

// reverify checks an accepted packet without the reader's code paths.
func reverify(t *testing.T, p *Packet) {
	t.Helper()
	pub, err := p.Manifest.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(p.Files[SignatureFile])))
	if err != nil || !ed25519.Verify(pub, p.Files[ManifestFile], sig) {
		t.Fatal("accepted a packet whose signature does not verify")
	}
	if len(p.Files) != len(p.Manifest.Files)+2 {
		t.Fatalf("%d files, %d listed", len(p.Files), len(p.Manifest.Files))
	}
	for _, f := range p.Manifest.Files {
		if b, ok := p.Files[f.Path]; !ok || sha256Hex(b) != f.SHA256 || int64(len(b)) != f.Size {
			t.Fatalf("accepted %s not matching the manifest", f.Path)
		}
	}
	if Fingerprint(p.DataJSON) != p.Manifest.ContentFingerprint || p.Fingerprint != p.Manifest.ContentFingerprint {
		t.Fatal("accepted data.json not matching the content fingerprint")
	}
}
