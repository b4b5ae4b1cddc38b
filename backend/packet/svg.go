package packet

import (
	"encoding/base64"
	"fmt"
	"html"
	"strings"
)

// RenderPages draws the packet's pages as SVG for the in-app preview. They
// come from the same display list as the PDF, so the preview is the
// document, page for page.
func RenderPages(doc Doc) ([]string, error) {
	if err := loadFaces(); err != nil {
		return nil, err
	}
	doc.pictures = drawPictures(doc)
	l, err := compose(doc)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(l.pages))
	for i, p := range l.pages {
		out[i] = pageSVG(p, doc, i, len(l.pages))
	}
	return out, nil
}

func pageSVG(p *page, doc Doc, n, total int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.1f %.1f" role="img" aria-label="Page %d of %d">`, pageW, pageH, n+1, total)
	fmt.Fprintf(&b, `<rect width="%.1f" height="%.1f" fill="#fff"/>`, pageW, pageH)
	for _, o := range p.ops {
		fill := fmt.Sprintf("#%02x%02x%02x", o.color.r, o.color.g, o.color.b)
		switch o.kind {
		case opText:
			weight := "normal"
			if o.font == fontBold {
				weight = "bold"
			}
			fmt.Fprintf(&b, `<text x="%.2f" y="%.2f" font-family="%s, sans-serif" font-weight="%s" font-size="%.3f" fill="%s" textLength="%.2f" lengthAdjust="spacingAndGlyphs" xml:space="preserve">%s</text>`,
				o.x, o.y, fontInfo[o.font].css, weight, o.size*mmPerPt, fill, o.w, html.EscapeString(o.text))
		case opRect:
			fmt.Fprintf(&b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s"/>`, o.x, o.y, o.w, o.h, fill)
		case opLine:
			fmt.Fprintf(&b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="0.2"/>`, o.x, o.y, o.x+o.w, o.y, fill)
		case opImage:
			pic, ok := doc.pictures[o.image]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, `<image x="%.2f" y="%.2f" width="%.2f" height="%.2f" preserveAspectRatio="none" href="data:%s;base64,%s"/>`,
				o.x, o.y, o.w, o.h, pic.Type, base64.StdEncoding.EncodeToString(pic.Data))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}
