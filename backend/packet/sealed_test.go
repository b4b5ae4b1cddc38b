package packet

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onramp/backend/forms"
	"onramp/backend/testenv"
)

// packable is d as the app packs it: without its forms' secret and sealed
// fields (the test documents plant them to check the PDF never prints them).
func packable(d Data) Data {
	d.Forms = append([]Form(nil), d.Forms...)
	for i, f := range d.Forms {
		s, _ := forms.SchemaAt(f.ID, f.SchemaVersion)
		d.Forms[i].Data = WithoutSealed(s, f.Data)
	}
	return d
}

// Make refuses data holding a secret or sealed field, so that neither the
// app nor a tool can write one into data.json; without them the same data
// packs, and no planted value is anywhere in the archive.
func TestMakeRefusesSealedFields(t *testing.T) {
	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	planted := map[string]string{"caqhUsername": plantedCAQHUser, "dateOfBirth": plantedDOB, "ssn": plantedSSN, "caqhPassword": plantedPassword}
	for field, value := range planted {
		t.Run(field, func(t *testing.T) {
			doc := exampleDoc(t)
			doc.Data.Forms[1].Data = WithoutSealed(forms.CredentialingForm(), doc.Data.Forms[1].Data)
			doc.Data.Forms[1].Data.Fields[field] = value
			if _, err := Make(&bytes.Buffer{}, doc.Data, doc.Files, key, nil); !errors.Is(err, ErrSealedInClear) {
				t.Errorf("Make with %s in the data: %v", field, err)
			}
		})
	}
	doc := exampleDoc(t)
	for field, value := range planted {
		doc.Data.Forms[1].Data.Fields[field] = value
	}
	var buf bytes.Buffer
	if _, err := Make(&buf, packable(doc.Data), doc.Files, key, nil); err != nil {
		t.Fatal(err)
	}
	p, problems := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	members := map[string][]byte{"data.json": p.DataJSON, "packet.pdf": p.PDF}
	for path, b := range p.Files {
		members[path] = b
	}
	pdf := filepath.Join(t.TempDir(), "packet.pdf")
	if err := os.WriteFile(pdf, p.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	testenv.Need(t, "pdftotext")
	text := tool(t, "pdftotext", "-enc", "UTF-8", pdf, "-")
	if !strings.Contains(text, "Not included: kept encrypted") {
		t.Errorf("the PDF does not say the sealed fields are left out")
	}
	for _, value := range append(mapValues(planted), "Nov 11, 1911") {
		for name, b := range members {
			if bytes.Contains(b, []byte(value)) {
				t.Errorf("%s holds %q", name, value)
			}
		}
		if strings.Contains(text, value) {
			t.Errorf("the PDF's text holds %q", value)
		}
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
