package packet

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/picture"
	"onramp/backend/picture/picturetest"
)

const pictureFixtures = "../picture/testdata"

func pictureFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pictureFixtures, name))
	if err != nil {
		t.Fatalf("%v: run tools/make-picture-fixtures.sh", err)
	}
	return b
}

// withHeadshot is the example provider with its headshot replaced by the
// given image and the other images attached to the CV field.
func withHeadshot(t testing.TB, name string, headshot []byte, others map[string][]byte) Doc {
	t.Helper()
	doc := exampleDoc(t)
	d := &doc.Data
	d.Attachments = slices.DeleteFunc(d.Attachments, func(a Attachment) bool { return a.Field == "headshot" })
	typ := func(name string) string {
		if strings.HasSuffix(name, ".png") {
			return picture.PNG
		}
		return picture.JPEG
	}
	gen := slices.IndexFunc(d.Forms, func(f Form) bool { return f.ID == forms.FormGeneral })
	d.Forms[gen].Data.Fields["headshot"] = addFile(d, doc.Files, forms.FormGeneral, "headshot", name, typ(name), headshot)
	for _, n := range slices.Sorted(maps.Keys(others)) {
		addFile(d, doc.Files, forms.FormCredentialing, "cvDoc", n, typ(n), others[n])
	}
	return doc
}

// makePacket runs Make and opens the result with the one reader. It checks
// the PDF with qpdf and that the archive keeps every attachment's original
// bytes.
func makePacket(t *testing.T, doc Doc) (*Packet, []byte) {
	t.Helper()
	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Make(&buf, doc.Data, doc.Files, key, nil); err != nil {
		t.Fatalf("Make: %v", err)
	}
	p, problems := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{})
	if len(problems) > 0 {
		t.Fatalf("the packet does not open: %v", problems)
	}
	for _, a := range doc.Data.Attachments {
		if !bytes.Equal(p.Files[a.Path], doc.Files[a.SHA256]) {
			t.Errorf("%s: the archive does not keep the original bytes", a.Name)
		}
	}
	path := filepath.Join(t.TempDir(), "packet.pdf")
	if err := os.WriteFile(path, p.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := tool(t, "qpdf", "--check", path); !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check: %s", out)
	}
	return p, buf.Bytes()
}

// fromArchive is the document as support redraws it from a verified
// packet: nothing but the archive's own members.
func fromArchive(t *testing.T, p *Packet) Doc {
	t.Helper()
	files := map[string][]byte{}
	for _, a := range p.Data.Attachments {
		files[a.SHA256] = p.Files[a.Path]
	}
	pub, err := p.Manifest.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	return Doc{Data: p.Data, Fingerprint: p.Fingerprint, KeyFingerprint: p.SignerFingerprint, PublicKey: pub, Files: files}
}

// The regression: a 16-bit PNG headshot and an interlaced PNG made the PDF
// library refuse the whole packet ("16-bit depth not supported in PNG
// file", "interlacing not supported").
func TestMakeWith16BitAndInterlacedPNGs(t *testing.T) {
	doc := withHeadshot(t, "headshot-16bit.png", pictureFixture(t, "png-rgb-16-plain.png"),
		map[string][]byte{"scan-interlaced.png": pictureFixture(t, "png-rgba-8-interlaced.png")})
	p, _ := makePacket(t, doc)
	text := pdfText(t, p.PDF)
	if strings.Contains(text, "could not be drawn") {
		t.Error("an image was left out of the PDF")
	}
	if n := pdfImageCount(t, p.PDF); n != 2 {
		t.Errorf("the PDF holds %d images, want the headshot and the scan", n)
	}
}

// Every fixture (each PNG colour type and depth, plain and interlaced;
// JPEG baseline, progressive, CMYK, grey; all eight EXIF orientations) is
// drawn into one packet that qpdf passes, the archive keeping the originals.
func TestMakeWithEveryKindOfImage(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(pictureFixtures, "*.[jp][pn]g"))
	if len(paths) < 40 {
		t.Fatalf("%d fixtures: run tools/make-picture-fixtures.sh", len(paths))
	}
	others := map[string][]byte{}
	for _, path := range paths[1:] {
		others[filepath.Base(path)] = pictureFixture(t, filepath.Base(path))
	}
	doc := withHeadshot(t, filepath.Base(paths[0]), pictureFixture(t, filepath.Base(paths[0])), others)
	p, _ := makePacket(t, doc)
	pics := drawPictures(doc)
	if len(pics) != len(paths) {
		t.Errorf("%d of %d images drawn", len(pics), len(paths))
	}
	if strings.Contains(pdfText(t, p.PDF), "could not be drawn") {
		t.Error("an image was left out of the PDF")
	}
	distinct := map[string]bool{} // a PNG plain and interlaced draws the same
	for _, r := range pics {
		distinct[renditionName(r)] = true
	}
	if n := pdfImageCount(t, p.PDF); n != len(distinct) {
		t.Errorf("the PDF holds %d images, want %d", n, len(distinct))
	}
}

