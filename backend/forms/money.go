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
	out := d.Clone()
	for _, sec := range s.Sections {
		for _, f := range sec.Fields {
			if f.Type != "money" {
				continue
			}
			if sec.Repeat == nil {
				normalizeAmount(out.Fields, f.Name)
				continue
			}
			for _, it := range out.Groups[sec.ID] {
				normalizeAmount(it, f.Name)
			}
		}
	}
	return out
}

func normalizeAmount(scope map[string]string, name string) {
	if v, ok := scope[name]; ok {
		if n, ok := parseMoney(v); ok {
			scope[name] = strconv.Itoa(n)
		}
	}
}
