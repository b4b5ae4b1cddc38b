package packet

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"onramp/backend/forms"
	"onramp/backend/picture"
)

// Doc is what the credentialing packet PDF is made from.
type Doc struct {
	Data           Data
	Fingerprint    string            // content fingerprint: SHA-256 of data.json, hex
	KeyFingerprint string            // the signing key's fingerprint, hex
	PublicKey      ed25519.PublicKey // the signing key, printed on the cover
	Files          map[string][]byte // attachment contents by SHA-256

	// pictures are the images drawn, by SHA-256: renditions of Files made
	// by RenderPDF and RenderPages (see pictures.go).
	pictures map[string]picture.Rendition
}

// NewDoc is the document for data.json as encoded, signed by pub.
func NewDoc(d Data, dataJSON []byte, pub ed25519.PublicKey, files map[string][]byte) Doc {
	return Doc{Data: d, Fingerprint: Fingerprint(dataJSON), KeyFingerprint: KeyFingerprint(pub), PublicKey: pub, Files: files}
}

// tocEntry is a line of the table of contents.
type tocEntry struct {
	title string
	level int
	page  int
	y     float64
}

// compose lays the whole document out.
func compose(doc Doc) (*layout, error) {
	d := doc.Data
	l := newLayout()
	values := map[string]string{"$licenseType": d.Provider.LicenseType, "$legalName": d.Provider.LegalName}

	l.newPage()
	coverPage(l, doc)

	// The contents come second; they are drawn once the page numbers are
	// known, on pages reserved now.
	var toc []tocEntry
	planned := 2 // the contents' own entries: attachments, attestation
	for _, form := range d.Forms {
		s, _ := forms.SchemaAt(form.ID, form.SchemaVersion)
		planned++
		for _, sec := range s.Sections {
			if forms.Holds(sec.ShowWhen, form.Data.Fields, values) {
				planned++
			}
		}
	}
	const tocPerPage = 34
	tocFirst := len(l.pages)
	tocPages := (planned + tocPerPage - 1) / tocPerPage
	for range tocPages {
		l.newPage()
	}

	l.onNewPage = func() { runningHeader(l, d) }
	for n, form := range d.Forms {
		schema, _ := forms.SchemaAt(form.ID, form.SchemaVersion) // as it was submitted
		l.newPage()
		title := fmt.Sprintf("%d  %s", n+1, schema.Title)
		p, y := l.heading(title, stH1, 0, 30)
		toc = append(toc, tocEntry{title, 0, p, y})
		l.para(fmt.Sprintf("Submitted version %d on %s · form schema version %d · SHA-256 %s",
			form.Version, when(form.SubmittedAt), form.SchemaVersion, form.SHA256), stSmall, marginX, bodyW)
		l.y += 2
		for _, sec := range schema.Sections {
			if !forms.Holds(sec.ShowWhen, form.Data.Fields, values) {
				continue
			}
			p, y := l.heading(sec.Title, stH2, 1, 16)
			toc = append(toc, tocEntry{sec.Title, 1, p, y})
			section(l, doc, form, sec, values)
		}
	}

	l.newPage()
	p, y := l.heading("Attachments", stH1, 0, 30)
	toc = append(toc, tocEntry{"Attachments", 0, p, y})
	attachments(l, doc)

	l.newPage()
	p, y = l.heading("Attestation", stH1, 0, 60)
	toc = append(toc, tocEntry{"Attestation", 0, p, y})
	attestation(l, doc)

	l.onNewPage = nil
	contents(l, toc, tocFirst, tocPerPage)
	footers(l, d)
	return l, nil
}

func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("January 2, 2006 at 15:04 UTC")
}

