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
	Name         string     `json:"name"`
	Label        string     `json:"label"`
	Type         string     `json:"type"`            // text, email, tel, date, select, multiselect, textarea, money, yesno, checkbox
	Check        string     `json:"check,omitempty"` // the validator: npi, dea, caqh, zip, phone, email, name, state, …
	Required     bool       `json:"required"`
	RequiredWhen *Condition `json:"requiredWhen,omitempty"` // required only when this holds
	ShowWhen     *Condition `json:"showWhen,omitempty"`     // shown (and checked) only when this holds
	Help         string     `json:"help,omitempty"`
	Placeholder  string     `json:"placeholder,omitempty"`
	MinLength    int        `json:"minLength,omitempty"`
	MaxLength    int        `json:"maxLength,omitempty"`
	Options      []Option   `json:"options,omitempty"`
	Autocomplete string     `json:"autocomplete,omitempty"`
	Wide         bool       `json:"wide,omitempty"` // takes the whole row
	// Sealed fields reach the network only sealed to its encryption key
	// (SealedFields): everywhere else off this computer (the submitted
	// data the server stores, packets, email) they are masked.
	Sealed bool `json:"sealed,omitempty"`
}

// Condition holds when the named field (or, with a "$" prefix, a context
// value such as $licenseType) has one of the values.
type Condition struct {
	Field string   `json:"field"`
	In    []string `json:"in"`
}

// Schema is a long form: sections of fields, some of them repeating.
type Schema struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Name is how sentences and emails name the form ("your Insurance
	// form"): shorter than the heading.
	Name     string    `json:"name"`
	Intro    string    `json:"intro"`
	Version  int       `json:"version"` // bumped when fields change; kept with each submission
	Sections []Section `json:"sections"`
}

// Section is a group of fields; a repeating one holds a list of items
// (licenses, jobs, locations) that can be added, removed and reordered.
type Section struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Help     string     `json:"help,omitempty"`
	Repeat   *Repeat    `json:"repeat,omitempty"`
	ShowWhen *Condition `json:"showWhen,omitempty"`
	// Attest marks the section a version is attested in: each version is
	// attested anew, so its fields start empty in a resubmission and are
	// no change between versions.
	Attest bool    `json:"attest,omitempty"`
	Fields []Field `json:"fields"`
}

// Repeat bounds a repeating section.
type Repeat struct {
	Min       int    `json:"min"`
	Max       int    `json:"max"`
	ItemLabel string `json:"itemLabel"` // "License", "Job"
	// Identify names the fields whose values tell one item from another
	// ("CA NP123"), for naming an item's documents in the packet.
	Identify []string `json:"identify,omitempty"`
}

// Option is one choice of a select field.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Problem is one thing wrong with one field, in plain words, with a stable
// code the UI can rely on. In long forms Field is a path: "npi", or
// "licenses.2.expires" for the third license's expiry. A warning does not
// stop a submission.
type Problem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Warning bool   `json:"warning,omitempty"`
}

// Values is a form's raw input, by field name.
type Values map[string]string
