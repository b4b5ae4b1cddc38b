package forms

import "slices"

// What changed in each schema version, so that older data is read right:
//
//	General form 2      "Name shown in the directory" (directoryName) added.
//	Insurance form 2    each license has its own document (licenses.N.document)
//	                    instead of one "State license" upload (licenseDoc);
//	                    psychologists' doctoral internship and postdoctoral
//	                    training sections added.
//	Insurance form 3    "Date of your last CAQH attestation" (caqhAttested)
//	                    added.

// oldLicenseDoc is version 1's one license upload for every license.
const oldLicenseDoc = "licenseDoc"

// SchemaAt returns a form's schema as it was at a version, so a submitted
// snapshot is shown and printed with the fields it was entered in: an old
// snapshot is never changed, only read. An unknown version gives the
// current schema.
func SchemaAt(id string, version int) (Schema, bool) {
	s, ok := SchemaByID(id)
	if !ok || version < 1 || version >= s.Version {
		return s, ok
	}
	switch id {
	case FormGeneral:
		s.Sections = withoutField(s.Sections, "identity", FieldDirectoryName)
	case FormCredentialing:
		s.Sections = withoutField(s.Sections, "caqh", FieldCAQHAttested)
		if version >= 2 {
			break
		}
		s.Sections = withoutField(s.Sections, "licenses", LicenseDocument)
		s.Sections = withoutSections(s.Sections, "internship", "postdoc")
		for i, sec := range s.Sections {
			if sec.ID == "documents" {
				s.Sections[i].Fields = append([]Field{{Name: oldLicenseDoc, Label: "State license", Type: "file", Required: true}}, sec.Fields...)
			}
		}
	}
	s.Version = version
	return s, true
}

// withoutSections copies the sections, leaving out those with the IDs.
func withoutSections(sections []Section, ids ...string) []Section {
	var out []Section
	for _, sec := range sections {
		if !slices.Contains(ids, sec.ID) {
			out = append(out, sec)
		}
	}
	return out
}

// withoutField copies the sections, leaving one field out of one section.
func withoutField(sections []Section, section, field string) []Section {
	out := append([]Section(nil), sections...)
	for i, sec := range out {
		if sec.ID != section {
			continue
		}
		out[i].Fields = nil
		for _, f := range sec.Fields {
			if f.Name != field {
				out[i].Fields = append(out[i].Fields, f)
			}
		}
	}
	return out
}

// UpgradeDraft brings a draft entered in an older schema version up to the
// current one; a current draft comes back unchanged. The old single license
// upload moves to the first license without a document of its own (a
// license is added if there is none; if every license has its own document
// already, the old reference is dropped and the file stays stored). A
// General form without a directory name gets the default one.
func UpgradeDraft(id string, d Data) Data {
	switch id {
	case FormCredentialing:
		h, ok := d.Fields[oldLicenseDoc]
		if !ok {
			return d
		}
		d = d.Clone()
		delete(d.Fields, oldLicenseDoc)
		if h == "" {
			return d
		}
		licenses := d.Groups["licenses"]
		for _, it := range licenses {
			if it[LicenseDocument] == "" {
				it[LicenseDocument] = h
				return d
			}
		}
		if len(licenses) == 0 {
			d.Groups["licenses"] = []map[string]string{{LicenseDocument: h}}
		}
	case FormGeneral:
		if _, ok := d.Fields[FieldDirectoryName]; ok {
			return d
		}
		d = d.Clone()
		d.Fields[FieldDirectoryName] = DefaultDirectoryName(d.Fields[FieldLegalName])
	}
	return d
}
