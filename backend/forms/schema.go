// Package forms holds the forms' schemas, from which the frontend renders
// them, and their validation. Every rule lives here, in Go.
package forms

// Form is a form's schema as the frontend renders it.
type Form struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Intro  string  `json:"intro,omitempty"`
	Fields []Field `json:"fields"`
	Submit string  `json:"submit"` // the submit button's label
}

// Field is one input.
type Field struct {
	Name         string   `json:"name"`
	Label        string   `json:"label"`
	Type         string   `json:"type"` // text, email, date, select
	Required     bool     `json:"required"`
	Help         string   `json:"help,omitempty"`
	Placeholder  string   `json:"placeholder,omitempty"`
	MaxLength    int      `json:"maxLength,omitempty"`
	Options      []Option `json:"options,omitempty"`
	Autocomplete string   `json:"autocomplete,omitempty"`
}

// Option is one choice of a select field.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Problem is one thing wrong with one field, in plain words, with a stable
// code the UI can rely on.
type Problem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Values is a form's raw input, by field name.
type Values map[string]string
