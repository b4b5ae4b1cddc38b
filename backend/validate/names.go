package validate

import (
	"strings"
	"unicode"
)

// SameName reports whether two spellings are the same name: equal once
// spaces are collapsed, case is folded, the apostrophes and dashes people
// type for one another are made one, and Unicode canonical equivalents are
// made one (é typed as one character or as e and a combining accent, the
// way macOS and iOS often send it). Nothing else is forgiven: "Zoe" is not
// "Zoë". An empty name is no one's.
func SameName(a, b string) bool {
	ka := nameKey(a)
	return ka != "" && ka == nameKey(b)
}

// nameKey is the form SameName compares: words joined by one space, in
// canonical decomposition (NFD) with apostrophes and dashes folded, case
// folded.
//
// Comparing canonical decompositions decides canonical equivalence exactly
// as comparing compositions (NFC) would — NFC is NFD followed by composing —
// and needs no composition table or exclusion list, only the decompositions
// in canon_table.go and the combining classes that order the marks. They
// cover every code point below U+3100 (Latin, Greek, Cyrillic, Armenian,
// Hebrew, Arabic, the Indic scripts, Thai, Tibetan, Georgian, Vietnamese,
// kana, …) and the Hangul syllables, whose decomposition is arithmetic. A
// character beyond them (a CJK compatibility ideograph, a Hebrew
// presentation form, anything outside the Basic Multilingual Plane) is left
// as it is and a mark beyond them is not reordered: every step taken turns
// a name into a canonically equivalent one, so a different name is never
// taken for the same; a name typed both ways in those scripts is refused,
// as before. A test checks the tables and this function against
// golang.org/x/text/unicode/norm, which the app doesn't link.
func nameKey(s string) string {
	var runes []rune
	for i, w := range strings.Fields(s) {
		if i > 0 {
			runes = append(runes, ' ')
		}
		for _, r := range w {
			runes = appendDecomposed(runes, r)
		}
	}
	orderMarks(runes)
	for i, r := range runes {
		switch {
		case isApostrophe(r):
			runes[i] = '\''
		case isDash(r):
			runes[i] = '-'
		default:
			runes[i] = foldCase(r)
		}
	}
	return string(runes)
}

// appendDecomposed appends r's full canonical decomposition, unordered.
func appendDecomposed(dst []rune, r rune) []rune {
	const (
		sBase, lBase, vBase, tBase = 0xAC00, 0x1100, 0x1161, 0x11A7
		vCount, tCount             = 21, 28
		sCount                     = 19 * vCount * tCount
	)
	if s := r - sBase; s >= 0 && s < sCount { // Hangul syllable
		dst = append(dst, lBase+s/(vCount*tCount), vBase+s%(vCount*tCount)/tCount)
		if t := s % tCount; t != 0 {
			dst = append(dst, tBase+t)
		}
		return dst
	}
	first, second, ok := canonicalPair(r)
	if !ok {
		return append(dst, r)
	}
	dst = appendDecomposed(dst, first)
	if second != 0 {
		dst = appendDecomposed(dst, second)
	}
	return dst
}

// canonicalPair looks r up in canonPairs: the one or two code points it
// decomposes to in one step (second is 0 for one).
func canonicalPair(r rune) (first, second rune, ok bool) {
	const size = 6
	if r < 0xC0 || r >= 0x3100 {
		return 0, 0, false
	}
	at := func(i, field int) rune {
		return rune(canonPairs[i*size+2*field])<<8 | rune(canonPairs[i*size+2*field+1])
	}
	lo, hi := 0, len(canonPairs)/size
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch c := at(m, 0); {
		case c < r:
			lo = m + 1
		case c > r:
			hi = m
		default:
			return at(m, 1), at(m, 2), true
		}
	}
	return 0, 0, false
}

// combiningClass is a mark's canonical combining class from cccRuns, 0 for
// a starter or a mark the table doesn't cover (which then stays in place).
func combiningClass(r rune) byte {
	const size = 5
	if r < 0x300 || r >= 0x3100 {
		return 0
	}
	lo, hi := 0, len(cccRuns)/size
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		i := m * size
		first := rune(cccRuns[i])<<8 | rune(cccRuns[i+1])
		last := rune(cccRuns[i+2])<<8 | rune(cccRuns[i+3])
		switch {
		case last < r:
			lo = m + 1
		case first > r:
			hi = m
		default:
			return cccRuns[i+4]
		}
	}
	return 0
}

// orderMarks puts each run of marks in canonical order: by combining
// class, keeping the order of marks of the same class (a stable insertion
// sort; runs are a few marks long).
func orderMarks(runes []rune) {
	for i := 1; i < len(runes); i++ {
		c := combiningClass(runes[i])
		if c == 0 {
			continue
		}
		for j := i; j > 0; j-- {
			prev := combiningClass(runes[j-1])
			if prev == 0 || prev <= c {
				break
			}
			runes[j-1], runes[j] = runes[j], runes[j-1]
		}
	}
}

// foldCase maps r to one member of its case-folding orbit (the smallest),
// so that two runes fold alike exactly when strings.EqualFold says they
// match: Σ, σ and ς alike, K and the Kelvin sign alike.
func foldCase(r rune) rune {
	min := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < min {
			min = f
		}
	}
	return min
}

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
