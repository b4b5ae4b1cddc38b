package picture

import "encoding/binary"

// Orientation is the EXIF orientation (1–8) of a JPEG: how its stored
// pixels must be turned to stand upright. It is 1 when the file has no
// Exif segment, or one that cannot be read: a damaged or hostile tag never
// turns a picture, and never panics. Only IFD0 counts (IFD1 describes the
// thumbnail).
func Orientation(jpeg []byte) int {
	return scanJPEG(jpeg).orientation
}

// jpegHeader is what the packet needs from a JPEG's markers before decoding.
type jpegHeader struct {
	orientation int
	progressive bool // SOF2: Go decodes it, but the PDF gets a baseline copy
	components  int  // from the frame header; 0 when not reached
}

// Markers that end the header or carry no length.
const (
	markerSOF0 = 0xc0 // baseline
	markerSOF1 = 0xc1 // extended sequential
	markerSOF2 = 0xc2 // progressive
	markerAPP1 = 0xe1
	markerSOS  = 0xda
	markerEOI  = 0xd9
	markerTEM  = 0x01
	markerRST0 = 0xd0
	markerRST7 = 0xd7
)

// scanJPEG walks the marker segments from SOI to the first scan. Every read
// is bounds-checked and each step moves forward, so it ends on any input.
func scanJPEG(b []byte) jpegHeader {
	h := jpegHeader{orientation: 1}
	if len(b) < 4 || b[0] != 0xff || b[1] != 0xd8 {
		return h
	}
	exifSeen := false
	for i := 2; i+1 < len(b); {
		if b[i] != 0xff {
			return h // not at a marker: the file is damaged; keep what was read
		}
		m := b[i+1]
		if m == 0xff { // fill byte before a marker
			i++
			continue
		}
		if m == markerEOI || m == markerSOS {
			return h
		}
		if m == markerTEM || (m >= markerRST0 && m <= markerRST7) {
			i += 2
			continue
		}
		if i+3 >= len(b) {
			return h
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return h
		}
		seg := b[i+4 : i+2+n]
		switch m {
		case markerAPP1:
			// The first Exif segment is the image's; a later one (rare,
			// written by some editors) does not override it.
			if !exifSeen && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
				exifSeen = true
				h.orientation = tiffOrientation(seg[6:])
			}
		case markerSOF0, markerSOF1, markerSOF2:
			h.progressive = m == markerSOF2
			if len(seg) >= 6 {
				h.components = int(seg[5])
			}
		}
		i += 2 + n
	}
	return h
}

// tiffOrientation reads tag 0x0112 from the first IFD of a TIFF structure
// (the body of an Exif segment). Anything unexpected gives 1.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := uint64(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > uint64(len(t)) {
		return 1
	}
	count := uint64(order.Uint16(t[ifd:]))
	entries := t[ifd+2:]
	count = min(count, uint64(len(entries))/12)
	for k := range count {
		e := entries[k*12 : k*12+12]
		if order.Uint16(e) != 0x0112 {
			continue
		}
		var v uint32
		switch typ, n := order.Uint16(e[2:]), order.Uint32(e[4:]); {
		case n < 1:
			return 1
		case typ == 3: // SHORT, as the standard says
			v = uint32(order.Uint16(e[8:]))
		case typ == 4: // LONG, written by a few tools
			v = order.Uint32(e[8:])
		default:
			return 1
		}
		if v >= 1 && v <= 8 {
			return int(v)
		}
		return 1
	}
	return 1
}
