package packet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"onramp/backend/forms"
	"onramp/backend/testenv"
)

// Names in every script the packet must print.
var scriptNames = []string{
	"José Núñez", "Zoë Łukasiewicz", "Żaneta Wróblewska-Ślązak", "Αικατερίνη Παπαδοπούλου",
	"Анна Кузнецова", "王芳", "山田 花子", "김민지", "Nguyễn Thị Minh Khai", "Ørjan Æsøy", "Şükrü Çağlayan",
}

// Secrets planted in the data to prove they never print, even if an export
// were to carry them.
const (
	plantedPassword = "Caqh-S3cret!pw"
	plantedSSN      = "538-20-4417"
	plantedCAQHUser = "caqh-login-zq7x"
	plantedDOB      = "1911-11-11" // prints as "Nov 11, 1911"
)

func testImage(t testing.TB, kind string, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 160, 255})
		}
	}
	var b bytes.Buffer
	var err error
	if kind == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func addFile(d *Data, files map[string][]byte, form, field, name, typ string, b []byte) string {
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	files[h] = b
	d.Attachments = append(d.Attachments, Attachment{Form: form, Field: field, Name: name, Type: typ, Size: int64(len(b)), SHA256: h, Path: AttachmentPath(h, name)})
	return h
}

// long repeats s up to n characters.
func long(s string, n int) string {
	var b strings.Builder
	for b.Len() < n*2 {
		b.WriteString(s)
		b.WriteString(" ")
	}
	return string([]rune(b.String())[:n])
}

// worstDoc is a psychiatrist (so every section shows) with every repeating
// section ×20, the longest texts and names in every script.
func worstDoc(t testing.TB) Doc {
	d := Data{Format: DataFormat, Version: DataVersion, PacketID: "PKT-WRST-CASE", CreatedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		Provider: Provider{LegalName: "Αικατερίνη Παπαδοπούλου-王芳", Credentials: "MD", LicenseType: string(forms.LicensePsychiatrist),
			NPI: "1234567893", Email: "dr.papadopoulou@example.org", PracticeName: "Клиника «Здоровье» · 心理健康中心", SSNLast4: "6789"}}
	files := map[string][]byte{}
	mixed := strings.Join(scriptNames, ", ")
	gen := forms.NewData()
	cred := forms.NewData()
	for _, pair := range []struct {
		schema forms.Schema
		data   forms.Data
	}{{forms.GeneralForm(), gen}, {forms.CredentialingForm(), cred}} {
		for _, sec := range pair.schema.Sections {
			fill := func(f forms.Field, i int) string {
				switch f.Type {
				case "select", "yesno":
					return f.Options[(i+1)%len(f.Options)].Value
				case "multiselect":
					var vs []string
					for _, o := range f.Options {
						vs = append(vs, o.Value)
					}
					return strings.Join(vs, ",")
				case "date":
					return fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28)
				case "money":
					return fmt.Sprint(3_000_000 + i)
				case "checkbox":
					return "yes"
				case "textarea":
					return long(mixed+" — "+f.Label, max(f.MaxLength, 1500))
				case "secret":
					if f.Check == "ssn" {
						return plantedSSN
					}
					return plantedPassword
				case "file":
					name := f.Name + ".png"
					if i%2 == 0 {
						// One document per item: a license's copy in each of 20 licenses.
						return addFile(&d, files, pair.schema.ID, f.Name, f.Name+".pdf", "application/pdf", fmt.Appendf(nil, "%%PDF-1.4 %s %d", f.Name, i))
					}
					return addFile(&d, files, pair.schema.ID, f.Name, name, "image/png", testImage(t, "png", 300+10*i, 200))
				}
				n := f.MaxLength
				if n == 0 || n > 150 {
					n = 150
				}
				return long(scriptNames[i%len(scriptNames)]+" "+f.Label, n)
			}
			if sec.Repeat != nil {
				items := make([]map[string]string, 20)
				for i := range items {
					items[i] = map[string]string{}
					for _, f := range sec.Fields {
						if f.Type != "checkbox" || i == 0 {
							items[i][f.Name] = fill(f, i)
						}
					}
				}
				pair.data.Groups[sec.ID] = items
				continue
			}
			for i, f := range sec.Fields {
				pair.data.Fields[f.Name] = fill(f, i)
			}
		}
	}
	cred.Fields["caqhUsername"], cred.Fields["dateOfBirth"] = plantedCAQHUser, plantedDOB
	gen.Fields["headshot"] = addFile(&d, files, forms.FormGeneral, "headshot", "portrait-王芳.jpg", "image/jpeg", testImage(t, "jpeg", 400, 500))
	d.Forms = []Form{
		{ID: forms.FormGeneral, SchemaVersion: forms.GeneralForm().Version, Version: 3, SubmittedAt: d.CreatedAt.Add(-48 * time.Hour), SHA256: gen.Hash(), Data: gen},
		{ID: forms.FormCredentialing, SchemaVersion: forms.CredentialingForm().Version, Version: 7, SubmittedAt: d.CreatedAt.Add(-time.Hour), SHA256: cred.Hash(), Data: cred},
	}
	raw := d.Encode()
	return Doc{Data: d, Fingerprint: Fingerprint(raw), KeyFingerprint: strings.Repeat("ab", 32), Files: files}
}

