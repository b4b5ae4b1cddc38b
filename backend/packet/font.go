package packet

import (
	"compress/bzip2"
	"embed"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

//go:embed fonts/*.ttf.bz2
var fontFiles embed.FS

// fontID names one of the embedded fonts.
type fontID int

const (
	fontRegular  fontID = iota // DejaVu Sans
	fontBold                   // DejaVu Sans Bold
	fontFallback               // Droid Sans Fallback (CJK)
	fontHangul                 // Onramp Hangul, a subset of NanumGothic
	fontCount
)

var fontInfo = [fontCount]struct{ file, family, style, css string }{
	fontRegular:  {"fonts/DejaVuSans.ttf.bz2", "dejavu", "", "DejaVu Sans"},
	fontBold:     {"fonts/DejaVuSans-Bold.ttf.bz2", "dejavu", "B", "DejaVu Sans"},
	fontFallback: {"fonts/DroidSansFallback.ttf.bz2", "droid", "", "Droid Sans Fallback"},
	fontHangul:   {"fonts/OnrampHangul.ttf.bz2", "hangul", "", "NanumGothic, Noto Sans CJK KR"},
}

// face is a parsed TrueType font: its bytes (for the PDF writer), which
// characters it has and their advance widths.
type face struct {
	ttf     []byte
	unitsEm float64
	advance map[rune]uint16
}

// Each font is decompressed and parsed once per process, the first time a
// packet needs it: most packets never need the CJK or Hangul fallbacks.
var (
	faceOnce [fontCount]sync.Once
	faceVal  [fontCount]*face
	faceErr  [fontCount]error
)

func getFace(id fontID) (*face, error) {
	faceOnce[id].Do(func() {
		faceVal[id], faceErr[id] = readFace(fontInfo[id].file)
		if faceErr[id] != nil {
			faceErr[id] = fmt.Errorf("font %s: %w", fontInfo[id].file, faceErr[id])
		}
	})
	return faceVal[id], faceErr[id]
}

// loadFaces loads the fonts every packet is set in.
func loadFaces() error {
	for _, id := range []fontID{fontRegular, fontBold} {
		if _, err := getFace(id); err != nil {
			return err
		}
	}
	return nil
}

func readFace(name string) (*face, error) {
	f, err := fontFiles.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ttf, err := io.ReadAll(bzip2.NewReader(f))
	if err != nil {
		return nil, err
	}
	return parseFace(ttf)
}

// has reports whether the font has a glyph for r.
func (f *face) has(r rune) bool {
	if f == nil {
		return false
	}
	_, ok := f.advance[r]
	return ok
}

// width is r's advance at size points, in millimetres.
func (f *face) width(r rune, size float64) float64 {
	return float64(f.advance[r]) / f.unitsEm * size * mmPerPt
}

const mmPerPt = 25.4 / 72

// parseFace reads the tables the layout needs: head (units per em), hhea
// and hmtx (advances), cmap (characters to glyphs, formats 4 and 12).
func parseFace(ttf []byte) (*face, error) {
	be := binary.BigEndian
	if len(ttf) < 12 {
		return nil, fmt.Errorf("too short")
	}
	tables := map[string][]byte{}
	n := int(be.Uint16(ttf[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, fmt.Errorf("truncated table directory")
		}
		off, length := int(be.Uint32(ttf[rec+8:])), int(be.Uint32(ttf[rec+12:]))
		if off < 0 || length < 0 || off+length > len(ttf) {
			return nil, fmt.Errorf("table %q out of range", ttf[rec:rec+4])
		}
		tables[string(ttf[rec:rec+4])] = ttf[off : off+length]
	}
	head, hhea, hmtx, cmap := tables["head"], tables["hhea"], tables["hmtx"], tables["cmap"]
	if len(head) < 54 || len(hhea) < 36 || hmtx == nil || len(cmap) < 4 {
		return nil, fmt.Errorf("missing head, hhea, hmtx or cmap")
	}
	f := &face{ttf: ttf, unitsEm: float64(be.Uint16(head[18:])), advance: map[rune]uint16{}}
	nMetrics := int(be.Uint16(hhea[34:]))
	if nMetrics == 0 || 4*nMetrics > len(hmtx) || f.unitsEm == 0 {
		return nil, fmt.Errorf("bad metrics")
	}
	adv := func(glyph int) uint16 {
		if glyph >= nMetrics {
			glyph = nMetrics - 1
		}
		return be.Uint16(hmtx[4*glyph:])
	}
	glyphs, err := cmapGlyphs(cmap)
	if err != nil {
		return nil, err
	}
	for r, g := range glyphs {
		if g != 0 {
			f.advance[r] = adv(g)
		}
	}
	return f, nil
}

// cmapGlyphs maps characters to glyph indexes from the best Unicode
// subtable.
func cmapGlyphs(cmap []byte) (map[rune]int, error) {
	be := binary.BigEndian
	best, bestFormat := -1, 0
	for i := range int(be.Uint16(cmap[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		platform, encoding, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if off+4 > len(cmap) || !(platform == 0 || platform == 3 && (encoding == 1 || encoding == 10)) {
			continue
		}
		format := int(be.Uint16(cmap[off:]))
		if (format == 12 && bestFormat != 12) || (format == 4 && bestFormat == 0) {
			best, bestFormat = off, format
		}
	}
	out := map[rune]int{}
	switch bestFormat {
	case 4:
		t := cmap[best:]
		if len(t) < 14 {
			return nil, fmt.Errorf("short cmap format 4")
		}
		segs := int(be.Uint16(t[6:])) / 2
		ends, starts := 14, 16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		if ranges+2*segs > len(t) {
			return nil, fmt.Errorf("truncated cmap format 4")
		}
		for s := range segs {
			end, start := int(be.Uint16(t[ends+2*s:])), int(be.Uint16(t[starts+2*s:]))
			delta, ro := int(be.Uint16(t[deltas+2*s:])), int(be.Uint16(t[ranges+2*s:]))
			for c := start; c <= end && c != 0xFFFF; c++ {
				g := 0
				if ro == 0 {
					g = (c + delta) & 0xFFFF
				} else {
					at := ranges + 2*s + ro + 2*(c-start)
					if at+2 > len(t) {
						continue
					}
					if g = int(be.Uint16(t[at:])); g != 0 {
						g = (g + delta) & 0xFFFF
					}
				}
				out[rune(c)] = g
			}
		}
	case 12:
		t := cmap[best:]
		if len(t) < 16 {
			return nil, fmt.Errorf("short cmap format 12")
		}
		groups := int(be.Uint32(t[12:]))
		if 16+12*groups > len(t) {
			return nil, fmt.Errorf("truncated cmap format 12")
		}
		for i := range groups {
			g := t[16+12*i:]
			start, end, glyph := be.Uint32(g), be.Uint32(g[4:]), be.Uint32(g[8:])
			for c := start; c <= end && c <= 0x10FFFF; c++ {
				out[rune(c)] = int(glyph + c - start)
			}
		}
	default:
		return nil, fmt.Errorf("no Unicode cmap")
	}
	return out, nil
}
