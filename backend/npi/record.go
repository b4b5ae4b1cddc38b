package npi

import (
	"fmt"
	"strings"
	"unicode"

	"onramp/backend/forms"
)

// Record is what the registry holds of one NPI, as Onramp shows it.
type Record struct {
	NPI          string     `json:"npi"`
	Organization bool       `json:"organization"` // a type 2 NPI
	First        string     `json:"first,omitempty"`
	Middle       string     `json:"middle,omitempty"`
	Last         string     `json:"last,omitempty"`
	OrgName      string     `json:"orgName,omitempty"`
	Credential   string     `json:"credential,omitempty"`
	Active       bool       `json:"active"`
	Deactivated  string     `json:"deactivated,omitempty"` // the date, when not active
	Taxonomies   []Taxonomy `json:"taxonomies"`
	Location     *Address   `json:"location,omitempty"` // the primary practice location
	Mailing      *Address   `json:"mailing,omitempty"`
}

// Taxonomy is one of the NPI's taxonomies, with the license it names.
type Taxonomy struct {
	Code    string `json:"code"`
	Desc    string `json:"desc"`
	State   string `json:"state,omitempty"`
	License string `json:"license,omitempty"`
	Primary bool   `json:"primary"`
}

// Address is a postal address as the registry gives it.
type Address struct {
	Line1, Line2, City, State, ZIP, Phone string
}

// Name is the individual's name as one line.
func (r Record) Name() string {
	if r.Organization {
		return r.OrgName
	}
	return strings.Join(strings.Fields(r.First+" "+r.Middle+" "+r.Last), " ")
}

func (res result) record() Record {
	b := res.Basic
	r := Record{NPI: string(res.Number), Organization: res.EnumerationType == "NPI-2",
		First: titled(b.FirstName), Middle: titled(b.MiddleName), Last: titled(b.LastName), OrgName: b.OrganizationName,
		Credential: strings.TrimSpace(b.Credential), Active: b.Status == "" || b.Status == "A", Taxonomies: []Taxonomy{}}
	if b.DeactivationDate != "" && b.ReactivationDate == "" {
		r.Active = false
	}
	if !r.Active {
		r.Deactivated = b.DeactivationDate
	}
	for _, t := range res.Taxonomies {
		r.Taxonomies = append(r.Taxonomies, Taxonomy{Code: t.Code, Desc: t.Desc, State: t.State, License: t.License, Primary: t.Primary})
	}
	for _, a := range res.Addresses {
		addr := &Address{Line1: a.Address1, Line2: a.Address2, City: titled(a.City), State: a.State, ZIP: zip(a.PostalCode), Phone: a.Phone}
		switch strings.ToUpper(a.Purpose) {
		case "LOCATION":
			r.Location = addr
		case "MAILING":
			r.Mailing = addr
		}
	}
	return r
}