func coverPage(l *layout, doc Doc) {
	d := doc.Data
	l.rect(0, 0, pageW, 52, accent)
	white := rgb{0xff, 0xff, 0xff}
	l.text("ONRAMP · BEHAVIORAL HEALTH NETWORK", style{bold: true, size: 9, color: rgb{0xc8, 0xd8, 0xee}}, marginX, 16, 'L')
	l.text("Credentialing packet", style{bold: true, size: 26, color: white}, marginX, 24, 'L')
	l.y = 66

	textW := bodyW
	if img, ok := headshot(doc); ok {
		w, h := fitImage(img.w, img.h, 42, 52)
		l.add(op{kind: opImage, x: pageW - marginX - w, y: l.y, w: w, h: h, image: img.sha})
		textW = bodyW - 50
	}
	name := d.Provider.LegalName
	if d.Provider.Credentials != "" {
		name += ", " + d.Provider.Credentials
	}
	l.para(name, stTitle, marginX, textW)
	l.y += 1
	l.para(optionLabel(forms.LicenseTypes, d.Provider.LicenseType), style{size: 12, color: muted}, marginX, textW)
	l.y += 4
	facts := [][2]string{{"NPI", orDash(d.Provider.NPI)}}
	if d.Provider.PracticeName != "" {
		facts = append(facts, [2]string{"Practice", d.Provider.PracticeName})
	}
	facts = append(facts, [2]string{"Email", orDash(d.Provider.Email)})
	for _, f := range facts {
		l.text(f[0], stLabel, marginX, l.y+0.5, 'L')
		l.para(f[1], stBody, marginX+24, textW-24)
		l.y += 0.8
	}
	l.y = max(l.y, 130)

	l.heading("Packet", stH2, 1, 40)
	rows := [][2]string{
		{"Packet ID", d.PacketID},
		{"Generated", when(d.CreatedAt)},
		{"Content fingerprint", ShortFingerprint(doc.Fingerprint) + "\nSHA-256 of data.json: " + doc.Fingerprint},
		{"Signed with key", signedWith(doc)},
	}
	for _, f := range d.Forms {
		s, _ := forms.SchemaByID(f.ID)
		rows = append(rows, [2]string{s.Title, fmt.Sprintf("Version %d, submitted %s", f.Version, when(f.SubmittedAt))})
	}
	rows = append(rows, [2]string{"Attachments", strconv.Itoa(len(d.Attachments))})
	l.pairs(rows)
	l.y += 2
	l.para("This PDF is one file of a signed support packet (.onramp). To check that nothing in the packet was changed, run "+
		"“onramp-packet verify <file>” or use Open packet… in Onramp: it must report the same content fingerprint as above.", stSmall, marginX, bodyW)
}

func signedWith(doc Doc) string {
	s := ShortFingerprint(doc.KeyFingerprint) + "\nEd25519 key fingerprint: " + doc.KeyFingerprint
	if len(doc.PublicKey) == ed25519.PublicKeySize {
		s += "\nPublic key (base64): " + base64.StdEncoding.EncodeToString(doc.PublicKey)
	}
	return s
}

func runningHeader(l *layout, d Data) {
	name := d.Provider.LegalName
	if d.Provider.Credentials != "" {
		name += ", " + d.Provider.Credentials
	}
	l.text(name, stSmall, marginX, 10, 'L')
	l.text("Credentialing packet "+d.PacketID, stSmall, pageW-marginX, 10, 'R')
	l.hline(marginX, 15, bodyW, rule)
}

func footers(l *layout, d Data) {
	n := len(l.pages)
	for i, p := range l.pages {
		page := &layout{pages: []*page{p}}
		page.hline(marginX, pageH-16, bodyW, rule)
		page.text("Packet "+d.PacketID, stSmall, marginX, pageH-14, 'L')
		page.text(fmt.Sprintf("Page %d of %d", i+1, n), stSmall, pageW-marginX, pageH-14, 'R')
		l.merge(page)
	}
}

// contents draws the table of contents on its reserved pages, each line
// linked to its page.
func contents(l *layout, toc []tocEntry, first, perPage int) {
	for i, e := range toc {
		pi := first + i/perPage
		pl := &layout{pages: []*page{l.pages[pi]}}
		if i%perPage == 0 {
			pl.y = marginT
			title := "Contents"
			if i > 0 {
				title = "Contents (continued)"
			}
			pl.heading(title, stH1, 0, 0)
			pl.y += 2
		} else {
			pl.y = l.tocY(pi)
		}
		st, indent := stH2, 0.0
		if e.level > 0 {
			st, indent = stBody, 8
		}
		num := strconv.Itoa(e.page + 1)
		top := pl.y
		pl.text(e.title, st, marginX+indent, top, 'L')
		pl.text(num, st, pageW-marginX, top, 'R')
		tw, nw := pl.textWidth(e.title, st), pl.textWidth(num, st)
		dots := marginX + indent + tw + 2
		for x := dots; x < pageW-marginX-nw-3; x += 2.2 {
			pl.add(op{kind: opRect, x: x, y: st.baseline(top) - 0.4, w: 0.35, h: 0.35, color: rule})
		}
		pl.add(op{kind: opLink, x: marginX, y: top, w: bodyW, h: st.leading(), target: e.page})
		pl.y = top + st.leading() + 1.8
		if e.level == 0 {
			pl.y += 1.5
		}
		l.setTocY(pi, pl.y)
		l.merge(pl)
	}
}

