package validate

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestSameName(t *testing.T) {
	same := []struct{ a, b string }{
		{"Zoë Łukasiewicz", "Zoë Łukasiewicz"},
		{"Zoë Łukasiewicz", "  zoë   ŁUKASIEWICZ "},
		{"Zoë Łukasiewicz", "Zoe\u0308 Łukasiewicz"},          // ë decomposed, as macOS sends it
		{"José Núñez", "Jose\u0301 Nu\u0301n\u0303ez"},        // é, ú, ñ decomposed
		{"Nguyễn Thị Ánh", norm.NFD.String("Nguyễn Thị Ánh")}, // two marks each
		{"Nguyễn", "Nguye\u0302\u0303n"},
		{"Trần Thị Nguyệt", "Trần Thị Nguye\u0323\u0302t"}, // marks in canonical order…
		{"Trần Thị Nguyệt", "Trần Thị Nguye\u0302\u0323t"}, // …and in the other order
		{"Trần Thị Nguyệt", "Trần Thị Nguyẹ\u0302t"},
		{"Ångström", "A\u030Angstro\u0308m"},
		{"Ångström", "\u212Bngström"}, // the Ångström sign
		{"Conan O'Brien", "Conan O’Brien"},
		{"Conan O'Brien", "Conan O‘Brien"},
		{"Conan O'Brien", "Conan Oʼbrien"},
		{"Daniel ʻAkaka", "Daniel 'Akaka"},
		{"Anna Smith-Jones", "Anna Smith‐Jones"}, // U+2010 hyphen
		{"Anna Smith-Jones", "Anna Smith‑Jones"}, // U+2011 non-breaking hyphen
		{"Anna Smith-Jones", "Anna Smith–Jones"}, // en dash
		{"Anna Smith-Jones", "Anna Smith—Jones"}, // em dash
		{"Anna Smith-Jones", "Anna Smith−Jones"}, // minus sign
		{"Οδυσσεύς Ελύτης", "ΟΔΥΣΣΕΎΣ ΕΛΎΤΗΣ"},   // final sigma folds with Σ
		{"Οδυσσεύς", "Οδυσσευ\u0301ς"},
		{"Йордан", "И\u0306ордан"}, // Й decomposed
		{"Ёлкин", "Е\u0308лкин"},
		{"김민준", "\u1100\u1175\u11B7\u1106\u1175\u11AB\u110C\u116E\u11AB"}, // Hangul in jamo
		{"がくと", "か\u3099くと"},                                              // kana with a separate voicing mark
		{"Zoë Ørsted-Łukasiewicz", "ZOË ØRSTED–ŁUKASIEWICZ"},
	}
	for _, s := range same {
		if !SameName(s.a, s.b) || !SameName(s.b, s.a) {
			t.Errorf("SameName(%+q, %+q) = false", s.a, s.b)
		}
	}
	different := []struct{ a, b string }{
		{"Zoë Łukasiewicz", "Zoe Łukasiewicz"}, // no diacritic stripping
		{"Zoë Łukasiewicz", "Zoë Lukasiewicz"},
		{"José Núñez", "Jose Nunez"},
		{"Nguyễn", "Nguyên"},
		{"Nguyễn", "Nguye\u0303\u0302n"}, // tilde under the circumflex: another letter
		{"Nguyệt", "Nguyệ\u0323t"},
		{"Anna Smith-Jones", "Anna Smith Jones"},
		{"Anna Smith-Jones", "Anna SmithJones"},
		{"Conan O'Brien", "Conan OBrien"},
		{"Conan O'Brien", "Conan O Brien"},
		{"İlkay Gündoğan", "Ilkay Gündoğan"},
		{"Straße", "Strasse"},
		{"Zoë", "Zoë Łukasiewicz"},
		{"", ""},
		{"  ", ""},
		{"Zoë", ""},
	}
	for _, d := range different {
		if SameName(d.a, d.b) || SameName(d.b, d.a) {
			t.Errorf("SameName(%+q, %+q) = true", d.a, d.b)
		}
	}
}

// nameAlphabet is what the property test builds names from: base letters,
// precomposed letters of several scripts, loose marks in and out of order,
// apostrophes, dashes and spaces.
var nameAlphabet = []rune("aAeEiIoOuUnNsSzZkKyY" +
	"éÉëËñÑøØåÅłŁőŐẹẸệỆếǖǕșȘ" +
	"ΑαΣσςΆάΐΰὰᾂῷ" +
	"ЙйЁёїЇ" +
	"かがはぱ김민" +
	"\u0300\u0301\u0302\u0303\u0308\u030A\u0323\u0327\u0328\u0345\u0306\u3099\u309A\u1161\u11A8" +
	"\u212B\u212A\u2126" +
	"'’ʼʻ-–‐ \u00A0")

// SameName agrees with Unicode (x/text) over many names built from the
// covered scripts: the keys are equal exactly when the canonical
// decompositions are equal but for case.
func TestSameNameMatchesUnicode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	name := func() string {
		n := 1 + rng.IntN(8)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = nameAlphabet[rng.IntN(len(nameAlphabet))]
		}
		return string(rs)
	}
	for i := 0; i < 40_000; i++ {
		a := name()
		if got, want := nameKey(a), nameKeyReference(a); !equalFoldRunes(got, want) || !SameName(a, norm.NFC.String(a)) && strings.TrimSpace(a) != "" {
			t.Fatalf("%+q: key %+q, Unicode %+q", a, got, want)
		}
		// Pairs: a random other name, and a with its composition flipped.
		for _, b := range []string{name(), norm.NFD.String(a), norm.NFC.String(a)} {
			if got, want := SameName(a, b), unicodeSame(a, b); got != want {
				t.Fatalf("SameName(%+q, %+q) = %v, Unicode says %v", a, b, got, want)
			}
		}
	}
}

// Whatever the input, SameName never takes two names for one that Unicode
// (canonical equivalence, case, spaces, apostrophes and dashes) tells
// apart, and it agrees with Unicode exactly on the covered scripts.
func FuzzSameName(f *testing.F) {
	f.Add("Zoë Łukasiewicz", "Zoe\u0308 łukasiewicz")
	f.Add("Nguyệt", "Nguye\u0302\u0323t")
	f.Add("Conan O'Brien", "Conan O’Brien")
	f.Add("क़मर", "क\u093Cमर")
	f.Fuzz(func(t *testing.T, a, b string) {
		got, want := SameName(a, b), unicodeSame(a, b)
		if got && !want {
			t.Fatalf("SameName(%+q, %+q) = true, Unicode tells them apart", a, b)
		}
		if coveredOnly(a) && coveredOnly(b) && got != want {
			t.Fatalf("SameName(%+q, %+q) = %v, Unicode says %v", a, b, got, want)
		}
	})
}

func BenchmarkSameName(b *testing.B) {
	for i := 0; i < b.N; i++ {
		SameName("Zoë Ørsted-Łukasiewicz", "zoe\u0308 ørsted–łukasiewicz")
	}
}
