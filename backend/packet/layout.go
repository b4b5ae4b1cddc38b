package packet

import (
	"strings"
	"unicode"
)

// The layout engine sets text on US Letter pages and records what it draws
// as a display list; the PDF and the SVG preview are both drawn from that
// list, so the preview is the document.

// Page geometry, in millimetres.
const (
	pageW   = 215.9
	pageH   = 279.4
	marginX = 20.0
	marginT = 22.0
	marginB = 24.0
	bodyW   = pageW - 2*marginX
)

// Colours used.
type rgb struct{ r, g, b uint8 }

var (
	ink    = rgb{0x1f, 0x29, 0x37}
	muted  = rgb{0x5b, 0x65, 0x72}
	accent = rgb{0x1d, 0x4e, 0x89}
	rule   = rgb{0xc9, 0xd1, 0xdb}
	shade  = rgb{0xee, 0xf2, 0xf7}
)

type opKind int

const (
	opText opKind = iota
	opRect        // filled rectangle
	opLine
	opImage
	opLink     // a clickable area leading to a page
	opBookmark // an outline entry (text, level)
)

// op is one drawing operation. Text is placed at its baseline (X, Y).
type op struct {
	kind       opKind
	x, y, w, h float64
	font       fontID
	size       float64
	color      rgb
	text       string
	image      string // attachment SHA-256
	target     int    // link target page (0-based)
	level      int    // bookmark level
}

type page struct{ ops []op }

// run is a stretch of text in one font.
type run struct {
	font fontID
	text string
	w    float64
}

// line is a laid-out line: runs and total width.
type line struct {
	runs []run
	w    float64
}

// style is a font choice: bold or not, size in points, colour.
type style struct {
	bold  bool
	size  float64
	color rgb
}

func (s style) leading() float64 { return s.size * mmPerPt * 1.35 }

// layout places content on pages.
type layout struct {
	pages  []*page
	y      float64         // next free position on the current page
	used   [fontCount]bool // the fallback fonts needed
	tocPos map[int]float64
	// onNewPage draws the running header of a new page.
	onNewPage func()
}

func newLayout() *layout { return &layout{} }

// face is one of the fonts, loaded when first needed; nil if it can't be
// (then it has no characters, and text falls back or prints U+FFFD).
func (l *layout) face(id fontID) *face {
	f, _ := getFace(id)
	return f
}

// merge notes the fonts a layout drawing on some of l's pages needed.
func (l *layout) merge(o *layout) {
	for i, u := range o.used {
		l.used[i] = l.used[i] || u
	}
}

func (l *layout) cur() *page { return l.pages[len(l.pages)-1] }

func (l *layout) pageIndex() int { return len(l.pages) - 1 }

func (l *layout) newPage() {
	l.pages = append(l.pages, &page{})
	l.y = marginT
	if l.onNewPage != nil {
		l.onNewPage()
	}
}

// need starts a new page unless h millimetres fit below the cursor.
func (l *layout) need(h float64) {
	if len(l.pages) == 0 || l.y+h > pageH-marginB {
		l.newPage()
	}
}

func (l *layout) add(o op) { p := l.cur(); p.ops = append(p.ops, o) }

// fontFor picks the font that has r: the style's own, else the fallback,
// else none (the caller substitutes U+FFFD).
func (l *layout) fontFor(r rune, bold bool) (fontID, bool) {
	main := fontRegular
	if bold {
		main = fontBold
	}
	if l.face(main).has(r) {
		return main, true
	}
	for _, f := range []fontID{fontFallback, fontHangul} {
		if l.face(f).has(r) {
			return f, true
		}
	}
	return main, false
}

