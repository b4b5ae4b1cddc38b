package packet

import (
	"strings"
	"testing"
	"time"

	"onramp/backend/forms"
)

// Each license has its own document; the attachment index names each by
// its license, and a version 1 packet (one upload for every license) still
// prints as it was submitted.
func TestAttachmentIndexNamesEachLicense(t *testing.T) {
	d := Data{Format: DataFormat, Version: DataVersion, PacketID: "PKT-LICS-0001", CreatedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		Provider: Provider{LegalName: "Nguyễn Văn An", LicenseType: string(forms.LicenseLCSW), NPI: "1234567893", Email: "an@example.org"}}
	files := map[string][]byte{}
	cred := forms.NewData()
	ca := addFile(&d, files, forms.FormCredentialing, "licenses.0.document", "ca-license.pdf", "application/pdf", []byte("%PDF-1.4 CA"))
	or := addFile(&d, files, forms.FormCredentialing, "licenses.1.document", "or-license.pdf", "application/pdf", []byte("%PDF-1.4 OR"))
	cred.Groups["licenses"] = []map[string]string{
		{"state": "CA", "number": "NP123", "type": "LCSW", "document": ca},
		{"state": "OR", "number": "C 4471", "type": "LCSW", "document": or},
	}
	d.Forms = []Form{{ID: forms.FormCredentialing, SchemaVersion: forms.CredentialingForm().Version, Version: 1, SHA256: cred.Hash(), Data: cred}}
	pages, err := RenderPages(Doc{Data: d, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pages, "")
	for _, want := range []string{"State license CA NP123", "State license OR C 4471", "ca-license.pdf", "or-license.pdf"} {
		if !strings.Contains(all, want) {
			t.Errorf("the packet does not show %q", want)
		}
	}

	// One file for both licenses: listed once, naming both.
	cred.Groups["licenses"][1]["document"] = ca
	d.Attachments = d.Attachments[:1]
	d.Forms[0].Data = cred
	pages, err = RenderPages(Doc{Data: d, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	// The Document column wraps after "State".
	if all := strings.Join(pages, ""); !strings.Contains(all, ">State license CA NP123; State<") || !strings.Contains(all, ">license OR C 4471<") {
		t.Error("a file shared by two licenses does not name both")
	}
}

func TestVersion1PacketPrintsAsSubmitted(t *testing.T) {
	doc := exampleDoc(t) // docs/examples/provider.json: Insurance form schema version 1
	form, _ := doc.Data.Form(forms.FormCredentialing)
	if form.SchemaVersion != 1 || form.Data.Fields["licenseDoc"] == "" {
		t.Fatalf("the example is no longer a version 1 Insurance form")
	}
	pages, err := RenderPages(doc)
	if err != nil {
		t.Fatal(err)
	}
	// Its Documents section lists the one license upload with its file (the
	// current schema has no such field).
	all := strings.Join(pages, "")
	if !strings.Contains(all, ">license.pdf (attachment 2, 15 KB)<") {
		t.Error("the version 1 license upload is not printed with its file")
	}
}