// squash drops whitespace so that text wrapped across lines still matches.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(testenv.Path(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// checkPDF runs independent tools over a rendered packet: qpdf's structure
// check, pdffonts (every font embedded), and pdftotext (every value and
// name printed, no secret).
func checkPDF(t *testing.T, doc Doc, name string) {
	pdf, err := RenderPDF(doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if out := os.Getenv("PACKET_PDF_DIR"); out != "" {
		dir = out
	}
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	testenv.Need(t, "qpdf", "pdffonts", "pdftotext")
	if out := tool(t, "qpdf", "--check", path); !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check: %s", out)
	}
	fonts := strings.Split(strings.TrimSpace(tool(t, "pdffonts", path)), "\n")
	if len(fonts) < 3 {
		t.Fatalf("pdffonts lists no fonts:\n%s", strings.Join(fonts, "\n"))
	}
	for _, row := range fonts[2:] {
		if f := strings.Fields(row); len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", row)
		}
	}
	text := tool(t, "pdftotext", "-enc", "UTF-8", path, "-")
	flat := squash(text)
	want := func(what, s string) {
		t.Helper()
		if s = squash(s); s != "" && !strings.Contains(flat, s) {
			t.Errorf("%s: %.80q is not in the PDF's text", what, s)
		}
	}
	d := doc.Data
	want("provider", d.Provider.LegalName)
	want("NPI", d.Provider.NPI)
	want("packet ID", d.PacketID)
	want("content fingerprint", doc.Fingerprint)
	want("key fingerprint", doc.KeyFingerprint)
	if len(doc.PublicKey) > 0 {
		want("public key", base64.StdEncoding.EncodeToString(doc.PublicKey))
	}
	want("license type", optionLabel(forms.LicenseTypes, d.Provider.LicenseType))
	values := map[string]string{"$licenseType": d.Provider.LicenseType}
	for _, form := range d.Forms {
		schema, _ := forms.SchemaAt(form.ID, form.SchemaVersion)
		for _, sec := range schema.Sections {
			if !forms.Holds(sec.ShowWhen, form.Data.Fields, values) {
				continue
			}
			want("section", sec.Title)
			check := func(f forms.Field, v string, where string) {
				shown := display(doc, form, f, v)
				want(where+" "+f.Name, shown)
				switch f.Type {
				case "text", "textarea", "tel", "email":
					if !f.Sealed {
						want(where+" "+f.Name+" (as entered)", v)
					}
				}
			}
			if sec.Repeat != nil {
				for i, it := range form.Data.Groups[sec.ID] {
					for _, f := range sec.Fields {
						if f.Type != "checkbox" && forms.Holds(f.ShowWhen, it, values) && !(f.Name == "end" && it["current"] == "yes") {
							check(f, it[f.Name], fmt.Sprintf("%s %d", sec.ID, i+1))
						}
					}
				}
				continue
			}
			for _, f := range sec.Fields {
				if forms.Holds(f.ShowWhen, form.Data.Fields, values) && f.Type != "secret" {
					check(f, form.Data.Fields[f.Name], sec.ID)
				}
			}
		}
	}
	for _, a := range d.Attachments {
		want("attachment hash", a.SHA256)
		want("attachment name", a.Name)
	}
	for _, secret := range []string{plantedPassword, plantedSSN, "538204417", "20-4417", plantedCAQHUser, plantedDOB, "Nov 11, 1911", "11/11/1911"} {
		if strings.Contains(flat, squash(secret)) || bytes.Contains(pdf, []byte(secret)) {
			t.Errorf("the secret %q is in the PDF", secret)
		}
	}
	if d.Provider.SSNLast4 != "" {
		want("SSN, last four only", "•••-••-"+d.Provider.SSNLast4)
	}
	pages := strings.Count(text, "\f")
	want("last footer", fmt.Sprintf("Page %d of %d", pages, pages))
}

