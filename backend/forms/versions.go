package forms

import "slices"

// What changed in each schema version, so that older data is read right:
//
//	General form 2      "Name shown in the directory" (directoryName) added.

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
	}
	s.Version = version
	return s, true
}

// withoutField copies the sections, leaving one field out of one section.
func withoutField(sections []Section, section, field string) []Section {
	out := slices.Clone(sections)
	for i, sec := range out {
		if sec.ID == section {
			out[i].Fields = slices.DeleteFunc(slices.Clone(sec.Fields), func(f Field) bool { return f.Name == field })
		}
	}
	return out
}

// UpgradeDraft brings a draft entered in an older schema version up to the
// current one; a current draft comes back unchanged. A General form without
// a directory name gets the default one.
func UpgradeDraft(id string, d Data) Data {
	switch id {
	case FormGeneral:
		if _, ok := d.Fields[FieldDirectoryName]; ok {
			return d
		}
		d = d.Clone()
		d.Fields[FieldDirectoryName] = DefaultDirectoryName(d.Fields[FieldLegalName])
	}
	return d
}
