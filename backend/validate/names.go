package validate

// isApostrophe reports whether r is typed for an apostrophe in a name: the
// ASCII one, the typographic ones keyboards and autocorrect put in (’ ‘ ‛),
// the modifier letter apostrophe ʼ, the ʻokina ʻ that Hawaiian names carry
// and forms usually can't, primes and the backtick and acute people reach
// for instead, and the fullwidth apostrophe.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u201B', '\u02BC', '\u02BB', '\u2032', '`', '\u00B4', '\uFF07':
		return true
	}
	return false
}

// isDash reports whether r is typed for the hyphen of a double-barrelled
// name: the ASCII hyphen-minus, the Unicode hyphens (‐ ‑), the figure, en
// and em dashes (‒ – —), the minus sign and the small and fullwidth
// hyphen-minus.
func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFE63', '\uFF0D':
		return true
	}
	return false
}
