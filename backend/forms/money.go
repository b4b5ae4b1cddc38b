package forms

import "strconv"

// Money is stored as whole dollars in digits ("1000000"), whatever was
// typed ("$1,000,000", "1,000,000.00"), and shown as FormatMoney writes
// it: the form, the packet and the messages all show "$1,000,000".

// FormatMoney writes an amount as "$1,000,000"; text that is not an amount
// comes back as it is.
func FormatMoney(v string) string {
	n, ok := parseMoney(v)
	if !ok {
		return v
	}
	return "$" + thousands(n)
}

// NormalizeMoney stores every readable amount in the schema's money fields
// (in repeating items too) as whole-dollar digits. Unreadable text is kept
// as typed, for its field's problem to point at.
func NormalizeMoney(s Schema, d Data) Data {
	return edit(s, d, normalizeAmount)
}

func normalizeAmount(_ *Section, f *Field, scope map[string]string) {
	if n, ok := parseMoney(scope[f.Name]); ok && f.Type == "money" {
		scope[f.Name] = strconv.Itoa(n)
	}
}
