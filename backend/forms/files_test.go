package forms

import (
	"slices"
	"strings"
	"testing"
)

func hashOf(c string) string { return strings.Repeat(c, 64) }

// Each license has its own document, required per license; the upload
// fields of repeating sections are found at their item paths.
func TestLicenseDocumentPerLicense(t *testing.T) {
	var names []string
	for _, f := range FileFields(CredentialingForm()) {
		names = append(names, f.Section+"/"+f.Name)
	}
	if want := []string{"licenses/document", "/liabilityDoc", "/deaDoc", "/boardDoc", "/cvDoc", "/diplomaDoc"}; !slices.Equal(names, want) {
		t.Errorf("upload fields %v, want %v", names, want)
	}

	d := validCredentialing(LicenseLCSW)
	d.Groups["licenses"] = append(d.Groups["licenses"], map[string]string{"state": "OR", "number": "C 4471", "type": "LCSW", "issued": "2019-01-01", "expires": "2027-01-01"})
	got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicenseLCSW)))
	if got["licenses.1.document"].Code != "required" || got["licenses.0.document"].Code != "" {
		t.Errorf("second license without its document: %v", got)
	}
	d.Groups["licenses"][1]["document"] = "not a hash"
	if got := fieldsOf(Validate(CredentialingForm(), d, ctxFor(LicenseLCSW))); got["licenses.1.document"].Code != "invalid-file" {
		t.Errorf("a bad reference: %+v", got["licenses.1.document"])
	}
	d.Groups["licenses"][1]["document"] = hashOf("e")
	if ps := Validate(CredentialingForm(), d, ctxFor(LicenseLCSW)); Blocking(ps) {
		t.Errorf("two licenses with their documents: %+v", ps)
	}

	var refs []string
	for _, r := range Files(CredentialingForm(), d) {
		refs = append(refs, r.Path+"="+r.Hash[:1])
	}
	if want := []string{"licenses.0.document=a", "licenses.1.document=e", "liabilityDoc=b"}; !slices.Equal(refs, want) {
		t.Errorf("files %v, want %v", refs, want)
	}
	for path, want := range map[string]string{
		"licenses.0.document": "State license CA NP123",
		"licenses.1.document": "State license OR C 4471",
		"liabilityDoc":        "Liability insurance face sheet",
	} {
		if got := FileLabel(CredentialingForm(), d, path); got != want {
			t.Errorf("FileLabel(%s) = %q, want %q", path, got, want)
		}
	}
	delete(d.Groups["licenses"][1], "number")
	delete(d.Groups["licenses"][1], "state")
	if got := FileLabel(CredentialingForm(), d, "licenses.1.document"); got != "State license 2" {
		t.Errorf("a license with nothing to name it by: %q", got)
	}
}

func TestFileFieldAtAndSetFile(t *testing.T) {
	s := CredentialingForm()
	for path, ok := range map[string]bool{
		"liabilityDoc": true, "licenses.0.document": true, "licenses.19.document": true,
		"licenses.20.document": false, // past the section's maximum
		"licenses.-1.document": false, "licenses.01.document": false, "licenses.x.document": false,
		"document": false, "licenses.0.number": false, "education.0.document": false, "npi": false,
		"licenses.0": false, "": false, "licenseDoc": false,
	} {
		if _, got := FileFieldAt(s, path); got != ok {
			t.Errorf("FileFieldAt(%q) = %v, want %v", path, got, ok)
		}
	}
	d := validCredentialing(LicenseLCSW)
	SetFile(d, "licenses.0.document", hashOf("f"))
	SetFile(d, "licenses.5.document", hashOf("f")) // no such license: nothing changes
	SetFile(d, "cvDoc", hashOf("c"))
	SetFile(d, "liabilityDoc", "")
	if d.Groups["licenses"][0]["document"] != hashOf("f") || len(d.Groups["licenses"]) != 1 || d.Fields["cvDoc"] != hashOf("c") {
		t.Errorf("set: %v %v", d.Groups["licenses"], d.Fields["cvDoc"])
	}
	if _, ok := d.Fields["liabilityDoc"]; ok {
		t.Error("clearing kept the field")
	}
	SetFile(d, "licenses.0.document", "")
	if _, ok := d.Groups["licenses"][0]["document"]; ok {
		t.Error("clearing an item's file kept it")
	}
}

// Secrets are sealed by field name, so none may sit in a repeating section
// (SecretFields would not see it and it would be stored in the clear).
func TestSecretFieldsAreTopLevel(t *testing.T) {
	for _, s := range []Schema{GeneralForm(), CredentialingForm()} {
		for _, sec := range s.Sections {
			for _, f := range sec.Fields {
				if f.Type == "secret" && sec.Repeat != nil {
					t.Errorf("%s: secret field %s.%s is in a repeating section", s.ID, sec.ID, f.Name)
				}
			}
		}
	}
}