// A phone photo held sideways prints upright, in the PDF and in the
// preview, for every EXIF orientation: the headshot's top-left corner (red
// in every fixture) is where the cover shows its top-left.
func TestHeadshotPrintsUpright(t *testing.T) {
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprint("orientation ", o), func(t *testing.T) {
			name := fmt.Sprintf("jpeg-exif-%d.jpg", o)
			doc := withHeadshot(t, name, pictureFixture(t, name), nil)
			pdf, err := RenderPDF(doc) // Make's PDF; TestMakeWithEveryKindOfImage makes packets of these
			if err != nil {
				t.Fatal(err)
			}
			w, h := fitImage(40, 30, 42, 52) // the upright fixture, on the cover
			x, y := pageW-marginX-w, 66.0
			const dpi = 100
			cover := pdfRegion(t, pdf, 1, dpi, x, y, w, h)
			px := func(mmX, mmY float64) color.NRGBA {
				return color.NRGBAModel.Convert(cover.At(int((mmX-x)/25.4*dpi), int((mmY-y)/25.4*dpi))).(color.NRGBA)
			}
			red, blue := color.NRGBA{224, 32, 32, 255}, color.NRGBA{32, 80, 192, 255}
			if c := px(x+2, y+2); !nearColour(c, red, 60) {
				t.Errorf("the headshot's top-left corner prints %v, want red", c)
			}
			for _, c := range []color.NRGBA{px(x+w-2, y+2), px(x+2, y+h-2), px(x+w-2, y+h-2)} {
				if !nearColour(c, blue, 60) {
					t.Errorf("another corner prints %v, want blue", c)
				}
			}
			pages, err := RenderPages(doc)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := picture.Render(pictureFixture(t, name), picture.Box{W: printPixelsW, H: printPixelsH})
			if !strings.Contains(pages[0], base64.StdEncoding.EncodeToString(r.Data)) {
				t.Error("the preview's cover does not show the upright rendition")
			}
			if !strings.Contains(pages[0], fmt.Sprintf(`width="%.2f" height="%.2f"`, w, h)) {
				t.Error("the preview's cover does not place the headshot upright (landscape)")
			}
		})
	}
}

// Support redraws a packet from its archive alone: the PDF drawn again from
// the verified members is the one in the packet, byte for byte, and making
// the same packet twice gives the same archive.
func TestPacketWithImagesIsReproducible(t *testing.T) {
	doc := withHeadshot(t, "phone.jpg", pictureFixture(t, "jpeg-exif-6.jpg"), map[string][]byte{
		"deep.png": pictureFixture(t, "png-grey-alpha-16-interlaced.png"), "print.jpg": pictureFixture(t, "jpeg-cmyk-progressive.jpg"),
	})
	key, _ := GenerateKey()
	var a, b bytes.Buffer
	if _, err := Make(&a, doc.Data, doc.Files, key, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Make(&b, doc.Data, doc.Files, key, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same packet made twice differs")
	}
	p, problems := Open(bytes.NewReader(a.Bytes()), int64(a.Len()), Options{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	again, err := RenderPDF(fromArchive(t, p))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, p.PDF) {
		t.Error("the PDF redrawn from the archive differs from the packet's")
	}
}

// A large photo is printed at print resolution: the PDF stays small,
// the archive keeps the photo whole.
func TestLargePhotoKeepsThePDFSmall(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2400, 1800))
	for i := range img.Pix {
		img.Pix[i] = uint8(i*7 + i/4093)
	}
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	doc := withHeadshot(t, "IMG_0001.jpg", photo.Bytes(), nil)
	p, _ := makePacket(t, doc)
	if len(p.PDF) > 1<<20 || photo.Len() < 2<<20 {
		t.Errorf("a %d KB photo made a %d KB PDF", photo.Len()>>10, len(p.PDF)>>10)
	}
}