// titled turns the registry's capitals (JANE) into a name (Jane).
func titled(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s != strings.ToUpper(s) {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

// zip shows a nine-digit ZIP as 12345-6789.
func zip(s string) string {
	if len(s) == 9 {
		return s[:5] + "-" + s[5:]
	}
	return s
}

// Finding is one difference between the registry and the form, in plain
// words.
type Finding struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// taxonomyFits lists, per license type, the taxonomy codes (NUCC) a
// provider of that license is registered under; a code matches by prefix.
var taxonomyFits = map[forms.LicenseType][]string{
	forms.LicenseLCSW:         {"1041C0700X", "104100000X"},
	forms.LicenseLPC:          {"101YP2500X", "101YM0800X", "101Y00000X"},
	forms.LicenseLMFT:         {"106H00000X"},
	forms.LicensePsychologist: {"103T"},
	forms.LicensePsychiatrist: {"2084P08", "2084B0040X", "2084F0202X"},
	forms.LicensePsychNP:      {"363LP0808X"},
}

// Compare lists what does not match between the record and what the
// provider entered: the legal name (empty: not checked) and the license
// type (empty: not checked). An organization's NPI in the individual field
// and a deactivated NPI are always said.
func Compare(r Record, legalName string, license forms.LicenseType) []Finding {
	out := []Finding{}
	if r.Organization {
		out = append(out, Finding{"organization", fmt.Sprintf("This NPI belongs to an organization (%s), a type 2 NPI. Your individual NPI (type 1) goes here; the organization's goes under Group NPI.", r.OrgName)})
	}
	if !r.Active {
		when := ""
		if r.Deactivated != "" {
			when = " on " + r.Deactivated
		}
		out = append(out, Finding{"deactivated", "The registry lists this NPI as deactivated" + when + ". Check the number, or reactivate it with NPPES before credentialing."})
	}
	if !r.Organization && strings.TrimSpace(legalName) != "" && !sameName(r, legalName) {
		out = append(out, Finding{"name", fmt.Sprintf("The registry's name for this NPI is %s, not %s. Check the number, or update your NPPES record if your name changed.", r.Name(), strings.TrimSpace(legalName))})
	}
	if fits, ok := taxonomyFits[license]; ok && !r.Organization && len(r.Taxonomies) > 0 {
		matched := false
		var listed []string
		for _, t := range r.Taxonomies {
			listed = append(listed, t.Desc)
			for _, f := range fits {
				matched = matched || strings.HasPrefix(t.Code, f)
			}
		}
		if !matched {
			out = append(out, Finding{"taxonomy", fmt.Sprintf("None of this NPI's taxonomies fits your license, %s (the registry lists %s). Payers check the taxonomy against your license: update it with NPPES.",
				forms.LicenseLabel(string(license)), strings.Join(listed, "; "))})
		}
	}
	return out
}

// sameName: the registry's first and last names both appear in the legal
// name, whatever the case, accents and punctuation.
func sameName(r Record, legal string) bool {
	have := words(legal)
	for _, part := range []string{r.First, r.Last} {
		for w := range words(part) {
			if !have[w] {
				return false
			}
		}
	}
	return true
}

// fold spells the letters canonical decomposition does not take apart as the registry's
// ASCII names do (Łukasiewicz is LUKASIEWICZ there).
var fold = strings.NewReplacer("ł", "l", "ø", "o", "đ", "d", "ß", "ss", "æ", "ae", "œ", "oe", "þ", "th", "ı", "i", "ð", "d")

// Accented Latin letters written on an ASCII letter, lowercase: one byte
// per rune from latinLo and from latinExtLo ('.': none), as Unicode's
// canonical decomposition gives them (TestBaseLettersAreNFD). A table of a
// kilobyte, where the normalization package's tables would add 60 KB to an
// app binary at its size budget.
const (
	latinLo    = 0xC0
	latinBase  = "aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.yaaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll....nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz.................................oo.............uu............................aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa....aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............................"
	latinExtLo = 0x1E00
	latinExt   = "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......"
)

// baseLetter is the ASCII letter an accented Latin letter is written on,
// or 0.
func baseLetter(r rune) rune {
	var b byte = '.'
	switch {
	case r >= latinLo && r < latinLo+rune(len(latinBase)):
		b = latinBase[r-latinLo]
	case r >= latinExtLo && r < latinExtLo+rune(len(latinExt)):
		b = latinExt[r-latinExtLo]
	}
	if b == '.' {
		return 0
	}
	return rune(b)
}

// words are a name's words as the registry spells them: lowercase, accents
// dropped (José = JOSE, Łukasiewicz = LUKASIEWICZ), other marks spaces.
func words(s string) map[string]bool {
	s = fold.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case baseLetter(r) != 0:
			b.WriteRune(baseLetter(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	out := map[string]bool{}
	for _, w := range strings.Fields(b.String()) {
		out[w] = true
	}
	return out
}
