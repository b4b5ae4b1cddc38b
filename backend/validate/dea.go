package validate

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// deaRegistrantTypes are the first letters DEA assigns: A, B, F and G for
// practitioners (A before 1985, then B, then F and G as each ran out), M for
// mid-level practitioners (nurse practitioners, physician assistants), X for
// the buprenorphine waiver numbers issued until 2023, and the others for
// pharmacies, hospitals, manufacturers, distributors, researchers and labs.
const deaRegistrantTypes = "ABCDEFGHJKLMPRSTUX"

// DEA checks a DEA registration number against the registrant's full legal
// name as on the account: two letters and seven digits, the last digit a
// check digit, and the second letter one the registrant's last name could
// give it (see deaInitials), or 9.
func DEA(number, legalName string) error {
	n := strings.ToUpper(strings.Join(strings.Fields(number), ""))
	switch {
	case n == "":
		return errors.New("Enter your DEA registration number.")
	case len(n) != 9 || !isLetter(n[0]) || !(isLetter(n[1]) || n[1] == '9') || !digitsOnly(n[2:]):
		return errors.New("A DEA number is two letters followed by seven digits, like AB1234563.")
	case !strings.ContainsRune(deaRegistrantTypes, rune(n[0])):
		return fmt.Errorf("A DEA number can't start with %q. Check the first letter on your certificate.", n[0])
	}
	d := func(i int) int { return int(n[i] - '0') }
	check := (d(2) + d(4) + d(6) + 2*(d(3)+d(5)+d(7))) % 10
	if check != d(8) {
		return errors.New("This DEA number's check digit doesn't match: one of the digits is probably mistyped.")
	}
	if n[1] == '9' {
		return nil
	}
	initials, ok := deaInitials(legalName)
	if ok && !strings.ContainsRune(initials, rune(n[1])) {
		return fmt.Errorf("The second letter of a DEA number is the first letter of your last name (%s), but this one has %c. Check the number on your DEA certificate.", orList(initials), n[1])
	}
	return nil
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' }

// deaInitials lists the letters a DEA number's second letter can be for a
// registrant with this legal name. ok is false when the name can't be
// checked: it is empty, or a word that may be the last name is in a script
// without Latin letters (any letter could then be its transliteration).
//
// DEA puts the first letter of the last name written on the application
// (DEA Form 224) there, or 9 for a registration under a business name. The
// app holds one legal name, not that field, and the same name can have been
// written there in several ways, so every letter a real registration could
// carry is accepted rather than a valid number refused:
//
//   - The last name is a run of words at the end of the name, but which
//     words is unknowable: "García López", "van der Berg", "de la Cruz" and
//     "Ortega y Gasset" are written whole or in part, particle or not. So
//     every word after the first counts ("Ana María García López" gives M, G
//     and L: a middle name can't be told from a first surname). The first
//     word is a given name, unless the name is the only word ("Madonna") or
//     is written "Last, Given" (then the words before the comma count).
//   - Generational suffixes (Jr, Sr, II, III, IV, 2nd, 3rd, 4th) and Esq
//     are not part of a last name, with or without a comma before them. V
//     is kept: it is as likely an initial used as a last name ("Anand V").
//   - A middle initial ("John Q. Public") is not a last name.
//   - Hyphenated and apostrophe names count by each part, since either
//     part can be the one on a registration made before or after a marriage
//     or written without the particle: "Smith-Jones" gives S and J,
//     "O'Brien" O and B, "D'Angelo" D and A. "McDonald" is one part: M.
//   - Accents are removed the way DEA writes names, in plain capitals
//     (Łukasiewicz → L, Ørsted → O, Ñúñez → N), decomposed accents too.
//
// A letter that starts no part of the name is still refused. A registrant
// whose last name changed after registering keeps the number (DEA modifies
// the registration rather than issuing a new one), so the old initial is
// refused: the message asks them to check the certificate.
func deaInitials(legalName string) (initials string, ok bool) {
	var segments [][]string
	for _, seg := range strings.Split(legalName, ",") {
		words := strings.Fields(seg)
		for len(words) > 0 && isNameSuffix(words[len(words)-1]) {
			words = words[:len(words)-1]
		}
		if len(words) > 0 {
			segments = append(segments, words)
		}
	}
	var words []string
	switch {
	case len(segments) == 0:
		return "", false
	case len(segments) > 1: // "Last, Given"
		words = segments[0]
	case len(segments[0]) == 1:
		words = segments[0]
	default:
		words = segments[0][1:]
	}
	var out []byte
	for i, w := range words {
		if i < len(words)-1 && isInitial(w) {
			continue
		}
		for _, part := range strings.FieldsFunc(w, isNameJoiner) {
			c, latin, found := latinInitial(part)
			if !found {
				continue
			}
			if !latin {
				return "", false
			}
			if !strings.ContainsRune(string(out), rune(c)) {
				out = append(out, c)
			}
		}
	}
	return string(out), len(out) > 0
}

// isNameSuffix reports whether a word is a generational suffix or Esq.
func isNameSuffix(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "4th", "esq":
		return true
	}
	return false
}

