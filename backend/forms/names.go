package forms

import "strings"

// Names is how the provider's name is shown, one name for each use. Every
// screen and email takes its name from here, so nothing guesses a given
// name by splitting the legal name into words: that guess is wrong for a
// family name written first ("Nguyễn Văn An"), a name with no spaces
// ("王芳") and a compound surname ("María José García López").
type Names struct {
	Legal      string `json:"legal"`      // as on the license
	Greeting   string `json:"greeting"`   // in the app: "Welcome, …"
	Salutation string `json:"salutation"` // in emails: "Hello …,"
	Directory  string `json:"directory"`  // the directory profile's display name
}

// General form fields that say how the provider's name is shown.
const (
	FieldLegalName     = "legalName"
	FieldPreferredName = "preferredName"
	FieldDirectoryName = "directoryName"
)

// NamesFor gives each use its name, from the account's names (as given at
// first-run set-up) and the latest submitted General form (nil when there is
// none yet).
//
// Once the General form is submitted its names win, an empty preferred name
// included: the form is prefilled from the account, so what was submitted
// is the provider's newer and deliberate word, and it is what the network
// has on file. Without a preferred name the provider is greeted by their
// whole legal name, the one form of it that is right for every name shape.
// The directory shows the form's "Name shown in the directory", or the legal
// name for a form submitted before that field existed.
func NamesFor(legal, preferred string, general *Data) Names {
	legal, preferred = clean(legal), clean(preferred)
	directory := ""
	if general != nil {
		if l := clean(general.Fields[FieldLegalName]); l != "" {
			legal = l
		}
		preferred = clean(general.Fields[FieldPreferredName])
		directory = clean(general.Fields[FieldDirectoryName])
	}
	greeting := preferred
	if greeting == "" {
		greeting = legal
	}
	if directory == "" {
		directory = DefaultDirectoryName(legal)
	}
	return Names{Legal: legal, Greeting: greeting, Salutation: greeting, Directory: directory}
}

// DefaultDirectoryName is what the directory shows until the provider says
// otherwise: the legal name as written. A preferred name is not combined
// with part of it, since which part is the family name can't be told.
func DefaultDirectoryName(legal string) string { return clean(legal) }

// clean trims a name and collapses runs of spaces.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
