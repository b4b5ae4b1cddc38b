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
	Path  string
	Field FileField
	Hash  string // the file's SHA-256, as the field holds it
}

// Files lists the files d refers to, in form order (repeating items in
// their order). Empty upload fields are left out.
func Files(s Schema, d Data) []FileRef {
	var out []FileRef
	for _, f := range FileFields(s) {
		if f.Section == "" {
			if h := strings.TrimSpace(d.Fields[f.Name]); h != "" {
				out = append(out, FileRef{Path: f.Name, Field: f, Hash: h})
			}
			continue
		}
		for i, item := range d.Groups[f.Section] {
			if h := strings.TrimSpace(item[f.Name]); h != "" {
				out = append(out, FileRef{Path: itemPath(f.Section, i, f.Name), Field: f, Hash: h})
			}
		}
	}
	return out
}

// FileFieldAt resolves a field path to its upload field: "cvDoc", or
// "licenses.2.document" where the index is within the section's bounds.
func FileFieldAt(s Schema, path string) (FileField, bool) {
	section, index, name, ok := splitPath(path)
	if !ok {
		return FileField{}, false
	}
	for _, sec := range s.Sections {
		if (sec.Repeat == nil) != (section == "") || (section != "" && (sec.ID != section || index >= sec.Repeat.Max)) {
			continue
		}
		for _, f := range sec.Fields {
			if f.Type == "file" && f.Name == name {
				return FileField{Section: section, Field: f}, true
			}
		}
	}
	return FileField{}, false
}

// SetFile puts a file's hash at a field path, or clears the field when hash
// is empty. A path to an item that does not exist changes nothing.
func SetFile(d Data, path, hash string) {
	section, index, name, ok := splitPath(path)
	switch {
	case !ok:
	case section == "" && hash == "":
		delete(d.Fields, name)
	case section == "":
		d.Fields[name] = hash
	case index < len(d.Groups[section]) && hash == "":
		delete(d.Groups[section][index], name)
	case index < len(d.Groups[section]):
		d.Groups[section][index][name] = hash
	}
}

// FileLabel names the document at a field path for lists such as the
// packet's attachment index: the field's label, and for an item of a
// repeating section the values that identify it ("State license CA NP123").
func FileLabel(s Schema, d Data, path string) string {
	f, ok := FileFieldAt(s, path)
	if !ok {
		return path
	}
	if f.Section == "" {
		return f.Label
	}
	_, index, _, _ := splitPath(path)
	var item map[string]string
	if items := d.Groups[f.Section]; index < len(items) {
		item = items[index]
	}
	parts := []string{f.Label}
	for _, sec := range s.Sections {
		if sec.ID != f.Section {
			continue
		}
		for _, name := range sec.Repeat.Identify {
			if v := clean(item[name]); v != "" {
				parts = append(parts, v)
			}
		}
		if len(parts) == 1 {
			parts = append(parts, strconv.Itoa(index+1)) // "State license 2" when nothing identifies it
		}
	}
	return strings.Join(parts, " ")
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
