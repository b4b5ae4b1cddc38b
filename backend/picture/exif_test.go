package picture

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// tiff builds the body of an Exif segment: a TIFF header in the given byte
// order and IFD0 with the given entries (tag, type, count, value), the
// first IFD at offset ifd.
type entry struct {
	tag, typ uint16
	count    uint32
	value    uint32 // a SHORT sits in the first two bytes
}

func tiff(order binary.AppendByteOrder, ifd uint32, entries ...entry) []byte {
	b := make([]byte, 0, 64)
	if order == binary.LittleEndian {
		b = append(b, "II"...)
	} else {
		b = append(b, "MM"...)
	}
	b = order.AppendUint16(b, 42)
	b = order.AppendUint32(b, ifd)
	for len(b) < int(ifd) {
		b = append(b, 0)
	}
	b = order.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = order.AppendUint16(b, e.tag)
		b = order.AppendUint16(b, e.typ)
		b = order.AppendUint32(b, e.count)
		if e.typ == 3 {
			b = order.AppendUint16(b, uint16(e.value))
			b = append(b, 0, 0)
		} else {
			b = order.AppendUint32(b, e.value)
		}
	}
	return order.AppendUint32(b, 0) // no IFD1
}

// segment is a JPEG marker segment with its length.
func segment(marker byte, body []byte) []byte {
	b := []byte{0xff, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(body)+2))
	return append(b, body...)
}

func exifSeg(t []byte) []byte { return segment(0xe1, append([]byte("Exif\x00\x00"), t...)) }

func jpegOf(segments ...[]byte) []byte {
	b := []byte{0xff, 0xd8}
	for _, s := range segments {
		b = append(b, s...)
	}
	return append(b, 0xff, 0xd9)
}

