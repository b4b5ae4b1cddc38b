package forms

import "testing"

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
