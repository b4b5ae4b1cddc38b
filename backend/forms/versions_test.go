package forms

import (
	"slices"
	"testing"
)

func TestUpgradeGeneralDraft(t *testing.T) {
	g := validGeneral()
	delete(g.Fields, FieldDirectoryName)
	g.Fields[FieldLegalName] = " Nguyễn  Văn An "
	if got := UpgradeDraft(FormGeneral, g).Fields[FieldDirectoryName]; got != "Nguyễn Văn An" {
		t.Errorf("General draft without a directory name gets %q", got)
	}
	if _, ok := g.Fields[FieldDirectoryName]; ok {
		t.Error("the upgrade changed its input")
	}
	g.Fields[FieldDirectoryName] = "" // cleared by the provider: left so
	if got, ok := UpgradeDraft(FormGeneral, g).Fields[FieldDirectoryName]; !ok || got != "" {
		t.Errorf("a cleared directory name became %q", got)
	}
	current := validGeneral()
	if UpgradeDraft(FormGeneral, current).Hash() != current.Hash() {
		t.Error("a current draft changed")
	}
}

// Old submitted versions are read with the schema they were entered in.
func TestSchemaAtGeneral(t *testing.T) {
	g1, ok := SchemaAt(FormGeneral, 1)
	if !ok || g1.Version != 1 {
		t.Fatalf("version 1: %v %d", ok, g1.Version)
	}
	has := func(s Schema) bool {
		for _, sec := range s.Sections {
			for _, f := range sec.Fields {
				if f.Name == FieldDirectoryName {
					return true
				}
			}
		}
		return false
	}
	if has(g1) || !has(GeneralForm()) {
		t.Error("the directory name is in version 1, or SchemaAt changed the current schema")
	}
	old := validGeneral()
	delete(old.Fields, FieldDirectoryName)
	if ps := Validate(g1, old, ctxFor(LicenseLCSW)); len(ps) != 0 {
		t.Errorf("a version 1 submission under its schema: %+v", ps)
	}
	if ps := fieldsOf(Validate(GeneralForm(), old, ctxFor(LicenseLCSW))); ps[FieldDirectoryName].Code != "required" {
		t.Errorf("the directory name is not required now: %+v", ps)
	}
	if cur, _ := SchemaAt(FormGeneral, 2); cur.Version != GeneralForm().Version || !has(cur) {
		t.Error("the current version is not the current schema")
	}
	if _, ok := SchemaAt("nope", 1); ok {
		t.Error("an unknown form")
	}
}

// A draft from version 1 of the Insurance form, whose one license upload
// served every license, moves that file to the first license without one.
func TestUpgradeInsuranceDraft(t *testing.T) {
	tests := []struct {
		name     string
		licenses []map[string]string
		want     []string // each license's document after the upgrade
	}{
		{"one license", []map[string]string{{"state": "CA"}}, []string{hashOf("a")}},
		{"two licenses", []map[string]string{{"state": "CA"}, {"state": "OR"}}, []string{hashOf("a"), ""}},
		{"the first has its own already", []map[string]string{{"document": hashOf("9")}, {"state": "OR"}}, []string{hashOf("9"), hashOf("a")}},
		{"no license yet", nil, []string{hashOf("a")}},
		{"every license has one", []map[string]string{{"document": hashOf("9")}}, []string{hashOf("9")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := NewData()
			old.Fields["licenseDoc"] = hashOf("a")
			old.Groups["licenses"] = tt.licenses
			before := old.Hash()
			up := UpgradeDraft(FormCredentialing, old)
			if _, ok := up.Fields["licenseDoc"]; ok {
				t.Error("the old field stayed")
			}
			var got []string
			for _, it := range up.Groups["licenses"] {
				got = append(got, it["document"])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("documents %v, want %v", got, tt.want)
			}
			if old.Hash() != before {
				t.Error("the upgrade changed its input")
			}
		})
	}
	current := validCredentialing(LicenseLCSW)
	if UpgradeDraft(FormCredentialing, current).Hash() != current.Hash() {
		t.Error("a current draft changed")
	}
}

// Old submitted versions are read with the schema they were entered in.
func TestSchemaAtInsurance(t *testing.T) {
	v1, ok := SchemaAt(FormCredentialing, 1)
	if !ok || v1.Version != 1 {
		t.Fatalf("version 1: %v %d", ok, v1.Version)
	}
	var files []string
	for _, f := range FileFields(v1) {
		files = append(files, f.Section+"/"+f.Name)
	}
	if files[0] != "/licenseDoc" || slices.Contains(files, "licenses/document") {
		t.Errorf("version 1 uploads: %v", files)
	}
	old := validCredentialing(LicenseLCSW)
	delete(old.Groups["licenses"][0], "document")
	old.Fields["licenseDoc"] = hashOf("a")
	if ps := Validate(v1, old, ctxFor(LicenseLCSW)); Blocking(ps) {
		t.Errorf("a version 1 submission under its schema: %+v", ps)
	}
	if got := FileLabel(v1, old, "licenseDoc"); got != "State license" {
		t.Errorf("version 1 license label %q", got)
	}
	if cur, _ := SchemaAt(FormCredentialing, 2); cur.Version != 2 || len(FileFields(cur)) != len(FileFields(CredentialingForm())) {
		t.Error("the current version is not the current schema")
	}
	if FileFields(CredentialingForm())[0].Name != "document" {
		t.Error("SchemaAt changed the current schema")
	}
}
