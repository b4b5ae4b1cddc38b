package forms

import "testing"

// Each use of the provider's name, for the name shapes a first-word rule
// gets wrong: a family name first, a name without spaces, a single name, a
// compound surname, and with or without a preferred name.
func TestNamesFor(t *testing.T) {
	general := func(fields map[string]string) *Data {
		d := NewData()
		for k, v := range fields {
			d.Fields[k] = v
		}
		return &d
	}
	tests := []struct {
		name             string
		legal, preferred string
		general          *Data
		want             Names
	}{
		{"family name first, no preferred name", "Nguyễn Văn An", "", nil,
			Names{Legal: "Nguyễn Văn An", Greeting: "Nguyễn Văn An", Salutation: "Nguyễn Văn An", Directory: "Nguyễn Văn An"}},
		{"family name first, preferred name at set-up", "Nguyễn Văn An", "An", nil,
			Names{Legal: "Nguyễn Văn An", Greeting: "An", Salutation: "An", Directory: "Nguyễn Văn An"}},
		{"no spaces", "王芳", "", nil,
			Names{Legal: "王芳", Greeting: "王芳", Salutation: "王芳", Directory: "王芳"}},
		{"single name", "Madonna", "", nil,
			Names{Legal: "Madonna", Greeting: "Madonna", Salutation: "Madonna", Directory: "Madonna"}},
		{"compound surname", "María José García López", "María José", nil,
			Names{Legal: "María José García López", Greeting: "María José", Salutation: "María José", Directory: "María José García López"}},
		{"untidy spaces", "  Zoë   Łukasiewicz ", " Zoë ", nil,
			Names{Legal: "Zoë Łukasiewicz", Greeting: "Zoë", Salutation: "Zoë", Directory: "Zoë Łukasiewicz"}},
		{"the submitted General form's names win", "Nguyễn Văn An", "Anh",
			general(map[string]string{FieldLegalName: "Nguyễn Văn An", FieldPreferredName: "An", FieldDirectoryName: "An Nguyễn"}),
			Names{Legal: "Nguyễn Văn An", Greeting: "An", Salutation: "An", Directory: "An Nguyễn"}},
		{"a preferred name cleared on the form is cleared", "王芳", "芳",
			general(map[string]string{FieldLegalName: "王芳", FieldPreferredName: "", FieldDirectoryName: "Wang Fang"}),
			Names{Legal: "王芳", Greeting: "王芳", Salutation: "王芳", Directory: "Wang Fang"}},
		{"a General form from before the directory name", "María José García López", "",
			general(map[string]string{FieldLegalName: "María José García López", FieldPreferredName: "Majo"}),
			Names{Legal: "María José García López", Greeting: "Majo", Salutation: "Majo", Directory: "María José García López"}},
		{"a form without a legal name keeps the account's", "Madonna", "",
			general(map[string]string{FieldDirectoryName: "Madonna"}),
			Names{Legal: "Madonna", Greeting: "Madonna", Salutation: "Madonna", Directory: "Madonna"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NamesFor(tt.legal, tt.preferred, tt.general); got != tt.want {
				t.Errorf("NamesFor(%q, %q) = %+v, want %+v", tt.legal, tt.preferred, got, tt.want)
			}
		})
	}
}
