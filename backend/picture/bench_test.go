package picture

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// phoneJPEG is a 12-megapixel photo as a phone stores it: 4032 × 3024,
// held sideways (EXIF orientation 6).
func phoneJPEG(b *testing.B) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photo(4032, 3024), &jpeg.Options{Quality: 92}); err != nil {
		b.Fatal(err)
	}
	return withExif(buf.Bytes(), 6)
}

// BenchmarkRenderPhoto12MP: a phone's headshot to its print rendition
// (decode, shrink to 842 × 1122, turn upright, JPEG).
func BenchmarkRenderPhoto12MP(b *testing.B) {
	data := phoneJPEG(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Render(data, printBox); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckPhoto12MP is what attaching it costs: the whole decode.
func BenchmarkCheckPhoto12MP(b *testing.B) {
	data := phoneJPEG(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := Check(data); err != nil {
			b.Fatal(err)
		}
	}
}
