package packet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"onramp/backend/forms"
)

// countingReader counts the bytes read from the archive.
type countingReader struct {
	r    io.ReaderAt
	read int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.read += int64(n)
	return n, err
}

// TestOpenWorkIsBounded holds Open's work, counted in bytes and problems
// rather than time, within a small multiple of the archive's size plus the
// fixed limits, for every hostile input found and for the largest packet
// it accepts.
func TestOpenWorkIsBounded(t *testing.T) {
	cases := append(hostileArchives(t), hostileCase{"largest valid packet", largestPacket(t, testKey(t)), ""})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			size := int64(len(tt.archive))
			in := &countingReader{r: bytes.NewReader(tt.archive)}
			o := &opening{}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			p := o.open(in, size, Options{})
			runtime.ReadMemStats(&after)
			var unpacked int64
			for _, b := range o.content {
				unpacked += int64(len(b))
			}
			work := []struct {
				what       string
				got, bound int64
			}{
				// The directory, a few headers per entry and each member's bytes once.
				{"bytes read from the archive", in.read, 2*size + 128<<10},
				// Stored bytes are the archive's own; only the JSON inflates.
				{"bytes unpacked", unpacked, size + maxInflatedBytes},
				// The members, and the decoded JSON a few times over.
				{"bytes allocated", int64(after.TotalAlloc - before.TotalAlloc), 4*size + 8*maxInflatedBytes},
				// A few per entry, per listed file and per attachment.
				{"problems", int64(len(o.list)), 16 * MaxFiles},
			}
			for _, w := range work {
				t.Logf("%s: %d (bound %d)", w.what, w.got, w.bound)
				if w.got > w.bound {
					t.Errorf("%s: %d, over the bound %d for a %d-byte archive", w.what, w.got, w.bound, size)
				}
			}
			switch {
			case tt.want == "" && (p == nil || len(o.list) > 0):
				t.Errorf("refused: %v", o.list)
			case tt.want != "" && !has(o.list, tt.want, ""):
				t.Errorf("problems %.300v; want %s", o.list, tt.want)
			}
		})
	}
}

func TestJSONShape(t *testing.T) {
	shape := jsonShape{maxDepth: 3, maxValues: 8}
	tests := []struct {
		json string
		ok   bool
	}{
		{`{"a":[1,2],"b":{"c":3}}`, true},          // { : [ , , : { : is 8
		{`{"a":"{[,:]}{[,:]}{[,:]}{[,:]}"}`, true}, // inside a string nothing counts
		{`{"a":"\"[[[[,,,,,,","b":"\\"}`, true},    // nor after an escaped quote
		{`["\\",[[[1]]]]`, false},                  // after an escaped backslash the quote ends the string: 4 deep
		{`[[[1]]]`, true},
		{`[[[[1]]]]`, false},
		{`[1,2,3,4,5,6,7,8]`, true},
		{`[1,2,3,4,5,6,7,8,9]`, false},
		{`[{},{},{},{},{}]`, false},
		{`"[[[[[[[[,,,,,,,,"`, true},
	}
	for _, tt := range tests {
		if err := shape.check([]byte(tt.json)); (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok=%v", tt.json, err, tt.ok)
		}
	}
}

// TestShapesFitTheLargestPacket builds the largest data.json and manifest
// a packet can have and checks the shape limits let them through: a new
// form or field that outgrows them fails here, not for a provider.
func TestShapesFitTheLargestPacket(t *testing.T) {
	d := Data{Format: DataFormat, Version: DataVersion, PacketID: "PKT-WRST-CASE", CreatedAt: testCreated,
		Provider: Provider{LegalName: "x", Credentials: "MD", LicenseType: "psychiatrist", NPI: "1234567893", Email: "a@b.org", PracticeName: "p", SSNLast4: "6789"}}
	for _, s := range []forms.Schema{forms.GeneralForm(), forms.CredentialingForm()} {
		f := forms.NewData()
		for _, sec := range s.Sections {
			item := map[string]string{}
			for _, field := range sec.Fields {
				item[field.Name] = "v"
			}
			if sec.Repeat == nil {
				for k, v := range item {
					f.Fields[k] = v
				}
				continue
			}
			for range 100 { // the most forms.DecodeData accepts, more than any schema's Repeat.Max
				f.Groups[sec.ID] = append(f.Groups[sec.ID], item)
			}
		}
		d.Forms = append(d.Forms, Form{ID: s.ID, SchemaVersion: s.Version, Version: 1, SubmittedAt: testCreated, SHA256: f.Hash(), Data: f})
	}
	sha := sha256Hex(nil)
	for i := range maxAttachments {
		name := fmt.Sprintf("%s-%03d.pdf", strings.Repeat("n", 70), i)
		d.Attachments = append(d.Attachments, Attachment{Form: forms.FormCredentialing, Field: "cvDoc", Name: name,
			Type: "application/pdf", Size: 1 << 20, SHA256: sha, Path: AttachmentPath(sha, name)})
	}
	if err := dataShape.check(d.Encode()); err != nil {
		t.Errorf("the largest data.json: %v", err)
	}

	m := Manifest{Format: ManifestFormat, Version: ManifestVersion, PacketID: d.PacketID, CreatedAt: testCreated, ContentFingerprint: sha}
	for _, a := range d.Attachments {
		m.Files = append(m.Files, ManifestEntry{Path: a.Path, Size: a.Size, SHA256: a.SHA256})
	}
	m.Files = append(m.Files, ManifestEntry{Path: DataFile, SHA256: sha}, ManifestEntry{Path: PDFFile, SHA256: sha})
	raw, _ := json.MarshalIndent(m, "", "  ")
	if err := manifestShape.check(raw); err != nil {
		t.Errorf("the largest manifest: %v", err)
	}
}
