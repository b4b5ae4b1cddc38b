package packet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/testenv"
)

func benchKey(b *testing.B) ed25519.PrivateKey {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	return key
}

func benchMake(b *testing.B, doc Doc) {
	key := benchKey(b)
	doc.Data = packable(doc.Data)
	loadFaces() // once per process, as in the app
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Make(io.Discard, doc.Data, doc.Files, key, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/packet")
}

// BenchmarkBuildRealistic makes the example provider's whole signed packet
// (PDF, data.json, attachments, manifest, signature).
func BenchmarkBuildRealistic(b *testing.B) { benchMake(b, exampleDoc(b)) }

// BenchmarkBuildWorstCase: every repeating section ×20, the longest texts,
// names in eleven scripts, eight attachments.
func BenchmarkBuildWorstCase(b *testing.B) { benchMake(b, worstDoc(b)) }

// BenchmarkVerify reads and verifies a packet carrying 40 MB of documents
// through the one reader.
func BenchmarkVerify(b *testing.B) {
	doc := exampleDoc(b)
	for i := range 5 {
		blob := make([]byte, 8<<20)
		rand.Read(blob)
		copy(blob, "%PDF-1.4\n")
		addFile(&doc.Data, doc.Files, forms.FormCredentialing, "cvDoc", fmt.Sprintf("scan-%d.pdf", i), "application/pdf", blob)
	}
	var buf bytes.Buffer
	if _, err := Make(&buf, doc.Data, doc.Files, benchKey(b), nil); err != nil {
		b.Fatal(err)
	}
	raw := buf.Bytes()
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for b.Loop() {
		if _, problems := Open(bytes.NewReader(raw), int64(len(raw)), Options{}); len(problems) > 0 {
			b.Fatal(problems)
		}
	}
}

// BenchmarkChromiumPrintToPDF is the baseline a credentialing team would
// otherwise use: the same content as an HTML page, printed to PDF by
// headless Chromium (a fresh browser per document, as a script would).
func BenchmarkChromiumPrintToPDF(b *testing.B) {
	chromium := testenv.Path(b, "chromium")
	dir := b.TempDir()
	page := filepath.Join(dir, "packet.html")
	if err := os.WriteFile(page, []byte(baselineHTML(b, exampleDoc(b))), 0o644); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "packet.pdf")
	b.ResetTimer()
	for i := range b.N {
		profile := filepath.Join(dir, fmt.Sprintf("profile-%d", i))
		cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+profile,
			"--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+page)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("chromium: %v\n%s", err, msg)
		}
	}
	b.StopTimer()
	if st, err := os.Stat(out); err != nil || st.Size() < 1000 {
		b.Fatalf("chromium made no PDF: %v", err)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/packet")
}

// baselineHTML renders the packet's content as one HTML page: the cover
// facts, every section as label/value rows or a table, the attachment
// index with images, and the attestation.
func baselineHTML(b testing.TB, doc Doc) string {
	type row struct{ Label, Value string }
	type table struct {
		Head []string
		Rows [][]string
	}
	type section struct {
		Title string
		Rows  []row
		Table *table
	}
	type form struct {
		Title    string
		Sections []section
	}
	var fs []form
	values := map[string]string{"$licenseType": doc.Data.Provider.LicenseType}
	for _, f := range doc.Data.Forms {
		schema, _ := forms.SchemaByID(f.ID)
		out := form{Title: schema.Title}
		for _, sec := range schema.Sections {
			if !forms.Holds(sec.ShowWhen, f.Data.Fields, values) {
				continue
			}
			s := section{Title: sec.Title}
			if sec.Repeat != nil {
				t := &table{}
				for _, fl := range sec.Fields {
					t.Head = append(t.Head, fl.Label)
				}
				for _, it := range f.Data.Groups[sec.ID] {
					var r []string
					for _, fl := range sec.Fields {
						r = append(r, display(doc, f, fl, it[fl.Name]))
					}
					t.Rows = append(t.Rows, r)
				}
				s.Table = t
			} else {
				for _, fl := range sec.Fields {
					if forms.Holds(fl.ShowWhen, f.Data.Fields, values) {
						s.Rows = append(s.Rows, row{fl.Label, display(doc, f, fl, f.Data.Fields[fl.Name])})
					}
				}
			}
			out.Sections = append(out.Sections, s)
		}
		fs = append(fs, out)
	}
	type att struct {
		Attachment
		Image template.URL
	}
	var atts []att
	for _, a := range doc.Data.Attachments {
		x := att{Attachment: a}
		if strings.HasPrefix(a.Type, "image/") {
			x.Image = template.URL("data:" + a.Type + ";base64," + base64.StdEncoding.EncodeToString(doc.Files[a.SHA256]))
		}
		atts = append(atts, x)
	}
	tpl := template.Must(template.New("p").Parse(`<!doctype html><html><head><meta charset="utf-8"><title>Credentialing packet</title>
<style>@page{size:letter;margin:20mm}body{font-family:"DejaVu Sans",sans-serif;font-size:10pt;color:#1f2937}
h1{color:#1d4e89}h2{color:#1d4e89;page-break-before:always}table{width:100%;border-collapse:collapse;margin:6px 0}
td,th{border-bottom:1px solid #c9d1db;padding:4px;text-align:left;vertical-align:top}th{background:#eef2f7}
td.l{color:#5b6572;width:36%}img{max-width:75mm;max-height:95mm}</style></head><body>
<h1>Credentialing packet</h1><p><strong>{{.P.LegalName}}, {{.P.Credentials}}</strong><br>NPI {{.P.NPI}}<br>{{.P.Email}}</p>
<table><tr><td class=l>Packet ID</td><td>{{.ID}}</td></tr><tr><td class=l>Content fingerprint</td><td>{{.FP}}</td></tr><tr><td class=l>Signed with key</td><td>{{.KFP}}</td></tr></table>
<h2>Contents</h2><ol>{{range .Forms}}<li>{{.Title}}<ol>{{range .Sections}}<li>{{.Title}}</li>{{end}}</ol></li>{{end}}<li>Attachments</li><li>Attestation</li></ol>
{{range .Forms}}<h2>{{.Title}}</h2>{{range .Sections}}<h3>{{.Title}}</h3>{{if .Table}}<table><tr>{{range .Table.Head}}<th>{{.}}</th>{{end}}</tr>{{range .Table.Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>{{else}}<table>{{range .Rows}}<tr><td class=l>{{.Label}}</td><td>{{.Value}}</td></tr>{{end}}</table>{{end}}{{end}}{{end}}
<h2>Attachments</h2><table><tr><th>File</th><th>Type</th><th>Size</th><th>SHA-256</th></tr>{{range .Atts}}<tr><td>{{.Name}}<br>{{.Path}}</td><td>{{.Type}}</td><td>{{.Size}}</td><td>{{.SHA256}}</td></tr>{{end}}</table>
{{range .Atts}}{{if .Image}}<p><strong>{{.Name}}</strong><br><img src="{{.Image}}"></p>{{end}}{{end}}
<h2>Attestation</h2><p>“I attest that the information in this form is true and complete.”</p></body></html>`))
	var out strings.Builder
	err := tpl.Execute(&out, map[string]any{"P": doc.Data.Provider, "ID": doc.Data.PacketID, "FP": doc.Fingerprint, "KFP": doc.KeyFingerprint, "Forms": fs, "Atts": atts})
	if err != nil {
		b.Fatal(err)
	}
	return out.String()
}