// An image that cannot be decoded (attached before images were checked
// whole, or in a packet from elsewhere) is listed, not drawn, and the
// packet is still made.
func TestUndrawableImageNeverStopsThePacket(t *testing.T) {
	cut := pictureFixture(t, "jpeg-progressive.jpg")[:300]
	doc := withHeadshot(t, "cut.jpg", cut, map[string][]byte{"fine.png": pictureFixture(t, "png-palette-4-plain.png")})
	p, _ := makePacket(t, doc)
	if text := squash(pdfText(t, p.PDF)); !strings.Contains(text, squash("cut.jpg: this image could not be drawn here")) {
		t.Error("the undrawable image is not explained")
	}
	if n := pdfImageCount(t, p.PDF); n != 1 {
		t.Errorf("the PDF holds %d images, want the one that decodes", n)
	}
	if _, err := RenderPages(fromArchive(t, p)); err != nil {
		t.Error(err)
	}
}

// A PNG the PDF library panics on (a grey image with a tRNS chunk one byte
// long: it reads the second byte) was accepted by the old header-only check
// and took the export down. Now the library only ever sees renditions.
func TestMalformedPNGNeverReachesThePDFLibrary(t *testing.T) {
	bad := picturetest.ShortTRNS()
	doc := withHeadshot(t, "odd.png", bad, nil)
	p, _ := makePacket(t, doc)
	if text := squash(pdfText(t, p.PDF)); !strings.Contains(text, squash("odd.png: this image could not be drawn here")) {
		t.Error("the undrawable image is not explained")
	}
}

func nearColour(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return max(int(x)-int(y), int(y)-int(x)) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

func pdfText(t *testing.T, pdf []byte) string {
	path := filepath.Join(t.TempDir(), "p.pdf")
	os.WriteFile(path, pdf, 0o600)
	return tool(t, "pdftotext", "-enc", "UTF-8", path, "-")
}

// pdfImageCount counts the image objects pdfimages lists (each once, however
// often it is drawn; soft masks aside).
func pdfImageCount(t *testing.T, pdf []byte) int {
	path := filepath.Join(t.TempDir(), "p.pdf")
	os.WriteFile(path, pdf, 0o600)
	objects := map[string]bool{}
	for _, row := range strings.Split(tool(t, "pdfimages", "-list", path), "\n")[2:] {
		if f := strings.Fields(row); len(f) > 10 && f[2] == "image" {
			objects[f[10]] = true
		}
	}
	return len(objects)
}

// pdfRegion renders the part of a page at x, y (mm from the top left), w×h
// mm, with poppler at dpi.
func pdfRegion(t *testing.T, pdf []byte, page, dpi int, x, y, w, h float64) image.Image {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.pdf")
	os.WriteFile(path, pdf, 0o600)
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Fatal("pdftoppm is not installed: run tools/setup.sh")
	}
	px := func(mm float64) string { return fmt.Sprint(int(mm / 25.4 * float64(dpi))) }
	n := fmt.Sprint(page)
	args := []string{"-f", n, "-l", n, "-r", fmt.Sprint(dpi), "-x", px(x), "-y", px(y), "-W", px(w + 1), "-H", px(h + 1), "-png", "-singlefile", path, filepath.Join(dir, "page")}
	if out, err := exec.Command("pdftoppm", args...).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestDistinctWidths(t *testing.T) {
	render := func(name string) picture.Rendition {
		r, err := picture.Render(pictureFixture(t, name), picture.Box{W: printPixelsW, H: printPixelsH})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	plain, interlaced, jpg := render("png-rgb-8-plain.png"), render("png-rgb-8-interlaced.png"), render("jpeg-baseline.jpg")
	pics := map[string]picture.Rendition{"a": plain, "b": interlaced, "c": jpg, "d": render("jpeg-grey.jpg")}
	distinctWidths(pics)
	widths := map[int]string{}
	for sha, r := range pics {
		if other, ok := widths[r.Width]; ok && renditionName(pics[other]) != renditionName(r) {
			t.Errorf("%s and %s differ but are both %d pixels wide", sha, other, r.Width)
		}
		widths[r.Width] = sha
	}
	if renditionName(pics["a"]) != renditionName(pics["b"]) {
		t.Error("two originals that draw the same no longer share their rendition")
	}
	if len(widths) != 3 || pics["a"].Width+pics["c"].Width+pics["d"].Width != 40+39+38 {
		t.Errorf("widths %v, want 40, 39 and 38", widths)
	}
}
