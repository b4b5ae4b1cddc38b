// Package validate checks identifiers, contact details and connection
// settings, and holds the rules about names and dates that more than one
// place applies (SameName, Age). Every function is pure and returns nil when
// the value is valid, or an error whose message a provider can act on.
package validate

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Email checks a plain email address such as name@example.org.
func Email(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("Enter your email address.")
	case utf8.RuneCountInString(s) > 254:
		return errors.New("This email address is too long (254 characters at most).")
	case strings.Count(s, "@") != 1:
		return errors.New("Enter an email address with one @, like name@example.org.")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return errors.New("This doesn't look like an email address. Check for spaces or missing parts, like name@example.org.")
	}
	local, domain, _ := strings.Cut(s, "@")
	if len(local) > 64 {
		return errors.New("The part before the @ is too long (64 characters at most).")
	}
	return domainName(domain)
}

func domainName(domain string) error {
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return errors.New("The part after the @ needs a dot, like example.org.")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return errors.New("The part after the @ is not a valid domain, like example.org.")
		}
		for _, r := range l {
			if !(r == '-' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r >= utf8.RuneSelf && unicode.IsLetter(r)) {
				return errors.New("The part after the @ can only have letters, digits, dots and hyphens.")
			}
		}
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 || strings.IndexFunc(tld, unicode.IsDigit) >= 0 {
		return errors.New("The email address should end in a domain like .org or .com.")
	}
	return nil
}

// PersonName checks a person's full name in any script: letters, with
// spaces, hyphens, apostrophes, periods and commas between them. Any
// apostrophe or dash SameName takes for one another is taken (O’Brien,
// Smith‐Jones typed with a Unicode hyphen), so a name the attestation
// accepts can be entered in the first place.
func PersonName(s string) error {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		return errors.New("Enter your full name.")
	case n > 150:
		return errors.New("This name is too long (150 characters at most).")
	case strings.IndexFunc(s, unicode.IsLetter) < 0:
		return errors.New("A name needs at least one letter.")
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Mc, r):
		case r == ' ', r == '.', r == ',', isDash(r), isApostrophe(r):
		case unicode.IsDigit(r):
			return errors.New("A name can't contain digits.")
		default:
			return errors.New("A name can only have letters, spaces, hyphens, apostrophes and periods.")
		}
	}
	return nil
}
