package forms

import (
	"strconv"
	"strings"
)

// Shown prunes data to what the schema shows in a context: the fields of
// the sections and fields whose ShowWhen holds (checked per item in a
// repeating section), without empty values or keys the schema doesn't
// know. A hidden field never feeds anything: what is submitted, and
// whatever reads submitted data, goes through Shown. Drafts are not pruned:
// the provider may switch back, and nothing typed is ever lost.
func Shown(s Schema, d Data, ctx Context) Data {
	out := NewData()
	for _, sec := range s.Sections {
		if !holds(sec.ShowWhen, d.Fields, ctx) {
			continue
		}
		if sec.Repeat == nil {
			keepShown(out.Fields, d.Fields, sec.Fields, ctx)
			continue
		}
		items := d.Groups[sec.ID]
		if len(items) == 0 {
			continue
		}
		kept := make([]map[string]string, len(items))
		for i, it := range items {
			kept[i] = map[string]string{}
			keepShown(kept[i], it, sec.Fields, ctx)
		}
		out.Groups[sec.ID] = kept
	}
	return out
}

// keepShown copies into dst the non-empty values of the fields shown in
// scope.
func keepShown(dst, scope map[string]string, fields []Field, ctx Context) {
	for _, f := range fields {
		if v := scope[f.Name]; strings.TrimSpace(v) != "" && holds(f.ShowWhen, scope, ctx) {
			dst[f.Name] = v
		}
	}
}

// WithoutAttestation is the data with the attestation's fields left empty,
// as a resubmission starts: each version is attested anew.
func WithoutAttestation(s Schema, d Data) Data {
	return edit(s, d, dropAttestation)
}

func dropAttestation(sec *Section, f *Field, scope map[string]string) {
	if sec.Attest {
		delete(scope, f.Name)
	}
}

// edit is a copy of d with fn applied to each of the schema's fields, in
// the form's fields or in each item of a repeating section.
func edit(s Schema, d Data, fn func(sec *Section, f *Field, scope map[string]string)) Data {
	out := d.Clone()
	for i := range s.Sections {
		sec := &s.Sections[i]
		for j := range sec.Fields {
			if sec.Repeat == nil {
				fn(sec, &sec.Fields[j], out.Fields)
				continue
			}
			for _, it := range out.Groups[sec.ID] {
				fn(sec, &sec.Fields[j], it)
			}
		}
	}
	return out
}

// Unchanged reports whether submitting next (already pruned by Shown) would
// repeat the last submitted version: the same canonical data, leaving out
// the attestation, which every version makes anew.
func Unchanged(s Schema, next, last Data) bool {
	return WithoutAttestation(s, next).Hash() == WithoutAttestation(s, last).Hash()
}

// ProblemUnchanged is the code of the refusal to submit a version that
// repeats the last one; its Field is FormWide.
const ProblemUnchanged = "unchanged"

// FormWide is the Field of a problem with the whole form rather than one
// field; the form shows it next to its submit button.
const FormWide = "form"

// UnchangedProblem refuses a version identical to submitted version n.
func UnchangedProblem(n int) Problem {
	return Problem{Field: FormWide, Code: ProblemUnchanged,
		Message: "Nothing has changed since version " + strconv.Itoa(n) + ", so there is no new version to submit. Change what needs changing, or discard these changes."}
}
