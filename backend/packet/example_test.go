package packet

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

const examplesDir = "../../docs/examples"

// exampleDoc is docs/examples/provider.json with its attachment files.
func exampleDoc(t testing.TB) Doc {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(examplesDir, "provider.json"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeData(raw)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, a := range d.Attachments {
		b, err := os.ReadFile(filepath.Join(examplesDir, a.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != a.SHA256 || int64(len(b)) != a.Size {
			t.Fatalf("%s: the example's hash or size is stale", a.Name)
		}
		files[a.SHA256] = b
	}
	return Doc{Data: d, Fingerprint: Fingerprint(raw), KeyFingerprint: "4a6f1c2e9b0d3f5a7c8e1b2d4f6a8c0e1d3f5b7a9c2e4f6a8b0d1c3e5f7a9b2d", Files: files}
}

func TestExampleFormHashes(t *testing.T) {
	doc := exampleDoc(t)
	for _, f := range doc.Data.Forms {
		if f.Data.Hash() != f.SHA256 {
			t.Errorf("%s: sha256 in the example is %s, the data hashes to %s", f.ID, f.SHA256, f.Data.Hash())
		}
	}
}

func TestRenderExample(t *testing.T) {
	pdf, err := RenderPDF(exampleDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("PACKET_PDF_OUT"); out != "" {
		os.WriteFile(out, pdf, 0o644)
	}
}