// isInitial reports whether a word is an abbreviated name: "Q.".
func isInitial(w string) bool {
	letter, rest, _ := strings.Cut(w, ".")
	return rest == "" && strings.HasSuffix(w, ".") && len([]rune(letter)) == 1
}

// isNameJoiner reports whether r joins the parts of one name word:
// hyphens and dashes, apostrophes.
func isNameJoiner(r rune) bool {
	return isDash(r) || isApostrophe(r)
}

// latinInitial is the first letter of a name part as DEA would write it:
// accents removed (Núñez → N, Łukasiewicz → L). Marks and modifier letters
// before it (the ʻokina of ʻAkaka) are skipped. found is false when the part
// has no letter; latin is false for a letter of another script.
func latinInitial(part string) (c byte, latin, found bool) {
	for _, r := range part {
		if !unicode.IsLetter(r) || unicode.Is(unicode.Lm, r) {
			continue
		}
		c, latin = latinBase(r)
		return c, latin, true
	}
	return 0, false, false
}

// orList writes "B", "G or L", "M, G or L".
func orList(letters string) string {
	var b strings.Builder
	for i := 0; i < len(letters); i++ {
		switch {
		case i == 0:
		case i == len(letters)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteByte(letters[i])
	}
	return b.String()
}

// latinBase is the base letter of a Latin letter, upper-cased: what is left
// once its accents are removed (Ñ → N, ệ → E), or its usual transliteration
// for the letters that carry none to remove (Ł → L, Ø → O, ß → S). A test
// checks the tables against Unicode's decompositions.
func latinBase(r rune) (byte, bool) {
	var c byte
	switch {
	case r < 0x80:
		c = byte(unicode.ToUpper(r))
	case r >= 0xC0 && int(r-0xC0) < len(latinBaseC0):
		c = latinBaseC0[r-0xC0]
	case r >= 0x1E00 && int(r-0x1E00) < len(latinBase1E00):
		c = latinBase1E00[r-0x1E00]
	case r == 0x212A: // Kelvin sign
		c = 'K'
	case r == 0x212B: // Ångström sign
		c = 'A'
	}
	if c >= 'A' && c <= 'Z' {
		return c, true
	}
	return 0, false
}

// Base letters of U+00C0–U+024F and U+1E00–U+1EFF, one byte per code
// point, "." where there is none.
const (
	latinBaseC0   = "AAAAAAACEEEEIIIIDNOOOOO.OUUUUYTSAAAAAAACEEEEIIIIDNOOOOO.OUUUUYTYAAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII..JJKK.LLLLLLLLLLNNNNNN...OOOOOOOORRRRRRSSSSSSSSTTTT..UUUUUUUUUUUUWWYYYZZZZZZS................................OO.............UU............................AAIIOOUUUUUUUUUU.AAAAAA..GGKKOOOO..J...GG..NNAAAAOOAAAAEEEEIIIIOOOORRRRUUUUSSTT..HH......AAEEOOOOOOOOYY............................"
	latinBase1E00 = "AABBBBBBCCDDDDDDDDDDEEEEEEEEEEFFGGHHHHHHHHHHIIIIKKKKKKLLLLLLLLMMMMMMNNNNNNNNOOOOOOOOPPPPRRRRRRRRSSSSSSSSSSTTTTTTTTUUUUUUUUUUVVVVWWWWWWWWWWXXXXYYZZZZZZHTWY.S....AAAAAAAAAAAAAAAAAAAAAAAAEEEEEEEEEEEEEEEEIIIIOOOOOOOOOOOOOOOOOOOOOOOOUUUUUUUUUUUUUUYYYYYYYY......"
)
