package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"onramp/backend/picture/picturetest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// printBox is the packet's: 75 × 95 mm at 300 dpi.
var printBox = Box{886, 1122}

// fixtures are the files tools/make-picture-fixtures.sh makes, by name.
func fixtures(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.[jp][pn]g")
	if err != nil || len(paths) < 40 {
		t.Fatalf("the fixtures are missing (%d found, %v): run tools/make-picture-fixtures.sh", len(paths), err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// scene is what a fixture shows upright, by its name.
type scene struct {
	marker, field color.NRGBA // at the top-left corner, and below it
	clear, half   bool        // the bottom-right quarter is clear, with a half-clear block
}

func sceneOf(name string) scene {
	red, blue := color.NRGBA{224, 32, 32, 255}, color.NRGBA{32, 80, 192, 255}
	white, black := color.NRGBA{255, 255, 255, 255}, color.NRGBA{0, 0, 0, 255}
	s := scene{marker: red, field: blue}
	if strings.HasPrefix(name, "png-grey") || strings.HasPrefix(name, "png-palette-1") || name == "jpeg-grey.jpg" {
		s.marker, s.field = white, black
	}
	s.clear = strings.Contains(name, "alpha") || strings.Contains(name, "rgba") || strings.Contains(name, "clear")
	s.half = s.clear && !strings.Contains(name, "palette")
	return s
}

// pngHeader is a PNG's IHDR bit depth, colour type and interlace method.
func pngHeader(t testing.TB, b []byte) (depth, colourType, interlace int) {
	t.Helper()
	if len(b) < 29 || string(b[12:16]) != "IHDR" {
		t.Fatalf("not a PNG with its IHDR first")
	}
	return int(b[24]), int(b[25]), int(b[28])
}

// pngFixtureHeader is the IHDR a fixture's name promises.
func pngFixtureHeader(name string) (depth, colourType, interlace int) {
	parts := strings.Split(strings.TrimSuffix(name, ".png"), "-")
	n := len(parts)
	depth, _ = strconv.Atoi(parts[n-2])
	colourType = map[string]int{"grey": 0, "rgb": 2, "palette": 3, "palette-clear": 3, "grey-alpha": 4, "rgba": 6}[strings.Join(parts[1:n-2], "-")]
	if parts[n-1] == "interlaced" {
		interlace = 1
	}
	return depth, colourType, interlace
}

func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return max(int(x)-int(y), int(y)-int(x)) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func at(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

// checkPrintable asserts the rendition is what the PDF library embeds
// without complaint: 8-bit or less, not interlaced, not CMYK.
func checkPrintable(t *testing.T, r Rendition) image.Image {
	t.Helper()
	switch r.Type {
	case PNG:
		if depth, _, interlace := pngHeader(t, r.Data); depth > 8 || interlace != 0 {
			t.Errorf("PNG rendition has depth %d, interlace %d", depth, interlace)
		}
	case JPEG:
		if h := scanJPEG(r.Data); h.progressive || (h.components != 1 && h.components != 3) {
			t.Errorf("JPEG rendition is progressive (%v) or has %d components", h.progressive, h.components)
		}
	default:
		t.Fatalf("rendition type %q", r.Type)
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	kind := map[string]string{PNG: "PNG", JPEG: "JPG"}[r.Type]
	pdf.RegisterImageOptionsReader("i", gofpdf.ImageOptions{ImageType: kind}, bytes.NewReader(r.Data))
	if err := pdf.Error(); err != nil {
		t.Errorf("the PDF library refuses the rendition: %v", err)
	}
	img, _, err := image.Decode(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("the rendition does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != r.Width || b.Dy() != r.Height {
		t.Errorf("rendition says %d×%d, is %v", r.Width, r.Height, b)
	}
	return img
}

func TestRenderEveryFixtureUprightAndPrintable(t *testing.T) {
	for name, data := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			if strings.HasSuffix(name, ".png") {
				d, ct, il := pngHeader(t, data)
				wd, wct, wil := pngFixtureHeader(name)
				if d != wd || ct != wct || il != wil {
					t.Fatalf("the fixture is depth %d type %d interlace %d; its name says %d %d %d", d, ct, il, wd, wct, wil)
				}
			}
			if err := Check(data); err != nil {
				t.Fatalf("Check: %v", err)
			}
			r, err := Render(data, printBox)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if wantType := map[bool]string{true: PNG, false: JPEG}[strings.HasSuffix(name, ".png")]; r.Type != wantType {
				t.Errorf("rendition is %s, want %s", r.Type, wantType)
			}
			img := checkPrintable(t, r)
			if r.Width != 40 || r.Height != 30 {
				t.Fatalf("rendition is %d×%d, want the upright 40×30", r.Width, r.Height)
			}
			s := sceneOf(name)
			tol := 2
			if strings.HasPrefix(name, "jpeg") {
				tol = 40
			}
			for _, c := range []struct {
				what string
				x, y int
				want color.NRGBA
			}{
				{"the marker, top left", 2, 2, s.marker},
				{"the field, top right", 37, 2, s.field},
				{"the field, bottom left", 2, 27, s.field},
			} {
				if got := at(img, c.x, c.y); !near(got, c.want, tol) {
					t.Errorf("%s is %v, want %v", c.what, got, c.want)
				}
			}
			br := at(img, 37, 27)
			switch {
			case s.clear && br.A != 0:
				t.Errorf("the clear corner has alpha %d", br.A)
			case !s.clear && !near(br, s.field, tol):
				t.Errorf("the field, bottom right, is %v, want %v", br, s.field)
			}
			if half := at(img, 35, 18); s.half && (half.A < 120 || half.A > 135 || !near(color.NRGBA{half.R, half.G, half.B, 255}, s.field, 3)) {
				t.Errorf("the half-clear block is %v, want %v at half alpha", half, s.field)
			}
			again, _ := Render(data, printBox)
			if !bytes.Equal(again.Data, r.Data) {
				t.Error("two renditions of the same bytes differ")
			}
		})
	}
}

func TestOrientationOfFixtures(t *testing.T) {
	all := fixtures(t)
	for o := 1; o <= 8; o++ {
		if got := Orientation(all[fmt.Sprintf("jpeg-exif-%d.jpg", o)]); got != o {
			t.Errorf("jpeg-exif-%d.jpg: orientation %d", o, got)
		}
	}
	if got := Orientation(all["jpeg-baseline.jpg"]); got != 1 {
		t.Errorf("a JPEG without Exif has orientation %d", got)
	}
}

// An upright baseline JPEG small enough to print is used as it is: no
// second compression. Anything else is drawn again.
func TestRenderKeepsWhatNeedsNoWork(t *testing.T) {
	all := fixtures(t)
	for name, same := range map[string]bool{
		"jpeg-baseline.jpg": true, "jpeg-444.jpg": true, "jpeg-422.jpg": true, "jpeg-grey.jpg": true, "jpeg-exif-1.jpg": true,
		"jpeg-progressive.jpg": false, "jpeg-cmyk.jpg": false, "jpeg-exif-6.jpg": false, "png-rgb-8-plain.png": false,
	} {
		r, err := Render(all[name], printBox)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(r.Data, all[name]) != same {
			t.Errorf("%s: rendition is the original: %v, want %v", name, !same, same)
		}
	}
}

// withExif puts an Exif segment holding orientation o straight after SOI.
func withExif(jpg []byte, o int) []byte {
	seg := []byte("\xff\xe1\x00\x22Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00")
	seg[29] = byte(o)
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}

// photo is an opaque w×h picture with a marker in its top-left corner: red on a
// field that varies (as a photo does, so it does not compress to nothing).
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8((x*7 + y*13) % 60), uint8(60 + (x*y)%70), uint8(150 + (x^y)%100), 255}
			if x < w/4 && y < h/4 {
				c = color.RGBA{230, 20, 20, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func TestRenderShrinksLargePhotosToPrintSize(t *testing.T) {
	var jpg, big16, flat, sideways bytes.Buffer
	up := photo(1000, 1500)
	jpeg.Encode(&jpg, up, &jpeg.Options{Quality: 90})
	wide := photo(1800, 720)
	deep := image.NewNRGBA64(wide.Rect)
	for i, v := range wide.Pix {
		deep.Pix[2*i], deep.Pix[2*i+1] = v, v
	}
	png.Encode(&big16, deep)
	screenshot := image.NewGray(image.Rect(0, 0, 1000, 750))
	for i := range screenshot.Pix {
		screenshot.Pix[i] = 250
	}
	png.Encode(&flat, screenshot)
	// The tall photo as a phone held sideways stores it: a quarter turn
	// anticlockwise, which orientation 6 turns back.
	stored := image.NewRGBA(image.Rect(0, 0, 1500, 1000))
	for y := range 1500 {
		for x := range 1000 {
			copy(stored.Pix[stored.PixOffset(y, 999-x):][:4], up.Pix[up.PixOffset(x, y):])
		}
	}
	jpeg.Encode(&sideways, stored, &jpeg.Options{Quality: 90})
	for _, c := range []struct {
		name     string
		data     []byte
		w, h     int
		typ      string
		markerAt image.Point // in the marker's quarter, upright
	}{
		{"tall JPEG", jpg.Bytes(), 748, 1122, JPEG, image.Pt(20, 20)},
		{"wide 16-bit PNG photo", big16.Bytes(), 886, 354, JPEG, image.Pt(20, 20)},
		{"flat grey PNG", flat.Bytes(), 886, 665, PNG, image.Pt(-1, -1)},
		{"sideways phone JPEG", withExif(sideways.Bytes(), 6), 748, 1122, JPEG, image.Pt(20, 20)},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Render(c.data, printBox)
			if err != nil {
				t.Fatal(err)
			}
			img := checkPrintable(t, r)
			if r.Width != c.w || r.Height != c.h || r.Type != c.typ {
				t.Errorf("rendition is %s %d×%d, want %s %d×%d", r.Type, r.Width, r.Height, c.typ, c.w, c.h)
			}
			if c.markerAt.X >= 0 {
				red := color.NRGBA{230, 20, 20, 255}
				if got := at(img, c.markerAt.X, c.markerAt.Y); !near(got, red, 30) {
					t.Errorf("top-left is %v, want the red marker", got)
				}
				if got := at(img, r.Width-20, r.Height-20); near(got, red, 60) {
					t.Errorf("bottom-right is red too: %v", got)
				}
			}
			if len(r.Data) > 600<<10 {
				t.Errorf("rendition is %d KB", len(r.Data)>>10)
			}
		})
	}
}

func TestShrinkAveragesByArea(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 3, 1))
	src.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 0}) // clear red: lends no colour
	src.SetNRGBA(1, 0, color.NRGBA{0, 0, 255, 255})
	src.SetNRGBA(2, 0, color.NRGBA{0, 255, 0, 255})
	got := shrink(src, 2, 1, false).(*image.NRGBA)
	// Output pixel 0 is source 0 and half of source 1: 1/3 of its area is
	// opaque blue. Output pixel 1 is the other half of 1 and all of 2.
	want := []color.NRGBA{{0, 0, 255, 85}, {0, 170, 85, 255}}
	for x, w := range want {
		if c := got.NRGBAAt(x, 0); !near(c, w, 1) {
			t.Errorf("pixel %d is %v, want %v", x, c, w)
		}
	}
	grey := image.NewGray16(image.Rect(0, 0, 2, 2))
	grey.SetGray16(0, 0, color.Gray16{0xffff})
	if g := shrink(grey, 1, 1, true).(*image.Gray).GrayAt(0, 0); g.Y != 64 {
		t.Errorf("a quarter white is %d, want 64 (0xffff/4, rounded, top byte)", g.Y)
	}
}