// tocY remembers where the contents continue on each of their pages.
func (l *layout) tocY(pi int) float64 { return l.tocPos[pi] }

func (l *layout) setTocY(pi int, y float64) {
	if l.tocPos == nil {
		l.tocPos = map[int]float64{}
	}
	l.tocPos[pi] = y
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func optionLabel(opts []forms.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// section draws one form section: label/value rows, or a table for a
// repeating one.
func section(l *layout, doc Doc, form Form, sec forms.Section, values map[string]string) {
	if sec.Repeat != nil {
		items := form.Data.Groups[sec.ID]
		if len(items) == 0 {
			l.para("None entered.", stLabel, marginX, bodyW)
			l.y += 2
			return
		}
		cols := []column{{title: "#", weight: 0.3, st: stCell}}
		var fields []forms.Field
		for _, f := range sec.Fields {
			if f.Type == "checkbox" && sec.ID == "work" {
				continue // "I work here now" shows as "Present" in Ended
			}
			fields = append(fields, f)
			w := 1.0
			switch f.Type {
			case "date", "select":
				w = 0.75
			case "text", "textarea":
				if f.MaxLength >= 100 || f.Wide {
					w = 1.6
				}
			}
			cols = append(cols, column{title: f.Label, weight: w, st: stCell})
		}
		rows := make([][]string, len(items))
		for i, it := range items {
			row := []string{strconv.Itoa(i + 1)}
			for _, f := range fields {
				v := ""
				switch {
				case sec.ID == "work" && f.Name == "end" && it["current"] == "yes":
					v = "Present"
				case forms.Holds(f.ShowWhen, it, values):
					v = display(doc, form, f, it[f.Name])
				}
				row = append(row, v)
			}
			rows[i] = row
		}
		l.grid(cols, rows, marginX, bodyW)
		return
	}
	var rows [][2]string
	for _, f := range sec.Fields {
		if !forms.Holds(f.ShowWhen, form.Data.Fields, values) {
			continue
		}
		rows = append(rows, [2]string{f.Label, display(doc, form, f, form.Data.Fields[f.Name])})
	}
	if len(rows) > 0 {
		l.pairs(rows)
	}
}

const notProvided = "Not provided"

// notIncluded stands for a secret or sealed field's value.
const notIncluded = "Not included: kept encrypted, sent to the network sealed"

// display is how a stored value prints. Secret and sealed fields never
// print, whatever the data holds: the SSN only as its last four, the CAQH
// login and the date of birth not at all (the network receives them
// sealed to its key, apart from the packet).
func display(doc Doc, form Form, f forms.Field, v string) string {
	v = strings.TrimSpace(v)
	if f.Type == "secret" || f.Sealed {
		if f.Check == "ssn" {
			if last := doc.Data.Provider.SSNLast4; len(last) == 4 {
				return "•••-••-" + last
			}
			return notProvided
		}
		return notIncluded
	}
	if v == "" {
		if f.Type == "checkbox" {
			return "No"
		}
		return notProvided
	}
	switch f.Type {
	case "select":
		return optionLabel(f.Options, v)
	case "multiselect":
		parts := strings.Split(v, ",")
		for i, p := range parts {
			parts[i] = optionLabel(f.Options, strings.TrimSpace(p))
		}
		return strings.Join(parts, ", ")
	case "yesno":
		return optionLabel(f.Options, v)
	case "checkbox":
		if v == "yes" {
			return "Yes"
		}
		return "No"
	case "date":
		if t, err := time.Parse("2006-01-02", v); err == nil {
			return t.Format("Jan 2, 2006")
		}
	case "money":
		return forms.FormatMoney(v)
	case "file":
		for i, a := range doc.Data.Attachments {
			if a.SHA256 == v {
				return fmt.Sprintf("%s (attachment %d, %s)", a.Name, i+1, size(a.Size))
			}
		}
		return "File not in this packet"
	}
	return v
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// fieldLabel names the field an attachment was recorded for; its Field is a
// path, "licenses.0.document" for the first license's copy.
func fieldLabel(doc Doc, a Attachment) string {
	if f, ok := doc.Data.Form(a.Form); ok {
		s, _ := forms.SchemaAt(f.ID, f.SchemaVersion)
		return forms.FileLabel(s, f.Data, a.Field)
	}
	if s, ok := forms.SchemaByID(a.Form); ok {
		return forms.FileLabel(s, forms.NewData(), a.Field)
	}
	return a.Field
}

// usedFor names every upload field of the submitted forms that holds the
// attachment (one file can serve as, say, both the DEA and the board
// certificate), each license by its state and number ("State license CA
// NP123"), else the field it was recorded for.
func usedFor(doc Doc, a Attachment) string {
	var labels []string
	for _, f := range doc.Data.Forms {
		s, _ := forms.SchemaAt(f.ID, f.SchemaVersion)
		for _, r := range forms.Files(s, f.Data) {
			if r.Hash == a.SHA256 {
				labels = append(labels, forms.FileLabel(s, f.Data, r.Path))
			}
		}
	}
	if len(labels) == 0 {
		return fieldLabel(doc, a)
	}
	return strings.Join(labels, "; ")
}

func attachments(l *layout, doc Doc) {
	d := doc.Data
	if len(d.Attachments) == 0 {
		l.para("No documents were attached.", stBody, marginX, bodyW)
		return
	}
	l.para("Every file is included in the packet's attachments folder under the path shown; its SHA-256 is checked by verification. Images are shown below; other files are listed.", stSmall, marginX, bodyW)
	l.y += 2
	rows := make([][]string, len(d.Attachments))
	details := make([]string, len(d.Attachments))
	for i, a := range d.Attachments {
		rows[i] = []string{strconv.Itoa(i + 1), usedFor(doc, a), a.Name, kindName(a.Type), size(a.Size)}
		details[i] = "SHA-256 " + a.SHA256 + "\n" + a.Path
	}
	l.gridDetails([]column{
		{title: "#", weight: 0.05, st: stCell}, {title: "Document", weight: 0.3, st: stCell}, {title: "File", weight: 0.41, st: stCell},
		{title: "Type", weight: 0.1, st: stCell}, {title: "Size", weight: 0.14, st: stCell},
	}, rows, details, marginX, bodyW)
	for i, a := range d.Attachments {
		img, ok := imageOf(doc, a)
		if !ok {
			if isImage(a.Type) {
				l.y += 4
				l.para(fmt.Sprintf("Attachment %d · %s · %s: this image could not be drawn here; the file itself is in the packet's attachments folder.", i+1, usedFor(doc, a), a.Name), stSmall, marginX, bodyW)
			}
			continue
		}
		w, h := fitImage(img.w, img.h, imageMaxW, imageMaxH)
		l.need(h + 14)
		l.y += 4
		l.para(fmt.Sprintf("Attachment %d · %s · %s", i+1, usedFor(doc, a), a.Name), stH2, marginX, bodyW)
		l.y += 1
		l.add(op{kind: opImage, x: marginX, y: l.y, w: w, h: h, image: img.sha})
		l.rect(marginX, l.y+h, w, 0.2, rule)
		l.y += h + 3
	}
}

func kindName(mime string) string {
	switch mime {
	case "application/pdf":
		return "PDF"
	case "image/png":
		return "PNG"
	case "image/jpeg":
		return "JPEG"
	}
	return mime
}

func attestation(l *layout, doc Doc) {
	d := doc.Data
	form, ok := d.Form(forms.FormCredentialing)
	if !ok {
		l.para("This packet has no Credentialing (Insurance) form, so it holds no attestation.", stBody, marginX, bodyW)
		return
	}
	l.para("By submitting the Credentialing (Insurance) form, the provider made this attestation:", stBody, marginX, bodyW)
	l.y += 4
	top := l.y
	l.rect(marginX, top, 1.2, 14, accent)
	l.y += 2
	l.para("“I attest that the information in this form is true and complete.”", style{bold: true, size: 12, color: ink}, marginX+6, bodyW-6)
	l.y = max(l.y, top+14) + 6
	typed := strings.TrimSpace(form.Data.Fields["attestName"])
	ticked := "No"
	if form.Data.Fields["attestTrue"] == "yes" {
		ticked = "Yes, the box was ticked"
	}
	l.pairs([][2]string{
		{"Full legal name, as typed", orDash(typed)},
		{"Legal name on file", d.Provider.LegalName},
		{"Attestation box", ticked},
		{"Submitted", when(form.SubmittedAt)},
		{"Form version", fmt.Sprintf("Version %d (form schema version %d)", form.Version, form.SchemaVersion)},
		{"SHA-256 of the submitted data", form.SHA256},
	})
	l.y += 4
	l.para("The attestation is electronic: the provider typed their full legal name and ticked the box in Onramp, which records the submission unchangeably with the hash above. This packet is signed; its verification covers this page.", stSmall, marginX, bodyW)
}
