package packet

import (
	"bytes"
	"fmt"

	"github.com/jung-kurt/gofpdf"
)

// RenderPDF makes the credentialing packet PDF.
func RenderPDF(doc Doc) ([]byte, error) {
	if err := loadFaces(); err != nil {
		return nil, err
	}
	doc.pictures = drawPictures(doc)
	l, err := compose(doc)
	if err != nil {
		return nil, err
	}
	return writePDF(l, doc)
}

func writePDF(l *layout, doc Doc) ([]byte, error) {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: pageW, Ht: pageH}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(true)
	d := doc.Data
	pdf.SetTitle("Credentialing packet: "+d.Provider.LegalName, true)
	pdf.SetAuthor(d.Provider.LegalName, true)
	pdf.SetSubject("Packet "+d.PacketID+", content fingerprint "+doc.Fingerprint, true)
	pdf.SetCreator("Onramp", true)
	pdf.SetProducer("Onramp", true)
	pdf.SetCreationDate(d.CreatedAt)
	pdf.SetModificationDate(d.CreatedAt)
	pdf.SetCatalogSort(true)

	for id := range fontCount {
		if id >= fontFallback && !l.used[id] {
			continue
		}
		pdf.AddUTF8FontFromBytes(fontInfo[id].family, fontInfo[id].style, l.face(id).ttf)
	}
	images := map[string]bool{}
	links := make([]int, len(l.pages))
	for i := range links {
		links[i] = pdf.AddLink()
	}
	for i, p := range l.pages {
		pdf.AddPage()
		pdf.SetLink(links[i], 0, i+1)
		for _, o := range p.ops {
			switch o.kind {
			case opText:
				pdf.SetFont(fontInfo[o.font].family, fontInfo[o.font].style, o.size)
				pdf.SetTextColor(int(o.color.r), int(o.color.g), int(o.color.b))
				pdf.Text(o.x, o.y, o.text)
			case opRect:
				pdf.SetFillColor(int(o.color.r), int(o.color.g), int(o.color.b))
				pdf.Rect(o.x, o.y, o.w, o.h, "F")
			case opLine:
				pdf.SetDrawColor(int(o.color.r), int(o.color.g), int(o.color.b))
				pdf.SetLineWidth(0.2)
				pdf.Line(o.x, o.y, o.x+o.w, o.y)
			case opImage:
				// Images are registered by their rendition's content: two
				// originals can draw the same (say, one PNG plain and one
				// interlaced), and the PDF library would write one resource
				// name twice for them.
				pic := doc.pictures[o.image]
				name := renditionName(pic)
				if !images[name] {
					pdf.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: pdfImageType(pic)}, bytes.NewReader(pic.Data))
					images[name] = true
				}
				pdf.ImageOptions(name, o.x, o.y, o.w, o.h, false, gofpdf.ImageOptions{}, 0, "")
			case opLink:
				pdf.Link(o.x, o.y, o.w, o.h, links[o.target])
			case opBookmark:
				pdf.Bookmark(o.text, o.level, o.y)
			}
			if err := pdf.Error(); err != nil {
				return nil, fmt.Errorf("page %d: %w", i+1, err)
			}
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write the PDF: %w", err)
	}
	return buf.Bytes(), nil
}