// A palette PNG is kept a palette when the PDF draws it right (opaque, or
// one clear entry), and drawn in full colour when it has partial alpha.
func TestRenderPaletteTransparency(t *testing.T) {
	for _, c := range []struct {
		name   string
		pal    color.Palette
		wantCT int
	}{
		{"opaque", color.Palette{color.NRGBA{200, 0, 0, 255}, color.NRGBA{0, 0, 200, 255}}, 3},
		{"one clear entry", color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{0, 0, 200, 255}}, 3},
		{"partial alpha", color.Palette{color.NRGBA{200, 0, 0, 100}, color.NRGBA{0, 0, 200, 255}}, 6},
		{"two clear entries", color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{9, 9, 9, 0}, color.NRGBA{0, 0, 200, 255}}, 6},
	} {
		img := image.NewPaletted(image.Rect(0, 0, 8, 8), c.pal)
		for i := range img.Pix {
			img.Pix[i] = uint8(i % len(c.pal))
		}
		var buf bytes.Buffer
		png.Encode(&buf, img)
		r, err := Render(buf.Bytes(), printBox)
		if err != nil {
			t.Fatal(err)
		}
		out := checkPrintable(t, r)
		if _, ct, _ := pngHeader(t, r.Data); ct != c.wantCT {
			t.Errorf("%s: rendition colour type %d, want %d", c.name, ct, c.wantCT)
		}
		for i := range img.Pix {
			x, y := i%8, i/8
			if want := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA); want.A > 0 && !near(at(out, x, y), want, 1) {
				t.Errorf("%s: pixel %d,%d is %v, want %v", c.name, x, y, at(out, x, y), want)
				break
			}
		}
	}
}

