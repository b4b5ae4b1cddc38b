// Package picturetest makes images for tests that the image packages and
// the PDF library must cope with.
package picturetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// ShortTRNS is a 1×1 8-bit grey PNG, whole but for a tRNS chunk one byte
// long (grey needs two). The PDF library indexes its second byte and
// panics; the old header-only upload check accepted it.
func ShortTRNS() []byte {
	chunk := func(typ string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(append(b, typ...), data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	var idat bytes.Buffer
	z := zlib.NewWriter(&idat)
	z.Write([]byte{0, 128}) // filter none, one grey pixel
	z.Close()
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, chunk("IHDR", []byte{0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0})...)
	b = append(b, chunk("tRNS", []byte{0})...)
	b = append(b, chunk("IDAT", idat.Bytes())...)
	return append(b, chunk("IEND", nil)...)
}
