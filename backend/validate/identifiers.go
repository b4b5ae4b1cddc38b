package validate

import (
	"errors"
	"fmt"
	"strings"
)

// digitsOnly reports whether s is non-empty and all ASCII digits.
func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// luhnValid reports whether a digit string passes the Luhn check.
func luhnValid(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// NPI checks a National Provider Identifier: 10 digits whose last is the
// Luhn check digit computed over the prefix 80840 and the first nine.
func NPI(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("Enter your 10-digit NPI.")
	case !digitsOnly(s):
		return errors.New("An NPI has only digits (10 of them), with no spaces or dashes.")
	case len(s) != 10:
		return fmt.Errorf("An NPI has 10 digits; this one has %d.", len(s))
	case s[0] != '1' && s[0] != '2':
		return errors.New("An NPI starts with 1 (individual) or 2 (organization). Check it against NPPES.")
	case !luhnValid("80840" + s):
		return errors.New("This NPI's check digit doesn't match: one of the digits is probably mistyped.")
	}
	return nil
}

// CAQHID checks a CAQH ProView provider ID: digits only. IDs are normally 8
// digits; CAQHIDWarning says so for other lengths, without refusing them.
func CAQHID(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("Enter your CAQH ProView provider ID.")
	case !digitsOnly(s):
		return errors.New("A CAQH provider ID has only digits. It is on your CAQH ProView profile page.")
	case len(s) > 12:
		return errors.New("This is too long for a CAQH provider ID (they are usually 8 digits).")
	}
	return nil
}

// CAQHIDWarning returns a gentle warning for a valid ID that is not 8 digits.
func CAQHIDWarning(s string) string {
	s = strings.TrimSpace(s)
	if CAQHID(s) == nil && len(s) != 8 {
		return fmt.Sprintf("CAQH provider IDs are usually 8 digits; this one has %d. Double-check it.", len(s))
	}
	return ""
}

// ZIP checks a US ZIP code: 12345 or 12345-6789.
func ZIP(s string) error {
	s = strings.TrimSpace(s)
	five, four, hasFour := strings.Cut(s, "-")
	switch {
	case s == "":
		return errors.New("Enter the ZIP code.")
	case len(five) != 5 || !digitsOnly(five) || (hasFour && (len(four) != 4 || !digitsOnly(four))):
		return errors.New("A ZIP code is 5 digits, or 5 digits, a dash and 4 more (12345-6789).")
	case five == "00000":
		return errors.New("00000 is not a ZIP code.")
	}
	return nil
}

// Phone checks a US or Canadian (NANP) phone number in any usual format and
// returns nil when it is one.
func Phone(s string) error {
	_, err := NormalizePhone(s)
	return err
}

// NormalizePhone returns a NANP number as (NXX) NXX-XXXX.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("Enter a phone number.")
	}
	var digits strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case strings.ContainsRune(" ()-.+", r):
		default:
			return "", errors.New("A phone number can only have digits, spaces, dashes, dots and parentheses.")
		}
	}
	d := digits.String()
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	switch {
	case len(d) != 10:
		return "", errors.New("Enter a 10-digit US phone number, like (555) 234-5678.")
	case d[0] < '2':
		return "", errors.New("US area codes don't start with 0 or 1.")
	case d[1:3] == "11":
		return "", errors.New("That area code is a service code (like 911), not a phone area code.")
	case d[3] < '2':
		return "", errors.New("The 3 digits after the area code don't start with 0 or 1 in US numbers.")
	}
	return fmt.Sprintf("(%s) %s-%s", d[:3], d[3:6], d[6:]), nil
}

// SSN checks a US Social Security number (123-45-6789, dashes and spaces
// optional): 9 digits, none of the shapes the SSA never assigns, and none of
// the sample numbers printed for the public that it voided.
//
// The shapes come from the SSA's Program Operations Manual, RM 10201.035
// "Invalid Social Security Numbers": area (first three digits) 000, 666 or
// 900–999, group (middle two) 00, serial (last four) 0000. Numbers starting
// with 9 are the IRS's taxpayer numbers (ITINs), which is worth saying: a
// provider may hold one and type it here by mistake. The SSA's advertising
// range 987-65-4320 to 987-65-4329 starts with 9 and so is refused with them.
func SSN(s string) error {
	d := strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s))
	switch {
	case d == "":
		return errors.New("Enter your Social Security number.")
	case !digitsOnly(d) || len(d) != 9:
		return errors.New("A Social Security number has 9 digits, like 123-45-6789.")
	case d[:3] == "000":
		return errors.New("No Social Security number starts with 000. Check the first three digits against your card.")
	case d[:3] == "666":
		return errors.New("No Social Security number starts with 666. Check the first three digits against your card.")
	case d[0] == '9':
		return errors.New("Social Security numbers never start with 9: a number starting with 9 is an IRS taxpayer number (ITIN). Enter the number on your Social Security card.")
	case d[3:5] == "00":
		return errors.New("The middle two digits of a Social Security number are never 00. Check them against your card.")
	case d[5:] == "0000":
		return errors.New("The last four digits of a Social Security number are never 0000. Check them against your card.")
	}
	if why := voidedSSN(d); why != "" {
		return fmt.Errorf("%s-%s-%s is %s. Enter the number on your own Social Security card.", d[:3], d[3:5], d[5:], why)
	}
	return nil
}

// voidedSSN says what sample number d is, or "" for none: numbers printed
// on sample cards for the public, which thousands of people then used as
// their own. Source for both: the SSA's history page "Social Security Cards
// Issued by Woolworth" (ssa.gov/history/ssn/misused.html), retold in the
// Social Security Bulletin Vol. 69 No. 2 (2009), "The Story of the Social
// Security Number".
//
// 457-55-5462, which some validators list, is left out on purpose: it is a
// real number its holder published in advertisements (LifeLock, 2007), and
// no source says the SSA voided it.
func voidedSSN(d string) string {
	switch d {
	case "078051120":
		// 1938: a wallet maker put a sample card with his secretary's real
		// number in wallets sold at Woolworth; over 40,000 people reported
		// it as theirs, and the SSA voided it and gave her a new one.
		return "the sample number printed on cards in wallets sold in 1938; the SSA voided it"
	case "219099999":
		// 1940: the Social Security Board's own pamphlet showed a card with
		// this made-up, never-assigned number; people used it into the 1960s.
		return "the sample number from a 1940 Social Security pamphlet; it was never issued to anyone"
	}
	return ""
}