// claiming is the start of an 8-bit PNG (16-bit for colour type 6) that
// claims to be w×h pixels, its header checksum right.
func claiming(w, h int, colourType byte) []byte {
	ihdr := []byte("IHDR\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00\x00")
	binary.BigEndian.PutUint32(ihdr[4:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[8:], uint32(h))
	ihdr[13] = colourType
	if colourType == 6 {
		ihdr[12] = 16
	}
	b := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// stripAdobe drops a JPEG's APP14 segment.
func stripAdobe(t *testing.T, b []byte) []byte {
	i := bytes.Index(b, []byte("\xff\xee"))
	if i < 0 {
		t.Fatal("no APP14 segment")
	}
	n := int(b[i+2])<<8 | int(b[i+3])
	return append(append([]byte{}, b[:i]...), b[i+2+n:]...)
}

func TestCheckRefuses(t *testing.T) {
	all := fixtures(t)
	cmyk := all["jpeg-cmyk.jpg"]
	if i := bytes.Index(cmyk, []byte("Adobe")); i < 0 || cmyk[i+11] != 2 {
		t.Fatal("the CMYK fixture should carry an Adobe marker saying YCCK (transform 2)")
	}
	huge := append([]byte{}, all["png-grey-8-plain.png"]...)
	copy(huge[16:24], []byte{0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10}) // 10000 × 10000, CRC now wrong
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrUnreadable},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ErrUnreadable},
		{"PNG header only", []byte("\x89PNG\r\n\x1a\nnot really"), ErrUnreadable},
		{"cut PNG", all["png-rgb-16-interlaced.png"][:150], ErrUnreadable},
		{"cut JPEG", all["jpeg-progressive.jpg"][:300], ErrUnreadable},
		{"JPEG markers only", []byte("\xff\xd8\xff\xd9"), ErrUnreadable},
		{"CMYK JPEG without its Adobe marker", stripAdobe(t, cmyk), ErrUnreadable},
		{"grey PNG with a 1-byte tRNS (the PDF library panics on it)", picturetest.ShortTRNS(), ErrUnreadable},
		{"PNG with a bad header checksum", huge, ErrUnreadable},
		{"over 50 megapixels", claiming(10000, 5001, 0), &TooLargeError{}},
		{"16-bit colour with alpha, over the memory budget", claiming(10000, 4500, 6), &TooLargeError{}},
	} {
		err := Check(c.data)
		var tl *TooLargeError
		switch c.want.(type) {
		case *TooLargeError:
			if !errors.As(err, &tl) || tl.Width != 10000 {
				t.Errorf("%s: %v, want too large", c.name, err)
			}
		default:
			if !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		if _, rerr := Render(c.data, printBox); (rerr == nil) != (err == nil) {
			t.Errorf("%s: Check says %v, Render %v", c.name, err, rerr)
		}
	}
}

func TestDecodingBudgetCountsProgressiveCoefficients(t *testing.T) {
	// 4000 × 4000 colour: 48 MB as baseline, 240 MB progressive; both fit.
	// 5000 × 5000 progressive colour needs 375 MB: over.
	for _, c := range []struct {
		w, h        int
		progressive bool
		fits        bool
	}{{4000, 4000, false, true}, {4000, 4000, true, true}, {5000, 5000, false, true}, {5000, 5000, true, false}} {
		px := int64(c.w) * int64(c.h)
		if fits := px*decodedBytesPerPixel(color.YCbCrModel, c.progressive) <= maxDecodedBytes; fits != c.fits {
			t.Errorf("%+v: fits %v", c, fits)
		}
	}
}
