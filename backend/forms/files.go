package forms

import (
	"strconv"
	"strings"
)

// FileField is an upload field of a schema and the repeating section it
// belongs to ("" for a top-level field).
type FileField struct {
	Section string
	Field
}

// FileFields lists a schema's upload fields, top-level ones and those of
// repeating sections, in form order.
func FileFields(s Schema) []FileField {
	var out []FileField
	for _, sec := range s.Sections {
		in := ""
		if sec.Repeat != nil {
			in = sec.ID
		}
		for _, f := range sec.Fields {
			if f.Type == "file" {
				out = append(out, FileField{Section: in, Field: f})
			}
		}
	}
	return out
}

// FileRef is one file a form's data refers to, at its field path: "cvDoc",
// or "licenses.0.document" for the first license's copy.
type FileRef struct {
	Path string
	Hash string // the file's SHA-256, as the field holds it
}

// Files lists the files d refers to, in form order (repeating items in
// their order). Empty upload fields are left out.
func Files(s Schema, d Data) []FileRef {
	var out []FileRef
	add := func(path, v string) {
		if h := strings.TrimSpace(v); h != "" {
			out = append(out, FileRef{Path: path, Hash: h})
		}
	}
	for _, sec := range s.Sections {
		for _, f := range sec.Fields {
			switch {
			case f.Type != "file":
			case sec.Repeat == nil:
				add(f.Name, d.Fields[f.Name])
			default:
				for i, item := range d.Groups[sec.ID] {
					add(itemPath(sec.ID, i, f.Name), item[f.Name])
				}
			}
		}
	}
	return out
}

// FileFieldAt resolves a field path to its upload field: "cvDoc", or
// "licenses.2.document" where the index is within the section's bounds.
func FileFieldAt(s Schema, path string) (FileField, bool) {
	sec, f, _ := fileAt(s, path)
	if f == nil {
		return FileField{}, false
	}
	if sec.Repeat == nil {
		return FileField{Field: *f}, true
	}
	return FileField{Section: sec.ID, Field: *f}, true
}

// fileAt finds the section and upload field of a path, and the item index;
// f is nil when the path is not an upload field.
func fileAt(s Schema, path string) (sec *Section, f *Field, index int) {
	section, index, name, ok := splitPath(path)
	if !ok {
		return nil, nil, 0
	}
	for i := range s.Sections {
		sec = &s.Sections[i]
		if (sec.Repeat == nil) != (section == "") || (section != "" && (sec.ID != section || index >= sec.Repeat.Max)) {
			continue
		}
		for j := range sec.Fields {
			if f = &sec.Fields[j]; f.Type == "file" && f.Name == name {
				return sec, f, index
			}
		}
	}
	return nil, nil, 0
}

// SetFile puts a file's hash at a field path, or clears the field when hash
// is empty. A path to an item that does not exist changes nothing.
func SetFile(d Data, path, hash string) {
	section, index, name, ok := splitPath(path)
	m := d.Fields
	if section != "" && index < len(d.Groups[section]) {
		m = d.Groups[section][index]
	} else if section != "" {
		ok = false
	}
	switch {
	case !ok:
	case hash == "":
		delete(m, name)
	default:
		m[name] = hash
	}
}

// FileLabel names the document at a field path for lists such as the
// packet's attachment index: the field's label, and for an item of a
// repeating section the values that identify it ("State license CA NP123",
// or "State license 2" when none is filled in).
func FileLabel(s Schema, d Data, path string) string {
	sec, f, index := fileAt(s, path)
	switch {
	case f == nil:
		return path
	case sec.Repeat == nil:
		return f.Label
	}
	var item map[string]string
	if items := d.Groups[sec.ID]; index < len(items) {
		item = items[index]
	}
	label := f.Label
	for _, name := range sec.Repeat.Identify {
		if v := clean(item[name]); v != "" {
			label += " " + v
		}
	}
	if label == f.Label {
		label += " " + strconv.Itoa(index+1)
	}
	return label
}

// splitPath reads "name" or "section.index.name".
func splitPath(path string) (section string, index int, name string, ok bool) {
	parts := strings.Split(path, ".")
	switch len(parts) {
	case 1:
		return "", 0, parts[0], parts[0] != ""
	case 3:
		i, err := strconv.Atoi(parts[1])
		if err != nil || i < 0 || parts[1] != strconv.Itoa(i) || parts[0] == "" || parts[2] == "" {
			return "", 0, "", false
		}
		return parts[0], i, parts[2], true
	}
	return "", 0, "", false
}
