package attach

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pngBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const tinyPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func TestSaveAcceptsPDFAndImages(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"license.pdf": []byte(tinyPDF), "headshot.png": pngBytes(t)} {
		info, err := d.Save(name, bytes.NewReader(data), false)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		stored, err := d.Read(info.Hash)
		if err != nil || !bytes.Equal(stored, data) || info.Size != int64(len(data)) || info.Name != name {
			t.Errorf("%s: %+v %v", name, info, err)
		}
		fi, _ := os.Stat(d.Path(info.Hash))
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s stored with mode %o", name, fi.Mode().Perm())
		}
		again, err := d.Save("copy-"+name, bytes.NewReader(data), false)
		if err != nil || again.Hash != info.Hash {
			t.Errorf("same content saved twice differently: %v", err)
		}
	}
	fi, _ := os.Stat(filepath.Join(filepath.Dir(d.Path("x")), ""))
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %o", fi.Mode().Perm())
	}
}

func TestSaveRefusesAndLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "attachments")
	d, _ := Open(dir)
	exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 500)...)
	cases := []struct {
		name, code, says string
		data             []byte
		imagesOnly       bool
	}{
		{"empty.pdf", "empty", "empty", nil, false},
		{"setup.pdf", "wrong-type", "Windows program", exe, false},
		{"scan.pdf", "too-large", "over 10 MB", append([]byte("%PDF-1.4\n"), make([]byte, 50<<20)...), false},
		{"cut.pdf", "wrong-type", "incomplete PDF", []byte("%PDF-1.4\n1 0 obj"), false},
		{"photo.png", "unreadable-image", "can't read this image", []byte("\x89PNG\r\n\x1a\nnot really"), false},
		{"cut.jpg", "unreadable-image", "save it again as JPEG or PNG", fixture(t, "jpeg-progressive.jpg")[:300], true},
		{"cut.png", "unreadable-image", "damaged, cut short", fixture(t, "png-rgb-16-interlaced.png")[:150], false},
		{"huge.png", "image-too-large", "10000 × 6000 pixels", hugePNG(10000, 6000), true},
		{"notes.txt.pdf", "wrong-type", "isn't a PDF, PNG or JPEG", []byte("just some text"), false},
		{"headshot.pdf", "wrong-type", "PNG or JPEG photo", []byte(tinyPDF), true},
	}
	for _, c := range cases {
		_, err := d.Save(c.name, bytes.NewReader(c.data), c.imagesOnly)
		var p *Problem
		if !errors.As(err, &p) || p.Code != c.code || !strings.Contains(p.Message, c.says) {
			t.Errorf("%s: %v, want %s saying %q", c.name, err, c.code, c.says)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("refused files left %d entries", len(entries))
	}
	if _, err := d.Read("../../etc/passwd"); err == nil {
		t.Error("read outside the folder")
	}
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte(tinyPDF), false)
	f.Add([]byte("\x89PNG\r\n\x1a\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, imagesOnly bool) {
		info, err := Check("f", data, imagesOnly)
		if err == nil && (info.Type == "" || !ValidHash(info.Hash)) {
			t.Fatalf("accepted without a type: %+v", info)
		}
	})
}

const pictureFixtures = "../picture/testdata"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pictureFixtures, name))
	if err != nil {
		t.Fatalf("%v: run tools/make-picture-fixtures.sh", err)
	}
	return b
}

// hugePNG is the start of a PNG claiming w×h grey pixels (header checksum
// right): what a decompression bomb looks like to the first read.
func hugePNG(w, h int) []byte {
	ihdr := []byte("IHDR\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00\x00")
	binary.BigEndian.PutUint32(ihdr[4:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[8:], uint32(h))
	b := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// Every kind of PNG and JPEG the packet can print is accepted, as a
// headshot too, and stored as it came: the original is the document.
func TestSaveAcceptsEveryPrintableImage(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob(filepath.Join(pictureFixtures, "*.[jp][pn]g"))
	if len(paths) < 40 {
		t.Fatalf("%d fixtures: run tools/make-picture-fixtures.sh", len(paths))
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		info, err := d.Save(name, bytes.NewReader(data), true)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := PNG
		if strings.HasSuffix(name, ".jpg") {
			want = JPEG
		}
		if stored, err := d.Read(info.Hash); err != nil || !bytes.Equal(stored, data) || info.Type != want {
			t.Errorf("%s: stored %d bytes as %s (%v); want the original %d bytes as %s", name, len(stored), info.Type, err, len(data), want)
		}
	}
}