func TestPDFOfRealisticProvider(t *testing.T) {
	doc := exampleDoc(t)
	key, _ := GenerateKey()
	pub := key.Public().(ed25519.PublicKey)
	doc.PublicKey, doc.KeyFingerprint = pub, KeyFingerprint(pub)
	doc.Data.Forms[1].Data.Fields["caqhPassword"] = plantedPassword
	doc.Data.Forms[1].Data.Fields["ssn"] = plantedSSN
	doc.Data.Forms[1].Data.Fields["caqhUsername"] = plantedCAQHUser
	doc.Data.Forms[1].Data.Fields["dateOfBirth"] = plantedDOB
	checkPDF(t, doc, "realistic")
}

func TestPDFOfWorstCase(t *testing.T) {
	doc := worstDoc(t)
	checkPDF(t, doc, "worst-case")
	for _, n := range scriptNames {
		if !strings.Contains(doc.Data.Forms[0].Data.Fields["bio"], n) {
			t.Fatalf("the worst case should carry %q", n)
		}
	}
}

func TestUnknownCharactersPrintAsReplacement(t *testing.T) {
	if err := loadFaces(); err != nil {
		t.Fatal(err)
	}
	l := newLayout()
	f := [fontCount]*face{}
	for id := range fontCount {
		f[id] = l.face(id)
	}
	got := l.clean("a\u0007b\u200bc\U0001F600d\tz", false)
	if got != "abc\uFFFDd z" {
		t.Errorf("clean = %q", got)
	}
	for _, r := range "ąęłńóśźżĄĘŁŃÓŚŹŻ αβγΩ жЖщЩ ñüöéèç ệả" {
		if r != ' ' && !f[fontRegular].has(r) {
			t.Errorf("DejaVu subset lacks %q", r)
		}
	}
	for _, r := range "王芳山田花子漢字繁體ひらがなカタカナ" {
		if !f[fontFallback].has(r) {
			t.Errorf("CJK fallback lacks %q", r)
		}
	}
	l2 := newLayout()
	for _, r := range "김민지박서준이하은최정훈한국어" {
		if font, ok := l2.fontFor(r, false); !ok || font != fontHangul {
			t.Errorf("%q is not set in the Hangul font", r)
		}
	}
}

func TestWrapNeverOverflows(t *testing.T) {
	l := newLayout()
	for _, s := range append(scriptNames, strings.Repeat("W", 500), strings.Repeat("王", 300), "a b  c\n\nd", "", strings.Repeat("x ", 400)) {
		for _, w := range []float64{3, 10, 40, 175} {
			for _, ln := range l.wrap(s, stBody, w) {
				if ln.w > max(w, 3)+0.01 && len([]rune(runsText(ln))) > 1 {
					t.Errorf("%.20q at %v mm: a line is %.1f mm wide", s, w, ln.w)
				}
			}
			if got, want := squash(joinLines(l.wrap(s, stBody, w))), squash(l.clean(s, false)); got != want {
				t.Errorf("%.20q at %v mm: wrapping lost text: %.40q", s, w, got)
			}
		}
	}
}

func runsText(ln line) string {
	var b strings.Builder
	for _, r := range ln.runs {
		b.WriteString(r.text)
	}
	return b.String()
}

func joinLines(ls []line) string {
	var b strings.Builder
	for _, ln := range ls {
		b.WriteString(runsText(ln))
	}
	return b.String()
}