// clean makes text printable: tabs and odd spaces become spaces, control
// characters go, characters no font has become U+FFFD.
func (l *layout) clean(s string, bold bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t' || unicode.IsSpace(r):
			b.WriteRune(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		default:
			if _, ok := l.fontFor(r, bold); !ok {
				r = '\uFFFD'
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// runs splits text into same-font runs with their widths.
func (l *layout) runs(s string, st style) []run {
	var out []run
	for _, r := range s {
		f, _ := l.fontFor(r, st.bold)
		if f >= fontFallback {
			l.used[f] = true
		}
		w := l.face(f).width(r, st.size)
		if n := len(out); n > 0 && out[n-1].font == f {
			out[n-1].text += string(r)
			out[n-1].w += w
			continue
		}
		out = append(out, run{font: f, text: string(r), w: w})
	}
	return out
}

func (l *layout) textWidth(s string, st style) float64 {
	w := 0.0
	for _, r := range l.runs(s, st) {
		w += r.w
	}
	return w
}

// breakable reports whether a line may break right after r (CJK text has
// no spaces; it may break between any two ideographs).
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// wrap breaks text into lines no wider than width: at spaces, between CJK
// characters, at hard newlines, and inside a word only when the word alone
// is wider than the line.
func (l *layout) wrap(s string, st style, width float64) []line {
	s = l.clean(s, st.bold)
	var out []line
	for _, para := range strings.Split(s, "\n") {
		out = append(out, l.wrapPara(para, st, width)...)
	}
	return out
}

func (l *layout) wrapPara(s string, st style, width float64) []line {
	width = max(width, 3)
	// Tokens: words (with their trailing space) and single CJK characters.
	var tokens []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			tokens = append(tokens, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case wide(r):
			flush()
			tokens = append(tokens, string(r))
		case r == ' ':
			cur.WriteRune(r)
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	var lines []line
	text, textW := "", 0.0 // textW: width of text without its trailing space
	space := l.textWidth(" ", st)
	emit := func() {
		lines = append(lines, l.mkLine(strings.TrimRight(text, " "), st))
		text, textW = "", 0
	}
	for _, tok := range tokens {
		word := strings.TrimRight(tok, " ")
		wordW := l.textWidth(word, st)
		gap := 0.0
		if strings.HasSuffix(text, " ") {
			gap = space
		}
		if textW+gap+wordW <= width {
			text += tok
			textW += gap + wordW
			continue
		}
		if strings.TrimSpace(text) != "" {
			emit()
		}
		// The word alone may still be too wide: break it by characters.
		for wordW > width && len([]rune(word)) > 1 {
			rs := []rune(word)
			n, w := 0, 0.0
			for n < len(rs) {
				cw := l.textWidth(string(rs[n]), st)
				if n > 0 && w+cw > width {
					break
				}
				w += cw
				n++
			}
			text = string(rs[:n])
			emit()
			word = string(rs[n:])
			tok = word + tok[len(strings.TrimRight(tok, " ")):]
			wordW = l.textWidth(word, st)
		}
		text, textW = tok, wordW
	}
	if strings.TrimSpace(text) != "" || len(lines) == 0 {
		emit()
	}
	return lines
}

func (l *layout) mkLine(s string, st style) line {
	rs := l.runs(s, st)
	w := 0.0
	for _, r := range rs {
		w += r.w
	}
	return line{runs: rs, w: w}
}

// drawLine puts a line with its baseline at y.
func (l *layout) drawLine(ln line, x, y float64, st style) {
	for _, r := range ln.runs {
		l.add(op{kind: opText, x: x, y: y, w: r.w, font: r.font, size: st.size, color: st.color, text: r.text})
		x += r.w
	}
}

// baseline is where text sits in a line box of the style's leading.
func (st style) baseline(top float64) float64 { return top + st.size*mmPerPt*1.02 }

// para flows text across pages at x with the given width.
func (l *layout) para(s string, st style, x, width float64) {
	for _, ln := range l.wrap(s, st, width) {
		l.need(st.leading())
		l.drawLine(ln, x, st.baseline(l.y), st)
		l.y += st.leading()
	}
}

// text draws a single line (no wrapping), aligned left, right or centred
// at x, with its line box top at y.
func (l *layout) text(s string, st style, x, y float64, align byte) float64 {
	ln := l.mkLine(l.clean(s, st.bold), st)
	switch align {
	case 'R':
		x -= ln.w
	case 'C':
		x -= ln.w / 2
	}
	l.drawLine(ln, x, st.baseline(y), st)
	return ln.w
}

func (l *layout) rect(x, y, w, h float64, c rgb) {
	l.add(op{kind: opRect, x: x, y: y, w: w, h: h, color: c})
}

func (l *layout) hline(x, y, w float64, c rgb) {
	l.add(op{kind: opLine, x: x, y: y, w: w, color: c})
}