func TestOrientation(t *testing.T) {
	be, le := binary.BigEndian, binary.LittleEndian
	six := func(order binary.AppendByteOrder) []byte { return tiff(order, 8, entry{0x0112, 3, 1, 6}) }
	jfif := segment(0xe0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	xmp := segment(0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	sos := []byte{0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 63, 0}
	cases := []struct {
		name string
		jpeg []byte
		want int
	}{
		{"big-endian, as iPhones write", jpegOf(exifSeg(six(be))), 6},
		{"little-endian, as many Android phones write", jpegOf(exifSeg(six(le))), 6},
		{"after a JFIF segment", jpegOf(jfif, exifSeg(six(be))), 6},
		{"after an XMP segment, also APP1", jpegOf(xmp, exifSeg(six(le))), 6},
		{"among other tags", jpegOf(exifSeg(tiff(be, 8, entry{0x010f, 2, 6, 26}, entry{0x0110, 2, 6, 32}, entry{0x0112, 3, 1, 8}, entry{0x8769, 4, 1, 50}))), 8},
		{"IFD0 not straight after the header", jpegOf(exifSeg(tiff(le, 20, entry{0x0112, 3, 1, 3}))), 3},
		{"as a LONG", jpegOf(exifSeg(tiff(be, 8, entry{0x0112, 4, 1, 5}))), 5},
		{"fill bytes before a marker", append([]byte{0xff, 0xd8, 0xff, 0xff}, exifSeg(six(be))[1:]...), 6},
		{"restart marker before it", jpegOf([]byte{0xff, 0xd0}, exifSeg(six(be))), 6},
		{"the first Exif segment counts", jpegOf(exifSeg(six(be)), exifSeg(tiff(be, 8, entry{0x0112, 3, 1, 3}))), 6},
		{"no Exif", jpegOf(jfif), 1},
		{"not a JPEG", append([]byte("\x89PNG\r\n\x1a\n"), exifSeg(six(be))...), 1},
		{"empty", nil, 1},
		{"Exif after the scan starts", jpegOf(sos, exifSeg(six(be))), 1},
		{"value 0", jpegOf(exifSeg(tiff(be, 8, entry{0x0112, 3, 1, 0}))), 1},
		{"value 9", jpegOf(exifSeg(tiff(be, 8, entry{0x0112, 3, 1, 9}))), 1},
		{"value 65542 as a LONG", jpegOf(exifSeg(tiff(be, 8, entry{0x0112, 4, 1, 65542}))), 1},
		{"as a RATIONAL", jpegOf(exifSeg(tiff(be, 8, entry{0x0112, 5, 1, 6}))), 1},
		{"count 0", jpegOf(exifSeg(tiff(be, 8, entry{0x0112, 3, 0, 6}))), 1},
		{"byte order unknown", jpegOf(exifSeg(append([]byte("XX"), six(be)[2:]...))), 1},
		{"magic not 42", jpegOf(exifSeg(append([]byte("MM\x00\x2b"), six(be)[4:]...))), 1},
		{"IFD0 past the end", jpegOf(exifSeg(append([]byte("MM\x00\x2a\x7f\xff\xff\xff"), six(be)[8:]...))), 1},
		{"IFD0 inside the header", jpegOf(exifSeg(append([]byte("MM\x00\x2a\x00\x00\x00\x02"), six(be)[8:]...))), 1},
		{"entry count past the end", jpegOf(exifSeg(append(six(be)[:8], 0xff, 0xff, 0x01, 0x12, 0, 3))), 1},
		{"entry cut short", jpegOf(exifSeg(six(be)[:18])), 1},
		{"segment length past the end", []byte{0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 'E', 'x'}, 1},
		{"segment length 0", []byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x00, 0xff, 0xe1}, 1},
		{"garbage where a marker should be", []byte{0xff, 0xd8, 0x00, 0x01, 0xff, 0xe1}, 1},
		{"only in IFD1, the thumbnail's", jpegOf(exifSeg(append(tiff(be, 8, entry{0x010f, 2, 4, 0})[:22], 0, 0, 0, 26, 0, 1, 1, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0))), 1},
	}
	for _, c := range cases {
		if got := Orientation(c.jpeg); got != c.want {
			t.Errorf("%s: orientation %d, want %d", c.name, got, c.want)
		}
	}
}

func FuzzOrientation(f *testing.F) {
	paths, _ := filepath.Glob("testdata/jpeg-*.jpg")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 200)]) // the markers, not the scan
	}
	f.Add(jpegOf(exifSeg(tiff(binary.LittleEndian, 8, entry{0x0112, 3, 1, 6}))))
	f.Add(jpegOf(exifSeg(tiff(binary.BigEndian, 8, entry{0x010f, 2, 6, 26}, entry{0x0112, 4, 1, 8}))))
	f.Fuzz(func(t *testing.T, data []byte) {
		o := Orientation(data)
		if o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		h := scanJPEG(data)
		if h.orientation != o || h.components < 0 || h.components > 255 {
			t.Fatalf("header %+v for orientation %d", h, o)
		}
	})
}

// FuzzRender: whatever the bytes, Render never panics, and what it accepts
// comes out as an image no larger than its box that decodes again.
func FuzzRender(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.[jp][pn]g")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	box := Box{W: 24, H: 24}
	f.Fuzz(func(t *testing.T, data []byte) {
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			return // the size limits have their own tests; keep the fuzzer fast
		}
		r, err := Render(data, box)
		if (err == nil) != (Check(data) == nil) {
			t.Fatalf("Render says %v, Check disagrees", err)
		}
		if err != nil {
			return
		}
		if r.Width < 1 || r.Height < 1 || r.Width > box.W || r.Height > box.H {
			t.Fatalf("rendition %d×%d for box %v", r.Width, r.Height, box)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(r.Data))
		if err != nil || cfg.Width != r.Width || cfg.Height != r.Height {
			t.Fatalf("rendition does not decode as %d×%d: %v %+v", r.Width, r.Height, err, cfg)
		}
		if r.Type == PNG {
			if _, err := png.Decode(bytes.NewReader(r.Data)); err != nil {
				t.Fatal(err)
			}
		}
	})
}
